package cli

import (
	"strings"
	"testing"
	"time"
)

func TestReplayFromAndToTakeTimesOrOffsets(t *testing.T) {
	start := time.Date(2026, 11, 27, 9, 8, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"":                          {},
		"2m":                        start.Add(2 * time.Minute),
		"90s":                       start.Add(90 * time.Second),
		"2026-11-27T09:10:00Z":      start.Add(2 * time.Minute),
		"2026-11-27T10:10:00+01:00": start.Add(2 * time.Minute),
	} {
		got, err := when("--from", in, start)
		if err != nil || !got.Equal(want) {
			t.Errorf("when(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := when("--from", "yesterday", start); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Errorf("a bad --from: err = %v", err)
	}
}

func TestReplayNeedsAFileOrTheDemo(t *testing.T) {
	for _, args := range [][]string{{"replay"}, {"replay", "a.jsonl", "--demo"}} {
		if code, _, errOut := runCheck(t, args...); code != 2 || !strings.Contains(errOut, "a recording FILE, or --demo") {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
	code, _, errOut := runCheck(t, "replay", "--demo", "--to", "2026-01-01T00:00:00Z")
	if code != 2 || !strings.Contains(errOut, "not after the start") {
		t.Errorf("a --to before the recording: exit %d, stderr %q", code, errOut)
	}
}

// A --from past the end of the recording is a usage error naming the
// flag and the recording's end, not a replay of nothing that says
// "no data yet" (the demo recording is three minutes long).
func TestReplayFromPastTheEndIsAUsageError(t *testing.T) {
	for _, from := range []string{"99m", "2027-01-01T00:00:00Z"} {
		code, _, errOut := runCheck(t, "replay", "--demo", "--from", from)
		if code != 2 || !strings.Contains(errOut, "--from") || !strings.Contains(errOut, "end of the recording") {
			t.Errorf("--from %s: exit %d, stderr %q", from, code, errOut)
		}
	}
}

// --range 0s was taken as "not given" and the dashboard showed 5m; a range
// the user types must be one the graphs can draw.
func TestAZeroRangeIsAUsageError(t *testing.T) {
	for _, r := range []string{"0s", "0", "-5m"} {
		code, _, errOut := runCheck(t, "demo", "--range", r)
		if code != 2 || !strings.Contains(errOut, "--range") || !strings.Contains(errOut, "positive") || strings.Count(strings.TrimSpace(errOut), "\n") > 2 {
			t.Errorf("--range %s: exit %d, stderr %q", r, code, errOut)
		}
	}
	if _, out, _ := runCheck(t, "demo", "--help"); strings.Contains(out, "default 0s") || !strings.Contains(out, "--range RANGE") {
		t.Errorf("help: %q", out)
	}
}
