// Package cli is stormwatch's command line: it parses arguments, sorts
// every startup failure into a one-line message with a hint, and returns an
// exit code. Only main calls os.Exit.
package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/sources/demo"
)

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

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
	defer startProfile(stderr)()
	defer func() {
		if r := recover(); r != nil {
			code = crash(r, stderr)
		}
	}()
	a := &app{b: b, stdin: stdin, stdout: stdout, stderr: stderr}
	return a.main(args)
}

// main runs the command line and sorts its error into an exit code.
func (a *app) main(args []string) int {
	stderr := a.stderr
	root := a.newRoot()
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
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
		fmt.Fprintf(stderr, "stormwatch: %s\nUsage: %s\nRun '%s --help' for the flags and examples.\n",
			ue.msg, cmd.UseLine(), cmd.CommandPath())
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
	// readOnly turns off x and k (explain, stop) for the run.
	readOnly bool
	// logFile (--log) and logLevel (--log-level) set the structured log;
	// log is the opened logger of a run (nil before prepare opens it).
	logFile, logLevel string
	log               *slog.Logger
}

// validate refuses option values no command can use.
func validate(o options) error {
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
	if !(o.speed >= minSpeed && o.speed <= maxSpeed) { // also refuses NaN
		return usageError{fmt.Sprintf("--speed %g: use a number between %g and %g", o.speed, minSpeed, maxSpeed)}
	}
	if _, err := parseLevel(o.logLevel); err != nil {
		return err
	}
	if o.rng < 0 {
		return usageError{"--range must be positive, like 15m"}
	}
	if _, err := demo.ScenarioNamed(o.scenario); err != nil {
		return usageError{"--scenario: " + err.Error()}
	}
	return nil
}

// The demo and replay speeds --speed accepts.
const minSpeed, maxSpeed float64 = 0.1, 1000

func (a *app) configCmd() *cobra.Command {
	c := groupCmd(&cobra.Command{
		Use:     "config",
		Short:   "Work with config files: validate one",
		Example: "  stormwatch config validate stormwatch.yaml",
	})
	c.AddCommand(&cobra.Command{
		Use:   "validate FILE",
		Short: "Report every problem in a config file",
		Long: `Reads FILE as the dashboard would and prints every problem, each with its
line and key; prints "FILE: ok" and exits 0 when there is none.`,
		Example: "  stormwatch config validate ~/.config/stormwatch/config.yaml",
		Args:    fileArg("FILE"),
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("config validate", args, func() error { return configValidate(args[0], a.stdout) })
		},
	})
	return c
}

// configValidate: stormwatch config validate FILE.
func configValidate(path string, stdout io.Writer) error {
	_, err := config.Load(path)
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
	fmt.Fprintf(stdout, "%s: ok\n", path)
	return nil
}
