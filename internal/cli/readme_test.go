package cli

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// TestReadmeCommandsMatchHelp keeps the README's command section equal to
// 'stormwatch --help'; -update rewrites the section.
func TestReadmeCommandsMatchHelp(t *testing.T) {
	const path = "../../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	code, help, _ := runCheck(t, "--help")
	if code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	const open = "(go test ./internal/cli -run TestReadmeCommandsMatchHelp -update rewrites it). -->\n```text\n"
	i := strings.Index(readme, open)
	if i < 0 {
		t.Fatalf("README.md has no command section (look for %q)", open)
	}
	start := i + len(open)
	end := strings.Index(readme[start:], "```\n")
	if end < 0 {
		t.Fatal("README.md: the command section's code block does not end")
	}
	got := readme[start : start+end]
	if got == help {
		return
	}
	if u := flag.Lookup("update"); u != nil && u.Value.String() == "true" {
		readme = readme[:start] + help + readme[start+end:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's command section differs from 'stormwatch --help'; run with -update.\nREADME:\n%s\n--help:\n%s", got, help)
}
