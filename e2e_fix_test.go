package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var dbCPUHeader = regexp.MustCompile(`DB server CPU\s+([0-9.]+)%`)

// dbCPU is the DB CPU figure in the graph's title, or -1.
func dbCPU(scr string) float64 {
	m := dbCPUHeader.FindStringSubmatch(scr)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return -1
	}
	return v
}

// The demo with the real binary: the alert fires, x explains
// server-c's scan and proposes the index, k lists what would be stopped
// and a wrong name sends nothing, the right one stops it, DB CPU falls
// before the scripted pause would have done it, and the export records
// the action with who and when.
func TestFromAlertToFixInTheDemo(t *testing.T) {
	bin := buildBinary(t)
	state := t.TempDir()
	s := startTmux(t, 120, 40, "env STORMWATCH_USER=ana XDG_STATE_HOME="+state+" "+bin+" demo --speed 2")
	firing := s.waitUntil("db-cpu-high FIRING", func(scr string) bool {
		return strings.Contains(scr, "FIRING") && strings.Contains(scr, "db-cpu-high") && dbCPU(scr) > 80
	})
	before := dbCPU(firing) // the panel covers the graphs: read it now
	s.keys("x")
	scr := s.waitFor("{camera_id: 1, ts: -1}", "COLLSCAN", `createIndex({camera_id: 1, ts: -1})`)
	if !strings.Contains(scr, "3.7 M documents") {
		t.Errorf("the panel does not say what a build reads:\n%s", scr)
	}

	s.keys("k")
	s.waitFor("type server-c to stop", "would get killOp")
	s.keys("-l", "server")
	s.keys("Enter")
	s.waitFor("nothing was sent")
	s.keys("k")
	s.waitFor("type server-c to stop")
	s.keys("-l", "server-c")
	s.keys("Enter")
	s.waitFor("killOp sent for")
	s.keys("Escape")
	s.waitUntil("the panel closed", func(scr string) bool { return !strings.Contains(scr, "would get killOp") })
	scr = s.waitUntil("DB CPU falling after the stop", func(scr string) bool {
		v := dbCPU(scr)
		return v >= 0 && v < 60
	})
	if strings.Contains(scr, "paused server-c") {
		t.Fatalf("DB CPU fell only with the scripted pause, not with the stop:\n%s", scr)
	}
	t.Logf("DB CPU %.1f%% when the alert fired, %.1f%% after the stop", before, dbCPU(scr))

	s.keys("e")
	s.waitFor("timeline-")
	files, _ := filepath.Glob(filepath.Join(state, "stormwatch", "demo", "timeline-*.md"))
	if len(files) == 0 {
		t.Fatalf("no export under %s", state)
	}
	md, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var stop, explained string
	for _, line := range strings.Split(string(md), "\n") {
		if strings.Contains(line, "| action |") && strings.Contains(line, "killOp sent for") {
			stop = line
		}
		if strings.Contains(line, "| action |") && strings.Contains(line, "explained find") {
			explained = line
		}
	}
	if stop == "" || !strings.Contains(stop, "| ana |") || !regexp.MustCompile(`^\| \d\d:\d\d:\d\d`).MatchString(stop) {
		t.Errorf("the export lacks the stop with who and when:\n%s", md)
	}
	if explained == "" || !strings.Contains(explained, "{camera_id: 1, ts: -1}") {
		t.Errorf("the export lacks the explain and its proposal:\n%s", md)
	}
	s.keys("q")
	s.waitFor("EXITED:0")
}

// At 80x24 the panel still shows the plan, the proposal and the command.
func TestTheExplainPanelFitsEightyColumns(t *testing.T) {
	bin := buildBinary(t)
	s := startTmux(t, 80, 24, bin+" demo --speed 4")
	s.waitUntil("server-c's scan in slow ops", func(scr string) bool {
		return strings.Contains(scr, "COLLSCAN") && strings.Contains(scr, "server-c")
	})
	s.keys("x")
	s.waitFor("{camera_id: 1, ts: -1}", "COLLSCAN", "createIndex(")
	s.keys("Escape") // alone: Escape then q at once reads as alt+q
	s.waitUntil("the panel closed", func(scr string) bool { return !strings.Contains(scr, "createIndex(") })
	s.keys("q")
	s.waitFor("EXITED:0")
}
