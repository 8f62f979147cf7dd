package mongo

import (
	"os"
	"path/filepath"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// fixturesDir finds the shared MongoDB fixtures, read in place and never
// copied into the repository: $STORMWATCH_FIXTURES, else the first
// shared/fixtures/mongo above the test's working directory (the repo sits
// beside shared/ both here and in CI).
func fixturesDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("STORMWATCH_FIXTURES"); d != "" {
		if _, err := os.Stat(d); err != nil {
			t.Skipf("mongo fixtures not found at %s; set STORMWATCH_FIXTURES", d)
		}
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, "shared", "fixtures", "mongo")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	t.Skipf("mongo fixtures not found at shared/fixtures/mongo above %s; set STORMWATCH_FIXTURES", wd)
	return ""
}

// readDoc reads one Extended JSON document (canonical or relaxed).
func readDoc(t *testing.T, path string) bson.Raw {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON(data, false, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

// readSeq reads a JSON array of documents, keeping their BSON types.
func readSeq(t *testing.T, path string) []bson.Raw {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := append(append([]byte(`{"a":`), data...), '}')
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON(wrapped, false, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	vals, err := doc.Lookup("a").Array().Values()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]bson.Raw, len(vals))
	for i, v := range vals {
		out[i] = v.Document()
	}
	return out
}
