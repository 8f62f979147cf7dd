package main

import (
	"strings"
	"testing"
	"time"
)

// graphArea is the part of the screen above the DB strip: the CPU graphs
// or the overlay.
func graphArea(scr string) string {
	area, _, _ := strings.Cut(scr, "ops/s")
	return area
}

// The story with the real binary: once db-cpu-high fires, the
// culprit is on the same screen within a few seconds, with no key press;
// a mark typed by the on-call lands under the graphs.
func TestCulpritOnScreenWhenTheDBAlertFiresAndAMarkLandsOnTheGraphs(t *testing.T) {
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin+" demo --speed 10")
	s.waitUntil("db-cpu-high FIRING", func(scr string) bool {
		for _, line := range strings.Split(scr, "\n") {
			if strings.Contains(line, "FIRING") && strings.Contains(line, "db-cpu-high") {
				return true
			}
		}
		return false
	})
	// A few seconds of wall time is tens of polls at --speed 10: the
	// deadline is generous, not a latency budget.
	deadline := time.Now().Add(5 * time.Second)
	var scr string
	for {
		scr = s.screen()
		if strings.Contains(scr, "server-c") && strings.Contains(scr, "COLLSCAN") && strings.Contains(scr, "cctv.events") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("db-cpu-high fired but the culprit is not on screen:\n%s", scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if strings.Contains(scr, "read while an alert") {
		t.Errorf("the local dashboard shows the culprit tables as gated:\n%s", scr)
	}

	s.keys("m")
	s.waitFor("mark: ")
	s.keys("-l", "rollback")
	s.keys("Enter")
	s.waitUntil("the mark under both CPU graphs", func(scr string) bool {
		return strings.Count(graphArea(scr), "rollback") == 2
	})
	s.keys("o")
	s.waitUntil("the mark on the overlay", func(scr string) bool {
		area := graphArea(scr)
		return strings.Contains(area, "Cause and effect") && strings.Count(area, "rollback") == 1
	})
	s.keys("q")
	s.waitFor("EXITED:0")
}
