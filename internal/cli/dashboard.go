package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charmbracelet/colorprofile"
	xterm "github.com/charmbracelet/x/term"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/internal/screen"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/timeline"
	"github.com/stormwatch/stormwatch/ui"
)

// DemoLabel is shown on every demo screen so nobody mistakes it for
// production data.
const DemoLabel = "DEMO: scripted replay of a peak-day incident (not real data)"

// setup is what a dashboard run needs, before the terminal is taken over.
type setup struct {
	engine *monitor.Engine
	panels []ui.Panel
	bell   string
	rng    time.Duration
	who    string
	cfg    *config.Config // nil for the demo
	// lookCfg is the config file read, also when it names no sources and
	// the demo runs: its ui section (range, colours, palette, clock, who)
	// and alerts.bell still apply. Its sources, rules, panels and hooks do
	// not: they would be about the wrong system.
	lookCfg *config.Config
	demo    bool   // running the built-in demo
	why     string // why the demo runs (no config found)
	cleanup func()
	// demand gates the MongoDB diagnostics ($currentOp): a local terminal
	// always wants them; a server with no viewer only while alerts are up.
	demand *monitor.Demand
	// fixer is x and k (explain, stop); nil under --read-only or
	// ui.read_only, or without a MongoDB source.
	fixer ui.Fixer
	// log is the structured log of the run (stormwatch.log, --log).
	log *slog.Logger
}

// demoOnly refuses the demo's flags when a config's live sources will run:
// they run in real time and have no story, so --speed or --scenario there
// would be dropped without a word.
func demoOnly(o options, path string) error {
	if o.speed != 1 {
		return usageError{fmt.Sprintf("--speed %g: %s watches live sources, which run in real time; --speed plays the demo or a replay (stormwatch demo --speed %g, stormwatch replay FILE --speed %g)", o.speed, path, o.speed, o.speed)}
	}
	if o.scenario != "" {
		return usageError{fmt.Sprintf("--scenario %s: %s watches live sources; --scenario picks the demo's story (stormwatch demo --scenario %s)", o.scenario, path, o.scenario)}
	}
	return nil
}

// prepare reads the config (or falls back to the demo) and builds the
// engine. Every startup failure is returned here, before the TUI starts.
func prepare(forceDemo bool, o options) (*setup, error) {
	var cfg, lookCfg *config.Config
	why := ""
	if !forceDemo {
		path, tried, err := config.Locate(o.config)
		switch {
		case errors.Is(err, config.ErrNotFound):
			why = "no config file found (looked in " + strings.Join(tried, ", ") + ")"
		case err != nil:
			return nil, err
		default:
			cfg, err = config.Load(path)
			if err != nil {
				return nil, err
			}
			lookCfg = cfg
			if !cfg.HasSources() {
				cfg, why = nil, path+" configures no sources"
			}
		}
	}
	if cfg != nil {
		if err := demoOnly(o, cfg.Path()); err != nil {
			return nil, err
		}
	}
	log, closeLog, err := openLog(o)
	if err != nil {
		return nil, err
	}
	o.log = log
	s := &setup{who: whoami(), rng: o.rng, bell: o.bell, cleanup: closeLog, demand: &monitor.Demand{}, lookCfg: lookCfg, log: log}
	if lookCfg != nil {
		log.Info("stormwatch started", "config", lookCfg.Path(), "sources", len(lookCfg.Sources.Mongo)+len(lookCfg.Sources.CloudWatch))
	} else {
		log.Info("stormwatch started", "demo", true)
	}
	// A terminal of this process shows the culprit tables; 'serve' turns
	// this off so that with no viewer they are polled only during alerts.
	s.demand.SetLocal(true)
	if cfg == nil {
		s.demo, s.why = true, why
		var err error
		var stop func()
		if s.engine, stop, err = demoEngine(o.speed, o.scenario, config.DefaultRules(), s.demand, log); err != nil {
			closeLog()
			return nil, err
		}
		s.cleanup = func() { stop(); log.Info("stormwatch stopped"); closeLog() }
	} else {
		s.cfg = cfg
		var err error
		var stop func()
		if s.engine, stop, err = productionEngine(cfg, o, s.demand); err != nil {
			closeLog()
			return nil, err
		}
		s.cleanup = func() { stop(); log.Info("stormwatch stopped"); closeLog() }
		s.panels = watchedPanels(cfg)
	}
	if c := lookCfg; c != nil {
		if s.bell == "" {
			s.bell = c.Alerts.Bell
		}
		if s.rng == 0 {
			s.rng = c.UI.Range
		}
		if c.UI.Who != "" {
			s.who = c.UI.Who
		}
	}
	if !o.readOnly && (cfg == nil || !cfg.UI.ReadOnly) {
		if f, closeFixer := newFixer(s.engine); f != nil {
			s.fixer = f
			cleanup := s.cleanup
			s.cleanup = func() { closeFixer(); cleanup() }
		}
	}
	return s, nil
}

// watchedPanels are the live dashboard's panels: the config's, else the
// default ones, each saying so when no configured source sends any of its
// series (a MongoDB-only config has no main.cpu: its graph would say "no
// data yet" for ever).
func watchedPanels(cfg *config.Config) []ui.Panel {
	ps := panels(cfg)
	if ps == nil {
		ps = ui.DefaultPanels()
	}
	for i, p := range ps {
		if len(p.Series) > 0 && !slices.ContainsFunc(p.Series, cfg.Produces) {
			ps[i].Missing = "no configured source sends " + p.Series[0]
		}
	}
	return ps
}

// panels are the config's panels as the ui draws them (nil: the defaults).
func panels(cfg *config.Config) []ui.Panel {
	var out []ui.Panel
	for _, p := range cfg.Panels {
		out = append(out, ui.Panel{Title: p.Title, Series: p.Series, Color: p.Color, Unit: p.Unit, Max: p.Max})
	}
	return out
}

func whoami() string {
	for _, k := range []string{"STORMWATCH_USER", "USER", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "on-call"
}

func dashboard(forceDemo bool, o options, stderr io.Writer) error {
	s, err := prepare(forceDemo, o)
	if err != nil {
		return err
	}
	defer s.cleanup()
	r := run{engine: s.engine, cfg: s.cfg, demo: s.demo, subscribers: true, record: true, opts: o}
	// --record, or the config's record.file: every sample and event to a
	// JSON Lines file that 'stormwatch replay' plays back.
	recorded, err := r.start(func(ctx context.Context) error { return s.terminal(ctx, o) })
	if err != nil {
		return err
	}
	if s.demo && s.why != "" {
		fmt.Fprintf(stderr, "stormwatch: %s; showed the built-in demo (see README: Configure)\n", s.why)
	}
	if recorded != "" {
		fmt.Fprintf(stderr, "stormwatch: recorded to %s (replay it with 'stormwatch replay %s')\n", recorded, recorded)
	}
	return nil
}

// terminal runs the dashboard in this terminal until the user quits or
// ctx ends.
func (s *setup) terminal(ctx context.Context, o options) error {
	snaps, unsubscribe := s.engine.Subscribe()
	defer unsubscribe()
	uo := look(o, s.lookCfg)
	uo.Snapshots, uo.Actions, uo.Now = snaps, s.engine, s.engine.Clock().Now
	uo.Panels, uo.Bell, uo.Who, uo.Range = s.panels, s.bell, text.Clean(s.who), s.rng
	uo.Reload = s.reloader(o)
	uo.Export = s.exporter()
	uo.Fixer = s.fixer
	p, box, err := newProgram(ctx, uo, colorMode(o, s.lookCfg))
	if err != nil {
		return err
	}
	stopHangup := reloadOnHangup(ctx, p)
	_, err = p.Run()
	stopHangup()
	return programError(err, box)
}

// reloadOnHangup: SIGHUP reloads the config, as r does — unless it is the
// hang-up it was named for: a closed terminal or a dropped SSH session.
// Then the terminal no longer answers, and stormwatch quits instead of
// polling production for nobody. The returned function stops it and waits.
func reloadOnHangup(ctx context.Context, p *screen.Program) func() {
	wasTerminal := map[*os.File]bool{os.Stdin: xterm.IsTerminal(os.Stdin.Fd()), os.Stdout: xterm.IsTerminal(os.Stdout.Fd())}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if terminalGone(wasTerminal) {
					p.Quit()
					return
				}
				p.Send(ui.RequestReload())
			}
		}
	}()
	return func() { cancel(); <-done }
}

// look is how the dashboard looks: the flags, else the config's ui
// section. Colour "never" also drops colour from the theme, so nothing is
// left for the renderer to downgrade.
func look(o options, cfg *config.Config) ui.Options {
	var u config.UI
	var bellAlarms []string // nil: every CloudWatch alarm rings
	if cfg != nil {
		u, bellAlarms = cfg.UI, cfg.Alerts.BellAlarms
	}
	palette := o.palette
	if palette == "" {
		palette = u.Palette
	}
	return ui.Options{
		NoColor:   colorMode(o, cfg) == "never",
		Palette:   palette,
		Theme:     u.Theme,
		ASCII:     o.ascii || u.ASCII,
		Presenter: o.presenter || u.Presenter,
		Clock:     u.Clock,
		// alerts.bell_alarms, like alerts.bell, applies to the demo too.
		BellAlarms: bellAlarms,
	}
}

// colorMode is --color, else the config's ui.color, else auto.
func colorMode(o options, cfg *config.Config) string {
	if o.color == "auto" && cfg != nil && cfg.UI.Color != "" {
		return cfg.UI.Color
	}
	return o.color
}

// colorProfile: "never" forces a profile without colour (bold and reverse
// stay); "always" forces at least 256 colours, even where NO_COLOR or a
// pipe would have turned them off. "auto" (nil) leaves it to detection,
// which honours NO_COLOR.
func colorProfile(mode string) *colorprofile.Profile {
	var p colorprofile.Profile
	switch mode {
	case "never":
		p = colorprofile.ASCII
	case "always":
		p = max(colorprofile.Detect(os.Stdout, nil), colorprofile.ANSI256)
	default:
		return nil
	}
	return &p
}

// reloader re-reads the config file for r and SIGHUP. What can change
// without losing history is applied: alert rules (statuses of rules that
// stay are kept), panels, bell, bell_alarms and range; a flag given on the command line
// still wins. Sources need a restart. A bad file changes nothing.
func (s *setup) reloader(o options) func() (ui.Settings, error) {
	if s.cfg == nil {
		return nil
	}
	var mu sync.Mutex
	cur := s.cfg
	return func() (ui.Settings, error) {
		mu.Lock()
		defer mu.Unlock()
		cfg, err := config.Load(cur.Path())
		if err != nil {
			return ui.Settings{}, err
		}
		s.engine.SetRules(cfg.Rules())
		out := ui.Settings{Panels: watchedPanels(cfg), BellAlarms: &cfg.Alerts.BellAlarms}
		if o.bell == "" {
			out.Bell = cfg.Alerts.Bell
		}
		if o.rng == 0 {
			out.Range = cfg.UI.Range
		}
		// Sources and hooks run as they were started: compare with the
		// running config, not the last reload.
		srcChanged := !reflect.DeepEqual(cfg.Sources, s.cfg.Sources)
		hooksChanged := !reflect.DeepEqual(cfg.Alerts.Hooks, s.cfg.Alerts.Hooks) || !reflect.DeepEqual(ruleHooks(cfg), ruleHooks(s.cfg))
		switch {
		case srcChanged && hooksChanged:
			out.Note = "source and hook changes need a restart"
		case srcChanged:
			out.Note = "source changes need a restart"
		case hooksChanged:
			out.Note = "hook changes need a restart"
		}
		cur = cfg
		return out, nil
	}
}

// ruleHooks is which hooks each rule names.
func ruleHooks(cfg *config.Config) map[string][]string {
	out := map[string][]string{}
	for _, r := range cfg.Alerts.Rules {
		if len(r.Hooks) > 0 {
			out[r.Name] = r.Hooks
		}
	}
	return out
}

// exporter writes the incident timeline of the snapshot on screen as
// Markdown next to the timeline file (the demo's apart from real ones).
func (s *setup) exporter() func(*monitor.Snapshot) (string, error) {
	dir := exportDir(s.cfg)
	if s.demo {
		dir = filepath.Join(dir, "demo")
	}
	return exportTo(dir)
}

// exportDir is where e writes: the config's timeline.dir, else the state
// directory.
func exportDir(cfg *config.Config) string {
	if cfg != nil && cfg.Timeline.Dir != "" {
		return cfg.Timeline.Dir
	}
	return StateDir()
}

// exportTo is e's exporter: the snapshot's timeline as a Markdown
// postmortem in dir, named by the snapshot's time.
func exportTo(dir string) func(*monitor.Snapshot) (string, error) {
	return func(snap *monitor.Snapshot) (string, error) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("export timeline: %w", err)
		}
		path := filepath.Join(dir, "timeline-"+snap.At.UTC().Format("20060102T150405Z")+".md")
		md := timeline.Markdown(snap, timeline.Options{Now: snap.At, Location: time.Local, Written: time.Now()})
		if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
			return "", fmt.Errorf("export timeline: %w", err)
		}
		return path, nil
	}
}

// terminalGone reports whether this process's terminal has hung up: after
// a hang-up, every ioctl on it fails. A stream that never was a terminal
// says nothing.
func terminalGone(wasTerminal map[*os.File]bool) bool {
	for f, was := range wasTerminal {
		if !was {
			continue
		}
		if !xterm.IsTerminal(f.Fd()) {
			return true
		}
		if _, _, err := xterm.GetSize(f.Fd()); err != nil {
			return true
		}
	}
	return false
}
