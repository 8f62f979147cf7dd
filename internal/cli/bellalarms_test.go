package cli

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
)

// alerts.bell_alarms was validated and documented but never reached the
// dashboard: every CloudWatch alarm rang whatever the file said.
func TestBellAlarmsReachTheDashboardAndItsReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stormwatch.yaml")
	write := func(s string) *config.Config {
		t.Helper()
		if err := os.WriteFile(path, []byte("sources:\n  mongo:\n    - uri_env: X\n"+s), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	tests := []struct {
		name, file string
		want       []string // nil: every alarm rings
	}{
		{"absent: every alarm rings", "", nil},
		{"empty: none rings", "alerts:\n  bell_alarms: []\n", []string{}},
		{"globs", "alerts:\n  bell_alarms: [prod-*, db-cpu]\n", []string{"prod-*", "db-cpu"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := write(tc.file)
			got := look(options{color: "auto"}, cfg).BellAlarms
			if (got == nil) != (tc.want == nil) || !slices.Equal(got, tc.want) {
				t.Errorf("dashboard BellAlarms = %#v, want %#v", got, tc.want)
			}
		})
	}
	cfg := write("")
	s := &setup{cfg: cfg, engine: monitor.New(monitor.Config{Rules: cfg.Rules()})}
	reload := s.reloader(options{})
	write("alerts:\n  bell_alarms: []\n")
	got, err := reload()
	if err != nil {
		t.Fatal(err)
	}
	if got.BellAlarms == nil || *got.BellAlarms == nil || len(*got.BellAlarms) != 0 {
		t.Errorf("reload BellAlarms = %v, want an empty list (no alarm rings)", got.BellAlarms)
	}
}
