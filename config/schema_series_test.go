package config

import (
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/stormwatch/stormwatch/sources/catalog"
)

var update = flag.Bool("update", false, "rewrite the schema's series examples from the catalogue")

// examplesLine is the one line of the schema that lists the series.
var examplesLine = regexp.MustCompile(`(?m)^(\s*"examples": ).*$`)

func TestTheSchemaOffersTheCataloguesSeries(t *testing.T) {
	want := catalog.All().Names()
	if *update {
		data, err := os.ReadFile(schemaPath)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := json.Marshal(want)
		data = examplesLine.ReplaceAll(data, append([]byte("${1}"), list...))
		if err := os.WriteFile(schemaPath, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var s struct {
		Defs map[string]struct {
			Examples []string `json:"examples"`
		} `json:"$defs"`
	}
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	if got := s.Defs["series"].Examples; !slices.Equal(got, want) {
		t.Errorf("%s: $defs.series.examples = %v\nwant the catalogue's %v (go test ./config -run Schema -update)", schemaPath, got, want)
	}
}
