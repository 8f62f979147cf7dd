package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/stormwatch/stormwatch/sources"
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
	// askedAt is when the member's command now in flight was sent; zero
	// when none is. A member is never asked twice at once.
	askedAt time.Time
}

// pollable: arbiters hold no data and no users, so serverStatus with
// credentials would only fail authentication there; their health comes from
// replSetGetStatus instead.
func (m *member) pollable() bool { return m.role != roleArbiter }

// connect makes the member's client (see directOptions). The driver
// dials lazily, on the first command.
func (s *Source) connect(m *member) (*mdriver.Client, error) {
	if m.client != nil {
		return m.client, nil
	}
	c, err := mdriver.Connect(s.directOptions(m.addr, s.cfg.Timeout))
	if err != nil {
		return nil, err
	}
	m.client = c
	return c, nil
}

// directOptions is a direct connection to addr with one pooled
// connection, polling heartbeats, no retries, and the seed URI's auth, TLS
// and compression. Actions use it too, with their own clients.
func (s *Source) directOptions(addr string, timeout time.Duration) *mopts.ClientOptions {
	b := s.base
	o := mopts.Client().SetHosts([]string{addr}).SetDirect(true).
		SetMaxPoolSize(1).SetMinPoolSize(0).
		SetServerMonitoringMode(mopts.ServerMonitoringModePoll).
		SetRetryReads(false).SetRetryWrites(false).
		SetAppName(s.cfg.AppName).
		SetConnectTimeout(timeout).
		SetServerSelectionTimeout(timeout)
	cm, sm := s.meter.monitors()
	o.SetMonitor(cm).SetServerMonitor(sm)
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
	return o
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
	storage bool   // asked for wiredTiger
	steps   []step // culprit commands to run after serverStatus
	// answered is closed once serverStatus is in, when steps follow it.
	answered chan struct{}
	culprit  []stepResult // and their replies
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
		if m.set == "" || !m.pollable() || now.Before(m.retryAt) || m.busy() {
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
	return sources.Backoff(interval, maxBackoff, n-1) + interval/2
}
