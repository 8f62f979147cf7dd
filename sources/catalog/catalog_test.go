package catalog

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's series table from the catalogue")

const (
	readme     = "../../README.md"
	tableStart = "<!-- series table: generated from sources/catalog; go test ./sources/catalog -update -->\n"
	tableEnd   = "<!-- end of series table -->\n"
)

func TestTheReadmeListsExactlyTheCatalogue(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	before, rest, ok1 := strings.Cut(text, tableStart)
	table, after, ok2 := strings.Cut(rest, tableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no series table between %q and %q", readme, tableStart, tableEnd)
	}
	want := All().Markdown()
	if table == want {
		return
	}
	if *update {
		if err := os.WriteFile(readme, []byte(before+tableStart+want+tableEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's series table is out of date: run go test ./sources/catalog -update\ngot:\n%s\nwant:\n%s", table, want)
}

func TestNamesAreUniqueAndDescribed(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range All() {
		if seen[e.Name] {
			t.Errorf("%s is listed twice", e.Name)
		}
		seen[e.Name] = true
		if e.Description == "" || e.Kind == "" {
			t.Errorf("%s has no description or kind", e.Name)
		}
	}
}

func TestRenamedPutsTheSourceNameFirst(t *testing.T) {
	l := Mongo.Renamed(MongoPrefix, "orders")
	if !l.Has("orders.cpu") || l.Has(DB(CPU)) || !Mongo.Has(DB(CPU)) {
		t.Errorf("renamed: %v", l.Names()[:2])
	}
	if _, ok := All().Lookup(DBHostCPU); !ok {
		t.Error("the CloudWatch host CPU is missing")
	}
}
