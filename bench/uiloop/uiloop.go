// Package uiloop runs a ui.Model the way the Bubble Tea runtime does, but
// without a terminal: every command runs on its own goroutine, every message
// goes through Update, and every Update is followed by View. It measures how
// long each Update+View call takes, so chaos tests can assert that a fault
// in a source never blocks the dashboard, and benchmarks can drive the real
// model with real messages.
package uiloop

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/ui"
)

// Loop is a running model.
type Loop struct {
	msgs   chan tea.Msg
	cancel context.CancelFunc
	done   chan struct{}
	cmds   sync.WaitGroup

	mu       sync.Mutex
	screen   string
	frames   int
	snaps    int
	maxBlock time.Duration
	slowest  string // the message type of the slowest call
	over     int    // calls longer than BlockBound
	panicked any
}

// Start runs a model built from opts (whose Snapshots should be an engine
// subscription) at a w x h window until Stop.
func Start(opts ui.Options, w, h int) *Loop {
	ctx, cancel := context.WithCancel(context.Background())
	l := &Loop{msgs: make(chan tea.Msg, 64), cancel: cancel, done: make(chan struct{})}
	go l.run(ctx, ui.New(opts), w, h)
	return l
}

func (l *Loop) run(ctx context.Context, m tea.Model, w, h int) {
	defer close(l.done)
	defer func() {
		if r := recover(); r != nil {
			l.mu.Lock()
			l.panicked = r
			l.mu.Unlock()
		}
	}()
	m = l.step(ctx, m, tea.WindowSizeMsg{Width: w, Height: h})
	l.exec(ctx, m.Init())
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-l.msgs:
			m = l.step(ctx, m, msg)
		}
	}
}

// step is one Update+View, timed.
func (l *Loop) step(ctx context.Context, m tea.Model, msg tea.Msg) tea.Model {
	start := time.Now()
	next, cmd := m.Update(msg)
	v := next.View()
	d := time.Since(start)
	name := fmt.Sprintf("%T", msg)
	l.mu.Lock()
	l.screen = ansi.Strip(v.Content)
	l.frames++
	if strings.HasSuffix(name, "snapshotMsg") {
		l.snaps++
	}
	if d > l.maxBlock {
		l.maxBlock, l.slowest = d, name
	}
	if d > BlockBound {
		l.over++
	}
	l.mu.Unlock()
	l.exec(ctx, cmd)
	return next
}

// exec runs a command (and the commands of a batch) on goroutines that
// deliver their messages back to the loop.
func (l *Loop) exec(ctx context.Context, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	l.cmds.Add(1)
	go func() {
		defer l.cmds.Done()
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				l.exec(ctx, c)
			}
			return
		}
		if msg == nil {
			return
		}
		select {
		case l.msgs <- msg:
		case <-ctx.Done():
		}
	}()
}

// Stop ends the loop. Commands still blocked (a tick, a wait on a closed
// engine's subscription) are abandoned: they end on their own.
func (l *Loop) Stop() {
	l.cancel()
	<-l.done
}

// Screen is the last frame, without escape codes.
func (l *Loop) Screen() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.screen
}

// Stats reports the frames drawn, the snapshots received, the longest
// single Update+View and the message that took it, and a panic if the
// model panicked.
func (l *Loop) Stats() (frames, snaps int, maxBlock time.Duration, slowest string, panicked any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.frames, l.snaps, l.maxBlock, l.slowest, l.panicked
}

// WaitFor polls the screen until cond holds or timeout passes, and returns
// the last screen and whether cond held.
func (l *Loop) WaitFor(timeout time.Duration, cond func(screen string) bool) (string, bool) {
	deadline := time.Now().Add(timeout)
	for {
		s := l.Screen()
		if cond(s) {
			return s, true
		}
		if time.Now().After(deadline) {
			return s, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Feed drives a model synchronously with one snapshot: it sends snap on
// ch and runs the model's pending snapshot wait, for benchmarks that need
// no goroutines. first is the model's Init command the first time, after
// that the command the previous Update returned.
func Feed(m tea.Model, ch chan *monitor.Snapshot, snap *monitor.Snapshot, pending tea.Cmd) (tea.Model, tea.Cmd) {
	ch <- snap
	msg, ok := findSnapshot(pending)
	if !ok {
		panic("uiloop: the model is not waiting for a snapshot")
	}
	return m.Update(msg)
}

// findSnapshot runs the commands in cmd that answer at once and returns
// the first snapshot message. Commands that block (a tick) are left.
func findSnapshot(cmd tea.Cmd) (tea.Msg, bool) {
	if cmd == nil {
		return nil, false
	}
	out := make(chan tea.Msg, 1)
	go func() { out <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-out:
	case <-time.After(100 * time.Millisecond):
		return nil, false
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if m, ok := findSnapshot(c); ok {
				return m, true
			}
		}
		return nil, false
	}
	if strings.HasSuffix(fmt.Sprintf("%T", msg), "snapshotMsg") {
		return msg, true
	}
	return nil, false
}

// Dashboard runs the engine and a dashboard model subscribed to it at a
// w x h window, the way the binary wires them, and stops both (engine last,
// after its goroutines have returned) when the test ends.
func Dashboard(t interface{ Cleanup(func()) }, e *monitor.Engine, w, h int) *Loop {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	snaps, unsubscribe := e.Subscribe()
	view := Start(ui.Options{Snapshots: snaps, Now: e.Clock().Now, Theme: "dark"}, w, h)
	t.Cleanup(func() {
		view.Stop()
		unsubscribe()
		cancel()
		<-done
	})
	return view
}
