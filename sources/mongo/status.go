package mongo

import (
	"path"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// statusCommand is the serverStatus we send. serverStatus includes most
// sections unless told "<section>: 0"; every section in droppedSections is
// one we never read, so turning it off shrinks the reply (and the server's
// work to build it) without losing a metric. Servers ignore names they do
// not know, so one list serves 3.6 to 8.0 and mongos.
//
// metrics is trimmed inside: since 6.0 (backported to 4.4 and 5.0 patch
// releases, SERVER-65271) serverStatus takes {metrics: {<branch>: false}},
// and the values must be booleans or the command fails. Older servers read
// the sub-document as "include metrics" and send it whole, which is still
// correct. metrics.commands alone is a third of an 8.0 reply.
//
// wiredTiger cannot be trimmed inside and is half of what is left, but only
// its cache bytes (and the pre-8.0 tickets) are read, and they move slowly:
// withStorage asks for it, which the source does every ReplInterval rather
// than every poll.
func statusCommand(withStorage bool) bson.D {
	cmd := bson.D{{Key: "serverStatus", Value: 1}}
	for _, s := range droppedSections {
		cmd = append(cmd, bson.E{Key: s, Value: 0})
	}
	if !withStorage {
		cmd = append(cmd, bson.E{Key: "wiredTiger", Value: 0})
	}
	var metrics bson.D
	for _, m := range droppedMetrics {
		metrics = append(metrics, bson.E{Key: m, Value: false})
	}
	return append(cmd, bson.E{Key: "metrics", Value: metrics})
}

var droppedSections = []string{
	"locks", "tcmalloc", "mem", "transactions", "electionMetrics", "flowControl",
	"logicalSessionRecordCache", "security", "storageEngine", "transportSecurity",
	"twoPhaseCommitCoordinator", "trafficRecording", "oplogTruncation",
	"indexBulkBuilder", "indexBuilds", "indexStats", "featureCompatibilityVersion",
	"readConcernCounters", "opReadConcernCounters", "readPreferenceCounters",
	"catalogStats", "collectionCatalog", "tenantMigrations", "shardSplits",
	"internalTransactions", "batchedDeletes", "changeStreamPreImages",
	"querySettings", "queryAnalyzers", "scramCache", "opWorkingTime",
	"freeMonitoring", "encryptionAtRest", "mirroredReads", "shardingStatistics",
	"hedgingMetrics", "health", "oplog",
}

// droppedMetrics are the metrics branches (3.6 to 8.0) other than document
// and queryExecutor. A branch a server does not have is ignored.
var droppedMetrics = []string{
	"abortExpiredTransactions", "aggStageCounters", "apiVersions", "changeStreams",
	"commands", "cursor", "diskSpaceMonitor", "dotsAndDollarsFields", "getLastError",
	"mongos", "network", "operation", "operatorCounters", "query", "queryStats",
	"record", "repl", "storage", "ttl", "wiredTiger",
}

// opt is a number the server may or may not have sent. A section a server
// version lacks is "not available" (no point), never zero.
type opt struct {
	V  float64
	OK bool
}

// num reads any numeric BSON type: the same field is int32 on one version,
// int64 or double on another (wiredTiger cache sizes are doubles up to 4.4).
func num(doc bson.Raw, keys ...string) opt {
	v, err := doc.LookupErr(keys...)
	if err != nil {
		return opt{}
	}
	f, ok := v.AsFloat64OK()
	return opt{V: f, OK: ok}
}

var opNames = [...]string{"insert", "query", "update", "delete", "getmore", "command"}

// latencyNames are the opLatencies classes, in the order of status.latency.
var latencyNames = [...]string{"reads", "writes", "commands"}

// status is the part of one serverStatus reply stormwatch uses.
type status struct {
	// Malformed is set when the reply could not be read (a damaged nested
	// document): the poll is an error for that member, not a crash.
	Malformed bool

	Host, Version, Process string
	Mongos                 bool
	Pid                    opt
	LocalTime              time.Time // zero when the server did not send it
	Uptime, UptimeMillis   opt

	Asserts                  opt // sum of the assert counters (rollovers excluded)
	ConnCurrent, ConnAvail   opt
	UserUs, SystemUs, Faults opt
	QueueR, QueueW, QueueT   opt
	ActiveR, ActiveW         opt
	NetIn, NetOut            opt
	Ops, ReplOps             [len(opNames)]opt
	Latency, LatencyOps      [len(latencyNames)]opt
	CacheBytes, CacheMax     opt
	CacheDirty               opt
	TicketsReadOut           opt // in use: wiredTiger.concurrentTransactions before 8.0, queues.execution from 8.0
	TicketsReadAvail         opt
	TicketsWriteOut          opt
	TicketsWriteAvail        opt
	Returned                 opt // metrics.document.returned
	ScannedObjects, Scanned  opt // metrics.queryExecutor

	Repl replInfo
}

// replInfo is serverStatus.repl: how this member sees its set.
type replInfo struct {
	SetName         string
	Primary         bool // ismaster up to 4.4, isWritablePrimary after
	Secondary       bool
	Arbiter         bool
	PrimaryHost, Me string
	Hosts           []string // hosts and passives
	Arbiters        []string
}

// parseStatus reads a serverStatus reply. Missing sections leave their
// fields not OK; nothing here is an error, because what a server sends
// varies by version, role and platform (and FerretDB sends very little).
func parseStatus(doc bson.Raw) (s status) {
	defer func() {
		if recover() != nil {
			s = status{Malformed: true}
		}
	}()
	s.Host = str(doc, "host")
	s.Version = str(doc, "version")
	s.Process = processName(str(doc, "process"))
	s.Mongos = s.Process == "mongos"
	s.Pid = num(doc, "pid")
	if t, ok := doc.Lookup("localTime").TimeOK(); ok {
		s.LocalTime = t.UTC()
	}
	s.Uptime = num(doc, "uptime")
	s.UptimeMillis = num(doc, "uptimeMillis")
	s.Asserts = assertSum(doc)
	s.ConnCurrent = num(doc, "connections", "current")
	s.ConnAvail = num(doc, "connections", "available")
	s.UserUs = num(doc, "extra_info", "user_time_us")
	s.SystemUs = num(doc, "extra_info", "system_time_us")
	s.Faults = num(doc, "extra_info", "page_faults")
	s.QueueR = num(doc, "globalLock", "currentQueue", "readers")
	s.QueueW = num(doc, "globalLock", "currentQueue", "writers")
	s.QueueT = num(doc, "globalLock", "currentQueue", "total")
	s.ActiveR = num(doc, "globalLock", "activeClients", "readers")
	s.ActiveW = num(doc, "globalLock", "activeClients", "writers")
	s.NetIn = num(doc, "network", "bytesIn")
	s.NetOut = num(doc, "network", "bytesOut")
	for i, n := range opNames {
		s.Ops[i] = num(doc, "opcounters", n)
		s.ReplOps[i] = num(doc, "opcountersRepl", n)
	}
	for i, n := range latencyNames {
		s.Latency[i] = num(doc, "opLatencies", n, "latency")
		s.LatencyOps[i] = num(doc, "opLatencies", n, "ops")
	}
	s.CacheBytes = num(doc, "wiredTiger", "cache", "bytes currently in the cache")
	s.CacheMax = num(doc, "wiredTiger", "cache", "maximum bytes configured")
	s.CacheDirty = num(doc, "wiredTiger", "cache", "tracked dirty bytes in the cache")
	tickets := []string{"wiredTiger", "concurrentTransactions"}
	if _, err := doc.LookupErr("queues", "execution"); err == nil {
		tickets = []string{"queues", "execution"}
	}
	at := func(kind, field string) opt { return num(doc, append(tickets[:2:2], kind, field)...) }
	s.TicketsReadOut, s.TicketsReadAvail = at("read", "out"), at("read", "available")
	s.TicketsWriteOut, s.TicketsWriteAvail = at("write", "out"), at("write", "available")
	s.Returned = num(doc, "metrics", "document", "returned")
	s.ScannedObjects = num(doc, "metrics", "queryExecutor", "scannedObjects")
	s.Scanned = num(doc, "metrics", "queryExecutor", "scanned")
	s.Repl = parseRepl(doc)
	return s
}

func parseRepl(doc bson.Raw) replInfo {
	repl, ok := doc.Lookup("repl").DocumentOK()
	if !ok {
		return replInfo{}
	}
	r := replInfo{SetName: str(repl, "setName"), PrimaryHost: str(repl, "primary"), Me: str(repl, "me")}
	r.Primary = boolean(repl, "isWritablePrimary") || boolean(repl, "ismaster")
	r.Secondary = boolean(repl, "secondary")
	r.Arbiter = boolean(repl, "arbiterOnly")
	r.Hosts = append(strs(repl, "hosts"), strs(repl, "passives")...)
	r.Arbiters = strs(repl, "arbiters")
	return r
}

// assertSum adds the assert counters. rollovers is not an assert: it counts
// how often the others wrapped, so it is left out.
func assertSum(doc bson.Raw) opt {
	a, ok := doc.Lookup("asserts").DocumentOK()
	if !ok {
		return opt{}
	}
	elems, err := a.Elements()
	if err != nil {
		return opt{}
	}
	var sum opt
	for _, e := range elems {
		if e.Key() == "rollovers" {
			continue
		}
		if f, ok := e.Value().AsFloat64OK(); ok {
			sum.V += f
			sum.OK = true
		}
	}
	return sum
}

// processName reduces "process" to mongod or mongos: Windows servers report
// the executable's full path ("C:\Program Files\MongoDB\...\mongod.exe").
func processName(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	p = strings.ToLower(path.Base(p))
	return strings.TrimSuffix(p, ".exe")
}

func str(doc bson.Raw, keys ...string) string {
	s, _ := doc.Lookup(keys...).StringValueOK()
	return s
}

func boolean(doc bson.Raw, keys ...string) bool {
	b, _ := doc.Lookup(keys...).BooleanOK()
	return b
}

func strs(doc bson.Raw, key string) []string {
	arr, ok := doc.Lookup(key).ArrayOK()
	if !ok {
		return nil
	}
	vals, err := arr.Values()
	if err != nil {
		return nil
	}
	var out []string
	for _, v := range vals {
		if s, ok := v.StringValueOK(); ok {
			out = append(out, s)
		}
	}
	return out
}
