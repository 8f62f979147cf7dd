// Package serve shares one engine over SSH: every session gets its own
// dashboard (its own size, colour profile, range and focus) subscribed to
// the same engine, so ten people on an incident call cost the pollers
// nothing more than one. Logins are by public key only; keys in the
// operators file may ack, silence, note and mark, every other key watches.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	gossh "golang.org/x/crypto/ssh"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/ui"
)

// Engine is what the server needs of *monitor.Engine.
type Engine interface {
	ui.Actions
	Subscribe() (<-chan *monitor.Snapshot, func())
	Join(who string)
	Leave(who string)
	Clock() monitor.Clock
}

// Defaults.
const (
	DefaultListen      = "127.0.0.1:2222"
	DefaultMaxSessions = 16
	DefaultIdleTimeout = 8 * time.Hour
)

// Config configures New.
type Config struct {
	Engine Engine
	// HostKey is the private host key file; it is generated on first start.
	HostKey string
	// AuthorizedKeys lists the keys that may watch; Operators (optional)
	// the keys that may also act. Both are authorized_keys files, and the
	// comment after a key is the name shown for it (else the SSH user).
	AuthorizedKeys, Operators string
	MaxSessions               int
	// IdleTimeout ends a session after this long without a key press.
	IdleTimeout time.Duration
	// HandshakeTimeout, MaxUnauthenticated(PerAddr) and OperatorSlots bound
	// what a peer costs before it logs in, and keep room for operators
	// (limits.go); zero means the default.
	HandshakeTimeout                              time.Duration
	MaxUnauthenticated, MaxUnauthenticatedPerAddr int
	OperatorSlots                                 int
	// UI is how every session's dashboard starts (panels, range, bell,
	// look); Snapshots, Actions, Now and Who are set per session.
	UI ui.Options
	// Log receives one line per login, refusal and logout; nil discards.
	Log io.Writer
}

// Server is the SSH dashboard server.
type Server struct {
	cfg    Config
	srv    *ssh.Server
	active atomic.Int64
	gate   gate
	wg     sync.WaitGroup // session handlers
	logMu  sync.Mutex

	meters    meters
	mu        sync.Mutex
	listeners []net.Listener
	closed    bool
	// programs are the running dashboards, for Shutdown to quit.
	programs map[*tea.Program]struct{}
}

// New checks the key files and builds the server; Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil {
		return nil, errors.New("serve: no engine")
	}
	cfg.MaxSessions = sources.OrDefault(cfg.MaxSessions, DefaultMaxSessions)
	cfg.IdleTimeout = sources.OrDefault(cfg.IdleTimeout, DefaultIdleTimeout)
	cfg.HandshakeTimeout = sources.OrDefault(cfg.HandshakeTimeout, DefaultHandshakeTimeout)
	cfg.MaxUnauthenticated = sources.OrDefault(cfg.MaxUnauthenticated, DefaultMaxUnauthenticated)
	cfg.MaxUnauthenticatedPerAddr = sources.OrDefault(cfg.MaxUnauthenticatedPerAddr, DefaultMaxUnauthenticatedPerAddr)
	cfg.OperatorSlots = sources.OrDefault(cfg.OperatorSlots, DefaultOperatorSlots)
	if _, err := readKeys(cfg.AuthorizedKeys); err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	if cfg.Operators != "" {
		if _, err := readKeys(cfg.Operators); err != nil {
			return nil, fmt.Errorf("operators: %w", err)
		}
	}
	hk, err := hostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, gate: gate{max: cfg.MaxUnauthenticated, maxAddr: cfg.MaxUnauthenticatedPerAddr, perAddr: map[string]int{}}}
	s.srv, err = wish.NewServer(
		wish.WithHostKeyPath(hk),
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			_, ok := s.lookup(key, ctx.User())
			if ok {
				loggedIn(ctx)
			}
			if !ok {
				s.logf("serve: refused key %s for %s from %s", gossh.FingerprintSHA256(key), text.Clean(ctx.User()), ctx.RemoteAddr())
			}
			return ok
		}),
		// The last middleware runs first.
		wish.WithMiddleware(
			s.watch,
			s.limit,
			activeterm.Middleware(),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.srv.HandshakeTimeout = cfg.HandshakeTimeout
	s.srv.ConnCallback = s.admit
	return s, nil
}

// Serve accepts sessions on ln until Shutdown, and returns nil then.
func (s *Server) Serve(ln net.Listener) error {
	// The ssh server forgets a Close that comes before its Serve, so the
	// listeners are closed here too.
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ln.Close()
	}
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()
	err := s.srv.Serve(ln)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return err
}

// Shutdown stops the server: no new sessions; every dashboard quits,
// restoring its viewer's terminal, and tells the viewer the server is
// stopping; then the connections close. It waits for the sessions to end,
// or for ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopSessions()
	s.waitSessions(ctx, shutdownGrace)
	// Every viewer's ssh has been told to exit: give it a moment to hang up
	// by itself. A connection closed under it makes ssh print "Broken
	// pipe" and exit 255 after a clean goodbye. Then close what is left.
	gctx, cancel := context.WithTimeout(ctx, hangupGrace)
	_ = s.srv.Shutdown(gctx)
	cancel()
	err := s.srv.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil // the listeners closed just above
	}
	if !s.waitSessions(ctx, time.Duration(1<<62)) {
		return ctx.Err()
	}
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Sessions is the number of sessions being served.
func (s *Server) Sessions() int { return int(s.active.Load()) }

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, format+"\n", args...)
}
