package serve_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// restored reports whether a terminal that saw out is back to normal: the
// last alternate-screen switch is the one out of it, and the last cursor
// change shows the cursor.
func restored(out string) (bool, string) {
	if strings.LastIndex(out, "\x1b[?1049h") > strings.LastIndex(out, "\x1b[?1049l") {
		return false, "still in the alternate screen"
	}
	if strings.LastIndex(out, "\x1b[?25l") > strings.LastIndex(out, "\x1b[?25h") {
		return false, "cursor still hidden"
	}
	return true, ""
}

func TestShutdownSaysGoodbyeAndRestoresEveryViewersTerminal(t *testing.T) {
	f := start(t, 4)
	viewers := []*viewer{
		f.open(t, f.viewer, 120, 40, false),
		f.open(t, f.operator, 80, 24, false),
	}
	for _, v := range viewers {
		eventually(t, "a dashboard on each viewer", func() bool { return strings.Contains(v.output(), "\x1b[?1049h") && v.n.Load() > 2000 })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.server.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	for i, v := range viewers {
		eventually(t, "the session to end", v.closed.Load)
		out := v.output()
		if !strings.Contains(out, "stormwatch serve is stopping") {
			t.Errorf("viewer %d was not told the server is stopping; last bytes %q", i, tail(out))
		}
		if ok, why := restored(out); !ok {
			t.Errorf("viewer %d: %s; last bytes %q", i, why, tail(out))
		}
		if err := v.sess.Wait(); err != nil {
			t.Errorf("viewer %d: session ended with %v, want exit status 0", i, err)
		}
	}
}

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}
