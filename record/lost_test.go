package record

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
)

// TestAFullDiskIsReportedWithWhatWasLost writes to /dev/full, where every
// write fails with ENOSPC, as a full disk does.
func TestAFullDiskIsReportedWithWhatWasLost(t *testing.T) {
	r, err := Create("/dev/full", 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	at := time.Date(2026, 12, 3, 10, 42, 13, 0, time.UTC)
	snaps := make(chan *monitor.Snapshot, 1)
	snaps <- &monitor.Snapshot{At: at}
	close(snaps)
	var warned []error
	err = Follow(context.Background(), snaps, r, func(err error) { warned = append(warned, err) })
	var lost *LostError
	if !errors.As(err, &lost) {
		t.Fatalf("Follow = %v, want a *LostError", err)
	}
	if got := err.Error(); got != "recording stopped at 10:42:13 UTC: no space left on device" {
		t.Errorf("the exit line would say %q", got)
	}
	if len(warned) != 1 || !strings.Contains(warned[0].Error(), "no space left") {
		t.Errorf("warned %v, want one warning while running", warned)
	}
}
