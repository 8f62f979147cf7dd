// Package indexadvice turns a query's filter and sort into the index that
// would serve it, by MongoDB's Equality, Sort, Range rule, and compares the
// proposal with the collection's existing indexes so a near duplicate is
// named rather than built.
//
// It is pure: no I/O, BSON in, plain values out. What the server actually
// chooses is explain's business (sources/mongo); this package only says
// what to ask for.
package indexadvice

import (
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
)

// Key is one field of an index key pattern: Dir is 1 or -1.
type Key struct {
	Field string
	Dir   int
}

// Shape is what a filter and sort ask of an index.
type Shape struct {
	Equality []string // fields compared for equality, in filter order
	Sort     []Key    // the sort, in order
	Range    []string // fields compared by range, in filter order
	// Ignored says which parts of the filter an index cannot serve and why
	// ("$where: runs JavaScript on every document").
	Ignored []string
}

// maxInEquality is how many $in values still count as equality: up to 200
// the planner explodes them into point scans that merge in sort order
// (the server's internalQueryMaxScansToExplode); beyond, they scan a range
// and the sort must come first.
const maxInEquality = 200

// Analyse reads a find filter and sort. An $or is not analysed here: each
// branch is its own shape (see Branches). A filter that is not a document
// gives an error naming it.
func Analyse(filter, sortDoc bson.Raw) (Shape, error) {
	var s Shape
	if len(filter) > 0 {
		if err := s.addFilter("", filter); err != nil {
			return Shape{}, err
		}
	}
	if len(sortDoc) > 0 {
		elems, err := sortDoc.Elements()
		if err != nil {
			return Shape{}, fmt.Errorf("read sort: %w", err)
		}
		for _, e := range elems {
			dir := 1
			if n, ok := asNumber(e.Value()); ok && n < 0 {
				dir = -1
			} else if !ok {
				s.Ignored = append(s.Ignored, e.Key()+": sorted by "+e.Value().Type.String()+" (text score?), not by an index")
				continue
			}
			s.Sort = append(s.Sort, Key{e.Key(), dir})
		}
	}
	s.Range = slices.DeleteFunc(s.Range, func(f string) bool { return slices.Contains(s.Equality, f) })
	return s, nil
}

func (s *Shape) addFilter(prefix string, doc bson.Raw) error {
	elems, err := doc.Elements()
	if err != nil {
		return fmt.Errorf("read filter: %w", err)
	}
	for _, e := range elems {
		k := e.Key()
		switch k {
		case "$and":
			for _, b := range bsonread.Docs(e.Value()) {
				if err := s.addFilter(prefix, b); err != nil {
					return err
				}
			}
		case "$or":
			// Branches gives each branch its own index; here only note it.
			s.Ignored = append(s.Ignored, "$or: each branch needs its own index (proposed separately)")
		case "$nor":
			s.Ignored = append(s.Ignored, "$nor: negations cannot use an index bound")
		case "$where":
			s.Ignored = append(s.Ignored, "$where: runs JavaScript on every document; no index helps")
		case "$expr":
			s.Ignored = append(s.Ignored, "$expr: an aggregation expression; only simple $eq can use an index")
		case "$text":
			s.Ignored = append(s.Ignored, "$text: needs a text index, not a B-tree one")
		case "$comment":
		default:
			s.addField(join(prefix, k), e.Value())
		}
	}
	return nil
}

// addField classifies one field's condition.
func (s *Shape) addField(field string, v bson.RawValue) {
	d, ok := v.DocumentOK()
	if !ok || !isOperatorDoc(d) {
		// A literal, an array or a whole sub-document: equality.
		s.addEq(field)
		return
	}
	elems, _ := d.Elements()
	for _, e := range elems {
		switch e.Key() {
		case "$eq":
			s.addEq(field)
		case "$in":
			if n := arrayLen(e.Value()); n >= 0 && n <= maxInEquality {
				s.addEq(field)
			} else {
				s.addRange(field)
			}
		case "$gt", "$gte", "$lt", "$lte", "$ne", "$nin", "$exists", "$type", "$regex", "$mod", "$size", "$all":
			s.addRange(field)
		case "$elemMatch":
			if sub, ok := e.Value().DocumentOK(); ok && !isOperatorDoc(sub) {
				_ = s.addFilter(field, sub) // a Raw from a valid document reads again
			} else {
				s.addRange(field)
			}
		case "$options", "$comment":
		case "$not":
			s.Ignored = append(s.Ignored, field+": $not bounds are rarely selective; left out")
		default:
			s.Ignored = append(s.Ignored, field+": "+e.Key()+" (geo or other special index) left out")
		}
	}
}

func (s *Shape) addEq(f string) {
	if !slices.Contains(s.Equality, f) {
		s.Equality = append(s.Equality, f)
	}
}

func (s *Shape) addRange(f string) {
	if !slices.Contains(s.Range, f) {
		s.Range = append(s.Range, f)
	}
}

// Branches splits a filter with a top-level $or into one filter per
// branch, each with the conditions outside the $or: MongoDB plans every
// branch on its own, so each needs an index. Without $or it returns the
// filter alone.
func Branches(filter bson.Raw) ([]bson.Raw, error) {
	elems, err := filter.Elements()
	if err != nil {
		return nil, fmt.Errorf("read filter: %w", err)
	}
	var common bson.D
	var ors []bson.Raw
	for _, e := range elems {
		if e.Key() == "$or" && ors == nil {
			ors = bsonread.Docs(e.Value())
			continue
		}
		common = append(common, bson.E{Key: e.Key(), Value: e.Value()})
	}
	if ors == nil {
		return []bson.Raw{filter}, nil
	}
	out := make([]bson.Raw, 0, len(ors))
	for _, b := range ors {
		d := append(bson.D{}, common...)
		bel, _ := b.Elements()
		for _, e := range bel {
			d = append(d, bson.E{Key: e.Key(), Value: e.Value()})
		}
		raw, err := bson.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("rebuild $or branch: %w", err)
		}
		out = append(out, raw)
	}
	return out, nil
}

// Keys is the index ESR asks for: equality fields, then the sort, then
// range fields not already sorted on. Equality keys take the sort's
// direction when they are sorted on too, else 1; range keys are 1 (a
// range scans either way).
func (s Shape) Keys() []Key {
	var out []Key
	seen := map[string]bool{}
	for _, f := range s.Equality {
		out = append(out, Key{f, 1})
		seen[f] = true
	}
	for _, k := range s.Sort {
		if !seen[k.Field] {
			out = append(out, k)
			seen[k.Field] = true
		}
	}
	for _, f := range s.Range {
		if !seen[f] {
			out = append(out, Key{f, 1})
			seen[f] = true
		}
	}
	return out
}

func isOperatorDoc(d bson.Raw) bool {
	elems, err := d.Elements()
	if err != nil || len(elems) == 0 {
		return false
	}
	return strings.HasPrefix(elems[0].Key(), "$")
}

func arrayLen(v bson.RawValue) int {
	arr, ok := v.ArrayOK()
	if !ok {
		return -1
	}
	vals, _ := arr.Values()
	return len(vals)
}

func asNumber(v bson.RawValue) (float64, bool) {
	switch v.Type {
	case bson.TypeInt32:
		return float64(v.Int32()), true
	case bson.TypeInt64:
		return float64(v.Int64()), true
	case bson.TypeDouble:
		return v.Double(), true
	}
	return 0, false
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}
