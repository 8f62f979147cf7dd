package mongo

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Explain replays what makes the server choose a plan. Without the hint or
// the collation it could show a plan the operation does not run; distinct
// was sent with find's "filter" and no "key", which no server accepts.
func TestExplainReplaysWhatChoosesThePlan(t *testing.T) {
	filter := bson.D{{Key: "camera_id", Value: int32(17)}}
	tests := []struct {
		name string
		cmd  bson.D
		want string
	}{
		{"find with hint, collation and projection", bson.D{{Key: "find", Value: "events"}, {Key: "filter", Value: filter},
			{Key: "projection", Value: bson.D{{Key: "ts", Value: int32(1)}}}, {Key: "hint", Value: "camera_id_1"},
			{Key: "collation", Value: bson.D{{Key: "locale", Value: "fr"}}}},
			`{"explain":{"find":"events","filter":{"camera_id":17},"projection":{"ts":1},"hint":"camera_id_1","collation":{"locale":"fr"}},"verbosity":"queryPlanner"}`},
		{"aggregate with a key-pattern hint", bson.D{{Key: "aggregate", Value: "events"},
			{Key: "pipeline", Value: bson.A{bson.D{{Key: "$match", Value: filter}}}}, {Key: "hint", Value: bson.D{{Key: "camera_id", Value: int32(1)}}}},
			`{"explain":{"aggregate":"events","pipeline":[{"$match":{"camera_id":17}}],"cursor":{},"hint":{"camera_id":1}},"verbosity":"queryPlanner"}`},
		{"count", bson.D{{Key: "count", Value: "events"}, {Key: "query", Value: filter}},
			`{"explain":{"count":"events","query":{"camera_id":17}},"verbosity":"queryPlanner"}`},
		{"distinct", bson.D{{Key: "distinct", Value: "events"}, {Key: "key", Value: "camera_id"}, {Key: "query", Value: filter}},
			`{"explain":{"distinct":"events","key":"camera_id","query":{"camera_id":17}},"verbosity":"queryPlanner"}`},
		{"find without options sends none", bson.D{{Key: "find", Value: "events"}, {Key: "filter", Value: filter}},
			`{"explain":{"find":"events","filter":{"camera_id":17}},"verbosity":"queryPlanner"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := bson.Marshal(bson.D{{Key: "opid", Value: int32(1)}, {Key: "ns", Value: "cctv.events"}, {Key: "command", Value: tc.cmd}})
			if err != nil {
				t.Fatal(err)
			}
			op := parseOp(raw, false)
			got, err := bson.MarshalExtJSON(explainCommand(op, "events"), false, false)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("explain\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}
