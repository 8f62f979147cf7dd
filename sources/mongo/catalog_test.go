package mongo

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/sources/catalog"
)

// everything is a status with every value the source reads, v for each.
func everything(v float64, at time.Time) status {
	var s status
	set := func(f reflect.Value) {
		if f.Type() == reflect.TypeOf(opt{}) {
			f.Set(reflect.ValueOf(opt{V: v, OK: true}))
		}
	}
	rv := reflect.ValueOf(&s).Elem()
	for i := range rv.NumField() {
		f := rv.Field(i)
		set(f)
		if f.Kind() == reflect.Array {
			for j := range f.Len() {
				set(f.Index(j))
			}
		}
	}
	s.Pid = opt{V: 1, OK: true}
	s.LocalTime = at
	s.Repl.Secondary = true
	return s
}

func emitted(vals []value, into map[string]bool) {
	for _, v := range vals {
		into[catalog.DB(v.Name)] = true
	}
}

func TestTheCatalogueListsExactlyWhatTheSourceEmits(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prev, cur := everything(100, t0), everything(200, t0.Add(time.Second))
	got := map[string]bool{catalog.DB(catalog.ReplLag): true} // emitted from replSetGetStatus (applyRepl)
	emitted(gauges(cur), got)
	emitted(rates(&prev, cur, 4), got)
	for name := range got {
		if !catalog.Mongo.Has(name) {
			t.Errorf("the source emits %s, which is not in catalog.Mongo: add it there", name)
		}
	}
	for _, name := range catalog.Mongo.Names() {
		if !got[name] {
			t.Errorf("catalog.Mongo lists %s, which the source never emits", name)
		}
	}
}

func TestEverySeriesFromTheRecordedServersIsInTheCatalogue(t *testing.T) {
	dir := filepath.Join(fixturesDir(t), "sequences")
	for _, file := range []string{"seq-4.4.29-primary.json", "seq-5.0.31-primary.json", "seq-4.4.2-mongos.json"} {
		docs := readSeq(t, filepath.Join(dir, file))
		got := map[string]bool{}
		for i := 1; i < len(docs); i++ {
			prev, cur := parseStatus(docs[i-1]), parseStatus(docs[i])
			emitted(gauges(cur), got)
			emitted(rates(&prev, cur, 4), got)
		}
		for name := range got {
			if !catalog.Mongo.Has(name) {
				t.Errorf("%s: %s is not in catalog.Mongo", file, name)
			}
		}
		if !got[catalog.DB(catalog.CPU)] {
			t.Errorf("%s: no %s at all", file, catalog.DB(catalog.CPU))
		}
	}
}
