package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/timeline"
)

// timelineCmd: stormwatch timeline export [--file F] [--out F] [--demo].
func timelineCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		return usageError{"usage: stormwatch timeline export [--file TIMELINE.jsonl] [--out FILE.md] [--demo]"}
	}
	fs := flag.NewFlagSet("timeline export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.String("file", "", "timeline file (default: the newest in the state directory)")
	out := fs.String("out", "", "write the Markdown here instead of standard output")
	demo := fs.Bool("demo", false, "export the demo's timeline")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{"timeline export: " + err.Error()}
	}
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
	events, err := timeline.Read(path)
	if err != nil && len(events) == 0 {
		return fmt.Errorf("timeline %s: %w", path, err)
	}
	// A damaged line is reported, and what could be read is still exported.
	var warn error
	if err != nil {
		warn = err
	}
	snap := &monitor.Snapshot{Timeline: events}
	md := timeline.Markdown(snap, timeline.Options{Title: "Incident timeline (" + filepath.Base(path) + ")", Now: time.Now().UTC()})
	if *out == "" {
		_, err = io.WriteString(stdout, md)
	} else {
		err = os.WriteFile(*out, []byte(md), 0o600)
		if err == nil {
			fmt.Fprintf(stdout, "wrote %s (%d events)\n", *out, len(events))
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
