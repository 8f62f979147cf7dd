package monitor

import (
	"context"
	"log/slog"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

// logPoll writes one poll to the log: every poll at debug level with its
// wall time; at info level a change of state, each retry and a poll that
// took more than half its timeout. It runs outside the engine's lock.
func (e *Engine) logPoll(spec SourceSpec, res sources.Result, err error, took, wait time.Duration, prev HealthState) {
	log := e.cfg.Log
	if log == nil {
		return
	}
	name := spec.Source.Name()
	ctx := context.Background()
	if log.Enabled(ctx, slog.LevelDebug) {
		log.LogAttrs(ctx, slog.LevelDebug, "poll", slog.String("source", name), slog.Duration("took", took.Round(time.Microsecond)),
			slog.Int("samples", len(res.Samples)), slog.Bool("ok", err == nil))
	}
	now := Failing
	if err == nil {
		now = Healthy
	}
	switch {
	case now != prev && now == Failing:
		log.Warn("source failing", "source", name, "from", string(prev), "error", err, "class", sources.Class(err), "retry_in", wait.Round(time.Millisecond))
	case now == Failing:
		log.Info("retry", "source", name, "error", err, "retry_in", wait.Round(time.Millisecond))
	case prev == Failing:
		log.Info("source recovered", "source", name, "took", took.Round(time.Millisecond))
	case prev == Starting:
		log.Info("source ok", "source", name, "took", took.Round(time.Millisecond))
	}
	if err == nil && spec.Schedule.Timeout > 0 && took > spec.Schedule.Timeout/2 {
		log.Info("slow poll", "source", name, "took", took.Round(time.Millisecond), "timeout", spec.Schedule.Timeout)
	}
}
