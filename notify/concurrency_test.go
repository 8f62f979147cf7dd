package notify

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
)

// waitFor polls cond; the failsafe only stops a hung test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(failsafe)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func blockUntil(release <-chan struct{}) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, _ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
}

func TestASlowHookDoesNotHoldBackTheNextEventForOtherHooks(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, "/fast")
	rc.handle["/slow"] = blockUntil(release)
	ctx, cancel := context.WithCancel(context.Background())
	snaps := make(chan *monitor.Snapshot, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, snaps, Config{Hooks: []Hook{rc.hook("slow"), rc.hook("fast")}}, nil)
	}()
	e1 := firing(t0, "db-cpu", "db.cpu@a", 91)
	e2 := firing(t0.Add(time.Minute), "api-latency", "api.p99", 2.5)
	snaps <- snap(e1)
	waitFor(t, "the first event at the fast hook", func() bool { return rc.count("/fast") == 1 })
	snaps <- snap(e1, e2)
	waitFor(t, "the second event at the fast hook", func() bool { return rc.count("/fast") == 2 })
	// The slow hook's second alert does not queue behind its first either.
	waitFor(t, "both events in flight at the slow hook", func() bool { return rc.count("/slow") == 2 })
	close(release)
	cancel()
	<-done
}

func TestNoMoreHooksRunAtOnceThanTheConcurrencyBound(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	inFlight, peak := 0, 0
	rc := newReceiver(t)
	rc.handle["/page"] = func(n int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		blockUntil(release)(n, w, r)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}
	var events []monitor.Event
	for _, key := range []string{"a", "b", "c", "d", "e"} {
		events = append(events, firing(t0, "db-cpu", "db.cpu@"+key, 91))
	}
	go func() {
		// Release once the bound is reached (or, if it never is, after the
		// failsafe, and the assertion below reports it).
		deadline := time.Now().Add(failsafe)
		for rc.count("/page") < 2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		close(release)
	}()
	run(t, Config{Hooks: []Hook{rc.hook("page")}, Concurrency: 2}, snap(events...))
	if rc.count("/page") != 5 || peak != 2 {
		t.Errorf("%d deliveries with at most %d at once, want 5 with 2", rc.count("/page"), peak)
	}
}

func TestOneAlertsResolvedWaitsForItsFiringToBeDelivered(t *testing.T) {
	rc := newReceiver(t)
	rc.handle["/slack"] = func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			http.Error(w, "busy", http.StatusInternalServerError)
		}
	}
	run(t, Config{Hooks: []Hook{rc.hook("slack")}, Backoff: time.Millisecond},
		snap(firing(t0, "db-cpu", "db.cpu@a", 91), resolved(t0.Add(time.Minute), "db-cpu", "db.cpu@a", 40)))
	got := strings.Join(rc.states("/slack"), ", ")
	if got != "FIRING db-cpu, FIRING db-cpu, RESOLVED db-cpu" {
		t.Errorf("deliveries: %s", got)
	}
}

func TestStoppingWaitsForTheAttemptInFlightAndStartsNoRetry(t *testing.T) {
	rc := newReceiver(t)
	rc.handle["/slow"] = blockUntil(nil)
	var log safeBuffer
	ctx, cancel := context.WithCancel(context.Background())
	snaps := make(chan *monitor.Snapshot, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		h := rc.hook("slow")
		h.Timeout = 300 * time.Millisecond
		Run(ctx, snaps, Config{Hooks: []Hook{h}, Log: &log}, nil)
	}()
	snaps <- snap(firing(t0, "db-cpu", "db.cpu@a", 91))
	waitFor(t, "the request", func() bool { return rc.count("/slow") == 1 })
	cancel()
	<-done
	logged := log.String()
	if !strings.Contains(logged, "attempt 1 of 4 failed: timed out after 300ms") || !strings.Contains(logged, "gave up retrying at shutdown") {
		t.Errorf("log:\n%s", logged)
	}
}

func TestAMisconfiguredHookIsAWarningAndTheOthersStillRun(t *testing.T) {
	rc := newReceiver(t, "/ok")
	w := run(t, Config{Hooks: []Hook{{Name: "both", URL: "http://x", Command: []string{"true"}}, rc.hook("ok")},
		RuleHooks: map[string][]string{"db-cpu": {"ok", "typo"}}},
		snap(firing(t0, "db-cpu", "db.cpu@a", 91)))
	want := []string{"hook both: set exactly one of command or webhook", `rule db-cpu names hook "typo", which is not configured`}
	if strings.Join(w, "|") != strings.Join(want, "|") || rc.count("/ok") != 1 {
		t.Errorf("warnings %q, %d deliveries", w, rc.count("/ok"))
	}
}

func TestAPanickingStatusCallbackDoesNotStopRun(t *testing.T) {
	rc := newReceiver(t)
	rc.handle["/gone"] = func(_ int, w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusNotFound) }
	rc.handle["/ok"] = func(int, http.ResponseWriter, *http.Request) {}
	ch := make(chan *monitor.Snapshot, 1)
	ch <- snap(firing(t0, "db-cpu", "db.cpu@a", 91), firing(t0, "api-latency", "api.p99", 2.5))
	close(ch)
	var log safeBuffer
	Run(context.Background(), ch, Config{Hooks: []Hook{rc.hook("gone"), rc.hook("ok")}, Log: &log}, func(string) { panic("ui gone") })
	if rc.count("/ok") != 2 || !strings.Contains(log.String(), "status callback panicked: ui gone") {
		t.Errorf("%d deliveries; log:\n%s", rc.count("/ok"), log.String())
	}
}
