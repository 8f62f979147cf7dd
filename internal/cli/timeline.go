package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/timeline"
)

type timelineFlags struct {
	file, out string
	demo      bool
}

func (a *app) timelineCmd() *cobra.Command {
	c := groupCmd(&cobra.Command{
		Use:     "timeline",
		Short:   "The incident timeline: export it for the postmortem",
		Example: "  stormwatch timeline export --out incident.md",
	})
	export := &cobra.Command{
		Use:   "export",
		Short: "The incident timeline as Markdown, for the postmortem",
		Long: `Writes the incident timeline as Markdown: the newest timeline file in the
state directory, or --file. A damaged line is reported, and what could be
read is still exported.`,
		Example: `  stormwatch timeline export > incident.md
  stormwatch timeline export --demo --out demo.md
  stormwatch timeline export --file ~/.local/state/stormwatch/timeline-20261127.jsonl`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("timeline export", args, func() error { return timelineExport(a.tf, a.stdout) })
		},
	}
	f := export.Flags()
	f.StringVar(&a.tf.file, "file", "", "timeline `FILE` (default: the newest in the state directory)")
	f.StringVar(&a.tf.out, "out", "", "write the Markdown to `FILE` instead of standard output")
	f.BoolVar(&a.tf.demo, "demo", false, "export the demo's timeline")
	c.AddCommand(export)
	return c
}

// timelineExport: stormwatch timeline export [--file F] [--out F] [--demo].
func timelineExport(tf timelineFlags, stdout io.Writer) error {
	file, out, demo := &tf.file, &tf.out, &tf.demo
	path := *file
	if path == "" {
		dir := StateDir()
		if *demo {
			dir = filepath.Join(dir, "demo")
		}
		var err error
		if path, err = newestTimeline(dir); err != nil {
			return err
		}
	}
	runs, err := timeline.ReadRuns(path)
	if err != nil && len(runs) == 0 {
		return fmt.Errorf("timeline %s: %w", path, err)
	}
	// A damaged line is reported, and what could be read is still exported.
	var warn error
	if err != nil {
		warn = err
	}
	// A day's file holds every run of that day, two at once when two
	// stormwatch share the state directory: export the newest, as e in
	// that run would have.
	title := "Incident timeline (" + filepath.Base(path) + ")"
	if len(runs) > 1 {
		title = fmt.Sprintf("Incident timeline (run %d of %d in %s)", len(runs), len(runs), filepath.Base(path))
	}
	snap := &monitor.Snapshot{}
	written := time.Now().UTC()
	now := written
	if len(runs) > 0 {
		snap.Timeline = runs[len(runs)-1]
		if first := snap.Timeline[0]; first.Kind == timeline.KindRun {
			snap.Label, snap.TimeNote = first.Text, first.Subject
		}
		if snap.TimeNote != "" {
			// A scaled or replayed clock: wall-clock now is no end for
			// an incident still open in scenario time.
			now = snap.Timeline[len(snap.Timeline)-1].At
		}
	}
	md := timeline.Markdown(snap, timeline.Options{Title: title, Now: now, Written: written})
	if *out == "" {
		_, err = io.WriteString(stdout, md)
	} else {
		err = os.WriteFile(*out, []byte(md), 0o600)
		if err == nil {
			fmt.Fprintf(stdout, "wrote %s (%d events)\n", *out, len(snap.Timeline))
		}
	}
	if err != nil {
		return fmt.Errorf("timeline export: %w", err)
	}
	if warn != nil {
		return fmt.Errorf("timeline %s: exported what could be read; %w", path, warn)
	}
	return nil
}

func newestTimeline(dir string) (string, error) {
	matches, _ := filepath.Glob(filepath.Join(dir, "timeline-*.jsonl"))
	if len(matches) == 0 {
		return "", errors.New("no timeline in " + dir + " yet (run the dashboard first, or pass --file)")
	}
	sort.Strings(matches)
	return matches[len(matches)-1], nil
}
