package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
)

// receiver is a webhook endpoint per hook name (the URL path). It fails the
// test on a path it was not told to expect, and on one never called.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	bodies map[string][][]byte
	handle map[string]func(n int, w http.ResponseWriter, r *http.Request) // n counts from 1
}

func newReceiver(t *testing.T, paths ...string) *receiver {
	rc := &receiver{t: t, bodies: map[string][][]byte{}, handle: map[string]func(int, http.ResponseWriter, *http.Request){}}
	for _, p := range paths {
		rc.handle[p] = func(int, http.ResponseWriter, *http.Request) {}
	}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(func() {
		rc.srv.Close()
		for path := range rc.handle {
			if rc.count(path) == 0 {
				t.Errorf("webhook %s was never called", path)
			}
		}
	})
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	h, ok := rc.handle[r.URL.Path]
	rc.bodies[r.URL.Path] = append(rc.bodies[r.URL.Path], body)
	n := len(rc.bodies[r.URL.Path])
	rc.mu.Unlock()
	if !ok || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		rc.t.Errorf("unexpected %s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusTeapot)
		return
	}
	h(n, w, r)
}

func (rc *receiver) hook(name string, on ...string) Hook {
	return Hook{Name: name, URL: rc.srv.URL + "/" + name, On: on}
}

func (rc *receiver) count(path string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.bodies[path])
}

func (rc *receiver) states(path string) []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, b := range rc.bodies[path] {
		var p Payload
		if err := json.Unmarshal(b, &p); err != nil {
			rc.t.Errorf("%s: %v", path, err)
		}
		out = append(out, p.Stormwatch.State+" "+p.Stormwatch.Rule)
	}
	return out
}

func TestAWebhookReceivesASlackCompatibleBodyWithTheAlertFields(t *testing.T) {
	rc := newReceiver(t, "/slack")
	if w := run(t, Config{Hooks: []Hook{rc.hook("slack")}}, snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5))); len(w) != 0 {
		t.Fatalf("warnings: %q", w)
	}
	var got map[string]any
	if err := json.Unmarshal(rc.bodies["/slack"][0], &got); err != nil {
		t.Fatal(err)
	}
	if text, _ := got["text"].(string); text != "[FIRING] critical db-cpu on db.cpu@server-c = 93.5 (db.cpu &gt; 80 (3 of 3)) runbook: https://wiki.example.com/runbooks/db-cpu" {
		t.Errorf("text = %q", text)
	}
	if _, ok := got["blocks"].([]any); !ok {
		t.Errorf("blocks = %v", got["blocks"])
	}
	want := map[string]any{
		"rule": "db-cpu", "series": "db.cpu@server-c", "state": "FIRING", "severity": "critical", "value": 93.5,
		"at": "2026-11-27T08:00:00Z", "description": "db.cpu > 80 (3 of 3)", "runbook": "https://wiki.example.com/runbooks/db-cpu",
	}
	if !reflect.DeepEqual(got["stormwatch"], want) {
		t.Errorf("stormwatch = %v\nwant %v", got["stormwatch"], want)
	}
}

func TestAWebhookThatFailsTwiceIsRetriedUntilItSucceeds(t *testing.T) {
	rc := newReceiver(t)
	rc.handle["/flaky"] = func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			http.Error(w, "upstream busy", http.StatusServiceUnavailable)
		}
	}
	var log safeBuffer
	w := run(t, Config{Hooks: []Hook{rc.hook("flaky")}, Backoff: time.Millisecond, Log: &log}, snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(w) != 0 || rc.count("/flaky") != 3 {
		t.Fatalf("warnings %q after %d requests", w, rc.count("/flaky"))
	}
	if !strings.Contains(log.String(), "attempt 2 of 4 failed: webhook answered 503 Service Unavailable: upstream busy") {
		t.Errorf("log:\n%s", log.String())
	}
}

func TestAWebhookAnswering404IsNotRetriedAndItsURLIsNeverLogged(t *testing.T) {
	rc := newReceiver(t)
	rc.handle["/gone"] = func(_ int, w http.ResponseWriter, _ *http.Request) { http.Error(w, "no_service", http.StatusNotFound) }
	var log safeBuffer
	w := run(t, Config{Hooks: []Hook{rc.hook("gone")}, Backoff: time.Hour, Log: &log}, snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(w) != 1 || !strings.Contains(w[0], "after 1 attempt(s): webhook answered 404 Not Found: no_service") {
		t.Fatalf("warnings: %q", w)
	}
	if strings.Contains(log.String(), rc.srv.URL) {
		t.Errorf("log holds the webhook URL:\n%s", log.String())
	}
}

func TestAnUnreachableWebhookIsReportedWithoutItsURL(t *testing.T) {
	rc := newReceiver(t)
	url := rc.srv.URL + "/T000/B000/secret"
	rc.srv.Close()
	w := run(t, Config{Hooks: []Hook{{Name: "slack", URL: url}}, Retries: -1}, snap(firing(t0, "db-cpu", "db.cpu@server-c", 93.5)))
	if len(w) != 1 || strings.Contains(w[0], "secret") || !strings.Contains(w[0], "post webhook: post: ") {
		t.Fatalf("warnings: %q", w)
	}
}

func TestHooksRunOnlyForTheStatesAndRulesTheyAreConfiguredFor(t *testing.T) {
	events := []monitor.Event{
		alertEvent(t0, "PENDING", "db-cpu", "db.cpu@a", 85),
		firing(t0.Add(time.Minute), "db-cpu", "db.cpu@a", 91),
		{At: t0.Add(2 * time.Minute), Kind: monitor.EventAck, Subject: "db-cpu db.cpu@a", Who: "ana"},
		{At: t0.Add(2 * time.Minute), Kind: monitor.EventAlarm, State: "ALARM", Subject: "api-5xx"},
		firing(t0.Add(3*time.Minute), "api-latency", "api.p99", 2.5),
		resolved(t0.Add(4*time.Minute), "db-cpu", "db.cpu@a", 40),
	}
	tests := []struct {
		name  string
		rules map[string][]string
		want  map[string][]string
	}{
		{"every hook runs for a rule that is not mapped", nil, map[string][]string{
			"/all":  {"FIRING db-cpu", "FIRING api-latency", "RESOLVED db-cpu"},
			"/fire": {"FIRING db-cpu", "FIRING api-latency"},
		}},
		{"a mapped rule runs only its hooks", map[string][]string{"db-cpu": {"fire"}}, map[string][]string{
			"/all":  {"FIRING api-latency"},
			"/fire": {"FIRING db-cpu", "FIRING api-latency"},
		}},
		{"a rule mapped to no hooks runs them all", map[string][]string{"db-cpu": {}}, map[string][]string{
			"/all":  {"FIRING db-cpu", "FIRING api-latency", "RESOLVED db-cpu"},
			"/fire": {"FIRING db-cpu", "FIRING api-latency"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, "/all", "/fire")
			cfg := Config{Hooks: []Hook{rc.hook("all"), rc.hook("fire", "Firing")}, RuleHooks: tt.rules, Concurrency: 1}
			// Two snapshots, the second repeating the first's events: each
			// event is delivered once.
			run(t, cfg, snap(events[:2]...), snap(events...))
			for path, want := range tt.want {
				if got := rc.states(path); !sameSet(got, want) {
					t.Errorf("%s got %q, want %q", path, got, want)
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		count[s]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestRetryDelaysGrowWithJitterAndHonourRetryAfter(t *testing.T) {
	n := newNotifier(t.Context(), Config{Backoff: time.Second}, nil)
	busy := retryAfter{errors.New("429"), 30 * time.Second}
	tests := []struct {
		name     string
		retry    int
		last     error
		min, max time.Duration
	}{
		{"the first retry waits about the base backoff", 1, errors.New("500"), 500 * time.Millisecond, 1500 * time.Millisecond},
		{"the third retry waits about four times as long", 3, errors.New("500"), 2 * time.Second, 6 * time.Second},
		{"a late retry is capped at a minute and a half with jitter", 30, errors.New("500"), 30 * time.Second, 90 * time.Second},
		{"a receiver's Retry-After wins over a shorter backoff", 1, fmt.Errorf("post: %w", busy), 30 * time.Second, 30 * time.Second},
		{"Retry-After is capped at a minute", 1, retryAfter{errors.New("429"), time.Hour}, time.Minute, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				if d := n.delay(tt.retry, tt.last); d < tt.min || d > tt.max {
					t.Fatalf("delay %s, want within [%s, %s]", d, tt.min, tt.max)
				}
			}
		})
	}
}

func TestA429WithRetryAfterIsRetriedAfterTheTimeAsked(t *testing.T) {
	rc := newReceiver(t)
	rc.handle["/slack"] = func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "7")
		http.Error(w, "rate_limited", http.StatusTooManyRequests)
	}
	n := newNotifier(t.Context(), Config{}, nil)
	err := n.post(t.Context(), job{hook: Hook{Name: "slack", URL: rc.srv.URL + "/slack"}, alert: Alert{Rule: "db-cpu"}})
	var ra retryAfter
	if !errors.As(err, &ra) || ra.wait != 7*time.Second {
		t.Errorf("err = %v, want a retry after 7s", err)
	}
}
