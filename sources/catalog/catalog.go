// Package catalog is the one list of the series the sources emit: name,
// unit, kind, whether there is one per member, and what it means. Config
// validation, the default panels and rules, the README's series table and
// the JSON schema's examples all read it, so a series is named in one place.
//
// It lives apart from the source packages because its readers (config, ui)
// must not import a database or cloud SDK. Each source emits only names from
// its own file here (mongo.go, cloudwatch.go); a test in each source checks
// that what it emits is listed, and one here keeps the README in step.
//
// To add a series: add a constant and an Entry to the source's file, emit
// it from the source under that constant, then run
// `go test ./sources/catalog -update` to refresh the README table.
package catalog

import (
	"slices"
	"strings"
)

// Kind says how a value comes about.
type Kind string

// Kinds of series.
const (
	Gauge Kind = "gauge" // read as is from one sample
	Rate  Kind = "rate"  // a counter's difference per second of the server's clock
	Ratio Kind = "ratio" // one quantity over another (a share, a per-op cost)
)

// Entry describes one series.
type Entry struct {
	Name string // full name under the default prefix, like "db.cpu"
	Unit string // "%", "ops/s", "ms", "B/s", "s", or "" for a plain count
	Kind Kind
	// PerMember: one series per replica-set member or instance, keyed
	// "name@member"; a rule or panel on the bare name covers every member.
	PerMember   bool
	Description string
}

// List is a source's catalogue.
type List []Entry

// Has reports whether name (without "@member") is in the list.
func (l List) Has(name string) bool {
	_, ok := l.Lookup(name)
	return ok
}

// Lookup finds the entry for name (without "@member").
func (l List) Lookup(name string) (Entry, bool) {
	i := slices.IndexFunc(l, func(e Entry) bool { return e.Name == name })
	if i < 0 {
		return Entry{}, false
	}
	return l[i], true
}

// Names are the list's series names in order.
func (l List) Names() []string {
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = e.Name
	}
	return out
}

// Renamed is the list for a source whose name replaces the default prefix
// from: a MongoDB source named "orders" emits "orders.cpu" for "db.cpu".
func (l List) Renamed(from, to string) List {
	if from == to {
		return l
	}
	out := make(List, len(l))
	for i, e := range l {
		e.Name = to + strings.TrimPrefix(e.Name, from)
		out[i] = e
	}
	return out
}

// All is every built-in series: what the demo emits, what the sources
// emit under their default names, and what the engine derives from them.
func All() List {
	return slices.Concat(CloudWatch, Mongo, Derived)
}
