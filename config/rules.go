package config

import (
	"slices"
	"strings"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// emitted is every series name the configured sources (or, with none, the
// demo) emit, read from the sources' catalogue: each MongoDB source under
// its own name, the CloudWatch shortcuts and the configured metrics.
func (c *Config) emitted() map[string]bool {
	known := map[string]bool{}
	for _, n := range catalog.All().Names() {
		known[n] = true
	}
	for _, m := range c.Sources.Mongo {
		for _, n := range mongoSeries(m).Names() {
			known[n] = true
		}
	}
	for _, cw := range c.Sources.CloudWatch {
		for _, m := range cw.Metrics {
			known[m.Series] = true
		}
	}
	return known
}

// mongoSeries is what a MongoDB source emits under its name, with what the
// engine derives from it.
func mongoSeries(m Mongo) catalog.List {
	return slices.Concat(catalog.Mongo, catalog.Derived).Renamed(catalog.MongoPrefix, nameOr(m.Name, catalog.MongoPrefix))
}

// knownSeries returns a predicate for series names a rule or panel may
// watch; "name@member" is known when name is.
func (c *Config) knownSeries() func(string) bool {
	known := c.emitted()
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
		{Name: "db-cpu-high", Series: catalog.DB(catalog.CPU), Op: alert.Above, Threshold: 80, Clear: f(70), M: 3, N: 3,
			Severity: alert.Critical, NoData: alert.NoDataState,
			Runbook: "find the busiest client in 'top clients' and the COLLSCAN in 'slow ops'; pause or throttle it"},
		{Name: "main-cpu-high", Series: catalog.MainCPU, Op: alert.Above, Threshold: 80, Clear: f(70), M: 3, N: 3,
			Severity: alert.Critical, NoData: alert.NoDataState, Runbook: "scale out the API tier or shed load"},
		{Name: "main-cpu-elevated", Series: catalog.MainCPU, Op: alert.Above, Threshold: 65, Clear: f(60), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "traffic is rising: check the request rate against the DB load"},
		{Name: "db-queued-ops", Series: catalog.DB(catalog.QueueTotal), Op: alert.Above, Threshold: 20, Clear: f(5), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "operations are waiting for locks or tickets: the DB is saturated"},
		{Name: "db-connections-near-limit", Series: catalog.DB(catalog.ConnectionsUsedPct), Op: alert.Above, Threshold: 80, Clear: f(70), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "a client is leaking connections or the pool sizes are too large"},
		{Name: "db-missing-index", Series: catalog.DB(catalog.ScannedPerReturned), Op: alert.Above, Threshold: 100, Clear: f(20), M: 3, N: 3,
			Severity: alert.Warning, NoData: alert.NoDataKeep, Runbook: "likely missing index: see the COLLSCAN namespace in 'slow ops'"},
	}
}

// Produces reports whether a configured source emits the series name
// ("name@member": when name is). A
// built-in rule on a series nobody polls would sit in NO DATA forever,
// which teaches people to ignore NO DATA.
func (c *Config) Produces(name string) bool {
	name, _, _ = strings.Cut(name, "@")
	for _, m := range c.Sources.Mongo {
		if mongoSeries(m).Has(name) {
			return true
		}
	}
	for _, cw := range c.Sources.CloudWatch {
		if cw.Main != nil && name == catalog.MainCPU || cw.DB != nil && name == catalog.DBHostCPU {
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
			if c.Produces(d.Series) {
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
