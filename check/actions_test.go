package check

import (
	"strings"
	"testing"
)

func TestActionChecksSayWhatIsPermittedAndWhatToGrant(t *testing.T) {
	cases := []struct {
		name     string
		s        *script
		statuses string
		contains []string
	}{
		{"a monitoring user may only read index use counts",
			&script{version: "7.0.12", user: "stormwatch", roles: monitorRoles}, "skip skip pass skip skip",
			[]string{"needs the killop action on the cluster (role hostManager", "grantRolesToUser(\"stormwatch\", [{ role: \"stormwatchOperator\"", "needs MongoDB 8.0 (this is 7.0.12)"}},
		{"an operator on 8.0 may do everything, and where is said",
			&script{version: "8.0.4", user: "ana", roles: []string{"clusterMonitor", "stormwatchOperator"}}, "pass pass pass pass pass",
			[]string{"find on cctv", "listIndexes on every database", "killop on the cluster", "querySettings on the cluster"}},
		{"without access control everything is permitted",
			&script{version: "7.0.12"}, "pass pass pass pass skip", []string{"access control is off"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := target(t, standalone, c.s)
			got := run(t, CheckMongoActions, m)
			if s := statuses(got); s != c.statuses {
				t.Errorf("statuses %q, want %q\n%+v", s, c.statuses, got)
			}
			var all strings.Builder
			for _, r := range got {
				all.WriteString(r.Detail + "\n" + r.Fix + "\n")
			}
			for _, w := range c.contains {
				if !strings.Contains(all.String(), w) {
					t.Errorf("results lack %q:\n%s", w, all.String())
				}
			}
		})
	}
}
