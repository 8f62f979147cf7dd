package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// --speed and --scenario play the demo (and --speed a replay); a config
// with sources is live and runs in real time, so either flag there is a
// mistake said in one line before anything connects, not silently dropped.
func TestDemoOnlyFlagsAreRefusedWithALiveConfig(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("STORMWATCH_TEST_URI", "mongodb://127.0.0.1:1/?connectTimeoutMS=100")
	path := filepath.Join(t.TempDir(), "prod.yaml")
	if err := os.WriteFile(path, []byte("sources:\n  mongo:\n    - uri_env: STORMWATCH_TEST_URI\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		o    options
		want []string
	}{
		{options{config: path, speed: 10, color: "auto"}, []string{"--speed 10", path, "real time", "stormwatch demo --speed 10"}},
		{options{config: path, speed: 1, scenario: "traffic", color: "auto"}, []string{"--scenario traffic", path, "stormwatch demo --scenario traffic"}},
	}
	for _, tt := range tests {
		s, err := prepare(false, tt.o)
		if err == nil {
			s.cleanup()
			t.Errorf("speed %g scenario %q: started the live sources; want a usage error", tt.o.speed, tt.o.scenario)
			continue
		}
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: not a usage error (%T)", err, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: want one line", err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q lacks %q", err, w)
			}
		}
	}
}
