package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type checkJSON struct {
	OK     bool `json:"ok"`
	Checks []struct {
		Name, Status, Detail, Fix string
	} `json:"checks"`
}

func runCheck(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	code := Main(args, Build{Version: "test"}, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheckWithNoConfigPassesOnTheDemo(t *testing.T) {
	if _, err := os.Stat("stormwatch.yaml"); err == nil {
		t.Skip("a stormwatch.yaml in the package directory would be used")
	}
	code, out, errOut := runCheck(t, "check", "--json")
	var got checkJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != 0 || !got.OK || errOut != "" {
		t.Errorf("exit %d, ok %v, stderr %q\n%s", code, got.OK, errOut, out)
	}
	if len(got.Checks) < 2 || got.Checks[0].Name != "config" || got.Checks[1].Name != "demo" {
		t.Errorf("checks %+v", got.Checks)
	}
}

func TestCheckExitsNonZeroOnAFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("ui:\n  colour: auto\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCheck(t, "check", "--config", path)
	if code != 1 || !strings.Contains(out, "FAIL  config") || !strings.Contains(out, "ui.colour") ||
		!strings.Contains(errOut, "1 check(s) failed") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestCheckUsageMistakes(t *testing.T) {
	for _, args := range [][]string{{"check", "bogus"}, {"check", "--nope"}, {"check", "--timeout", "0s"}} {
		if code, _, errOut := runCheck(t, args...); code != 2 || !strings.Contains(errOut, "stormwatch:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	if code, out, _ := runCheck(t, "check", "--help"); code != 0 || !strings.Contains(out, "atlas-migration") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
