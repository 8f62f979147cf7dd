package texttest

import (
	"testing"

	"github.com/stormwatch/stormwatch/text"
)

func TestCleanedCorpusLeaksNothing(t *testing.T) {
	es := Corpus()
	if len(es) == 0 {
		t.Fatal("empty corpus")
	}
	for _, e := range es {
		if e.Class == "long name" {
			continue
		}
		if len(Leaks([]byte(e.Text), false)) == 0 {
			t.Errorf("%s: the raw text is not detected as a leak", e.Class)
		}
		if l := Leaks([]byte(text.Clean(e.Text).String()), false); len(l) != 0 {
			t.Errorf("%s: the cleaned text still leaks %q", e.Class, l[0].Raw)
		}
	}
}
