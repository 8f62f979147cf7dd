package notify

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary double as a hook program: a command hook of
// {os.Args[0], "hookprobe", mode, ...} re-executes it as the probe, so the
// tests run a real child process without building anything.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "hookprobe" {
		os.Exit(probe(os.Args[2:]))
	}
	// Under -race a child otherwise sleeps a second at exit before leaving.
	_ = os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}

func probe(args []string) int {
	switch args[0] {
	case "has": // has <file> <VAR>: write whether VAR is in the environment
		_, ok := os.LookupEnv(args[2])
		if err := os.WriteFile(args[1], []byte(fmt.Sprint(ok)), 0o600); err != nil {
			return 1
		}
		return 0
	case "env": // env <file>: write the alert's variables, one a line
		// Only the variables a hook is given: the parent environment (a CI
		// run's STORMWATCH_FERRETDB, say) passes through untouched.
		ours := map[string]bool{EnvRule: true, EnvSeries: true, EnvState: true, EnvSeverity: true,
			EnvValue: true, EnvAt: true, EnvDescription: true, EnvRunbook: true}
		var lines []string
		for _, kv := range os.Environ() {
			if k, _, _ := strings.Cut(kv, "="); ours[k] {
				lines = append(lines, kv)
			}
		}
		sort.Strings(lines)
		fmt.Println("probe ran")
		fmt.Fprintln(os.Stderr, "connecting to mongodb://admin:hunter2@db:27017")
		if err := os.WriteFile(args[1], []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	case "hang":
		time.Sleep(time.Hour)
		return 0
	case "fail":
		fmt.Fprintln(os.Stderr, "pager API said no")
		return 3
	}
	return 2
}

func probeHook(name string, timeout time.Duration, args ...string) Hook {
	return Hook{Name: name, Command: append([]string{os.Args[0], "hookprobe"}, args...), Timeout: timeout}
}

func TestACommandHookGetsTheAlertInItsEnvironmentAndItsOutputIsLoggedRedacted(t *testing.T) {
	out := t.TempDir() + "/env.txt"
	var log safeBuffer
	warnings := run(t, Config{Hooks: []Hook{probeHook("page", 0, "env", out)}, Log: &log},
		snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(warnings) != 0 {
		t.Fatalf("warnings: %q", warnings)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"STORMWATCH_AT=2026-11-27T08:00:00Z",
		"STORMWATCH_DESCRIPTION=db.cpu > 80 (3 of 3)",
		"STORMWATCH_RULE=db-cpu",
		"STORMWATCH_RUNBOOK=https://wiki.example.com/runbooks/db-cpu",
		"STORMWATCH_SERIES=db.cpu@server-c",
		"STORMWATCH_SEVERITY=critical",
		"STORMWATCH_STATE=FIRING",
		"STORMWATCH_VALUE=93.5",
	}, "\n") + "\n"
	if string(got) != want {
		t.Errorf("env:\n%s\nwant:\n%s", got, want)
	}
	logged := log.String()
	for _, s := range []string{"hook page: probe ran", "hook page: connecting to mongodb://admin:xxxxx@db:27017", "delivered"} {
		if !strings.Contains(logged, s) {
			t.Errorf("log lacks %q:\n%s", s, logged)
		}
	}
	if strings.Contains(logged, "hunter2") {
		t.Errorf("log leaks a password:\n%s", logged)
	}
}

func TestAHangingCommandIsKilledAtItsTimeoutAndReported(t *testing.T) {
	var log safeBuffer
	warnings := run(t, Config{Hooks: []Hook{probeHook("stuck", 200*time.Millisecond, "hang")}, Retries: -1, Log: &log},
		snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(warnings) != 1 || !strings.Contains(warnings[0], "hook stuck failed for FIRING db-cpu db.cpu@server-c after 1 attempt(s): timed out after 200ms") {
		t.Fatalf("warnings: %q\nlog:\n%s", warnings, log.String())
	}
}

func TestAFailingCommandIsRetriedThenReportedOnOneLine(t *testing.T) {
	var log safeBuffer
	warnings := run(t, Config{Hooks: []Hook{probeHook("pager", 0, "fail")}, Retries: 2, Backoff: time.Millisecond, Log: &log},
		snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(warnings) != 1 || !strings.Contains(warnings[0], "after 3 attempt(s): run ") || !strings.Contains(warnings[0], "exit status 3") {
		t.Fatalf("warnings: %q", warnings)
	}
	if strings.Contains(warnings[0], "\n") {
		t.Errorf("warning spans lines: %q", warnings[0])
	}
	if n := strings.Count(log.String(), "hook pager: pager API said no"); n != 3 {
		t.Errorf("the hook's stderr was logged %d times, want once per attempt (3):\n%s", n, log.String())
	}
}

func TestAMissingProgramFailsAtOnceWithoutRetries(t *testing.T) {
	warnings := run(t, Config{Hooks: []Hook{{Name: "gone", Command: []string{"/nonexistent/stormwatch-hook"}}}, Backoff: time.Hour},
		snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(warnings) != 1 || !strings.Contains(warnings[0], "after 1 attempt(s)") {
		t.Fatalf("warnings: %q", warnings)
	}
}
