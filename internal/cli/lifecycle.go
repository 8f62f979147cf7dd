package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/internal/screen"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/ui"
)

// run is one run of an engine, the same for the dashboard, serve and
// replay: the signal context, the subscribers that must see every event
// (the timeline file and the hooks; the recorder), the engine, and a
// front — the terminal dashboard or the SSH server — that runs until it
// returns or ctx ends. Everything started here is waited for before run
// returns, so the timeline and the recording are flushed and closed.
type run struct {
	engine *monitor.Engine
	cfg    *config.Config // nil for the demo and a replay without a config
	demo   bool
	// subscribers: the timeline file and hooks (not for a replay, whose
	// story is not this incident). The hooks' output goes to hooks.log in
	// the state directory, for the dashboard and serve alike.
	subscribers bool
	// record: --record or record.file (the dashboard, serve).
	record bool
	opts   options
}

// start runs r with front and returns the recording's path ("" when
// nothing was recorded). A cancelled root (Ctrl-C, SIGTERM) is a normal
// end: front sees ctx end and returns nil.
func (r run) start(front func(ctx context.Context) error) (recorded string, err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	waitSubs := func() {}
	if r.subscribers {
		var log io.Writer = io.Discard
		if r.cfg != nil && len(r.cfg.Alerts.Hooks) > 0 {
			f, err := hookLog()
			if err != nil {
				return "", fmt.Errorf("state directory %s: %w", StateDir(), err)
			}
			defer f.Close() // after the hooks are waited for (deferred below)
			log = f
		}
		if waitSubs, err = subscribers(ctx, r.engine, r.cfg, r.demo, log); err != nil {
			return "", err
		}
	}
	// Whatever happens next, the subscribers stop and are waited for.
	defer waitSubs()
	defer cancel()
	waitRec := func() error { return nil }
	if r.record {
		if waitRec, recorded, err = startRecorder(ctx, r.engine, r.cfg, r.opts); err != nil {
			return "", err
		}
	}
	defer func() {
		if lost := waitRec(); lost != nil && err == nil {
			err = fmt.Errorf("%s: %w; what it holds up to then still replays", recorded, lost)
		}
	}()
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.engine.Run(ctx)
	}()
	err = front(ctx)
	cancel()
	wg.Wait()
	return recorded, err
}

// newProgram is the terminal dashboard's Bubble Tea program: every local
// dashboard (live, demo, record, replay) is built here.
func newProgram(ctx context.Context, uo ui.Options, color string) (*screen.Program, *crashBox, error) {
	bubbleTea, err := leaveToBubbleTea()
	if err != nil {
		return nil, nil, err
	}
	oneProcessor()
	model, box := guarded(ui.Paced(ui.New(uo)))
	o := screen.Options{Profile: colorProfile(color), BubbleTea: bubbleTea}
	return screen.NewProgram(model, o, append(ui.ProgramOptions(), tea.WithContext(ctx))...), box, nil
}

// oneProcessor runs the local dashboard's Go code on one processor unless
// GOMAXPROCS says otherwise. Its work is about a millisecond a second of
// decoding, ingest and drawing (15-25 ms at fleet scale: 51 members, 500
// series); with a second processor every network reply and timer wakes a
// second thread to share it. Beside btop, one run: the production path
// 0.65x btop's CPU on one processor, 0.85x on two (BENCHMARKS.md). serve
// keeps every processor: its SSH handshakes are real work.
func oneProcessor() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}

// RendererEnv says who draws the local dashboard: "stormwatch" (the
// default: internal/screen, a frame when the view changes) or "bubbletea"
// (Bubble Tea's own renderer at ui.FPS), for a terminal the first draws
// wrongly and for measuring one beside the other (bench/terminal.sh).
const RendererEnv = "STORMWATCH_RENDERER"

func leaveToBubbleTea() (bool, error) {
	switch v := os.Getenv(RendererEnv); v {
	case "", "stormwatch":
		return false, nil
	case "bubbletea":
		return true, nil
	default:
		return false, fmt.Errorf("%s=%q: use stormwatch (the default) or bubbletea", RendererEnv, text.Clean(v))
	}
}

// runTUI runs the dashboard in this terminal until the user quits or ctx
// ends. Snapshots and Now come from e; the rest of uo is the caller's.
func runTUI(ctx context.Context, e *monitor.Engine, uo ui.Options, color string) error {
	snaps, unsubscribe := e.Subscribe()
	defer unsubscribe()
	uo.Snapshots, uo.Now = snaps, e.Clock().Now
	p, box, err := newProgram(ctx, uo, color)
	if err != nil {
		return err
	}
	_, err = p.Run()
	return programError(err, box)
}
