package main

import (
	"strings"
	"testing"
	"time"
)

// waitUntil polls the screen until ok accepts it. Like waitFor, the
// deadline only bounds a broken run.
func (s *tmuxSession) waitUntil(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		if scr = s.screen(); ok(scr) {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %s; last screen:\n%s", what, scr)
	return ""
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

func bothGraphs(scr string) bool {
	return strings.Contains(scr, "API server CPU") && strings.Contains(scr, "DB server CPU")
}

func TestKeysInTmux(t *testing.T) {
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin+" demo --speed 10")
	s.waitFor("DEMO", "API server CPU", "DB server CPU", "● LIVE")

	s.keys("2")
	s.waitFor("15m  ● LIVE")

	s.keys("Space")
	s.waitFor("■ FROZEN", "view frozen")
	s.keys("Space")
	s.waitFor("15m  ● LIVE")

	s.keys("Tab")
	s.waitFor("▶ DB server CPU")
	s.keys("Enter")
	s.waitUntil("the DB CPU graph alone", func(scr string) bool {
		return strings.Contains(scr, "DB server CPU") && !strings.Contains(scr, "API server CPU") &&
			!strings.Contains(scr, "alerts  ")
	})
	s.keys("Escape")
	s.waitUntil("both graphs again", bothGraphs)

	s.keys("p")
	s.waitUntil("presenter mode", func(scr string) bool {
		return bothGraphs(scr) && strings.Contains(scr, "██") && !strings.Contains(scr, "ops/s")
	})
	s.keys("p")
	s.waitFor("ops/s", "alerts  ")

	s.keys("?")
	s.waitFor("closes this help", "shift+tab", "presenter mode")
	s.keys("Escape")
	s.waitUntil("the help closed", func(scr string) bool { return !strings.Contains(scr, "closes this help") })

	s.tmux("resize-window", "-t", s.name, "-x", "80", "-y", "24")
	scr := s.waitUntil("both graphs stacked at 80x24", func(scr string) bool {
		lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
		return bothGraphs(scr) && len(lines) <= 24 && !strings.Contains(scr, "too small") &&
			!strings.Contains(lines[0], "API server CPU") && strings.Contains(scr, "FIRING")
	})
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "API server CPU") && strings.Contains(line, "DB server CPU") {
			t.Errorf("graphs side by side at 80 columns:\n%s", scr)
		}
	}
	s.tmux("resize-window", "-t", s.name, "-x", "120", "-y", "40")
	s.waitUntil("the graphs side by side again", func(scr string) bool {
		for _, line := range strings.Split(scr, "\n") {
			if strings.Contains(line, "API server CPU") && strings.Contains(line, "DB server CPU") {
				return true
			}
		}
		return false
	})

	s.keys("q")
	s.waitFor("EXITED:0")
}
