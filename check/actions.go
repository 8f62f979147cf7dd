package check

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
)

// The dashboard's optional actions on a MongoDB source (x explain, k
// stop) and the privilege each needs. None is required to watch, so a
// missing one is a skip with the grant, never a failure. They are read
// from connectionStatus with showPrivileges: nothing is explained, listed
// or killed to find out.
var actionChecks = []struct {
	name, action string
	cluster      bool   // the privilege is on the cluster, not on a database
	step         string // mongo.Grants key: the one wording of what to grant
	minMajor     int
}{
	{"x explain", "find", false, "explain", 0},
	{"x listIndexes", "listIndexes", false, "listIndexes", 0},
	{"x $indexStats", "indexStats", false, "$indexStats", 0},
	{"k killOp", "killop", true, "killOp", 0},
	{"k reject query shape", "querySettings", true, "setQuerySettings", 8},
}

// CheckMongoActions reports which dashboard actions the configured user
// may take on m, with the exact privilege and the role to grant for each
// it may not.
func CheckMongoActions(ctx context.Context, m Mongo) []Result {
	n := func(what string) string { return "mongo " + what + " (" + m.Source + ")" }
	r := reach(ctx, m, n("reachable"), n("login"))
	if r.c != nil {
		defer r.c.close(ctx)
	}
	var out []Result
	if !r.connected {
		for _, a := range actionChecks {
			out = append(out, skip(n(a.name), "skipped: not connected (see above)"))
		}
		return out
	}
	d := r.dep
	cs, err := r.c.run(ctx, bson.D{{Key: "connectionStatus", Value: 1}, {Key: "showPrivileges", Value: true}})
	privs := privileges(cs)
	for _, a := range actionChecks {
		name := n(a.name)
		switch {
		case a.minMajor > 0 && mongo.MajorVersion(d.version) < a.minMajor:
			out = append(out, skip(name, fmt.Sprintf("needs MongoDB %d.0 (this is %s): not offered", a.minMajor, orUnknown(d.version))))
		case len(d.users) == 0 && err == nil:
			out = append(out, pass(name, "permitted: access control is off"))
		case err != nil:
			out = append(out, skip(name, "privileges unknown: connectionStatus: "+netDetail(err)))
		default:
			where := privs.where(a.action, a.cluster)
			if len(where) > 0 {
				out = append(out, pass(name, a.action+" "+strings.Join(where, ", ")))
				continue
			}
			res := skip(name, "not permitted (optional: the dashboard says so if it is tried): needs "+mongo.Grants[a.step])
			res.Fix = operatorFix(d)
			out = append(out, res)
		}
	}
	return out
}

// privilegeSet is the logged-in user's privileges: action -> where.
type privilegeSet map[string][]string

func privileges(cs bson.Raw) privilegeSet {
	out := privilegeSet{}
	for _, p := range bsonread.Docs(cs.Lookup("authInfo", "authenticatedUserPrivileges")) {
		res, _ := p.Lookup("resource").DocumentOK()
		where := resourceName(res)
		acts, _ := p.Lookup("actions").ArrayOK()
		avals, _ := acts.Values()
		for _, a := range avals {
			if s, ok := a.StringValueOK(); ok {
				out[s] = append(out[s], where)
			}
		}
	}
	return out
}

func resourceName(res bson.Raw) string {
	if c, ok := res.Lookup("cluster").BooleanOK(); ok && c {
		return "on the cluster"
	}
	if a, ok := res.Lookup("anyResource").BooleanOK(); ok && a {
		return "on any resource"
	}
	db, coll := str(res, "db"), str(res, "collection")
	switch {
	case db == "" && coll == "":
		return "on every database"
	case coll == "":
		return "on " + db
	case db == "":
		return "on every " + coll + " collection"
	}
	return "on " + db + "." + coll
}

// where lists the places action is granted that suit it: the cluster for
// a cluster action, databases for the others.
func (p privilegeSet) where(action string, cluster bool) []string {
	var out []string
	for _, w := range p[action] {
		onCluster := w == "on the cluster"
		if w == "on any resource" || onCluster == cluster {
			out = append(out, w)
		}
	}
	return out
}

// operatorFix is how to grant the optional operator role of
// docs/mongodb-user.md to the logged-in user.
func operatorFix(d deployment) string {
	user := ref{"USER", "admin"}
	if len(d.users) > 0 {
		user = d.users[0]
	}
	return "optional: create the stormwatchOperator role (docs/mongodb-user.md, \"Operator actions\"), then:\n" +
		fmt.Sprintf(`db.getSiblingDB("%s").grantRolesToUser("%s", [{ role: "stormwatchOperator", db: "admin" }])`, user.db, user.name)
}

func orUnknown(s string) string {
	if s == "" {
		return "version unknown"
	}
	return s
}
