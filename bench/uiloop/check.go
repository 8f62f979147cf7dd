package uiloop

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// Await fails the test unless the screen satisfies cond within 20 s (a
// bound for a broken run, not a speed assertion), and returns that screen.
func (l *Loop) Await(t testing.TB, what string, cond func(screen string) bool) string {
	t.Helper()
	scr, ok := l.WaitFor(20*time.Second, cond)
	if !ok {
		t.Fatalf("the dashboard never showed %s; last screen:\n%s", what, scr)
	}
	return scr
}

// StatusLine is the source health line of a screen: the line above the
// key help at the bottom.
func StatusLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[len(lines)-2]
}

// CheckTransitions fails the test if the timeline's events for rule are not
// a chain of changes (the same state twice in a row means a transition was
// lost between them), if the alert never fired, or if it ends firing.
func CheckTransitions(t testing.TB, snap *monitor.Snapshot, rule string) {
	t.Helper()
	last := map[string]string{} // by series key
	fired := false
	var chain []string
	for _, ev := range snap.Timeline {
		if ev.Kind != monitor.EventAlert || ev.Rule != rule {
			continue
		}
		chain = append(chain, ev.Key+" "+ev.State)
		if prev, ok := last[ev.Key]; ok && prev == ev.State {
			t.Errorf("%s: %s twice in a row: a transition was lost (%v)", ev.Key, ev.State, chain)
		}
		last[ev.Key] = ev.State
		fired = fired || ev.State == string(alert.Firing)
	}
	t.Logf("%s transitions: %v", rule, chain)
	if !fired {
		t.Errorf("%s never fired: %v", rule, chain)
	}
	for k, st := range last {
		if st == string(alert.Firing) || st == string(alert.Pending) {
			t.Errorf("%s still %s after recovery: %v", k, st, chain)
		}
	}
}

// CheckNoPanic fails the test if the model panicked. Scenarios whose
// frames are costly by design (fleet scale under -race) use it instead of
// CheckBlocking, whose bound is wall-clock time.
func (l *Loop) CheckNoPanic(t testing.TB) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.panicked != nil {
		t.Fatalf("the model panicked: %v", l.panicked)
	}
}

// CheckBlocking fails the test if an Update+View blocked: more than one
// call over BlockBound, or any call over ten times it. A dashboard that
// waited on a source would block on every frame of a fault; a single slow
// call is the scheduler or a GC pause on a loaded 2-core runner, which
// says nothing about blocking.
func (l *Loop) CheckBlocking(t testing.TB) {
	t.Helper()
	l.CheckNoPanic(t)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.over > 1 || l.maxBlock > 10*BlockBound {
		t.Errorf("%d Update+View calls over %s; the longest %s (%s)", l.over, BlockBound, l.maxBlock, l.slowest)
	}
}
