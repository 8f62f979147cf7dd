package demo

import (
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The story has no index on cctv.events but _id_ (x explains server-c's
// COLLSCAN there and proposes {camera_id: 1, ts: -1}), yet the web view's
// operations and slow-log lines claimed an IXSCAN on that very index of
// cctv.events: the demo contradicted its own explain.
func TestNothingInTheDemoUsesAnIndexThatCctvEventsDoesNotHave(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, st := range []State{{ServerCActive: true, RequestsPerMin: 2400}, {RequestsPerMin: 800}} {
		for _, op := range activeOps(st, now) {
			raw, _ := bson.Marshal(op)
			ns, _ := bson.Raw(raw).Lookup("ns").StringValueOK()
			plan, _ := bson.Raw(raw).Lookup("planSummary").StringValueOK()
			if ns == "cctv.events" && strings.HasPrefix(plan, "IXSCAN") {
				t.Errorf("an active operation on cctv.events uses %s, an index the demo does not list", plan)
			}
		}
		l := &shapeLog{}
		for range 40 {
			l.write(now, st)
		}
		for _, line := range l.lines {
			if strings.Contains(line, `"ns":"cctv.events"`) && strings.Contains(line, `"planSummary":"IXSCAN`) {
				t.Errorf("a slow-log line on cctv.events uses an index the demo does not list: %s", line)
				break
			}
		}
	}
}
