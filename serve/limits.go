package serve

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"

	"github.com/stormwatch/stormwatch/ui"
)

// What a peer can make the server spend before and after it logs in. A
// flood of idle TCP connections once held 900 descriptors for minutes and
// locked a listed operator out; a viewer asking for a 3000x3000 terminal
// grew the server to 2 GB.
const (
	// DefaultHandshakeTimeout closes a connection that has not finished
	// the SSH handshake (key exchange and login) in this long.
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultMaxUnauthenticated bounds connections still in the handshake,
	// in total and from one address.
	DefaultMaxUnauthenticated        = 32
	DefaultMaxUnauthenticatedPerAddr = 4
	// DefaultOperatorSlots are sessions beyond MaxSessions that only keys
	// in the operators file may take, so a room full of viewers never
	// keeps the people who act out.
	DefaultOperatorSlots = 2
	// MaxWindowWidth and MaxWindowHeight clamp the terminal size a viewer
	// reports: the dashboard is drawn at most this large.
	MaxWindowWidth  = 500
	MaxWindowHeight = 200
	// refusalLogEvery bounds the refusal log to one line per interval.
	refusalLogEvery = 10 * time.Second
)

// gate counts connections that have not logged in yet.
type gate struct {
	mu      sync.Mutex
	total   int
	perAddr map[string]int
	max     int
	maxAddr int

	// refusals since the last refusal line
	refused   int
	lastLog   time.Time
	lastAddr  string
	lastCause string
}

// enter admits a new connection from host, or says why not.
func (g *gate) enter(host string) (ok bool, cause string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.total >= g.max:
		return false, fmt.Sprintf("%d connections already logging in", g.max)
	case g.perAddr[host] >= g.maxAddr:
		return false, fmt.Sprintf("%d connections from this address already logging in", g.maxAddr)
	}
	g.total++
	g.perAddr[host]++
	return true, ""
}

func (g *gate) leave(host string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total--
	if g.perAddr[host]--; g.perAddr[host] <= 0 {
		delete(g.perAddr, host)
	}
}

// refusal counts a refused connection and returns a log line at most once
// per refusalLogEvery, summing the ones in between.
func (g *gate) refusal(now time.Time, host, cause string) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refused++
	g.lastAddr, g.lastCause = host, cause
	if !g.lastLog.IsZero() && now.Sub(g.lastLog) < refusalLogEvery {
		return "", false
	}
	line := fmt.Sprintf("serve: refused %d connection(s) before login (last from %s: %s)", g.refused, g.lastAddr, g.lastCause)
	g.refused, g.lastLog = 0, now
	return line, true
}

// pending is one connection in the handshake; release (once) takes it out
// of the gate's count, at login or at close.
type pending struct {
	once    sync.Once
	release func()
}

type pendingKey struct{}

// admit is the server's ConnCallback: it refuses a connection over the
// gate's caps at once, and otherwise counts it until login or close.
func (s *Server) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	host := hostOf(conn.RemoteAddr())
	ok, cause := s.gate.enter(host)
	if !ok {
		if line, ok := s.gate.refusal(time.Now(), host, cause); ok {
			s.logf("%s", line)
		}
		return nil
	}
	p := &pending{}
	p.release = func() { p.once.Do(func() { s.gate.leave(host) }) }
	ctx.SetValue(pendingKey{}, p)
	return &gatedConn{Conn: conn, p: p}
}

// loggedIn takes an accepted login's connection out of the handshake
// count.
func loggedIn(ctx ssh.Context) {
	if p, ok := ctx.Value(pendingKey{}).(*pending); ok {
		p.release()
	}
}

type gatedConn struct {
	net.Conn
	p *pending
}

func (c *gatedConn) Close() error {
	c.p.release()
	return c.Conn.Close()
}

func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// clampWindow bounds a reported terminal size.
func clampWindow(w, h int) (int, int, bool) {
	cw, ch := min(w, MaxWindowWidth), min(h, MaxWindowHeight)
	return cw, ch, cw != w || ch != h
}

// windowLimit are program options that draw a session at most
// MaxWindowWidth x MaxWindowHeight, whatever size its client reports, and
// tell that viewer once per oversized report. p is the program, set once
// it is built. It also keeps wish's suspend filter (a filter replaces
// any earlier one).
func windowLimit(w, h int, p *atomic.Pointer[tea.Program]) []tea.ProgramOption {
	cw, ch, clamped := clampWindow(w, h)
	if clamped {
		// The first size never reaches the filter (it is the program's own),
		// so the viewer is told once the program reads messages.
		go func() {
			for p.Load() == nil {
				time.Sleep(10 * time.Millisecond)
			}
			p.Load().Send(ui.Notice(clampNote(w, h)))
		}()
	}
	return []tea.ProgramOption{
		tea.WithWindowSize(cw, ch),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch msg := msg.(type) {
			case tea.SuspendMsg:
				return tea.ResumeMsg{}
			case tea.WindowSizeMsg:
				cw, ch, clamped := clampWindow(msg.Width, msg.Height)
				if prog := p.Load(); clamped && prog != nil {
					go prog.Send(ui.Notice(clampNote(msg.Width, msg.Height)))
				}
				return tea.WindowSizeMsg{Width: cw, Height: ch}
			}
			return msg
		}),
	}
}

func clampNote(w, h int) string {
	return fmt.Sprintf("your terminal is %dx%d; this server draws at most %dx%d", w, h, MaxWindowWidth, MaxWindowHeight)
}
