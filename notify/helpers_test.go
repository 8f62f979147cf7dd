package notify

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// failsafe only stops a hung test; no test asserts on elapsed time.
const failsafe = 30 * time.Second

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type warnings struct {
	mu  sync.Mutex
	got []string
}

func (w *warnings) add(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, s)
}

func (w *warnings) list() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.got...)
}

// run feeds snaps to Run, closes the channel and waits for Run to finish
// every delivery, then returns the status warnings.
func run(t *testing.T, cfg Config, snaps ...*monitor.Snapshot) []string {
	t.Helper()
	ch := make(chan *monitor.Snapshot, len(snaps))
	for _, s := range snaps {
		ch <- s
	}
	close(ch)
	var w warnings
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(context.Background(), ch, cfg, w.add)
	}()
	select {
	case <-done:
	case <-time.After(failsafe):
		t.Fatal("Run did not return")
	}
	return w.list()
}

// snap builds the snapshot an engine would publish with this timeline: the
// alerts named by the events carry their runbook.
func snap(events ...monitor.Event) *monitor.Snapshot {
	s := &monitor.Snapshot{Timeline: events}
	seen := map[string]bool{}
	for _, ev := range events {
		if ev.Kind != monitor.EventAlert || seen[ev.Subject] {
			continue
		}
		seen[ev.Subject] = true
		rule, key := ev.Rule, ev.Key
		s.Alerts = append(s.Alerts, monitor.AlertView{
			Status:  alert.Status{Rule: rule, Key: key, Severity: ev.Severity, State: alert.State(ev.State)},
			Runbook: "https://wiki.example.com/runbooks/" + rule,
		})
	}
	return s
}

func alertEvent(at time.Time, state alert.State, rule, key string, v float64) monitor.Event {
	return monitor.Event{At: at, Kind: monitor.EventAlert, Severity: alert.Critical, State: string(state),
		Subject: rule + " " + key, Text: "db.cpu > 80 (3 of 3)", Value: v,
		Rule: rule, Key: key, Op: alert.Above}
}

func firing(at time.Time, rule, key string, v float64) monitor.Event {
	return alertEvent(at, alert.Firing, rule, key, v)
}

func resolved(at time.Time, rule, key string, v float64) monitor.Event {
	return alertEvent(at, alert.Resolved, rule, key, v)
}
