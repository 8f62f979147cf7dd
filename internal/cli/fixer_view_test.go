package cli

import (
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/sources/mongo/indexadvice"
)

// The build cost ends "run the command above": it is shown only with a
// createIndex command to run, not when the index exists already.
func TestTheBuildCostIsShownOnlyWithACommandToRun(t *testing.T) {
	keys := []indexadvice.Key{{Field: "user_id", Dir: 1}}
	for _, c := range []struct {
		verdict indexadvice.Verdict
		want    bool
	}{
		{indexadvice.New, true},
		{indexadvice.Extends, true},
		{indexadvice.Exists, false},
		{indexadvice.Covered, false},
	} {
		e := mongo.Explain{Op: mongo.Op{NS: "app.sessions"}, Docs: 820e3, Bytes: 2.1e9,
			Proposals: []indexadvice.Proposal{{Keys: keys, Verdict: c.verdict, Related: "user_id_1", Used: true}}}
		v := explainView(e)
		if got := !v.Cost.IsEmpty(); got != c.want || got != !v.Command.IsEmpty() {
			t.Errorf("verdict %d: cost %q, command %q", c.verdict, v.Cost, v.Command)
		}
		if c.want && !strings.Contains(v.Cost.String(), "820.0 k documents") {
			t.Errorf("verdict %d: cost %q", c.verdict, v.Cost)
		}
	}
}
