// Package sources defines what every data source gives the engine: a poll
// that returns timestamped samples plus what the source knows about its own
// targets, and a small set of error classes the UI turns into hints.
//
// The concrete sources live in sub-packages (demo, mongo, cloudwatch); each
// converts its SDK's replies into these types at its own edge.
package sources

import (
	"context"
	"time"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/text"
)

// Source is one thing the engine polls. The engine calls Poll from one
// goroutine per source, never twice at once, each call under a context whose
// deadline is the source's timeout.
type Source interface {
	// Name is the source's display name and the prefix of its series ("db").
	Name() string
	// Poll fetches what is new. A returned error marks the source as failing
	// (with backoff); samples returned alongside an error are still kept,
	// which is how a multi-member source reports a partial poll.
	Poll(ctx context.Context) (Result, error)
}

// Schedule says how often and how patiently to poll a source.
type Schedule struct {
	Interval   time.Duration // time between the end of one poll and the start of the next
	Timeout    time.Duration // deadline for one poll; less than Interval
	MaxBackoff time.Duration // longest wait after repeated failures
}

// Result is what one poll produced.
type Result struct {
	Samples []series.Sample
	// Members is the per-target health of a multi-target source (replica-set
	// members, instances). Empty for single-target sources.
	Members []Member
	// Alarms is the full current list of external alarms (CloudWatch); nil
	// means "not polled this time", an empty non-nil slice means "none".
	Alarms []Alarm
	// Marks are annotations the source itself observed (the demo's
	// "paused server-c").
	Marks []Mark
	// Facts are short key/value lines shown with the source: version,
	// resolution, "data as of".
	Facts []Fact
	// Tables are small ranked tables (top clients, slow ops, collections).
	Tables []Table
	// Shapes are the query shapes with the largest share of a database's
	// active time, largest first; nil means "not sampled this time".
	Shapes []Shape
}

// Member is one target of a source.
type Member struct {
	ID   string // the series member label, e.g. "mongo-1:27017"
	Role string // PRIMARY, SECONDARY, ARBITER, MONGOS, STANDALONE, or ""
	// Shard is the shard a member of a sharded cluster serves, "" for a
	// mongos and for a lone replica set or server.
	Shard  string
	OK     bool
	Error  string    // the classified, secret-free reason when !OK
	LastOK time.Time // zero when never
}

// Alarm is an alarm owned by another system (a CloudWatch alarm).
type Alarm struct {
	Name   text.Safe
	State  string // OK, ALARM, INSUFFICIENT_DATA (the source maps anything else to one of these)
	Reason text.Safe
	Since  time.Time
}

// Mark is a labelled instant.
type Mark struct {
	At    time.Time
	Label text.Safe
}

// The fact keys a source reports its own load on the system it watches
// under (issue 17), which the status line always shows: the diagnostic
// commands it sent and their round trips in the last minute
// ("60 cmd/min · 38 ms/min"), and which commands it runs less often
// because they came back slowly ("$currentOp every 8s").
const (
	FactOwnCost = "own cost"
	FactSlowed  = "slowed"
)

// Fact is a labelled value about a source.
type Fact struct {
	Key   string    // our own label
	Value text.Safe // may quote the target ("rejected by CloudWatch: ...")
}
