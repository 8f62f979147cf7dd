package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
)

func TestReloadAppliesRulesAndSaysWhatNeedsARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stormwatch.yaml")
	base := "sources:\n  mongo:\n    - uri_env: X\n"
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(base)
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &setup{cfg: cfg, engine: monitor.New(monitor.Config{Rules: cfg.Rules()})}
	reload := s.reloader(options{})

	tests := []struct {
		name, file, note, err string
	}{
		{"a rule change applies with no restart", base + "alerts:\n  rules:\n    - name: db-cpu-high\n      series: db.cpu\n      op: \">\"\n      threshold: 90\n", "", ""},
		{"a new hook needs a restart", base + "alerts:\n  hooks:\n    - name: page\n      command: [\"true\"]\n", "hook changes need a restart", ""},
		{"a new source needs a restart", base + "    - name: db2\n      uri_env: Y\n", "source changes need a restart", ""},
		{"a bad file keeps the old config", "ui:\n  colour: x\n", "", "unknown key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			write(tc.file)
			got, err := reload()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got.Note != tc.note {
				t.Fatalf("note %q, err %v; want %q", got.Note, err, tc.note)
			}
		})
	}
}
