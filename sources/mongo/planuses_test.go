package mongo

import "testing"

func TestPlanUsesReadsTheIndexOfAScanStage(t *testing.T) {
	for _, c := range []struct {
		plan, index string
		want        bool
	}{
		{"FETCH <- IXSCAN user_id_1", "user_id_1", true},
		{"SORT <- COLLSCAN", "_id_", false},
		{"FETCH <- IXSCAN user_id_1_ts_-1", "user_id_1", false},
		{"COUNT_SCAN camera_id_1", "camera_id_1", true},
		{"SHARD_MERGE <- FETCH <- IXSCAN email_1", "email_1", true},
		{"plan not reported", "", false},
	} {
		if got := planUses(c.plan, c.index); got != c.want {
			t.Errorf("planUses(%q, %q) = %v, want %v", c.plan, c.index, got, c.want)
		}
	}
}
