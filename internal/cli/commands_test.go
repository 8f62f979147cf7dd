package cli

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/spf13/cobra"
)

// allCommands is every command path under root, root first.
func allCommands(c *cobra.Command) [][]string {
	out := [][]string{nil}
	for _, sub := range c.Commands() {
		for _, p := range allCommands(sub) {
			out = append(out, append([]string{sub.Name()}, p...))
		}
	}
	return out
}

func TestHelpOfEveryCommand(t *testing.T) {
	a := &app{}
	for _, path := range allCommands(a.newRoot()) {
		name := strings.Join(append([]string{"stormwatch"}, path...), "_")
		t.Run(name, func(t *testing.T) {
			for _, flag := range []string{"--help", "-h"} {
				code, out, errOut := runCheck(t, append(path, flag)...)
				if code != 0 || errOut != "" {
					t.Fatalf("%v %s: exit %d, stderr %q", path, flag, code, errOut)
				}
				if !strings.Contains(out, "Usage:") || (!strings.Contains(out, "Examples:") && !isGenerated(path)) {
					t.Errorf("%v %s: no usage or no example:\n%s", path, flag, out)
				}
				if flag == "--help" {
					golden.RequireEqual(t, out)
				}
			}
		})
	}
}

// isGenerated: cobra's own help and completion commands carry no example.
func isGenerated(path []string) bool {
	return len(path) > 0 && (path[0] == "completion" || path[0] == "help")
}

// parsed runs Main with the commands replaced by a recorder: which command
// would run, with which options.
func parsed(t *testing.T, args ...string) (string, *app, int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut}
	ran := ""
	a.ran = func(name string, _ []string) { ran = name }
	code := a.main(args)
	return ran, a, code, errOut.String()
}

func TestFlagsBeforeAndAfterTheCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ran  string
		want func(a *app) bool
	}{
		{"config before check", []string{"--config", "good.yaml", "check"}, "check", func(a *app) bool { return a.o.config == "good.yaml" }},
		{"config after check", []string{"check", "--config", "good.yaml"}, "check", func(a *app) bool { return a.o.config == "good.yaml" }},
		{"config with = before check", []string{"--config=good.yaml", "check", "--json"}, "check", func(a *app) bool { return a.o.config == "good.yaml" && a.cf.json }},
		{"check flags before its subcommand", []string{"check", "--json", "atlas-migration"}, "check atlas-migration", func(a *app) bool { return a.cf.json }},
		{"check flags after its subcommand", []string{"check", "atlas-migration", "--timeout", "3s"}, "check atlas-migration", func(a *app) bool { return a.cf.timeout == 3*time.Second }},
		{"ascii before demo", []string{"--ascii", "demo"}, "demo", func(a *app) bool { return a.o.ascii }},
		{"ascii after demo", []string{"demo", "--ascii", "--speed", "10"}, "demo", func(a *app) bool { return a.o.ascii && a.o.speed == 10 }},
		{"dashboard flags before demo", []string{"--range", "15m", "--speed", "2", "demo"}, "demo", func(a *app) bool { return a.o.rng == 15*time.Minute && a.o.speed == 2 }},
		{"color before version", []string{"--color", "never", "version"}, "version", func(a *app) bool { return a.o.color == "never" }},
		{"color after version", []string{"version", "--color", "never"}, "version", func(a *app) bool { return a.o.color == "never" }},
		{"the dashboard with flags only", []string{"--presenter", "--bell", "all", "--config", "c.yaml"}, "dashboard", func(a *app) bool { return a.o.presenter && a.o.bell == "all" }},
		{"record file first", []string{"record", "x.jsonl", "--range", "2m"}, "record", func(a *app) bool { return a.o.record == "x.jsonl" && a.o.rng == 2*time.Minute }},
		{"record file last", []string{"record", "--range", "2m", "x.jsonl"}, "record", func(a *app) bool { return a.o.record == "x.jsonl" && a.o.rng == 2*time.Minute }},
		{"record flags before the command", []string{"--config", "c.yaml", "record", "x.jsonl"}, "record", func(a *app) bool { return a.o.record == "x.jsonl" && a.o.config == "c.yaml" }},
		{"replay file between flags", []string{"replay", "--speed", "10", "x.jsonl", "--from", "2m"}, "replay", func(a *app) bool { return a.o.speed == 10 && a.rf.from == "2m" }},
		{"replay demo", []string{"--palette", "colorblind", "replay", "--demo"}, "replay", func(a *app) bool { return a.rf.demo && a.o.palette == "colorblind" }},
		{"serve flags", []string{"--config", "c.yaml", "serve", "--listen", ":2222", "--ascii"}, "serve", func(a *app) bool { return a.sf.listen == ":2222" && a.o.ascii }},
		{"config validate with the global flag after", []string{"config", "validate", "c.yaml", "--color", "never"}, "config validate", func(a *app) bool { return a.o.color == "never" }},
		{"timeline export flags", []string{"--config", "c.yaml", "timeline", "export", "--demo", "--out", "t.md"}, "timeline export", func(a *app) bool { return a.tf.demo && a.tf.out == "t.md" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran, a, code, errOut := parsed(t, tt.args...)
			if code != 0 || ran != tt.ran || !tt.want(a) {
				t.Errorf("%q: ran %q (want %q), exit %d, stderr %q, options %+v", tt.args, ran, tt.ran, code, errOut, a.o)
			}
		})
	}
}

func TestCommandLineMistakesNameThemselvesAndTheUsage(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"record", "--bogus", "x"}, []string{"unknown flag: --bogus", "Usage: stormwatch record FILE [flags]", "stormwatch record --help"}},
		{[]string{"--nope"}, []string{"unknown flag: --nope", "Usage: stormwatch [flags]"}},
		{[]string{"timeline", "export", "--nope"}, []string{"unknown flag: --nope", "Usage: stormwatch timeline export [flags]"}},
		{[]string{"bogus"}, []string{`unknown command "bogus" for "stormwatch"`}},
		{[]string{"chek"}, []string{`unknown command "chek"`, "did you mean check?"}},
		{[]string{"config", "frobnicate"}, []string{`unknown command "frobnicate" for "stormwatch config"`, "Usage: stormwatch config"}},
		{[]string{"config", "validate"}, []string{"missing FILE", "Usage: stormwatch config validate FILE"}},
		{[]string{"record"}, []string{"missing FILE", "Usage: stormwatch record FILE [flags]"}},
		{[]string{"version", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"demo", "--speed", "5000"}, []string{"--speed 5000: use a number between 0.1 and 1000"}},
		{[]string{"demo", "--speed", "0.05"}, []string{"--speed 0.05"}},
		{[]string{"--color", "sometimes", "demo"}, []string{`--color "sometimes"`}},
		{[]string{"--range", "-5m"}, []string{"--range\" flag: use a positive range"}},
		{[]string{"--range", "soon"}, []string{`invalid argument "soon" for "--range"`}},
		{[]string{"--range", "400h"}, []string{"--range\" flag: stormwatch keeps 24h of history: use at most 24h"}},
	}
	for _, tt := range tests {
		ran, _, code, errOut := parsed(t, tt.args...)
		if code != 2 || ran != "" {
			t.Errorf("%q: exit %d, ran %q; want exit 2 and nothing run", tt.args, code, ran)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%q: stderr %q lacks %q", tt.args, errOut, w)
			}
		}
	}
}

func TestVersionSaysWhatItKnows(t *testing.T) {
	vcs := func(kv ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{GoVersion: "go1.26.8"}
		info.Main.Version = "(devel)"
		for i := 0; i < len(kv); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return info
	}
	installed := vcs()
	installed.Main.Version = "v1.2.3"
	tests := []struct {
		name string
		b    Build
		info *debug.BuildInfo
		want string
	}{
		{"a release build says what the ldflags set", Build{"1.0.0", "abc1234", "2026-11-27T10:00:00Z"}, vcs("vcs.revision", "ffff"), "stormwatch 1.0.0 (abc1234, 2026-11-27T10:00:00Z, go1.26.8)"},
		{"go build in a checkout reads the revision", Build{Version: "dev"}, vcs("vcs.revision", "0123abcd", "vcs.time", "2026-11-27T09:00:00Z", "vcs.modified", "false"), "stormwatch dev (0123abcd, 2026-11-27T09:00:00Z, go1.26.8)"},
		{"local changes are said", Build{Version: "dev"}, vcs("vcs.revision", "0123abcd", "vcs.time", "2026-11-27T09:00:00Z", "vcs.modified", "true"), "stormwatch dev (0123abcd with local changes, 2026-11-27T09:00:00Z, go1.26.8)"},
		{"go install reads the module version", Build{Version: "dev"}, installed, "stormwatch v1.2.3 (commit unknown, go1.26.8)"},
		{"no information says so", Build{Version: "dev"}, nil, "stormwatch dev (commit unknown)"},
	}
	for _, tt := range tests {
		if got := tt.b.describe(tt.info); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVersionFlagAndCommandAgree(t *testing.T) {
	code1, out1, _ := runCheck(t, "version")
	code2, out2, _ := runCheck(t, "--version")
	if code1 != 0 || code2 != 0 || out1 != out2 || !strings.HasPrefix(out1, "stormwatch test (") {
		t.Errorf("version: %d %q; --version: %d %q", code1, out1, code2, out2)
	}
}

func TestCompletionScriptsForEachShell(t *testing.T) {
	for shell, marker := range map[string]string{"bash": "complete -o default", "zsh": "#compdef stormwatch", "fish": "complete -c stormwatch"} {
		code, out, errOut := runCheck(t, "completion", shell)
		if code != 0 || errOut != "" || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, stderr %q, no %q in the script", shell, code, errOut, marker)
		}
	}
}
