package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/ui"
)

// DemoLabel is shown on every demo screen so nobody mistakes it for
// production data.
const DemoLabel = "DEMO: scripted replay of a peak-day incident (not real data)"

// setup is what a dashboard run needs, before the terminal is taken over.
type setup struct {
	engine  *monitor.Engine
	panels  []ui.Panel
	bell    string
	rng     time.Duration
	who     string
	cfg     *config.Config // nil for the demo
	demo    bool           // running the built-in demo
	why     string         // why the demo runs (no config found)
	cleanup func()
}

// prepare reads the config (or falls back to the demo) and builds the
// engine. Every startup failure is returned here, before the TUI starts.
func prepare(forceDemo bool, o options) (*setup, error) {
	var cfg *config.Config
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
			if !cfg.HasSources() {
				cfg, why = nil, path+" configures no sources"
			}
		}
	}
	s := &setup{who: whoami(), rng: o.rng, bell: o.bell, cleanup: func() {}}
	if cfg == nil {
		s.demo, s.why = true, why
		s.engine = demoEngine(o.speed, config.DefaultRules())
	} else {
		s.cfg = cfg
		var err error
		if s.engine, s.cleanup, err = productionEngine(cfg, o); err != nil {
			return nil, err
		}
		s.panels = panels(cfg)
		if s.bell == "" {
			s.bell = cfg.Alerts.Bell
		}
		if s.rng == 0 {
			s.rng = cfg.UI.Range
		}
		if cfg.UI.Who != "" {
			s.who = cfg.UI.Who
		}
	}
	return s, nil
}

func demoEngine(speed float64, rules []alert.Rule) *monitor.Engine {
	clock := monitor.NewScaledClock(time.Now().UTC(), speed)
	src := demo.New(clock.Now, uint64(time.Now().UnixNano()))
	return monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second, Timeout: 500 * time.Millisecond}}},
		Rules:   rules,
		Clock:   clock,
		Label:   DemoLabel,
	})
}

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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var logw io.Writer = io.Discard
	if s.cfg != nil && len(s.cfg.Alerts.Hooks) > 0 {
		f, err := hookLog()
		if err != nil {
			return fmt.Errorf("state directory %s: %w", StateDir(), err)
		}
		defer f.Close()
		logw = f
	}
	waitSubs, err := subscribers(ctx, s.engine, s.cfg, s.demo, logw)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.engine.Run(ctx)
	}()
	snaps, unsubscribe := s.engine.Subscribe()
	model := ui.New(ui.Options{
		Snapshots: snaps,
		Actions:   s.engine,
		Now:       s.engine.Clock().Now,
		Panels:    s.panels,
		Bell:      s.bell,
		Who:       s.who,
		Range:     s.rng,
	})
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if o.color == "never" {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err = tea.NewProgram(model, opts...).Run()
	unsubscribe()
	cancel()
	wg.Wait()
	waitSubs()
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal: %w", err)
	}
	if s.demo && s.why != "" {
		fmt.Fprintf(stderr, "stormwatch: %s; showed the built-in demo (see README: Configure)\n", s.why)
	}
	return nil
}
