package catalog

// MongoPrefix is the default name of a MongoDB source. A source's name
// prefixes its series: the source emits its name + "." + one of the
// relative names below, so a source named "orders" emits "orders.cpu".
const MongoPrefix = "db"

// DB is a MongoDB series' full name under the default prefix:
// DB(CPU) is "db.cpu".
func DB(name string) string { return MongoPrefix + "." + name }

// The MongoDB source's series, relative to the source's name.
const (
	CPU                   = "cpu"
	CPUProcess            = "cpu.process"
	OpsInsert             = "ops.insert"
	OpsQuery              = "ops.query"
	OpsUpdate             = "ops.update"
	OpsDelete             = "ops.delete"
	OpsGetmore            = "ops.getmore"
	OpsCommand            = "ops.command"
	OpsTotal              = "ops.total"
	ReplOpsInsert         = "repl.ops.insert"
	ReplOpsQuery          = "repl.ops.query"
	ReplOpsUpdate         = "repl.ops.update"
	ReplOpsDelete         = "repl.ops.delete"
	ReplOpsGetmore        = "repl.ops.getmore"
	ReplOpsCommand        = "repl.ops.command"
	ReplOpsTotal          = "repl.ops.total"
	Connections           = "connections"
	ConnectionsAvailable  = "connections.available"
	ConnectionsUsedPct    = "connections.used_pct"
	QueueReaders          = "queue.readers"
	QueueWriters          = "queue.writers"
	QueueTotal            = "queue.total"
	ActiveReaders         = "active.readers"
	ActiveWriters         = "active.writers"
	LatencyReads          = "latency.reads"
	LatencyWrites         = "latency.writes"
	LatencyCommands       = "latency.commands"
	NetIn                 = "net.in"
	NetOut                = "net.out"
	CacheFillPct          = "cache.fill_pct"
	CacheDirtyPct         = "cache.dirty_pct"
	TicketsRead           = "tickets.read"
	TicketsReadAvailable  = "tickets.read.available"
	TicketsWrite          = "tickets.write"
	TicketsWriteAvailable = "tickets.write.available"
	ScannedPerReturned    = "scanned_per_returned"
	KeysPerReturned       = "keys_per_returned"
	PageFaults            = "page_faults"
	Asserts               = "asserts"
	Uptime                = "uptime"
	ReplLag               = "repl.lag"
	DocsExamined          = "docs_examined"
	KeysExamined          = "keys_examined"
)

// OpSeries are the opcounters' series in serverStatus order (insert,
// query, update, delete, getmore, command), then the total; ReplOpSeries
// the same for opcountersRepl.
var (
	OpSeries     = [...]string{OpsInsert, OpsQuery, OpsUpdate, OpsDelete, OpsGetmore, OpsCommand, OpsTotal}
	ReplOpSeries = [...]string{ReplOpsInsert, ReplOpsQuery, ReplOpsUpdate, ReplOpsDelete, ReplOpsGetmore, ReplOpsCommand, ReplOpsTotal}
	// LatencySeries follow opLatencies' classes: reads, writes, commands.
	LatencySeries = [...]string{LatencyReads, LatencyWrites, LatencyCommands}
)

func mongo(name, unit string, kind Kind, desc string) Entry {
	return Entry{Name: DB(name), Unit: unit, Kind: kind, PerMember: true, Description: desc}
}

// Mongo is the MongoDB source's catalogue under the default prefix.
var Mongo = List{
	mongo(CPU, "%", Rate, "the mongod process as % of the whole machine: extra_info user+system time over the server's own localTime, divided by the cores"),
	mongo(CPUProcess, "%", Rate, "the same as % of one core (not divided by the cores)"),
	mongo(OpsInsert, "ops/s", Rate, "opcounters.insert"),
	mongo(OpsQuery, "ops/s", Rate, "opcounters.query"),
	mongo(OpsUpdate, "ops/s", Rate, "opcounters.update"),
	mongo(OpsDelete, "ops/s", Rate, "opcounters.delete"),
	mongo(OpsGetmore, "ops/s", Rate, "opcounters.getmore"),
	mongo(OpsCommand, "ops/s", Rate, "opcounters.command"),
	mongo(OpsTotal, "ops/s", Rate, "all opcounters; left out when one is missing or reset, so it never undercounts"),
	mongo(ReplOpsInsert, "ops/s", Rate, "opcountersRepl.insert, on secondaries"),
	mongo(ReplOpsQuery, "ops/s", Rate, "opcountersRepl.query, on secondaries"),
	mongo(ReplOpsUpdate, "ops/s", Rate, "opcountersRepl.update, on secondaries"),
	mongo(ReplOpsDelete, "ops/s", Rate, "opcountersRepl.delete, on secondaries"),
	mongo(ReplOpsGetmore, "ops/s", Rate, "opcountersRepl.getmore, on secondaries"),
	mongo(ReplOpsCommand, "ops/s", Rate, "opcountersRepl.command, on secondaries"),
	mongo(ReplOpsTotal, "ops/s", Rate, "all opcountersRepl, on secondaries"),
	mongo(Connections, "", Gauge, "open client connections"),
	mongo(ConnectionsAvailable, "", Gauge, "connections the server can still accept"),
	mongo(ConnectionsUsedPct, "%", Ratio, "open connections as % of open + available"),
	mongo(QueueReaders, "", Gauge, "readers waiting (globalLock.currentQueue)"),
	mongo(QueueWriters, "", Gauge, "writers waiting (globalLock.currentQueue)"),
	mongo(QueueTotal, "", Gauge, "all operations waiting (globalLock.currentQueue.total)"),
	mongo(ActiveReaders, "", Gauge, "readers running (globalLock.activeClients)"),
	mongo(ActiveWriters, "", Gauge, "writers running (globalLock.activeClients)"),
	mongo(LatencyReads, "ms", Ratio, "opLatencies.reads: time per read operation"),
	mongo(LatencyWrites, "ms", Ratio, "opLatencies.writes: time per write operation"),
	mongo(LatencyCommands, "ms", Ratio, "opLatencies.commands: time per command"),
	mongo(NetIn, "B/s", Rate, "network bytes received"),
	mongo(NetOut, "B/s", Rate, "network bytes sent"),
	mongo(CacheFillPct, "%", Ratio, "WiredTiger cache in use as % of its maximum (read every repl_interval)"),
	mongo(CacheDirtyPct, "%", Ratio, "dirty WiredTiger cache as % of its maximum (read every repl_interval)"),
	mongo(TicketsRead, "", Gauge, "read tickets in use (wiredTiger.concurrentTransactions; queues.execution from 8.0)"),
	mongo(TicketsReadAvailable, "", Gauge, "read tickets left"),
	mongo(TicketsWrite, "", Gauge, "write tickets in use"),
	mongo(TicketsWriteAvailable, "", Gauge, "write tickets left"),
	mongo(ScannedPerReturned, "", Ratio, "documents examined per document returned: the missing-index signal"),
	mongo(KeysPerReturned, "", Ratio, "index keys examined per document returned"),
	mongo(DocsExamined, "docs/s", Rate, "documents examined by queries (metrics.queryExecutor.scannedObjects): the database's work"),
	mongo(KeysExamined, "keys/s", Rate, "index keys examined by queries (metrics.queryExecutor.scanned)"),
	mongo(PageFaults, "/s", Rate, "extra_info.page_faults"),
	mongo(Asserts, "/s", Rate, "asserts raised, all kinds (rollovers excluded)"),
	mongo(Uptime, "s", Gauge, "seconds since the process started"),
	mongo(ReplLag, "s", Gauge, "how far the member's last applied write trails the primary's (replSetGetStatus, every repl_interval)"),
}
