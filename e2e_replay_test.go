package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A replay is where a postmortem is written, yet e said "export: not
// available in this viewer". It now writes what the replay shows to the
// state directory's replay/ folder, labelled with what it is a replay of.
func TestTheReplayExportsItsTimeline(t *testing.T) {
	bin := buildBinary(t)
	state := t.TempDir()
	s := startTmux(t, 120, 40, "env XDG_STATE_HOME="+state+" "+bin+" replay --demo --speed 4")
	s.waitFor("db-cpu-high")
	s.keys("e")
	scr := s.waitFor("timeline written to")
	path := regexp.MustCompile(`timeline written to (\S+\.md)`).FindStringSubmatch(scr)
	if path == nil {
		t.Fatalf("no path in the footer:\n%s", scr)
	}
	if filepath.Dir(path[1]) != filepath.Join(state, "stormwatch", "replay") {
		t.Errorf("the export went to %s, want the state directory's replay/ folder", path[1])
	}
	md, err := os.ReadFile(path[1])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "> DEMO") || !strings.Contains(string(md), "db-cpu-high") {
		t.Errorf("the export does not say what it replays, or misses the alert:\n%s", md)
	}
}
