package serve

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
)

// Goodbye is what every viewer reads when the server stops, below their
// restored terminal.
const Goodbye = "stormwatch serve is stopping"

// shutdownGrace bounds how long Shutdown waits for the dashboards to quit
// on their own (restoring each viewer's terminal) before it closes the
// connections: a viewer who stopped reading cannot hold the server.
const shutdownGrace = 3 * time.Second

// hangupGrace bounds how long Shutdown then waits for the viewers' ssh
// clients to close their connections themselves.
const hangupGrace = 2 * time.Second

// runProgram runs one session's dashboard in place of wish's Bubble Tea
// middleware: window changes go to it, and when the server stops, the
// program quits — which leaves the alternate screen and shows the cursor
// on the viewer's terminal — and the viewer is told why. An ordinary end
// (q, an idle or closed session) is not an error and is not logged.
func (s *Server) runProgram(sess ssh.Session, p *tea.Program, who string) {
	_, windows, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "stormwatch: no terminal (connect with ssh -t)")
		return
	}
	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case w := <-windows:
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	untrack := s.track(p)
	_, err := p.Run()
	untrack()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, context.Canceled) {
		s.logf("serve: %s: dashboard: %v", who, err)
	}
	if s.isClosed() {
		wish.Print(sess, Goodbye+"\r\n")
		_ = sess.Exit(0)
	}
}

// track lets Shutdown quit p; a session that starts while the server is
// stopping quits at once.
func (s *Server) track(p *tea.Program) (untrack func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.programs == nil {
		s.programs = map[*tea.Program]struct{}{}
	}
	s.programs[p] = struct{}{}
	if s.closed {
		go p.Quit() // delivered once Run reads messages
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.programs, p)
	}
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// stopSessions closes the listeners and asks every dashboard to quit.
func (s *Server) stopSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, ln := range s.listeners {
		ln.Close()
	}
	for p := range s.programs {
		go p.Quit() // Quit waits for the program's event loop
	}
}

// waitSessions waits for every session handler to return, for at most d
// or until ctx ends; it reports whether they all did.
func (s *Server) waitSessions(ctx context.Context, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}
