package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/demo"
)

// app is one invocation: the parsed flags of every command and where the
// output goes. Each command's RunE hands its work to exec.
type app struct {
	b      Build
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	o  options
	sf serveFlags
	rf replayFlags
	cf checkFlags
	tf timelineFlags

	// ran, when set (by tests), is told which command would run instead of
	// running it: the flags are parsed and validated either way.
	ran func(name string, args []string)
}

// exec validates the shared options and runs fn, or only reports it to
// a.ran in the flag placement test.
func (a *app) exec(name string, args []string, fn func() error) error {
	if err := validate(a.o); err != nil {
		return err
	}
	if a.ran != nil {
		a.ran(name, args)
		return nil
	}
	return fn()
}

const rootLong = `stormwatch: a terminal incident dashboard for an API on AWS with MongoDB behind it.

With no command it runs the dashboard on the config file it finds
(--config, else $XDG_CONFIG_HOME/stormwatch/config.yaml, else ./stormwatch.yaml);
with no config file it runs the clearly labelled demo and says so.`

// newRoot builds the command tree. Global flags (--config, --color, ...)
// are accepted before and after the command name.
func (a *app) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "stormwatch",
		Short: "A terminal incident dashboard for an API on AWS with MongoDB behind it",
		Long:  rootLong,
		Example: `  stormwatch                          the dashboard
  stormwatch --config prod.yaml --range 15m
  stormwatch demo --speed 10          the demo story ten times faster`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("dashboard", args, func() error { return dashboard(false, a.o, a.stderr) })
		},
		Version:       strings.TrimPrefix(a.b.String(), "stormwatch "),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("stormwatch {{.Version}}\n")
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(a.stdin)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.SuggestionsMinimumDistance = 2
	a.globalFlags(root.PersistentFlags())
	f := root.Flags()
	a.lookFlags(f)
	a.actionFlags(f)
	a.speedFlag(f)
	a.scenarioFlag(f)
	a.recordFlags(f, true)
	a.awsFlags(f)
	root.AddCommand(a.demoCmd(), a.recordCmd(), a.replayCmd(), a.serveCmd(), a.checkCmd(),
		a.configCmd(), a.timelineCmd(), a.versionCmd())
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	completeChoices(root)
	return root
}

// choices are the values of the flags that take one of a few words, for
// shell completion.
var choices = map[string][]string{
	"color":     {"auto", "always", "never"},
	"palette":   {"default", "colorblind"},
	"bell":      {"off", "critical", "all"},
	"scenario":  scenarioNames(),
	"log-level": {"debug", "info", "warn", "error"},
}

func completeChoices(c *cobra.Command) {
	for name, words := range choices {
		if c.LocalNonPersistentFlags().Lookup(name) != nil || c.PersistentFlags().Lookup(name) != nil {
			_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	for _, sub := range c.Commands() {
		completeChoices(sub)
	}
}

// globalFlags are understood by every command, before or after its name.
func (a *app) globalFlags(f *pflag.FlagSet) {
	f.StringVar(&a.o.config, "config", "", "config `FILE` (default $XDG_CONFIG_HOME/stormwatch/config.yaml, then ./stormwatch.yaml)")
	f.StringVar(&a.o.color, "color", "auto", "colour `MODE`: auto, always or never (NO_COLOR is respected)")
	f.StringVar(&a.o.palette, "palette", "", "palette `NAME`: default, or colorblind (blue/orange; never red against green)")
	f.BoolVar(&a.o.ascii, "ascii", false, "ASCII borders, graphs and glyphs, for terminals without Unicode")
	f.StringVar(&a.o.logFile, "log", "", "write the log to `FILE` (default stormwatch.log in the state directory; never the terminal)")
	f.StringVar(&a.o.logLevel, "log-level", "info", "log `LEVEL`: debug (every poll and request with its timing), info, warn or error")
}

// rangeValue is --range: a duration the graphs can draw. Unset it is 0
// (the config's ui.range, else 5m); typed, 0 or less is refused instead of
// silently meaning the default.
type rangeValue time.Duration

func (r *rangeValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if d <= 0 {
		return errors.New("use a positive range, like 15m")
	}
	if keeps := series.DefaultLayout.Keeps(); d > keeps {
		return fmt.Errorf("stormwatch keeps %s of history: use at most %s", human.Duration(keeps), human.Duration(keeps))
	}
	*r = rangeValue(d)
	return nil
}

func (r *rangeValue) String() string {
	if *r == 0 {
		return "" // no "(default 0s)" in the help
	}
	return time.Duration(*r).String()
}

func (r *rangeValue) Type() string { return "duration" }

// lookFlags are how a dashboard looks and sounds.
func (a *app) lookFlags(f *pflag.FlagSet) {
	f.BoolVar(&a.o.presenter, "presenter", false, "presenter mode: the two CPU graphs large, big digits, high contrast")
	f.Var((*rangeValue)(&a.o.rng), "range", "visible time `RANGE`, at most 24h (default 5m, or ui.range)")
	f.StringVar(&a.o.bell, "bell", "", "terminal bell `MODE`: off, critical or all (default alerts.bell)")
}

// actionFlags are for the commands that watch a live database (a replay
// has none to act on).
func (a *app) actionFlags(f *pflag.FlagSet) {
	f.BoolVar(&a.o.readOnly, "read-only", false, "no actions on the database for this run: x (explain) and k (stop) are off (also ui.read_only)")
}

func (a *app) speedFlag(f *pflag.FlagSet) {
	f.Float64Var(&a.o.speed, "speed", 1, "demo or replay speed `N`, 0.1 to 1000 (10 plays the 3-minute demo in 18 s)")
}

// scenarioFlag picks the demo's story (sources/demo owns the names).
func (a *app) scenarioFlag(f *pflag.FlagSet) {
	f.StringVar(&a.o.scenario, "scenario", "", "demo story `NAME`: "+strings.Join(scenarioNames(), " or ")+" (default "+scenarioNames()[0]+")")
}

func scenarioNames() []string {
	var out []string
	for _, sc := range demo.Scenarios {
		out = append(out, sc.Name)
	}
	return out
}

func (a *app) recordFlags(f *pflag.FlagSet, file bool) {
	if file {
		f.StringVar(&a.o.record, "record", "", "also record the run to `FILE` (JSON Lines; default record.file)")
	}
	f.StringVar(&a.o.recordMax, "record-max", "", "rotate the recording to FILE.1 past `SIZE` (default 100MB)")
}

func (a *app) awsFlags(f *pflag.FlagSet) {
	f.StringVar(&a.o.region, "region", "", "AWS `REGION` for the CloudWatch sources (overrides the config)")
	f.StringVar(&a.o.profile, "profile", "", "AWS shared-config profile `NAME` for the CloudWatch sources")
}

func (a *app) demoCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "demo",
		Short: "The built-in demo: a replay of a peak-day incident",
		Long: `The built-in demo: the real sources poll scripted servers on loopback that play
a three-minute peak-day incident. Every screen is labelled DEMO. It needs no
AWS, no MongoDB and no network.`,
		Example: `  stormwatch demo
  stormwatch demo --speed 10 --presenter
  stormwatch demo --scenario traffic     the same traffic push, no bad query`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("demo", args, func() error { return dashboard(true, a.o, a.stderr) })
		},
	}
	a.lookFlags(c.Flags())
	a.actionFlags(c.Flags())
	a.speedFlag(c.Flags())
	a.scenarioFlag(c.Flags())
	a.recordFlags(c.Flags(), true)
	return c
}

func (a *app) recordCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "record FILE",
		Short: "The dashboard, recording every sample and event to FILE",
		Long: `The dashboard, recording every sample and event to FILE (JSON Lines with a
version header, flushed every second). 'stormwatch replay FILE' plays it back.`,
		Example: `  stormwatch record incident.jsonl
  stormwatch record incident.jsonl --record-max 500MB --config prod.yaml`,
		Args: fileArg("FILE"),
		RunE: func(c *cobra.Command, args []string) error {
			a.o.record = args[0]
			return a.exec("record", args, func() error { return dashboard(false, a.o, a.stderr) })
		},
	}
	a.lookFlags(c.Flags())
	a.actionFlags(c.Flags())
	a.speedFlag(c.Flags())
	a.recordFlags(c.Flags(), false)
	a.awsFlags(c.Flags())
	return c
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and build date",
		Example: "  stormwatch version\n  stormwatch --version",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("version", args, func() error {
				_, err := fmt.Fprintln(a.stdout, a.b.String())
				return err
			})
		},
	}
}

// noArgs refuses positional arguments, naming the first one; a word where
// a command could be is an unknown command.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if c.HasSubCommands() {
		msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usageError{msg}
	}
	return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
}

// fileArg wants exactly one positional argument, named name in the error.
func fileArg(name string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return usageError{c.CommandPath() + ": missing " + name}
		case len(args) > 1:
			return usageError{fmt.Sprintf("unexpected argument %q (one %s only)", args[1], name)}
		}
		return nil
	}
}

// groupCmd is a command that only holds subcommands: alone it prints its
// help; with an unknown word it says so.
func groupCmd(c *cobra.Command) *cobra.Command {
	c.Args = noArgs
	c.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	return c
}
