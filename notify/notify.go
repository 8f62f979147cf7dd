// Package notify runs alert hooks (commands and webhooks) as an engine
// subscriber. It never runs on the UI goroutine and never blocks the engine:
// it reads the latest-wins subscription channel, and because the timeline is
// cumulative it still sees every event after skipping snapshots.
//
// Every event from the first snapshot received onward is delivered, including
// the events already in that snapshot: a dashboard started in the middle of an
// incident should page. The engine's timeline starts empty, so subscribe
// before starting the engine (or accept that a late subscriber replays the
// whole timeline once).
package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

// Defaults for the zero values of Hook and Config.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultRetries     = 3
	DefaultBackoff     = time.Second
	DefaultConcurrency = 4
	maxBackoff         = time.Minute
)

// The states a hook can be run on, as written in Hook.On.
const (
	OnFiring   = "firing"
	OnResolved = "resolved"
)

// Hook is one notification target: a command (argv, never a shell string) or
// a webhook URL.
type Hook struct {
	Name    string
	Command []string
	URL     string
	On      []string      // OnFiring, OnResolved; empty means both
	Timeout time.Duration // per attempt; zero means DefaultTimeout
}

// Validate reports the first thing that makes a hook unusable.
func (h Hook) Validate() error {
	switch {
	case h.Name == "":
		return errors.New("hook needs a name")
	case (len(h.Command) == 0) == (h.URL == ""):
		return fmt.Errorf("hook %s: set exactly one of command or webhook", h.Name)
	case len(h.Command) > 0 && h.Command[0] == "":
		return fmt.Errorf("hook %s: command has an empty program name", h.Name)
	}
	for _, on := range h.On {
		if s := strings.ToLower(on); s != OnFiring && s != OnResolved {
			return fmt.Errorf("hook %s: on %q: use firing or resolved", h.Name, on)
		}
	}
	return nil
}

func (h Hook) runsOn(state string) bool {
	if len(h.On) == 0 {
		return true
	}
	for _, on := range h.On {
		if strings.EqualFold(on, state) {
			return true
		}
	}
	return false
}

// Config says which hooks run for which rules and how hard to try.
type Config struct {
	Hooks []Hook
	// RuleHooks maps a rule name to the names of the hooks it runs. A rule
	// that is absent, or mapped to an empty list, runs every hook.
	RuleHooks map[string][]string
	// Log receives hook output and failures, redacted, one line each. Nil
	// discards them.
	Log io.Writer
	// Secret names environment variables a command hook must not inherit:
	// the one holding the MongoDB URI, the webhook URLs, the AWS keys. A
	// hook that prints its environment would otherwise put them in the log.
	Secret []string
	// Retries after the first attempt, with exponential backoff and jitter.
	// Zero means DefaultRetries; negative means no retries.
	Retries int
	// Backoff is the delay before the first retry; it doubles each time (up
	// to a minute) and is jittered by ±50%. Zero means DefaultBackoff.
	Backoff time.Duration
	// Concurrency bounds how many hook attempts run at once. Zero means
	// DefaultConcurrency.
	Concurrency int
	// Client posts webhooks. Nil means a plain client; each attempt is bounded
	// by the hook's Timeout either way.
	Client *http.Client
}

// Run delivers alert transitions from snaps to the configured hooks until ctx
// is done, then waits for the attempts in flight (each bounded by its hook's
// timeout) and returns. Queued deliveries that have not started by then are
// logged and dropped. If snaps is closed, Run finishes everything queued and
// returns.
//
// status is called with a one-line, redacted warning when a hook fails for
// good or is misconfigured; calls never overlap, but they come from Run's own
// goroutines, so status must not block for long (send to the UI, don't wait
// on it). A nil status only logs.
func Run(ctx context.Context, snaps <-chan *monitor.Snapshot, cfg Config, status func(warning string)) {
	n := newNotifier(ctx, cfg, status)
	defer n.wg.Wait()
	var handled monitor.Cursor
	runbooks := map[alert.ID]string{}
	for {
		var s *monitor.Snapshot
		var ok bool
		select {
		case <-ctx.Done():
			return
		case s, ok = <-snaps:
			if !ok {
				return
			}
		}
		if s == nil {
			continue
		}
		for _, a := range s.Alerts {
			runbooks[a.ID()] = a.Runbook
		}
		events := handled.Next(s)
		for _, ev := range events {
			n.dispatch(ev, runbooks)
		}
		handled.Advance(len(events))
	}
}

// Alert is one transition as hooks see it.
type Alert struct {
	Rule        string
	Series      string // the series key, "db.cpu@server-c:27017"
	State       string // FIRING or RESOLVED
	Severity    string
	Value       float64 // at the transition
	At          time.Time
	Description string // the rule as one line, "db.cpu > 80 (3 of 3)"
	Runbook     string
}

type job struct {
	hook  Hook
	alert Alert
}

type notifier struct {
	ctx     context.Context
	hooks   []Hook
	byName  map[string]Hook
	rules   map[string][]string
	retries int
	backoff time.Duration
	client  *http.Client
	secret  map[string]bool
	sem     chan struct{}
	log     *lineLog

	statusMu sync.Mutex
	status   func(string)

	mu     sync.Mutex
	queues map[string][]job // present while its drainer runs
	wg     sync.WaitGroup
}

func newNotifier(ctx context.Context, cfg Config, status func(string)) *notifier {
	n := &notifier{
		ctx:     ctx,
		byName:  map[string]Hook{},
		rules:   cfg.RuleHooks,
		retries: cfg.Retries,
		backoff: cfg.Backoff,
		client:  cfg.Client,
		secret:  map[string]bool{},
		log:     &lineLog{w: cfg.Log},
		status:  status,
		queues:  map[string][]job{},
	}
	for _, k := range cfg.Secret {
		n.secret[k] = true
	}
	switch {
	case n.retries == 0:
		n.retries = DefaultRetries
	case n.retries < 0:
		n.retries = 0
	}
	if n.backoff <= 0 {
		n.backoff = DefaultBackoff
	}
	if n.client == nil {
		n.client = &http.Client{}
	}
	c := cfg.Concurrency
	if c <= 0 {
		c = DefaultConcurrency
	}
	n.sem = make(chan struct{}, c)
	for _, h := range cfg.Hooks {
		if err := h.Validate(); err != nil {
			n.warn(err.Error())
			continue
		}
		if h.Timeout <= 0 {
			h.Timeout = DefaultTimeout
		}
		n.hooks = append(n.hooks, h)
		n.byName[h.Name] = h
	}
	for rule, names := range cfg.RuleHooks {
		for _, name := range names {
			if _, ok := n.byName[name]; !ok {
				n.warn(fmt.Sprintf("rule %s names hook %q, which is not configured", rule, name))
			}
		}
	}
	return n
}

// dispatch hands a firing or resolved event to its hooks. runbooks are the
// alerts' runbooks as the snapshots showed them (events do not carry one);
// an alert that left the snapshots before we saw it goes without.
func (n *notifier) dispatch(ev monitor.Event, runbooks map[alert.ID]string) {
	if ev.Kind != monitor.EventAlert || (ev.State != string(alert.Firing) && ev.State != string(alert.Resolved)) {
		return
	}
	a := Alert{
		Rule: ev.Rule, Series: ev.Key, State: ev.State, Severity: string(ev.Severity),
		Description: ev.Text, Runbook: runbooks[ev.AlertID()], Value: ev.Value, At: ev.At,
	}
	for _, h := range n.hooksFor(a.Rule) {
		if h.runsOn(a.State) {
			n.enqueue(job{hook: h, alert: a})
		}
	}
}

func (n *notifier) hooksFor(rule string) []Hook {
	names := n.rules[rule]
	if len(names) == 0 {
		return n.hooks
	}
	var hs []Hook
	for _, name := range names {
		if h, ok := n.byName[name]; ok {
			hs = append(hs, h)
		}
	}
	return hs
}

// enqueue keeps one queue per hook and alert, so one alert's FIRING and
// RESOLVED reach a hook in order while other alerts and hooks go on in
// parallel (up to the concurrency bound).
func (n *notifier) enqueue(j job) {
	key := j.hook.Name + "\x00" + j.alert.Rule + "\x00" + j.alert.Series
	n.mu.Lock()
	defer n.mu.Unlock()
	q, running := n.queues[key]
	n.queues[key] = append(q, j)
	if !running {
		n.wg.Add(1)
		go n.drain(key)
	}
}

func (n *notifier) drain(key string) {
	defer n.wg.Done()
	for {
		n.mu.Lock()
		q := n.queues[key]
		if len(q) == 0 {
			delete(n.queues, key)
			n.mu.Unlock()
			return
		}
		j := q[0]
		n.queues[key] = q[1:]
		n.mu.Unlock()
		n.deliver(j)
	}
}

func (n *notifier) warn(msg string) {
	msg = oneLine(msg, 240)
	n.log.printf("warning: %s", msg)
	if n.status == nil {
		return
	}
	n.statusMu.Lock()
	defer n.statusMu.Unlock()
	defer func() {
		// A broken status callback costs the warning, not the dashboard.
		if r := recover(); r != nil {
			n.log.printf("warning: status callback panicked: %v", r)
		}
	}()
	n.status(msg)
}

// lineLog serialises writes from concurrent hooks and redacts every line.
type lineLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineLog) printf(format string, args ...any) {
	if l.w == nil {
		return
	}
	line := sources.Redact(fmt.Sprintf(format, args...))
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, strings.TrimRight(line, "\n")+"\n")
}

// oneLine flattens s for a status bar: no newlines, at most max runes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(sources.Redact(s)), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}
