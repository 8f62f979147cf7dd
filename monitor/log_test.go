package monitor

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

func TestThePollLogSaysStateChangesRetriesAndSlowPolls(t *testing.T) {
	var buf bytes.Buffer
	e := &Engine{cfg: Config{Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}}
	spec := SourceSpec{Source: &scripted{name: "db"}, Schedule: sources.Schedule{Interval: time.Second, Timeout: 800 * time.Millisecond}}
	fail := errors.New("connection refused")
	e.logPoll(spec, sources.Result{}, nil, 20*time.Millisecond, time.Second, Starting)
	e.logPoll(spec, sources.Result{}, fail, 5*time.Millisecond, 2*time.Second, Healthy)
	e.logPoll(spec, sources.Result{}, fail, 5*time.Millisecond, 4*time.Second, Failing)
	e.logPoll(spec, sources.Result{}, nil, 600*time.Millisecond, time.Second, Failing)
	got := buf.String()
	for _, want := range []string{
		`level=INFO msg="source ok" source=db`,
		`level=WARN msg="source failing" source=db from=ok error="connection refused"`,
		`level=INFO msg=retry source=db error="connection refused" retry_in=4s`,
		`level=INFO msg="source recovered" source=db`,
		`level=INFO msg="slow poll" source=db took=600ms timeout=800ms`,
		`level=DEBUG msg=poll source=db took=20ms samples=0 ok=true`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the log lacks %q:\n%s", want, got)
		}
	}
}
