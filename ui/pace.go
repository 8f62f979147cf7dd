package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
)

// FPS caps how often Bubble Tea's renderer looks for a new frame. Its
// default, 60, wakes the process 60 times a second, and on a 2-core VM each
// wake-up costs about 0.1 ms of CPU (BENCHMARKS.md: "Terminal"). Since
// Bubble Tea v2.1.2 the renderer stops its ticker after FPS/2 frames with
// nothing to draw and starts it again on the next message, so the cost is
// FPS/2 wake-ups per message, and a key press that finds the renderer
// parked waits up to 1/FPS for its frame. 25 keeps that under 40 ms plus
// the frame's own time, inside 50 ms.
const FPS = 25

// ProgramOptions are the Bubble Tea options of every program that shows
// the dashboard (the local terminal, a replay, each SSH session).
func ProgramOptions() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithFPS(FPS)}
}

// Paced wraps the dashboard for a tea.Program so that, while nothing
// urgent happens, one message a second reaches the program: the clock
// tick, carrying the newest snapshot. Every message the program processes
// draws a frame and keeps Bubble Tea's renderer awake for another FPS/2
// frames, so two sources polling every second plus the clock (three
// messages at three moments) would keep it awake all the time. A snapshot
// that changes what an operator must see now (an alert's state, a source's
// health) still arrives at once, as do keys and resizes. Model itself keeps
// its own clock and subscription: tests, goldens and serve use it directly.
func Paced(m Model) tea.Model {
	pc := &pacer{in: m.opts.Snapshots}
	m.opts.Snapshots, m.pacedClock = nil, true
	return paced{m: m, pc: pc}
}

type paced struct {
	m  Model
	pc *pacer // shared by the copies Bubble Tea keeps; read by one command at a time
}

// pacedTickMsg is the pacer's clock tick with the newest snapshot that
// arrived since the last message, or nil.
type pacedTickMsg struct{ snap *monitor.Snapshot }

func (p paced) Init() tea.Cmd { return tea.Batch(p.m.Init(), p.pc.next) }

func (p paced) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case pacedTickMsg:
		if msg.snap != nil {
			cmds = append(cmds, p.step(snapshotMsg{msg.snap}))
		}
		cmds = append(cmds, p.step(tickMsg{}), p.pc.next)
	case snapshotMsg, snapshotsClosedMsg:
		cmds = append(cmds, p.step(msg), p.pc.next)
	default:
		cmds = append(cmds, p.step(msg))
	}
	return p, tea.Batch(cmds...)
}

// step updates the model in place.
func (p *paced) step(msg tea.Msg) tea.Cmd {
	next, cmd := p.m.Update(msg)
	p.m = next.(Model)
	return cmd
}

func (p paced) View() tea.View { return p.m.View() }

// pacer turns the engine subscription into the paced dashboard's messages.
// Its next is the only command reading it, and Bubble Tea runs it again
// only after the last message was taken, so its fields need no lock.
type pacer struct {
	in     <-chan *monitor.Snapshot // nil once closed
	tick   <-chan time.Time         // the clock; nil until first needed
	last   *monitor.Snapshot        // the newest snapshot handed to the model
	held   *monitor.Snapshot        // a newer one waiting for the tick
	closed bool                     // in closed; tell the model once
}

// next waits for the next message: an urgent snapshot at once, else the
// tick with whatever arrived since.
func (pc *pacer) next() tea.Msg {
	if pc.tick == nil {
		pc.tick = time.NewTicker(time.Second).C
	}
	for {
		if pc.closed && pc.held == nil {
			pc.closed = false
			return snapshotsClosedMsg{}
		}
		select {
		case s, ok := <-pc.in:
			if !ok {
				pc.in, pc.closed = nil, true
				if s := pc.held; s != nil { // the last one is drawn at once
					pc.last, pc.held = s, nil
					return snapshotMsg{s}
				}
				continue
			}
			if msg := pc.take(s); msg != nil {
				return msg
			}
		case <-pc.tick:
			s := pc.held
			if s != nil {
				pc.last, pc.held = s, nil
			}
			return pacedTickMsg{s}
		}
	}
}

// take holds s for the next tick, or returns it as a message if it must
// be drawn at once.
func (pc *pacer) take(s *monitor.Snapshot) tea.Msg {
	if s == nil {
		return nil
	}
	if !urgent(pc.last, s) {
		pc.held = s
		return nil
	}
	pc.last, pc.held = s, nil
	return snapshotMsg{s}
}

// urgent reports whether a new snapshot must be drawn at once rather than
// on the next tick: the first one, and any change of an alert's or a
// source's state, or of the list of alerts.
func urgent(prev, next *monitor.Snapshot) bool {
	if prev == nil || next == nil {
		return true
	}
	if len(prev.Alerts) != len(next.Alerts) || len(prev.Sources) != len(next.Sources) {
		return true
	}
	for i := range next.Alerts {
		a, b := prev.Alerts[i], next.Alerts[i]
		if a.ID() != b.ID() || a.State != b.State || a.AckedBy != b.AckedBy || !a.SilencedUntil.Equal(b.SilencedUntil) {
			return true
		}
	}
	for i := range next.Sources {
		if prev.Sources[i].State != next.Sources[i].State {
			return true
		}
	}
	return false
}
