package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/stormwatch/stormwatch/serve"
)

type serveFlags struct {
	listen, keys, operators, hostKey string
	maxSessions                      int
	idle                             time.Duration
}

func (a *app) serveCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "serve",
		Short: "Share one dashboard over SSH (public keys only)",
		Long: `Runs one set of sources and alert rules and shares the dashboard over SSH:
every session gets its own view (size, colours, range, focus) of the same
engine. Logins are by public key only. Keys in --operators may ack, silence,
note and mark, as the key's comment (else the SSH user); every other key in
--authorized-keys watches read-only. Joins and leaves go on the timeline.
Ctrl-C (or SIGTERM) says goodbye to every viewer and restores their terminals.`,
		Example: `  stormwatch serve --listen 0.0.0.0:2222 --operators ops_keys
  ssh -p 2222 bastion                 each engineer, in their own terminal`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return a.exec("serve", args, func() error { return serveRun(a.o, a.sf, a.stderr) })
		},
	}
	f := c.Flags()
	f.StringVar(&a.sf.listen, "listen", "", "where to listen, `ADDR` (default 127.0.0.1:2222; serve.listen)")
	f.StringVar(&a.sf.keys, "authorized-keys", "", "keys that may watch, `FILE` (default ~/.ssh/authorized_keys; serve.authorized_keys)")
	f.StringVar(&a.sf.operators, "operators", "", "keys that may also act, `FILE` (serve.operators)")
	f.StringVar(&a.sf.hostKey, "host-key", "", "the server's key `FILE`, generated on first start (default: in the state directory)")
	f.IntVar(&a.sf.maxSessions, "max-sessions", 0, "refuse sessions beyond `N` with a message (default 16)")
	f.DurationVar(&a.sf.idle, "idle-timeout", 0, "end a session after `D` without a key press (default 8h)")
	a.lookFlags(f)
	a.actionFlags(f)
	a.speedFlag(f)
	a.recordFlags(f, true)
	a.awsFlags(f)
	return c
}

// serveRun: stormwatch serve.
func serveRun(o options, sf serveFlags, stderr io.Writer) error {
	if sf.maxSessions < 0 || sf.idle < 0 {
		return usageError{"--max-sessions and --idle-timeout must be positive"}
	}
	s, err := prepare(false, o)
	if err != nil {
		return err
	}
	defer s.cleanup()
	// No terminal of its own: the MongoDB diagnostics run while an SSH
	// viewer watches or an alert is up, not for an empty room.
	s.demand.SetLocal(false)
	sf = serveDefaults(sf, s)

	uo := look(o, s.lookCfg)
	uo.Panels, uo.Bell, uo.Range = s.panels, s.bell, s.rng
	uo.Fixer = s.fixer
	uo.Export = s.exporter() // operators only; serve decides
	srv, err := serve.New(serve.Config{
		Engine: s.engine, HostKey: sf.hostKey, AuthorizedKeys: sf.keys, Operators: sf.operators,
		MaxSessions: sf.maxSessions, IdleTimeout: sf.idle, UI: uo, Log: io.MultiWriter(stderr, lineLogger{s.log}),
	})
	if err != nil {
		return fmt.Errorf("%w (serve takes public keys only: --authorized-keys FILE)", err)
	}
	ln, err := net.Listen("tcp", sf.listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	r := run{engine: s.engine, cfg: s.cfg, demo: s.demo, subscribers: true, record: true, opts: o}
	_, err = r.start(func(ctx context.Context) error { return serveUntilStopped(ctx, srv, ln, sf, stderr) })
	return err
}

// serveUntilStopped serves SSH sessions on ln until ctx ends (Ctrl-C,
// SIGTERM) or the listener fails, then stops every session: each viewer
// is told, and gets their terminal back.
func serveUntilStopped(ctx context.Context, srv *serve.Server, ln net.Listener, sf serveFlags, stderr io.Writer) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Fprintf(stderr, "stormwatch: serving the dashboard: ssh -p %s %s (keys: %s", port, host, sf.keys)
	if sf.operators != "" {
		fmt.Fprintf(stderr, "; operators: %s", sf.operators)
	}
	fmt.Fprintln(stderr, "); Ctrl-C stops")
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served: // a listener that fails ends the server
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shutErr := srv.Shutdown(sctx)
	if serveErr == nil {
		serveErr = <-served
	}
	if serveErr != nil {
		return fmt.Errorf("serve: %w", serveErr)
	}
	if shutErr != nil {
		return fmt.Errorf("serve: sessions still open at shutdown: %w", shutErr)
	}
	fmt.Fprintln(stderr, "stormwatch: serve stopped")
	return nil
}

// serveDefaults fills what the flags left unset from the config's serve
// section, then from the built-in defaults.
func serveDefaults(sf serveFlags, s *setup) serveFlags {
	if s.cfg != nil {
		c := s.cfg.Serve
		sf.listen = first(sf.listen, c.Listen)
		sf.keys = first(sf.keys, c.AuthorizedKeys)
		sf.operators = first(sf.operators, c.Operators)
		sf.hostKey = first(sf.hostKey, c.HostKey)
		if sf.maxSessions == 0 {
			sf.maxSessions = c.MaxSessions
		}
		if sf.idle == 0 {
			sf.idle = c.IdleTimeout
		}
	}
	sf.listen = first(sf.listen, serve.DefaultListen)
	if sf.keys == "" {
		home, _ := os.UserHomeDir()
		sf.keys = filepath.Join(home, ".ssh", "authorized_keys")
	}
	sf.hostKey = first(sf.hostKey, filepath.Join(StateDir(), "ssh_host_ed25519_key"))
	return sf
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
