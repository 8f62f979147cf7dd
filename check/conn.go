package check

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/auth"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/mongo"
)

// Mongo is one MongoDB source to check.
type Mongo struct {
	Source string // the source's name, shown in each line
	// URI is the connection string. It may hold a password: it is never
	// printed, and every error passes through sources.Redact.
	URI     string
	URIEnv  string        // the environment variable it came from, named in fixes
	Timeout time.Duration // per command; default 5 s
}

// Server error codes the checks act on.
const (
	codeFailedToParse   = 9 // FerretDB's answer to aggregate: 1
	codeUnauthorized    = 13
	codeAuthFailed      = 18
	codeCommandNotFound = 59
	codeNoReplication   = 76
	codeUnknownStage    = 40324 // "Unrecognized pipeline stage name": $currentOp before 3.6
)

// appName marks the check's own connection, so that the driver census
// leaves it out.
const appName = "stormwatch check"

// conn is one driver client plus what its heartbeats learnt about the
// deployment: the topology and the wire version are known even when the
// driver refuses to run commands on a server too old for it.
type conn struct {
	client  *mdriver.Client
	timeout time.Duration

	mu   sync.Mutex
	topo event.TopologyDescription
}

func dial(m Mongo) (*conn, error) {
	c := &conn{timeout: m.Timeout}
	if c.timeout <= 0 {
		c.timeout = 5 * time.Second
	}
	opts := mopts.Client().ApplyURI(m.URI).SetAppName(appName).
		SetServerMonitoringMode(mopts.ServerMonitoringModePoll).
		SetServerSelectionTimeout(c.timeout).SetConnectTimeout(c.timeout).
		SetRetryReads(false).SetRetryWrites(false).
		SetServerMonitor(&event.ServerMonitor{TopologyDescriptionChanged: func(e *event.TopologyDescriptionChangedEvent) {
			c.mu.Lock()
			c.topo = e.NewDescription
			c.mu.Unlock()
		}})
	if err := opts.Validate(); err != nil {
		return nil, errors.New(sources.Redact(err.Error()))
	}
	client, err := mdriver.Connect(opts)
	if err != nil {
		return nil, errors.New(sources.Redact(err.Error()))
	}
	c.client = client
	return c, nil
}

// close disconnects, even when ctx is already cancelled (an interrupted
// check still ends its sessions politely), within two seconds.
func (c *conn) close(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	c.client.Disconnect(ctx)
}

// run sends one command to the admin database. primaryPreferred lets it run
// on a secondary named alone in the URI.
func (c *conn) run(ctx context.Context, cmd bson.D) (bson.Raw, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.client.Database("admin").RunCommand(ctx, cmd,
		mopts.RunCmd().SetReadPreference(readpref.PrimaryPreferred())).Raw()
}

// aggregate runs an admin-database pipeline ($currentOp) and reads every
// batch.
func (c *conn) aggregate(ctx context.Context, pipeline bson.A) ([]bson.Raw, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cur, err := c.client.Database("admin").Aggregate(ctx, pipeline)
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	var out []bson.Raw
	for cur.Next(ctx) {
		out = append(out, append(bson.Raw(nil), cur.Current...))
	}
	return out, cur.Err()
}

// listCollections lists one collection name of db, as the dashboard does
// (names only, from the catalog), and closes the cursor.
func (c *conn) listCollections(ctx context.Context, db string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cur, err := c.client.Database(db).RunCommandCursor(ctx, bson.D{{Key: "listCollections", Value: 1}, {Key: "nameOnly", Value: true},
		{Key: "filter", Value: bson.D{{Key: "type", Value: "collection"}}}, {Key: "cursor", Value: bson.D{{Key: "batchSize", Value: 1}}}},
		mopts.RunCmd().SetReadPreference(readpref.PrimaryPreferred()))
	if err != nil {
		return err
	}
	return cur.Close(ctx)
}

// tooOld is the driver's refusal of a server whose wire version it does not
// speak, with that wire version.
func (c *conn) tooOld() (int32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.topo.CompatibilityErr == nil {
		return 0, false
	}
	wire := int32(-1)
	for _, s := range c.topo.Servers {
		if s.Kind != "Unknown" && (wire < 0 || s.MaxWireVersion < wire) {
			wire = s.MaxWireVersion
		}
	}
	return wire, true
}

// handshake is the deployment as the heartbeats describe it, for a server
// the driver will not run commands on: its kind, set name and the release
// its wire version stands for.
func (c *conn) handshake() deployment {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := deployment{kind: standalone}
	for _, s := range c.topo.Servers {
		switch s.Kind {
		case "Mongos":
			d.kind = sharded
		case "RSPrimary", "RSSecondary", "RSArbiter", "RSOther", "RSGhost":
			d.kind, d.setName, d.members = replicaSet, s.SetName, len(s.Hosts)
		}
		if s.Kind != "Unknown" {
			d.version = releaseOfWire(s.MaxWireVersion)
			d.fromWire = true
		}
	}
	return d
}

// wireReleases maps a maxWireVersion to the MongoDB release that introduced it.
var wireReleases = []struct {
	wire    int32
	release string
}{{25, "8.0"}, {21, "7.0"}, {17, "6.0"}, {13, "5.0"}, {9, "4.4"}, {8, "4.2"}, {7, "4.0"}, {6, "3.6"}, {5, "3.4"}, {4, "3.2"}, {3, "3.0"}, {2, "2.6"}, {0, "2.4"}}

// releaseOfWire names the release a wire version means: "3.6", or "2.4 or
// older" for a server that reports none.
func releaseOfWire(wire int32) string {
	for _, r := range wireReleases {
		if wire >= r.wire {
			if r.wire == 0 {
				return "2.4 or older"
			}
			return r.release
		}
	}
	return "unknown"
}

func isAuthFailure(err error) bool {
	var ae *auth.Error
	return mongo.HasCode(err, codeAuthFailed) || errors.As(err, &ae)
}

// unreachable describes a server selection or network failure, by type.
func unreachable(err error) (string, bool) {
	var sel topology.ServerSelectionError
	switch {
	case errors.As(err, &sel):
		for _, s := range sel.Desc.Servers {
			if s.LastError != nil {
				return s.Addr.String() + ": " + netDetail(s.LastError), true
			}
		}
		return "no server answered before the deadline", true
	case mdriver.IsTimeout(err):
		return "no reply before the deadline", true
	case mdriver.IsNetworkError(err):
		return netDetail(err), true
	}
	return "", false
}

func netDetail(err error) string { return oneLine(sources.Redact(err.Error())) }

// version is a MongoDB release as numbers; "10.0" compares above "9.9".
type version struct{ major, minor int }

func parseVersion(s string) (version, bool) {
	f := strings.SplitN(s, ".", 3)
	if len(f) < 2 {
		return version{}, false
	}
	maj, err1 := strconv.Atoi(f[0])
	min, err2 := strconv.Atoi(strings.TrimRightFunc(f[1], func(r rune) bool { return r < '0' || r > '9' }))
	if err1 != nil || err2 != nil {
		return version{}, false
	}
	return version{maj, min}, true
}

func (v version) atLeast(o version) bool {
	return v.major > o.major || v.major == o.major && v.minor >= o.minor
}

func (v version) String() string { return fmt.Sprintf("%d.%d", v.major, v.minor) }
