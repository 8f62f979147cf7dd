// Package cli is stormwatch's command line: it parses arguments, sorts
// every startup failure into a one-line message with a hint, and returns an
// exit code. Only main calls os.Exit.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/sources/demo"
)

// Build describes the binary.
type Build struct {
	Version, Commit, Date string
}

func (b Build) String() string {
	v, c, d := b.Version, b.Commit, b.Date
	if v == "dev" || v == "" {
		if info, ok := debug.ReadBuildInfo(); ok {
			if info.Main.Version != "" && info.Main.Version != "(devel)" {
				v = info.Main.Version
			}
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					if c == "" {
						c = s.Value
					}
				case "vcs.time":
					if d == "" {
						d = s.Value
					}
				}
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	s := "stormwatch " + v
	if c != "" {
		s += " (" + c
		if d != "" {
			s += ", " + d
		}
		s += ")"
	}
	return s
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `stormwatch: a terminal incident dashboard for an API on AWS with MongoDB behind it

Usage:
  stormwatch [flags]                 the dashboard (the demo when no config file is found)
  stormwatch demo [--speed N]        the built-in demo: a replay of a peak-day incident
                                     --scenario traffic: the same traffic push, no bad query
  stormwatch config validate FILE    report every problem in a config file
  stormwatch check [--json]          check the config, AWS access, MongoDB access and this terminal
  stormwatch check atlas-migration   check the Atlas Live Migrate prerequisites of the MongoDB source
  stormwatch timeline export         the incident timeline as Markdown, for the postmortem
  stormwatch record FILE [flags]     the dashboard, recording every sample and event to FILE
  stormwatch replay FILE [flags]     replay a recording through today's rules (--demo: the demo's)
                                     --speed N, --from/--to TIME (RFC 3339 or an offset like 2m)
  stormwatch serve [flags]           share one dashboard over SSH (public keys only; see --help)
  stormwatch version                 print the version

Flags:
  --config FILE        config file (default $XDG_CONFIG_HOME/stormwatch/config.yaml, then ./stormwatch.yaml)
  --color MODE         auto, always or never (NO_COLOR is respected)
  --palette NAME       default, or colorblind (blue/orange; never red against green)
  --ascii              ASCII borders, graphs and glyphs, for terminals without Unicode
  --presenter          presenter mode: the two CPU graphs large, big digits, high contrast
  --range DURATION     visible time range (default 5m)
  --bell MODE          off, critical or all
  --speed N            demo speed (demo only; 10 plays the 3-minute story in 18 s)
  --scenario NAME      demo story: peak (default) or traffic
  --record FILE        also record the run to FILE (JSON Lines)
  --record-max SIZE    rotate the recording to FILE.1 past SIZE (default 100MB)
  --region REGION      AWS region for the CloudWatch sources
  --profile NAME       AWS shared-config profile for the CloudWatch sources
`

// MemoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT says
// otherwise. The live data of a day of 1 s polling is ~30 MB; without a
// limit the collector lets the heap grow to twice that before it runs. A
// monitor on a bastion host next to a struggling service should be small,
// and the collector's extra work near the limit is cheap at this size.
const MemoryLimit = 48 << 20

// Main runs stormwatch and returns the process exit code.
func Main(args []string, b Build, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
	defer func() {
		if r := recover(); r != nil {
			code = crash(r, stderr)
		}
	}()
	err := run(args, b, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	var ce *crashed
	if errors.As(err, &ce) {
		fmt.Fprintf(stderr, "stormwatch: %s\n", ce.Error())
		return 3
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "stormwatch: %s\nRun 'stormwatch --help' for usage.\n", ue.msg)
		return 2
	}
	fmt.Fprintf(stderr, "stormwatch: %s\n", oneLine(err.Error()))
	if h := hint(err); h != "" {
		fmt.Fprintf(stderr, "hint: %s\n", h)
	}
	return 1
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func hint(err error) string {
	var ce *config.Error
	if errors.As(err, &ce) && len(ce.Problems) > 1 {
		return "'stormwatch config validate " + ce.Path + "' lists every problem"
	}
	return ""
}

// options are the flags shared by the dashboard commands.
type options struct {
	config string
	color  string
	rng    time.Duration
	bell   string
	speed  float64
	// scenario is the demo's story (demo.ScenarioNamed).
	scenario string
	region   string
	profile  string
	// record is a file to record the run to; recordMax its rotation size.
	record, recordMax string

	palette   string
	ascii     bool
	presenter bool
}

func newFlags(name string, o *options, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.config, "config", "", "config file")
	fs.StringVar(&o.color, "color", "auto", "auto, always or never")
	fs.StringVar(&o.palette, "palette", "", "default or colorblind")
	fs.BoolVar(&o.ascii, "ascii", false, "ASCII only")
	fs.BoolVar(&o.presenter, "presenter", false, "presenter mode")
	fs.DurationVar(&o.rng, "range", 0, "visible time range")
	fs.StringVar(&o.bell, "bell", "", "off, critical or all")
	fs.Float64Var(&o.speed, "speed", 1, "demo speed")
	fs.StringVar(&o.scenario, "scenario", "", "demo story: peak or traffic")
	fs.StringVar(&o.record, "record", "", "record the run to this file")
	fs.StringVar(&o.recordMax, "record-max", "", "rotate the recording past this size")
	fs.StringVar(&o.region, "region", "", "AWS region (overrides the config)")
	fs.StringVar(&o.profile, "profile", "", "AWS shared-config profile (overrides the config)")
	return fs
}

func parse(fs *flag.FlagSet, args []string, o *options) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return usageError{fmt.Sprintf("--color %q: use auto, always or never", o.color)}
	}
	switch o.palette {
	case "", "default", "colorblind":
	default:
		return usageError{fmt.Sprintf("--palette %q: use default or colorblind", o.palette)}
	}
	switch o.bell {
	case "", "off", "critical", "all":
	default:
		return usageError{fmt.Sprintf("--bell %q: use off, critical or all", o.bell)}
	}
	if !(o.speed > 0 && o.speed <= 1000) { // also refuses NaN
		return usageError{fmt.Sprintf("--speed %g: use a number between 0.1 and 1000", o.speed)}
	}
	if o.rng < 0 {
		return usageError{"--range must be positive, like 15m"}
	}
	if _, err := demo.ScenarioNamed(o.scenario); err != nil {
		return usageError{"--scenario: " + err.Error()}
	}
	return nil
}

var errHelp = errors.New("help")

func run(args []string, b Build, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var o options
	switch cmd {
	case "", "demo":
		fs := newFlags("stormwatch", &o, stderr)
		if err := parse(fs, args, &o); err != nil {
			if errors.Is(err, errHelp) {
				fmt.Fprint(stdout, usage)
				return nil
			}
			return err
		}
		return dashboard(cmd == "demo", o, stderr)
	case "record":
		return recordCmd(args, stdout, stderr)
	case "replay":
		return replayCmd(args, stdout, stderr)
	case "serve":
		return serveCmd(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, b.String())
		return nil
	case "check":
		return checkCmd(args, stdout, stderr)
	case "config":
		return configCmd(args, stdout)
	case "timeline":
		return timelineCmd(args, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

func configCmd(args []string, stdout io.Writer) error {
	if len(args) != 2 || args[0] != "validate" {
		return usageError{"usage: stormwatch config validate FILE"}
	}
	_, err := config.Load(args[1])
	var ce *config.Error
	if errors.As(err, &ce) {
		for _, l := range ce.Lines() {
			fmt.Fprintln(stdout, l)
		}
		return fmt.Errorf("%s: %d problem(s)", ce.Path, len(ce.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok\n", args[1])
	return nil
}
