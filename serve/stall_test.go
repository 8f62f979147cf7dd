package serve_test

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/serve"
)

func stats(s *serve.Server, who string) serve.SessionStats {
	for _, st := range s.Stats() {
		if st.Who == who {
			return st
		}
	}
	return serve.SessionStats{}
}

// A viewer who opens a session and a pty and never reads fills their own
// SSH channel window; their dashboard then waits on its write forever. The
// other viewer's frames and the poll loop must go on regardless.
func TestAStalledViewerDelaysNeitherTheOtherViewerNorThePolls(t *testing.T) {
	if raceDetector {
		t.Skip("under -race a 2 MB window takes minutes to fill; run: go test -run Stalled ./serve/")
	}
	f := start(t, 0)
	healthy := f.open(t, f.viewer, 120, 40, false)
	f.open(t, f.operator, 300, 100, true)
	// The client grants a channel a 2 MB window (x/crypto/ssh) and, never
	// reading, never grants more. Stalled: a write is waiting, past 1 MB,
	// and has not moved while the engine polled 50 times.
	var last serve.SessionStats
	var since int64
	eventuallyWithin(t, 3*time.Minute, "the stalled viewer's channel window to fill", func() bool {
		st, polls := stats(f.server, "olga"), f.src.polls.Load()
		if st.Written != last.Written || !st.Writing || st.Written < 1<<20 {
			last, since = st, polls
			return false
		}
		return polls-since >= 50
	})
	stalled := stats(f.server, "olga").Written
	polls, got := f.src.polls.Load(), healthy.n.Load()
	eventually(t, "200 more polls and 256 KB more frames for the healthy viewer", func() bool {
		return f.src.polls.Load() >= polls+200 && healthy.n.Load() >= got+256<<10
	})
	if st := stats(f.server, "olga"); st.Written != stalled || !st.Writing {
		t.Fatalf("the stalled viewer was not stalled after all: %+v, had %d", st, stalled)
	}
	t.Logf("while stalled at %d bytes: %d polls, %d bytes to the healthy viewer", stalled, f.src.polls.Load()-polls, healthy.n.Load()-got)
}
