package config

import (
	"strings"

	"github.com/stormwatch/stormwatch/alert"
)

// mongoSeries are the series names the MongoDB source emits after its
// source name (default "db").
var mongoSeries = []string{
	"cpu", "cpu.process",
	"ops.insert", "ops.query", "ops.update", "ops.delete", "ops.getmore", "ops.command", "ops.total",
	"repl.ops.insert", "repl.ops.query", "repl.ops.update", "repl.ops.delete", "repl.ops.getmore", "repl.ops.command",
	"connections", "connections.available", "connections.used_pct",
	"queue.readers", "queue.writers", "queue.total", "active.readers", "active.writers",
	"latency.reads", "latency.writes", "latency.commands",
	"net.in", "net.out", "cache.fill_pct", "cache.dirty_pct",
	"scanned_per_returned", "keys_per_returned", "page_faults", "asserts", "uptime", "repl.lag",
	"docs_examined", "keys_examined",
	// Derived by the engine from the two above and the request series.
	"docs_examined_per_request", "ops_per_request",
}

// knownSeries returns a predicate for series names a rule may watch: what
// the configured sources (or, with none, the demo) emit.
func (c *Config) knownSeries() func(string) bool {
	known := map[string]bool{"main.cpu": true, "main.requests": true, "db.host.cpu": true}
	prefixes := []string{"db"}
	for _, m := range c.Sources.Mongo {
		prefixes = append(prefixes, nameOr(m.Name, "db"))
	}
	for _, p := range prefixes {
		for _, s := range mongoSeries {
			known[p+"."+s] = true
		}
	}
	for _, cw := range c.Sources.CloudWatch {
		for _, m := range cw.Metrics {
			known[m.Series] = true
		}
	}
	return func(s string) bool {
		name, _, _ := strings.Cut(s, "@")
		return known[name]
	}
}

func f(v float64) *float64 { return &v }

// DefaultRules are the built-in rules: what an experienced on-call engineer
// would set up first for an API server and its MongoDB.
func DefaultRules() []alert.Rule {
	return []alert.Rule{
		{Name: "db-cpu-high", Series: "db.cpu", Op: alert.Above, Threshold: 80, Clear: f(70), M: 3, N: 3,
			Severity: alert.Critical, NoData: alert.NoDataState,
			Runbook: "find the busiest client in 'top clients' and the COLLSCAN in 'slow ops'; pause or throttle it"},
		{Name: "main-cpu-high", Series: "main.cpu", Op: alert.Above, Threshold: 80, Clear: f(70), M: 3, N: 3,
			Severity: alert.Critical, NoData: alert.NoDataState, Runbook: "scale out the API tier or shed load"},
		{Name: "main-cpu-elevated", Series: "main.cpu", Op: alert.Above, Threshold: 65, Clear: f(60), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "traffic is rising: check the request rate against the DB load"},
		{Name: "db-queued-ops", Series: "db.queue.total", Op: alert.Above, Threshold: 20, Clear: f(5), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "operations are waiting for locks or tickets: the DB is saturated"},
		{Name: "db-connections-near-limit", Series: "db.connections.used_pct", Op: alert.Above, Threshold: 80, Clear: f(70), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "a client is leaking connections or the pool sizes are too large"},
		{Name: "db-missing-index", Series: "db.scanned_per_returned", Op: alert.Above, Threshold: 100, Clear: f(20), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "likely missing index: see the COLLSCAN namespace in 'slow ops'"},
	}
}

// produces reports whether a configured source emits the series name. A
// built-in rule on a series nobody polls would sit in NO DATA forever,
// which teaches people to ignore NO DATA.
func (c *Config) produces(name string) bool {
	for _, m := range c.Sources.Mongo {
		prefix := nameOr(m.Name, "db") + "."
		if strings.HasPrefix(name, prefix) {
			for _, s := range mongoSeries {
				if prefix+s == name {
					return true
				}
			}
		}
	}
	for _, cw := range c.Sources.CloudWatch {
		if cw.Main != nil && name == "main.cpu" || cw.DB != nil && name == "db.host.cpu" {
			return true
		}
		for _, m := range cw.Metrics {
			if m.Series == name {
				return true
			}
		}
	}
	return false
}

// Rules returns the rules to run: the built-in defaults (unless
// alerts.defaults is false) on the series the configured sources emit,
// overridden by name or disabled by the file's rules, followed by the
// file's new rules.
func (c *Config) Rules() []alert.Rule {
	var out []alert.Rule
	override := map[string]Rule{}
	for _, r := range c.Alerts.Rules {
		override[r.Name] = r
	}
	if c.Alerts.Defaults == nil || *c.Alerts.Defaults {
		for _, d := range DefaultRules() {
			if r, ok := override[d.Name]; ok {
				if !r.Disabled {
					rule, _ := r.toRule()
					out = append(out, rule)
				}
				delete(override, d.Name)
				continue
			}
			if c.produces(d.Series) {
				out = append(out, d)
			}
		}
	}
	for _, r := range c.Alerts.Rules {
		if _, pending := override[r.Name]; pending && !r.Disabled {
			rule, _ := r.toRule()
			out = append(out, rule)
		}
	}
	return out
}
