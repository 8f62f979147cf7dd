package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/stormwatch/stormwatch/check"
	"github.com/stormwatch/stormwatch/config"
)

type checkFlags struct {
	json    bool
	timeout time.Duration
}

// checksFailed is a checklist with failures: the list itself says what and
// how to fix, so the one-line error only counts them.
type checksFailed int

func (n checksFailed) Error() string { return fmt.Sprintf("%d check(s) failed", int(n)) }

const checkLong = `Checks the config, AWS credentials and each CloudWatch action, each MongoDB
target and this terminal, with one small real call each. Each line is pass, fail
or skip, with the fix under each failure. The exit code is 0 only when nothing
failed. With no config file it checks the built-in demo, which needs nothing
external.

--json prints one document: {"ok": bool, "checks": [{"name", "status", "detail", "fix"}]}.`

func (a *app) checkCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "check",
		Short: "Check the config, AWS access, MongoDB access and this terminal",
		Long:  checkLong,
		Example: `  stormwatch check
  stormwatch check --json --config prod.yaml
  stormwatch check atlas-migration`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("check", args, func() error { return checkRun(check.Run, "", a.cf, a.o, a.stdout) })
		},
	}
	f := c.PersistentFlags()
	f.BoolVar(&a.cf.json, "json", false, "one JSON document instead of the checklist")
	f.DurationVar(&a.cf.timeout, "timeout", 10*time.Second, "`D` per MongoDB command; three times this per AWS source")
	a.awsFlags(f)
	c.AddCommand(&cobra.Command{
		Use:   "atlas-migration",
		Short: "Check the Atlas Live Migrate prerequisites of the first MongoDB source",
		Long: `Checks the Atlas Live Migrate prerequisites of the first MongoDB source: a
replica set or sharded cluster, the server version, the user's roles, and the
drivers the connected applications report.`,
		Example: "  stormwatch check atlas-migration --config prod.yaml",
		Args:    noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("check atlas-migration", args, func() error {
				return checkRun(check.RunAtlas, "atlas-migration", a.cf, a.o, a.stdout)
			})
		},
	})
	return c
}

func checkRun(run func(context.Context, check.Options) []check.Result, sub string, cf checkFlags, opts options, stdout io.Writer) error {
	if cf.timeout <= 0 {
		return usageError{"--timeout must be positive, like 10s"}
	}
	region, profile, path, asJSON, timeout := opts.region, opts.profile, opts.config, cf.json, cf.timeout
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
		err = check.WriteText(stdout, title, results, o.Terminal.Width)
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
