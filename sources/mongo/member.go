package mongo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// member is one server polled over its own direct connection.
type member struct {
	addr  string
	role  string // from discovery, refined by the member's own serverStatus
	set   string // replica set name, "" for standalone and mongos
	shard string

	client     *mdriver.Client // nil until first used
	prev       *status
	cores      int // 0: unknown
	triedCores bool
	version    string
	process    string    // mongod, mongos, or what else answers (ferretdb)
	storageAt  time.Time // when wiredTiger was last fetched

	fails   int
	retryAt time.Time
	lastOK  time.Time
	lastErr error
}

// pollable: arbiters hold no data and no users, so serverStatus with
// credentials would only fail authentication there; their health comes from
// replSetGetStatus instead.
func (m *member) pollable() bool { return m.role != roleArbiter }

// connect makes the member's client: a direct connection with one pooled
// connection, polling heartbeats, no retries, and the seed URI's auth, TLS
// and compression. The driver dials lazily, on the first command.
func (s *Source) connect(m *member) (*mdriver.Client, error) {
	if m.client != nil {
		return m.client, nil
	}
	b := s.base
	o := mopts.Client().SetHosts([]string{m.addr}).SetDirect(true).
		SetMaxPoolSize(1).SetMinPoolSize(0).
		SetServerMonitoringMode(mopts.ServerMonitoringModePoll).
		SetRetryReads(false).SetRetryWrites(false).
		SetAppName(s.cfg.AppName).
		SetConnectTimeout(s.cfg.Timeout).
		SetServerSelectionTimeout(s.cfg.Timeout)
	if b.Auth != nil {
		o.SetAuth(*b.Auth)
	}
	if b.TLSConfig != nil {
		o.SetTLSConfig(b.TLSConfig.Clone())
	}
	if len(b.Compressors) > 0 {
		o.SetCompressors(b.Compressors)
	}
	if b.DisableOCSPEndpointCheck != nil {
		o.SetDisableOCSPEndpointCheck(*b.DisableOCSPEndpointCheck)
	}
	c, err := mdriver.Connect(o)
	if err != nil {
		return nil, err
	}
	m.client = c
	return c, nil
}

func (m *member) close(ctx context.Context) error {
	if m.client == nil {
		return nil
	}
	err := m.client.Disconnect(ctx)
	m.client = nil
	return err
}

// run sends one command to the member. primaryPreferred lets it run on a
// secondary (RunCommand ignores the database's read preference).
func run(ctx context.Context, c *mdriver.Client, cmd bson.D) (bson.Raw, error) {
	return c.Database("admin").RunCommand(ctx, cmd,
		mopts.RunCmd().SetReadPreference(readpref.PrimaryPreferred())).Raw()
}

// memberResult is what one member's poll produced; Poll applies it to the
// member's state once every goroutine is done.
type memberResult struct {
	m       *member
	skipped bool
	st      status
	err     error
	cores   int
	repl    *replStatus
	replErr error
	storage bool         // asked for wiredTiger
	steps   []step       // culprit commands to run after serverStatus
	culprit []stepResult // and their replies
}

// pollMembers polls the pollable members concurrently, at most maxInFlight
// at a time, each under its own deadline inside ctx, so a slow member costs
// the others nothing but its own slot.
func (s *Source) pollMembers(ctx context.Context, now time.Time, replDue bool) []memberResult {
	replOn := map[string]bool{}
	if replDue {
		replOn = s.replRunners(now)
	}
	var members []*member
	for _, addr := range s.order {
		if m := s.members[addr]; m.pollable() {
			members = append(members, m)
		}
	}
	results := make([]memberResult, len(members))
	sem := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	for i, m := range members {
		results[i].m = m
		if !s.allFailing && now.Before(m.retryAt) {
			results[i].skipped = true
			continue
		}
		client, err := s.connect(m)
		if err != nil {
			results[i].err = classify("connect", err)
			continue
		}
		results[i].storage = now.Sub(m.storageAt) >= s.cfg.ReplInterval
		if m.addr == s.cul.addr {
			results[i].steps = s.cul.steps
		}
		wg.Add(1)
		go func(r *memberResult, triedCores, repl bool) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// A reply that passes the driver's check can still be damaged
			// inside (bson.Raw.Lookup panics on it). This goroutine is
			// beyond the engine's recover, so one bad reply would end the
			// process with the terminal in raw mode: make it this
			// member's error instead.
			defer func() {
				if p := recover(); p != nil {
					r.err = fmt.Errorf("malformed reply from %s: %v", r.m.addr, p)
				}
			}()
			mctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
			defer cancel()
			pollOne(mctx, client, r, triedCores, repl)
			if r.err == nil && len(r.steps) > 0 {
				// After serverStatus, on the same connection, under
				// the poll's deadline rather than the member's.
				r.culprit = runSteps(ctx, client, r.steps, s.now)
			}
		}(&results[i], m.triedCores, replOn[m.addr])
	}
	wg.Wait()
	return results
}

// pollOne runs serverStatus (with wiredTiger when r.storage), then hostInfo
// once per member, then replSetGetStatus when this member is its set's
// reporter this round.
func pollOne(ctx context.Context, c *mdriver.Client, r *memberResult, triedCores, repl bool) {
	raw, err := run(ctx, c, statusCommand(r.storage))
	if err != nil {
		r.err = classify("serverStatus", err)
		return
	}
	r.st = parseStatus(raw)
	if r.st.Malformed {
		r.err = fmt.Errorf("serverStatus: malformed reply")
		return
	}
	if !triedCores {
		r.cores = -1 // tried, unknown
		if h, err := run(ctx, c, bson.D{{Key: "hostInfo", Value: 1}}); err == nil {
			if n := num(h, "system", "numCores"); n.OK && n.V > 0 {
				r.cores = int(n.V)
			}
		}
	}
	if repl && r.st.Repl.SetName != "" {
		raw, err := run(ctx, c, bson.D{{Key: "replSetGetStatus", Value: 1}})
		if err != nil {
			r.replErr = classify("replSetGetStatus", err)
			return
		}
		rs := parseReplStatus(raw)
		r.repl = &rs
	}
}

// replRunners picks one member per replica set to run replSetGetStatus:
// the primary when it is healthy, else any healthy member. One view per set
// is enough, and it spares the others the command.
func (s *Source) replRunners(now time.Time) map[string]bool {
	chosen := map[string]string{}
	for _, addr := range s.order {
		m := s.members[addr]
		if m.set == "" || !m.pollable() || now.Before(m.retryAt) {
			continue
		}
		if cur, ok := chosen[m.set]; !ok || (m.role == rolePrimary && s.members[cur].role != rolePrimary) {
			chosen[m.set] = addr
		}
	}
	out := map[string]bool{}
	for _, addr := range chosen {
		out[addr] = true
	}
	return out
}

// backoff is how long a member that failed n times in a row is left alone:
// the next poll after one failure, then 2, 4, 8... intervals, at most
// maxBackoff. Half an interval of slack keeps "next poll" from slipping.
func backoff(n int, interval time.Duration) time.Duration {
	if n <= 1 {
		return interval / 2
	}
	d := interval
	for i := 2; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	if d > maxBackoff {
		d = maxBackoff
	}
	return d + interval/2
}
