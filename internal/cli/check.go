package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/stormwatch/stormwatch/check"
	"github.com/stormwatch/stormwatch/config"
)

const checkUsage = `Usage:
  stormwatch check [flags]                   the checklist: config, AWS credentials and each CloudWatch
                                             action, each MongoDB target, this terminal
  stormwatch check atlas-migration [flags]   Atlas Live Migrate prerequisites of the first MongoDB source

Each line is pass, fail or skip, with the fix under each failure. The exit code is 0 only when
nothing failed. With no config file it checks the built-in demo, which needs nothing external.

Flags:
  --config FILE        config file (default $XDG_CONFIG_HOME/stormwatch/config.yaml, then ./stormwatch.yaml)
  --json               one JSON document: {"ok": bool, "checks": [{"name", "status", "detail", "fix"}]}
  --region REGION      AWS region for the CloudWatch sources
  --profile NAME       AWS shared-config profile for the CloudWatch sources
  --timeout DURATION   per MongoDB command; three times this per AWS source (default 10s)
`

// checksFailed is a checklist with failures: the list itself says what and
// how to fix, so the one-line error only counts them.
type checksFailed int

func (n checksFailed) Error() string { return fmt.Sprintf("%d check(s) failed", int(n)) }

func checkCmd(args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("stormwatch check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		path, region, profile string
		asJSON                bool
		timeout               time.Duration
	)
	fs.StringVar(&path, "config", "", "config file")
	fs.BoolVar(&asJSON, "json", false, "JSON output")
	fs.StringVar(&region, "region", "", "AWS region")
	fs.StringVar(&profile, "profile", "", "AWS profile")
	fs.DurationVar(&timeout, "timeout", 10*time.Second, "per-command timeout")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, checkUsage)
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (flags go after the subcommand)", fs.Arg(0))}
	}
	if timeout <= 0 {
		return usageError{"--timeout must be positive, like 10s"}
	}
	run := check.Run
	switch sub {
	case "":
	case "atlas-migration":
		run = check.RunAtlas
	default:
		return usageError{fmt.Sprintf("unknown check %q: use stormwatch check, or stormwatch check atlas-migration", sub)}
	}

	o := check.Options{Region: region, Profile: profile, Timeout: timeout, Terminal: terminalInfo(stdout)}
	var err error
	o.Path, o.Tried, err = config.Locate(path)
	if err != nil && !errors.Is(err, config.ErrNotFound) {
		return err
	}
	if o.Path != "" {
		o.Config, o.ConfigErr = config.Load(o.Path)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	results := run(ctx, o)

	title := "stormwatch check: " + o.Path
	if o.Path == "" {
		title = "stormwatch check: no config file, so the built-in demo"
	}
	if sub != "" {
		title = strings.Replace(title, "check:", "check "+sub+":", 1)
	}
	if asJSON {
		err = check.WriteJSON(stdout, results)
	} else {
		err = check.WriteText(stdout, title, results)
	}
	if err != nil {
		return err
	}
	if n := check.Failed(results); n > 0 {
		return checksFailed(n)
	}
	return nil
}

// terminalInfo describes stdout when it is a terminal.
func terminalInfo(stdout io.Writer) check.Terminal {
	t := check.Terminal{NoColor: os.Getenv("NO_COLOR") != "",
		LCAll: os.Getenv("LC_ALL"), LCType: os.Getenv("LC_CTYPE"), Lang: os.Getenv("LANG")}
	f, ok := stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return t
	}
	t.IsTerminal = true
	t.Profile = colorprofile.Detect(f, os.Environ()).String()
	t.Width, t.Height, _ = term.GetSize(f.Fd())
	return t
}
