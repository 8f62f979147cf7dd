// Package mongo is the MongoDB source: it polls serverStatus on every member
// of a standalone server, replica set or sharded cluster, each over its own
// direct connection, and turns the counters into per-member series.
//
// It is written for a database that may already be dying: one trimmed
// serverStatus per member per poll, replSetGetStatus on one member per set
// every ReplInterval, hello only when re-discovering, at most two
// connections per member (one heartbeat, one for commands), no driver
// retries, and a failing member is backed off rather than hammered.
package mongo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// Config is one MongoDB deployment to watch.
type Config struct {
	Name string // display name and series prefix, e.g. "db"
	// URI is the full connection string. It may hold a password: it is
	// never printed, and every error passes through sources.Redact.
	URI          string
	Interval     time.Duration // time between polls (default 1s); sets the backoff step
	Timeout      time.Duration // deadline for one member's commands (default 800ms)
	ReplInterval time.Duration // how often replSetGetStatus runs (default 10s)
	AppName      string        // shown in the server's logs and currentOp (default "stormwatch")
	// Aliases names members for display: host:port -> "mongo-db-1".
	Aliases map[string]string
	// Now is the clock (nil: time.Now); samples use the server's own
	// localTime, this only drives backoff, re-discovery and the culprit
	// tables' schedule.
	Now func() time.Time

	// WantCulprits says whether the top clients, slow ops and hot
	// collections tables are wanted now (nil: always). While it returns
	// false no $currentOp or top is sent at all. It is called once per
	// poll, from the polling goroutine.
	WantCulprits func() bool
	// Log gets every command at debug level with its round trip (nil:
	// none); names and timings only, never a command or a reply.
	Log *slog.Logger
	// The culprit tables' intervals; zero takes the default, a negative
	// interval turns that table off.
	CulpritInterval   time.Duration // $currentOp for top clients and slow ops (default 5s)
	TopInterval       time.Duration // top for hot collections (default 10s)
	CollStatsInterval time.Duration // largest collections (default 5m)
	CollStatsDelay    time.Duration // first collection read after the first poll (default 30s)
	MaxCollections    int           // $collStats commands per read (default 50)
	// The query-shape profiler: a $currentOp sample every ShapeInterval
	// (default: CulpritInterval; negative: off) while WantCulprits, ranked over the last
	// ShapeWindow (default 1m) against the ShapeBaseline before it
	// (default 10m), with getLog's slow queries on 4.4+.
	ShapeInterval, ShapeWindow, ShapeBaseline time.Duration
}

const (
	rediscoverEvery = time.Minute      // hello (and listShards) on this cadence
	maxBackoff      = 60 * time.Second // longest a failing member is skipped
)

// Source polls one deployment. Poll must not be called concurrently (the
// engine never does).
type Source struct {
	cfg   Config
	base  *mopts.ClientOptions // auth, TLS and compression from the URI
	seeds []string
	srv   string // the SRV name of a mongodb+srv URI, resolved on discovery
	// direct: the URI said directConnection=true, so only that server is
	// watched, not the rest of its set or cluster.
	direct bool
	now    func() time.Time

	members      map[string]*member
	order        []string
	kind         string // STANDALONE, replica set, sharded: for Facts
	discoveredAt time.Time
	stale        bool // membership or primary changed: discover next poll
	allFailing   bool
	lastRepl     time.Time
	notes        map[string]string // facts learnt along the way
	cul          *culprits
	fl           *flight
	target       atomic.Pointer[Target] // the culprit member, for Actions
	meter        costMeter              // stormwatch's own commands on the deployment
}

// New checks the configuration and the URI's syntax. It does not connect:
// the first Poll does, so a database that is down at startup is a failing
// source on the dashboard, not a failed start.
func New(cfg Config) (*Source, error) {
	if cfg.Name == "" {
		cfg.Name = "db"
	}
	// A member's timeout is below the interval, so a hung member costs one
	// poll, not a pile-up.
	sched := sources.Schedule{Interval: cfg.Interval, Timeout: cfg.Timeout}.WithDefaults()
	cfg.Interval, cfg.Timeout = sched.Interval, sched.Timeout
	cfg.ReplInterval = sources.OrDefault(cfg.ReplInterval, 10*time.Second)
	if cfg.AppName == "" {
		cfg.AppName = "stormwatch"
	}
	cfg.CulpritInterval = unlessOff(cfg.CulpritInterval, 5*time.Second)
	cfg.ShapeInterval = unlessOff(cfg.ShapeInterval, cfg.CulpritInterval) // off with the culprit tables
	cfg.ShapeWindow = unlessOff(cfg.ShapeWindow, time.Minute)
	cfg.ShapeBaseline = unlessOff(cfg.ShapeBaseline, 10*time.Minute)
	cfg.TopInterval = unlessOff(cfg.TopInterval, 10*time.Second)
	cfg.CollStatsInterval = unlessOff(cfg.CollStatsInterval, 5*time.Minute)
	cfg.CollStatsDelay = unlessOff(cfg.CollStatsDelay, 30*time.Second)
	cfg.MaxCollections = sources.OrDefault(cfg.MaxCollections, 50)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if cfg.URI == "" {
		return nil, errors.New("mongo source " + cfg.Name + ": no connection string")
	}
	s := &Source{cfg: cfg, now: now, members: map[string]*member{}, notes: map[string]string{}, cul: newCulprits(cfg), fl: newFlight()}
	s.meter.log, s.meter.src = cfg.Log, cfg.Name
	uri := cfg.URI
	if rest, ok := strings.CutPrefix(uri, "mongodb+srv://"); ok {
		// Parsing an SRV URI resolves it in DNS; check only its syntax
		// here and resolve it, under a deadline, when discovering.
		uri = "mongodb://" + rest
		host := rest
		if i := strings.LastIndex(host, "@"); i >= 0 {
			host = host[i+1:]
		}
		host, _, _ = strings.Cut(host, "/")
		host, _, _ = strings.Cut(host, "?")
		s.srv = host
	}
	opts := mopts.Client().ApplyURI(uri)
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("mongo source %s: invalid connection string: %s", cfg.Name, sources.Redact(err.Error()))
	}
	if s.srv != "" && opts.TLSConfig == nil && !strings.Contains(strings.ToLower(uri), "tls=false") && !strings.Contains(strings.ToLower(uri), "ssl=false") {
		opts.SetTLSConfig(&tls.Config{}) // mongodb+srv implies TLS
	}
	s.base = opts
	s.direct = opts.Direct != nil && *opts.Direct
	if s.srv == "" {
		s.seeds = append(s.seeds, opts.Hosts...)
	}
	return s, nil
}

// unlessOff is the default for a collector's interval left at zero; a
// negative one turns the collector off and is kept as it is (unlike
// sources.OrDefault, where negative means unset).
func unlessOff(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Schedule is how the engine polls the source. Members are polled
// concurrently, each under its own timeout; the whole poll gets room for a
// second round when a set has more members than polls in flight.
func (s *Source) Schedule() sources.Schedule {
	return sources.Schedule{Interval: s.cfg.Interval, Timeout: 2 * s.cfg.Timeout}
}

// Name is the source's display name and series prefix.
func (s *Source) Name() string { return s.cfg.Name }

// Close disconnects from every member.
func (s *Source) Close(ctx context.Context) error {
	s.fl.stop()
	var errs []error
	for _, m := range s.members {
		errs = append(errs, m.close(ctx))
	}
	s.members, s.order = map[string]*member{}, nil
	return errors.Join(errs...)
}

// Poll fetches one sample from every member it can reach. It returns an
// error only when no member answered; a partial failure shows in Members.
func (s *Source) Poll(ctx context.Context) (sources.Result, error) {
	now := s.now()
	var discoverErr error
	if len(s.members) == 0 || s.stale || now.Sub(s.discoveredAt) >= rediscoverEvery {
		discoverErr = s.discover(ctx)
	}
	if discoverErr != nil {
		// Every known member and seed just failed hello: a serverStatus
		// on top would only double the wait on servers that are down.
		s.stale, s.allFailing = true, true
		for _, m := range s.members {
			if m.lastErr != nil && m.pollable() {
				m.fails++
			}
		}
		s.reorder()
		res := sources.Result{Facts: s.costFacts(now, s.facts())}
		for _, addr := range s.order {
			res.Members = append(res.Members, s.memberView(s.members[addr], now))
		}
		return res, discoverErr
	}
	replDue := now.Sub(s.lastRepl) >= s.cfg.ReplInterval
	s.planCulprits(now)
	results := s.pollMembers(ctx, now, replDue)
	res := s.collect(ctx, now, results)
	res.Tables = s.applyCulprits(now, results)
	res.Facts = s.costFacts(now, res.Facts)
	s.publishTarget()
	if s.cfg.ShapeInterval > 0 {
		res.Shapes = s.cul.shapes.top(now)
	}
	if replDue {
		s.lastRepl = now
	}
	ok := false
	for _, m := range res.Members {
		mm := s.byLabel(m.ID)
		ok = ok || (m.OK && mm != nil && mm.pollable())
	}
	s.allFailing = !ok
	if !ok {
		s.stale = true // maybe the set moved: look again next time
		return res, s.firstError()
	}
	return res, nil
}

// firstError is the reason the first polled member failed, for a poll in
// which none answered.
func (s *Source) firstError() error {
	for _, addr := range s.order {
		m := s.members[addr]
		switch {
		case !m.pollable():
		case m.busy():
			return fmt.Errorf("%s: %w: no reply within %s", addr, sources.ErrTimeout, s.roundWait())
		case m.lastErr != nil:
			return fmt.Errorf("%s: %w", addr, m.lastErr)
		}
	}
	return fmt.Errorf("%w: no member answered", sources.ErrUnreachable)
}

func (s *Source) facts() []sources.Fact {
	var f []sources.Fact
	if s.kind != "" {
		f = append(f, sources.Fact{Key: "topology", Value: text.Clean(s.kind)})
	}
	for _, addr := range s.order {
		if m := s.members[addr]; m.version != "" {
			f = append(f, sources.Fact{Key: "version", Value: text.Clean(m.version)})
			break
		}
	}
	for _, addr := range s.order {
		// Say so when something other than mongod or mongos answers
		// (FerretDB): it explains why most graphs stay empty.
		if p := s.members[addr].process; p != "" && p != "mongod" && p != "mongos" {
			f = append(f, sources.Fact{Key: "server", Value: text.Clean(p + " (partial serverStatus)")})
			break
		}
	}
	for _, k := range []string{"cpu", "repl lag", "discovery"} {
		if v, ok := s.notes[k]; ok {
			f = append(f, sources.Fact{Key: k, Value: text.Clean(v)})
		}
	}
	return f
}
