package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/text"
)

type replayFlags struct {
	from, to string
	demo     bool
}

func (a *app) replayCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "replay [FILE]",
		Short: "Replay a recording through today's rules (--demo: the demo's)",
		Long: `Plays a recording (stormwatch record, --record) through the dashboard and
today's alert rules, so "would this rule have fired earlier?" has an answer.
Recorded alert transitions are recomputed, recorded marks and notes are shown.
space pauses, . steps; the replay pauses at the end of the recording.
--from and --to take an RFC 3339 time (2026-11-27T09:08:00Z) or an offset
into the recording (2m). The alert rules and panels come from the config the
dashboard would read, else the built-in rules.`,
		Example: `  stormwatch replay incident.jsonl --speed 10 --from 2m --to 12m
  stormwatch replay --demo`,
		Args: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) > 1:
				return usageError{fmt.Sprintf("unexpected argument %q (one FILE only)", args[1])}
			case (len(args) == 0) == !a.rf.demo:
				return usageError{"replay: give a recording FILE, or --demo"}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			file := ""
			if len(args) == 1 {
				file = args[0]
			}
			return a.exec("replay", args, func() error { return replay(file, a.rf, a.o, a.stderr) })
		},
	}
	f := c.Flags()
	a.lookFlags(f)
	a.speedFlag(f)
	f.StringVar(&a.rf.from, "from", "", "start at `TIME`: RFC 3339 or an offset into the recording (2m)")
	f.StringVar(&a.rf.to, "to", "", "stop at `TIME`, the same way")
	f.BoolVar(&a.rf.demo, "demo", false, "replay the built-in demo recording")
	return c
}

// replay: stormwatch replay FILE [--speed N] [--from T] [--to T].
func replay(file string, rf replayFlags, o options, stderr io.Writer) error {
	from, to, isDemo := rf.from, rf.to, rf.demo
	rec, label, damage := loadRecording(file, isDemo)
	if rec == nil {
		return damage
	}
	fromT, err := when("--from", from, rec.Start())
	if err != nil {
		return err
	}
	toT, err := when("--to", to, rec.Start())
	if err != nil {
		return err
	}
	if !fromT.IsZero() && !fromT.Before(rec.End()) {
		return usageError{fmt.Sprintf("--from %s (%s) is not before the end of the recording (%s)", from, fromT.Format(time.RFC3339), rec.End().Format(time.RFC3339))}
	}
	if begin := laterOf(fromT, rec.Start()); !toT.IsZero() && !toT.After(begin) {
		return usageError{fmt.Sprintf("--to %s is not after the start of the replay (%s)", toT.Format(time.RFC3339), begin.Format(time.RFC3339))}
	}
	rules, cfg, err := replayRules(o)
	if err != nil {
		return err
	}
	start := rec.Start()
	if !fromT.IsZero() {
		start = fromT
	}
	log, closeLog, err := openLog(o)
	if err != nil {
		return err
	}
	defer closeLog()
	log.Info("replay started", "recording", label)
	clock := record.NewClock(start, o.speed)
	rp := record.NewReplay(rec, clock.Now, fromT, toT)
	clock.StopAt(rp.To())
	mc := replayConfig(rp, rules, cfg, isDemo)
	mc.Clock, mc.Label, mc.Log = clock, label, log
	e := monitor.New(mc)
	rp.Notes = e.Note
	rp.End = func() {
		clock.Pause()
		e.Note(text.Clean("end of the recording: the replay is paused"), text.Clean("replay"))
	}
	if damage != nil {
		e.Warn("replay", damage.Error())
	}
	err = runReplay(e, clock, cfg, o)
	if damage != nil {
		fmt.Fprintf(stderr, "stormwatch: %s (replayed up to %s)\n", damage, rec.End().Format(time.RFC3339))
	}
	return err
}

// replayConfig is the engine a replay runs: the recording as its only
// source, today's rules, and the verdict's windows the run was judged
// with: the demo's for --demo, else the config's verdict section (a
// recording does not keep them), so a replay names the cause the live
// dashboard named at the same moment. A recording carries no query
// shapes, and the verdict says so.
func replayConfig(rp *record.Replay, rules []alert.Rule, cfg *config.Config, isDemo bool) monitor.Config {
	mc := monitor.Config{
		Sources:  []monitor.SourceSpec{{Source: rp, Schedule: rp.Schedule()}},
		Rules:    rules,
		Verdict:  verdictConfig(cfg),
		Recorded: true,
	}
	if isDemo {
		mc.Verdict, mc.RequestsPolled = demo.Verdict, true
	}
	return mc
}

// loadRecording returns the recording, the dashboard label and the damage
// it has (or why it could not be read at all, when the recording is nil).
func loadRecording(file string, demo bool) (*record.Recording, string, error) {
	var rec *record.Recording
	var err error
	if demo {
		rec, err = record.Demo()
		file = "the demo recording"
	} else {
		rec, err = record.ReadFile(file)
	}
	if rec == nil {
		return nil, "", fmt.Errorf("replay %s: %w", file, err)
	}
	label := rec.Header.Label
	if !strings.HasPrefix(label, "DEMO") {
		label = fmt.Sprintf("REPLAY of %s, recorded %s", filepath.Base(file), rec.Start().Format("2006-01-02 15:04 MST"))
	}
	return rec, label, err
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// when reads --from/--to: an RFC 3339 time, or an offset from the start.
func when(flagName, s string, start time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return start.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("%s %q: use an RFC 3339 time (2026-11-27T09:08:00Z) or an offset into the recording (2m)", flagName, s)}
	}
	return t.UTC(), nil
}

// replayRules are the current config's rules, or the built-in rules when
// there is no config file (cfg is then nil).
func replayRules(o options) ([]alert.Rule, *config.Config, error) {
	path, _, err := config.Locate(o.config)
	if errors.Is(err, config.ErrNotFound) {
		return config.DefaultRules(), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, nil, err
	}
	return cfg.Rules(), cfg, nil
}

func runReplay(e *monitor.Engine, clock *record.Clock, cfg *config.Config, o options) error {
	// The replay's own engine takes acks and notes for this session only:
	// nothing is written back to the recording or the timeline store.
	uo := look(o, cfg)
	uo.Actions, uo.Bell, uo.Who, uo.Range, uo.Playback = e, o.bell, text.Clean(whoami()), o.rng, clock
	if cfg != nil {
		uo.Panels = panels(cfg)
		if uo.Bell == "" {
			uo.Bell = cfg.Alerts.Bell
		}
		if uo.Range == 0 {
			uo.Range = cfg.UI.Range
		}
	}
	// e exports what the replay shows, labelled REPLAY, apart from the
	// live incidents' exports.
	uo.Export = exportTo(filepath.Join(exportDir(cfg), "replay"))
	r := run{engine: e, cfg: cfg, opts: o}
	_, err := r.start(func(ctx context.Context) error { return runTUI(ctx, e, uo, colorMode(o, cfg)) })
	return err
}
