package indexadvice

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ext reads a filter as the server's currentOp shows it (Extended JSON,
// the form mongosh and the fixtures use).
func ext(t *testing.T, s string) bson.Raw {
	t.Helper()
	if s == "" {
		return nil
	}
	var raw bson.Raw
	if err := bson.UnmarshalExtJSON([]byte(s), false, &raw); err != nil {
		t.Fatalf("bad test filter %s: %v", s, err)
	}
	return raw
}

func TestProposeFollowsEqualitySortRange(t *testing.T) {
	idIndex := Index{Name: "_id_", Keys: []Key{{"_id", 1}}, Uses: -1}
	cases := []struct {
		name           string
		filter, sort   string
		existing       []Index
		want           []string // Pattern of each proposal
		verdict        Verdict
		related        string
		ignoredContain string
	}{
		{name: "the demo's server-c scan: equality on camera, range and sort on time",
			filter: `{"camera_id": 17, "ts": {"$gte": {"$date": "2026-12-03T08:00:00Z"}}}`, sort: `{"ts": -1}`,
			existing: []Index{idIndex}, want: []string{"{camera_id: 1, ts: -1}"}, verdict: New},
		{name: "equality alone, fields in filter order",
			filter: `{"status": "open", "owner": "ana"}`, want: []string{"{status: 1, owner: 1}"}},
		{name: "explicit $eq is equality",
			filter: `{"status": {"$eq": "open"}, "age": {"$gt": 30}}`, want: []string{"{status: 1, age: 1}"}},
		{name: "range comes after the sort, not before",
			filter: `{"price": {"$gt": 10, "$lt": 100}, "shop": 3}`, sort: `{"rating": -1}`,
			want: []string{"{shop: 1, rating: -1, price: 1}"}},
		{name: "a small $in is equality",
			filter: `{"camera_id": {"$in": [1, 2, 3]}, "ts": {"$lt": 5}}`, sort: `{"ts": -1}`,
			want: []string{"{camera_id: 1, ts: -1}"}},
		{name: "$ne, $nin, $regex and $exists are ranges",
			filter: `{"a": {"$ne": 1}, "b": {"$nin": [1]}, "c": {"$regex": "^x"}, "d": {"$exists": true}, "e": 1}`,
			want:   []string{"{e: 1, a: 1, b: 1, c: 1, d: 1}"}},
		{name: "$or gives one index per branch, each with the common equality",
			filter: `{"tenant": 4, "$or": [{"state": "new"}, {"due": {"$lt": 9}}]}`,
			want:   []string{"{tenant: 1, state: 1}", "{tenant: 1, due: 1}"}},
		{name: "nested fields by dotted path and through $elemMatch",
			filter: `{"device.site": "north", "events": {"$elemMatch": {"kind": "motion", "score": {"$gte": 0.8}}}}`,
			want:   []string{`{"device.site": 1, "events.kind": 1, "events.score": 1}`}},
		{name: "a whole sub-document is equality on the field itself",
			filter: `{"loc": {"city": "Lyon", "zip": "69001"}}`, want: []string{"{loc: 1}"}},
		{name: "$and is read through",
			filter: `{"$and": [{"a": 1}, {"b": {"$gt": 2}}]}`, sort: `{"c": 1}`, want: []string{"{a: 1, c: 1, b: 1}"}},
		{name: "an existing prefix index is flagged as a near duplicate",
			filter: `{"camera_id": 17, "ts": {"$gte": 1}}`, sort: `{"ts": -1}`,
			existing: []Index{idIndex, {Name: "camera_id_1", Keys: []Key{{"camera_id", 1}}, Uses: 12}},
			want:     []string{"{camera_id: 1, ts: -1}"}, verdict: Extends, related: "camera_id_1"},
		{name: "an index with the same keys reversed already exists",
			filter: `{"camera_id": 17}`, sort: `{"ts": 1}`,
			existing: []Index{{Name: "cam_ts", Keys: []Key{{"camera_id", -1}, {"ts", -1}}}},
			want:     []string{"{camera_id: 1, ts: 1}"}, verdict: Exists, related: "cam_ts"},
		{name: "a longer index that starts with the proposal covers it",
			filter:   `{"camera_id": 17}`,
			existing: []Index{{Name: "cam_ts_kind", Keys: []Key{{"camera_id", 1}, {"ts", -1}, {"kind", 1}}}},
			want:     []string{"{camera_id: 1}"}, verdict: Covered, related: "cam_ts_kind"},
		{name: "equality fields follow an existing index's order to extend it",
			filter:   `{"a": 1, "b": 2, "c": 3}`,
			existing: []Index{{Name: "b_1_a_1", Keys: []Key{{"b", 1}, {"a", 1}}}},
			want:     []string{"{b: 1, a: 1, c: 1}"}, verdict: Extends, related: "b_1_a_1"},
		{name: "an _id lookup is served by the _id index",
			filter: `{"_id": {"$oid": "65a000000000000000000000"}}`, existing: []Index{idIndex},
			want: []string{"{_id: 1}"}, verdict: Covered, related: "_id_"},
		{name: "$where and $expr leave nothing to index",
			filter: `{"$where": "this.a > 1", "$expr": {"$gt": ["$a", "$b"]}}`,
			want:   []string{"{}"}, verdict: Nothing, ignoredContain: "$where"},
		{name: "an empty filter with a sort asks for the sort",
			filter: `{}`, sort: `{"created": -1}`, want: []string{"{created: -1}"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Propose(ext(t, c.filter), ext(t, c.sort), c.existing)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d proposals, want %d: %+v", len(got), len(c.want), got)
			}
			for i, p := range got {
				if s := Pattern(p.Keys); s != c.want[i] {
					t.Errorf("proposal %d = %s, want %s", i, s, c.want[i])
				}
			}
			if got[0].Verdict != c.verdict || got[0].Related != c.related {
				t.Errorf("verdict %d %q, want %d %q (%s)", got[0].Verdict, got[0].Related, c.verdict, c.related, got[0].Why())
			}
			if c.ignoredContain != "" && !strings.Contains(strings.Join(got[0].Shape.Ignored, "|"), c.ignoredContain) {
				t.Errorf("ignored %q does not mention %s", got[0].Shape.Ignored, c.ignoredContain)
			}
		})
	}
}

func TestLargeInIsARangeBehindTheSort(t *testing.T) {
	var ids bson.A
	for i := 0; i < maxInEquality+1; i++ {
		ids = append(ids, i)
	}
	f, _ := bson.Marshal(bson.D{{Key: "camera_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	s, _ := bson.Marshal(bson.D{{Key: "ts", Value: -1}})
	got, err := Propose(f, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := Pattern(got[0].Keys); p != "{ts: -1, camera_id: 1}" {
		t.Errorf("got %s", p)
	}
}

func TestCommandQuotesNamesSoAPasteCannotBreakOut(t *testing.T) {
	cases := []struct{ db, coll, want string }{
		{"cctv", "events", `db.getSiblingDB("cctv").events.createIndex({camera_id: 1, ts: -1})`},
		{"cctv", `ev"); db.dropDatabase("`, `db.getSiblingDB("cctv").getCollection("ev\"); db.dropDatabase(\"").createIndex({camera_id: 1, ts: -1})`},
		{"a-b", "system.x", `db.getSiblingDB("a-b").getCollection("system.x").createIndex({camera_id: 1, ts: -1})`},
	}
	for _, c := range cases {
		if got := Command(c.db, c.coll, []Key{{"camera_id", 1}, {"ts", -1}}); got != c.want {
			t.Errorf("Command(%q, %q)\n got %s\nwant %s", c.db, c.coll, got, c.want)
		}
	}
	if got := Pattern([]Key{{`a"b`, 1}}); got != `{"a\"b": 1}` {
		t.Errorf("field quoting: %s", got)
	}
}

func TestParseKeysReadsListIndexesKeys(t *testing.T) {
	got := ParseKeys(ext(t, `{"camera_id": 1, "ts": {"$numberLong": "-1"}, "loc": "2dsphere", "x": 1.0}`))
	want := []Key{{"camera_id", 1}, {"ts", -1}, {"loc", 0}, {"x", 1}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("key %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// An index that exists is "not used" only when the winning plan did not
// scan it; explaining an indexed operation must not say it was skipped.
func TestWhySaysWhetherTheWinningPlanUsesTheIndex(t *testing.T) {
	for _, c := range []struct {
		p             Proposal
		want, without string
	}{
		{Proposal{Verdict: Exists, Related: "user_id_1", Used: true}, "the winning plan uses it: nothing to build", "did not use"},
		{Proposal{Verdict: Exists, Related: "user_id_1"}, "the plan did not use it", "winning plan uses"},
		{Proposal{Verdict: Covered, Related: "a_1_b_1", Used: true}, "the winning plan uses it", "can serve"},
		{Proposal{Verdict: Covered, Related: "a_1_b_1"}, "can serve this query", "winning plan uses"},
	} {
		if got := c.p.Why(); !strings.Contains(got, c.want) || strings.Contains(got, c.without) || !strings.Contains(got, c.p.Related) {
			t.Errorf("%+v: %q, want %q and not %q", c.p, got, c.want, c.without)
		}
	}
}
