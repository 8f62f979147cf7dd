package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A config file that names no sources runs the demo (labelled, and said on
// exit) but is not ignored: its ui section and bell apply.
func TestAConfigWithNoSourcesRunsTheDemoWithItsOwnLook(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path := filepath.Join(t.TempDir(), "ui-only.yaml")
	if err := os.WriteFile(path, []byte("ui:\n  range: 15m\n  who: ana\n  palette: colorblind\nalerts:\n  bell: off\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := prepare(false, options{config: path, speed: 1, color: "auto"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.cleanup()
	if !s.demo || s.why != path+" configures no sources" {
		t.Errorf("demo %v, why %q", s.demo, s.why)
	}
	if s.rng != 15*time.Minute || s.who != "ana" || s.bell != "off" {
		t.Errorf("range %s, who %q, bell %q: the config's ui section was ignored", s.rng, s.who, s.bell)
	}
	if uo := look(options{color: "auto"}, s.lookCfg); uo.Palette != "colorblind" {
		t.Errorf("palette %q, want the config's colorblind", uo.Palette)
	}
	if s.cfg != nil {
		t.Error("the demo must not run the config's rules, panels or hooks")
	}
}
