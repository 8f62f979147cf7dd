package indexadvice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Index is an existing index of the collection, as listIndexes names it.
type Index struct {
	Name string
	Keys []Key
	// Uses is $indexStats' accesses.ops since the server started, or -1
	// when $indexStats was not permitted or not available.
	Uses int64
}

// Verdict is how a proposal relates to the existing indexes.
type Verdict int

const (
	// New: no existing index serves the query; build the proposal.
	New Verdict = iota
	// Exists: an index with exactly these keys exists.
	Exists
	// Covered: an existing index starts with the proposal's keys and can
	// serve the query; a second one would only cost writes.
	Covered
	// Extends: an existing index is a prefix of the proposal. Building the
	// proposal makes it redundant: drop it once the new one is in use.
	Extends
	// Nothing: the filter gives no field an index could use.
	Nothing
)

// Proposal is the index one query shape asks for.
type Proposal struct {
	Keys    []Key
	Shape   Shape
	Verdict Verdict
	Related string // the existing index named by Exists, Covered or Extends
	// Used says the winning plan scans Related. The caller sets it: only
	// the explain that produced the plan knows.
	Used bool
}

// Propose reads a find's filter and sort and proposes one index per $or
// branch (one in all without $or), each compared with the existing
// indexes. Equality fields may go in any order, so they follow an
// existing index's order where that turns a new index into an extension.
func Propose(filter, sortDoc bson.Raw, existing []Index) ([]Proposal, error) {
	branches := []bson.Raw{filter}
	if len(filter) > 0 {
		var err error
		if branches, err = Branches(filter); err != nil {
			return nil, err
		}
	}
	var out []Proposal
	for _, b := range branches {
		s, err := Analyse(b, sortDoc)
		if err != nil {
			return nil, err
		}
		if len(branches) > 1 {
			s.Ignored = slices.DeleteFunc(s.Ignored, func(x string) bool { return strings.HasPrefix(x, "$or:") })
		}
		out = append(out, compare(s, existing))
	}
	return out, nil
}

func compare(s Shape, existing []Index) Proposal {
	keys := s.Keys()
	p := Proposal{Keys: keys, Shape: s}
	if len(keys) == 0 {
		p.Verdict = Nothing
		return p
	}
	if len(s.Equality) == 1 && s.Equality[0] == "_id" {
		p.Verdict, p.Related = Covered, "_id_"
		return p
	}
	for _, ix := range existing {
		if eq, ok := alignEquality(s, ix.Keys); ok {
			p.Keys = eq
			keys = eq
			break
		}
	}
	for _, ix := range existing {
		switch {
		case sameKeys(ix.Keys, keys):
			p.Verdict, p.Related = Exists, ix.Name
			return p
		case len(ix.Keys) > len(keys) && sameKeys(ix.Keys[:len(keys)], keys):
			p.Verdict, p.Related = Covered, ix.Name
			return p
		}
	}
	for _, ix := range existing {
		if ix.Name != "_id_" && len(ix.Keys) < len(keys) && sameKeys(keys[:len(ix.Keys)], ix.Keys) {
			p.Verdict, p.Related = Extends, ix.Name
			return p
		}
	}
	return p
}

// alignEquality reorders the proposal's equality fields to follow an
// existing index whose leading fields are some of them, so the proposal
// extends that index instead of standing beside it.
func alignEquality(s Shape, ix []Key) ([]Key, bool) {
	n := 0
	for n < len(ix) && slices.Contains(s.Equality, ix[n].Field) {
		n++
	}
	if n < 2 { // one leading field already lines up by itself, or none does
		return nil, false
	}
	eq := make([]string, 0, len(s.Equality))
	for _, k := range ix[:n] {
		eq = append(eq, k.Field)
	}
	for _, f := range s.Equality {
		if !slices.Contains(eq, f) {
			eq = append(eq, f)
		}
	}
	s.Equality = eq
	return s.Keys(), true
}

// sameKeys: the same fields in the same order, and directions all equal
// or all reversed (an index scans backwards as well as forwards).
func sameKeys(a, b []Key) bool {
	if len(a) != len(b) {
		return false
	}
	fwd, rev := true, true
	for i := range a {
		if a[i].Field != b[i].Field {
			return false
		}
		fwd = fwd && a[i].Dir == b[i].Dir
		rev = rev && a[i].Dir == -b[i].Dir
	}
	return fwd || rev
}

// Why is one line saying what the proposal means for the operator.
func (p Proposal) Why() string {
	switch p.Verdict {
	case Exists:
		if p.Used {
			return fmt.Sprintf("index %s has these keys and the winning plan uses it: nothing to build", p.Related)
		}
		return fmt.Sprintf("index %s already has these keys: the plan did not use it (collation, hint or a stale plan cache?)", p.Related)
	case Covered:
		if p.Used {
			return fmt.Sprintf("index %s starts with these keys and the winning plan uses it: do not build another", p.Related)
		}
		return fmt.Sprintf("index %s starts with these keys and can serve this query: do not build another", p.Related)
	case Extends:
		return fmt.Sprintf("extends index %s: once the new index is in use, %s is redundant (drop it then, not before)", p.Related, p.Related)
	case Nothing:
		return "no field of this filter can use a B-tree index"
	}
	return "no existing index serves this query"
}

// Pattern is the key pattern as the shell writes it: {camera_id: 1, ts: -1}.
func Pattern(keys []Key) string {
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %d", jsKey(k.Field), k.Dir)
	}
	b.WriteString("}")
	return b.String()
}

// Command is the mongosh line that builds the proposal on db.coll.
// Names are quoted as JavaScript strings, so a collection or field name
// cannot break out of the command when it is pasted.
func Command(db, coll string, keys []Key) string {
	c := "." + coll
	if !ident.MatchString(coll) || strings.HasPrefix(coll, "system") {
		c = ".getCollection(" + jsString(coll) + ")"
	}
	return "db.getSiblingDB(" + jsString(db) + ")" + c + ".createIndex(" + Pattern(keys) + ")"
}

// ParseKeys reads a listIndexes key document.
func ParseKeys(key bson.Raw) []Key {
	elems, err := key.Elements()
	if err != nil {
		return nil
	}
	out := make([]Key, 0, len(elems))
	for _, e := range elems {
		dir := 1
		if n, ok := asNumber(e.Value()); ok && n < 0 {
			dir = -1
		} else if !ok {
			dir = 0 // "text", "2dsphere", "hashed": not a B-tree direction
		}
		out = append(out, Key{e.Key(), dir})
	}
	return out
}

var ident = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func jsKey(f string) string {
	if ident.MatchString(f) {
		return f
	}
	return jsString(f)
}

func jsString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a Go string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
