package serve

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/ui"
)

// limit refuses a session beyond MaxSessions with a message, before it
// subscribes to anything. Operators may also take the OperatorSlots kept
// beyond MaxSessions.
func (s *Server) limit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		most := s.cfg.MaxSessions
		if id, _ := s.lookup(sess.PublicKey(), sess.User()); id.operator {
			most += s.cfg.OperatorSlots
		}
		if n := s.active.Add(1); n > int64(most) {
			s.active.Add(-1)
			s.logf("serve: refused %s: %d sessions already", text.Clean(sess.User()), s.cfg.MaxSessions)
			wish.Printf(sess, "stormwatch: %d viewers are already watching, the most this server allows; try again later\r\n", s.cfg.MaxSessions)
			_ = sess.Exit(1)
			return
		}
		defer s.active.Add(-1)
		next(sess)
	}
}

// watch serves one session's dashboard: it names the viewer, puts the
// join and the leave on the timeline, gives the dashboard its own
// subscription, and ends the session after IdleTimeout without a key, or
// when the viewer closes their side.
func (s *Server) watch(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.wg.Add(1)
		defer s.wg.Done()
		id, ok := s.lookup(sess.PublicKey(), sess.User())
		if !ok { // the key was removed since the login
			wish.Println(sess, "stormwatch: this key is no longer authorized")
			_ = sess.Exit(1)
			return
		}
		role := "viewer"
		if id.operator {
			role = "operator"
		}
		s.logf("serve: %s joined as %s from %s", id.who, role, sess.RemoteAddr())
		s.cfg.Engine.Join(id.who.String())
		defer func() {
			s.cfg.Engine.Leave(id.who.String())
			s.logf("serve: %s left", id.who)
		}()

		// The connection's context outlives this session when a client
		// multiplexes sessions, so the session has its own.
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		in, unsubscribe := s.cfg.Engine.Subscribe()
		defer unsubscribe()
		var relayDone sync.WaitGroup
		relayDone.Add(1)
		snaps := relay(ctx, in, &relayDone)
		defer relayDone.Wait()
		defer cancel()

		idle := newIdleTimer(s.cfg.IdleTimeout, func() {
			s.logf("serve: %s idle for %s; closing the session", id.who, s.cfg.IdleTimeout)
			cancel()
			_ = sess.Close()
		})
		defer idle.stop()
		out := &meter{w: sess, who: id.who.String()}
		defer s.meters.add(out)()

		p := s.program(ctx, sess, id, snaps, idleReader{sess, idle, cancel}, out)
		s.runProgram(sess, p, id.who.String())
		next(sess)
	}
}

// relay hands the engine's snapshots to one dashboard through a channel
// this session owns, latest wins, and closes it when the session ends, so
// the dashboard's waiting command returns instead of leaking.
func relay(ctx context.Context, in <-chan *monitor.Snapshot, done *sync.WaitGroup) <-chan *monitor.Snapshot {
	out := make(chan *monitor.Snapshot, 1)
	go func() {
		defer done.Done()
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case snap := <-in:
				select {
				case <-out: // the dashboard has not taken the older one
				default:
				}
				out <- snap
			}
		}
	}()
	return out
}

// program builds one session's Bubble Tea program. It writes only to this
// session's SSH channel: a viewer who stops reading fills their own
// channel window and blocks their own renderer, never the engine (whose
// fan-out drops snapshots for a slow subscriber) or anyone else.
func (s *Server) program(ctx context.Context, sess ssh.Session, id identity, snaps <-chan *monitor.Snapshot, in io.Reader, out io.Writer) *tea.Program {
	uo := s.cfg.UI
	uo.Snapshots, uo.Now, uo.Who = snaps, s.cfg.Engine.Clock().Now, id.who
	uo.Actions, uo.Fixer, uo.Export = nil, nil, nil
	if id.operator {
		// Only operators may act on the database (x, k); a watcher's
		// dashboard does not even show those keys.
		uo.Actions, uo.Fixer = s.cfg.Engine, s.cfg.UI.Fixer
		uo.Export = onTheServer(s.cfg.UI.Export)
	}
	opts := append(bubbletea.MakeOptions(sess),
		tea.WithInput(in),
		tea.WithOutput(out),
		tea.WithContext(ctx),
		// The server's own signal handling stops every session at once.
		tea.WithoutSignalHandler(),
	)
	var p atomic.Pointer[tea.Program]
	pty, _, _ := sess.Pty()
	opts = append(opts, windowLimit(pty.Window.Width, pty.Window.Height, &p)...)
	p.Store(tea.NewProgram(ui.New(uo), append(opts, ui.ProgramOptions()...)...))
	return p.Load()
}

// idleTimer fires once after d without a touch. It is wall time on
// purpose: it is about people, not the engine's (possibly replayed) clock.
type idleTimer struct {
	mu   sync.Mutex
	t    *time.Timer
	last time.Time
}

func newIdleTimer(d time.Duration, fire func()) *idleTimer {
	it := &idleTimer{last: time.Now()}
	it.mu.Lock()
	defer it.mu.Unlock()
	it.t = time.AfterFunc(d, func() {
		it.mu.Lock()
		since := time.Since(it.last)
		if since < d {
			it.t.Reset(d - since)
			it.mu.Unlock()
			return
		}
		it.mu.Unlock()
		fire()
	})
	return it
}

func (it *idleTimer) touch() {
	if it == nil {
		return
	}
	it.mu.Lock()
	it.last = time.Now()
	it.mu.Unlock()
}

func (it *idleTimer) stop() {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.t.Stop()
}

// idleReader counts any input from the viewer as activity, and ends the
// session when the viewer closes their side.
type idleReader struct {
	r    io.Reader
	idle *idleTimer
	end  func()
}

func (r idleReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.idle.touch()
	}
	if err != nil {
		r.end()
	}
	return n, err
}

// onTheServer is an operator's e: the export is written on the server,
// and the path shown says so, since it is not on the viewer's machine.
func onTheServer(export func(*monitor.Snapshot) (string, error)) func(*monitor.Snapshot) (string, error) {
	if export == nil {
		return nil
	}
	return func(snap *monitor.Snapshot) (string, error) {
		path, err := export(snap)
		if err != nil {
			return "", err
		}
		return path + " on the server", nil
	}
}
