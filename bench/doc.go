// Package bench measures stormwatch under load: render time and
// allocations of the dashboard, memory over a simulated day, and the
// programs and scripts whose figures go into BENCHMARKS.md. The benchmarks
// and the soak run only when asked (-bench, or STORMWATCH_SOAK=1); the
// default test run only checks that they still work.
package bench
