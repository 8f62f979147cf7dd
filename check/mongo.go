package check

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo"
)

// deployment is what hello, buildInfo and connectionStatus say.
type deployment struct {
	kind    string // standalone, replica set, sharded
	setName string
	members int
	version string // "" when buildInfo failed
	// fromWire: version is the release the wire version stands for ("3.6",
	// "2.4 or older"), because the server is too old to ask.
	fromWire bool
	users    []ref // authenticated users
	roles    []ref // their roles
}

// ref is a user or a role: a name and the database that holds it.
type ref struct{ name, db string }

func (r ref) String() string { return r.name + "@" + r.db }

const (
	standalone = "standalone"
	replicaSet = "replica set"
	sharded    = "sharded"
)

func (d deployment) describe() string {
	var s string
	switch d.kind {
	case replicaSet:
		s = "replica set " + d.setName
		if d.members > 0 {
			s += fmt.Sprintf(" (%d members)", d.members)
		}
	case sharded:
		s = "sharded cluster (through mongos)"
	default:
		s = "standalone server"
	}
	switch {
	case d.fromWire:
		s += ", MongoDB " + d.version + " (by its wire version)"
	case d.version != "":
		s += ", MongoDB " + d.version
	}
	return s
}

// reach connects and learns the deployment. On failure it returns the
// reachability line (a failure, or a pass when the server answered but
// refused the login) and the login line; ok is false and later checks are
// skipped.
type reachResult struct {
	c         *conn
	dep       deployment
	reach     Result
	login     *Result // set when the login itself failed
	connected bool
	tooOld    bool // answered, but older than the driver supports: dep is from the handshake
}

func reach(ctx context.Context, m Mongo, reachName, loginName string) reachResult {
	var r reachResult
	if m.URI == "" {
		env := nameOr(m.URIEnv, "MONGODB_URI")
		r.reach = fail(reachName, "environment variable "+env+" is empty",
			"export "+env+"='mongodb://stormwatch:PASSWORD@HOST:27017/?authSource=admin' (docs/mongodb-user.md creates that user)")
		return r
	}
	c, err := dial(m)
	if err != nil {
		r.reach = fail(reachName, "invalid connection string: "+err.Error(),
			"correct the connection string in "+nameOr(m.URIEnv, "uri")+" (https://www.mongodb.com/docs/manual/reference/connection-string/)")
		return r
	}
	r.c = c
	hello, err := c.run(ctx, bson.D{{Key: "hello", Value: 1}})
	switch {
	case err == nil:
	case isAuthFailure(err):
		r.reach = pass(reachName, "the server answered")
		l := fail(loginName, "authentication failed", "check the user name, password and authSource in "+nameOr(m.URIEnv, "the URI")+
			" (a user created in admin needs ?authSource=admin)")
		r.login = &l
		return r
	default:
		if wire, old := c.tooOld(); old {
			r.tooOld, r.dep = true, c.handshake()
			r.reach = fail(reachName, fmt.Sprintf("the server speaks wire version %d (MongoDB %s); stormwatch needs MongoDB 4.4 or newer", wire, releaseOfWire(wire)),
				"upgrade MongoDB to 4.4 or newer (one major release at a time); stormwatch cannot watch older servers")
			return r
		}
		if d, ok := unreachable(err); ok {
			r.reach = fail(reachName, d, "check the host and port in "+nameOr(m.URIEnv, "the URI")+
				", and that a firewall or security group lets this machine reach it (Atlas: add this IP to the access list)")
			return r
		}
		r.reach = fail(reachName, "hello: "+netDetail(err), "")
		return r
	}
	r.connected = true
	r.dep = parseDeployment(hello)
	if bi, err := c.run(ctx, bson.D{{Key: "buildInfo", Value: 1}}); err == nil {
		r.dep.version = str(bi, "version")
	}
	if cs, err := c.run(ctx, bson.D{{Key: "connectionStatus", Value: 1}, {Key: "showPrivileges", Value: false}}); err == nil {
		r.dep.users = refs(cs, "authInfo", "authenticatedUsers", "user")
		r.dep.roles = refs(cs, "authInfo", "authenticatedUserRoles", "role")
	}
	r.reach = pass(reachName, r.dep.describe())
	return r
}

func parseDeployment(hello bson.Raw) deployment {
	var d deployment
	switch {
	case str(hello, "msg") == "isdbgrid":
		d.kind = sharded
	case str(hello, "setName") != "":
		d.kind, d.setName = replicaSet, str(hello, "setName")
		if hosts, ok := hello.Lookup("hosts").ArrayOK(); ok {
			vals, _ := hosts.Values()
			d.members = len(vals)
		}
	default:
		d.kind = standalone
	}
	return d
}

// CheckMongo returns the lines for one MongoDB source: reachable (with the
// topology and version), logged in, and each command the dashboard runs
// permitted.
func CheckMongo(ctx context.Context, m Mongo) []Result {
	n := func(what string) string { return "mongo " + what + " (" + m.Source + ")" }
	r := reach(ctx, m, n("reachable"), n("login"))
	if r.c != nil {
		defer r.c.close(ctx)
	}
	cmds := []string{n("serverStatus"), n("replSetGetStatus"), n("$currentOp"), n("top"), n("listCollections")}
	if r.dep.kind == sharded {
		cmds[1] = n("listShards")
	}
	if !r.connected {
		out := []Result{r.reach}
		why := "skipped: not connected (see above)"
		if r.login != nil {
			out = append(out, *r.login)
			why = "skipped: not logged in (see above)"
		} else {
			out = append(out, skip(n("login"), why))
		}
		for _, c := range cmds {
			out = append(out, skip(c, why))
		}
		return out
	}
	d := r.dep
	ss := permitted(ctx, r.c, cmds[0], d, bson.D{{Key: "serverStatus", Value: 1}})
	login := loginLine(n("login"), d, ss, m.URIEnv)
	out := []Result{r.reach, login}
	if login.Status == Fail {
		for _, c := range cmds {
			out = append(out, skip(c, "skipped: not logged in (see above)"))
		}
		return out
	}
	out = append(out, ss)
	switch d.kind {
	case replicaSet:
		out = append(out, permitted(ctx, r.c, cmds[1], d, bson.D{{Key: "replSetGetStatus", Value: 1}}))
	case sharded:
		out = append(out, permitted(ctx, r.c, cmds[1], d, bson.D{{Key: "listShards", Value: 1}}))
	default:
		out = append(out, skip(cmds[1], "a standalone server has no replica set: not needed"))
	}
	out = append(out, currentOp(ctx, r.c, cmds[2], d))
	if d.kind == sharded {
		out = append(out, skip(cmds[3], "mongos keeps no top: stormwatch asks the shards' members"))
	} else {
		out = append(out, permitted(ctx, r.c, cmds[3], d, bson.D{{Key: "top", Value: 1}}))
	}
	return append(out, catalog(ctx, r.c, cmds[4], d))
}

// catalog checks what the largest-collections panel needs: listDatabases,
// which clusterMonitor grants, and listCollections on a user database,
// which no built-in monitoring role grants.
func catalog(ctx context.Context, c *conn, name string, d deployment) Result {
	raw, err := c.run(ctx, bson.D{{Key: "listDatabases", Value: 1}, {Key: "nameOnly", Value: true}})
	if err != nil {
		r := permittedErr(name, d, "listDatabases", err)
		r.Detail = "listDatabases: " + r.Detail
		return r
	}
	db := ""
	for _, v := range values(raw, "databases") {
		if doc, ok := v.DocumentOK(); ok {
			if n := str(doc, "name"); n != "admin" && n != "local" && n != "config" && n != "" {
				db = n
				break
			}
		}
	}
	if db == "" {
		return skip(name, "no database besides admin, local and config yet: nothing to list")
	}
	err = c.listCollections(ctx, db)
	switch {
	case err == nil:
		return pass(name, "permitted (listed "+db+")")
	case mongo.HasCode(err, codeUnauthorized):
		return fail(name, "not authorized on "+db+" (clusterMonitor does not grant listCollections): the largest-collections panel stays empty",
			catalogFix(d))
	}
	return permittedErr(name, d, "listCollections", err)
}

func catalogFix(d deployment) string {
	user := ref{"USER", "admin"}
	if len(d.users) > 0 {
		user = d.users[0]
	}
	return "in mongosh, as a user administrator (docs/mongodb-user.md; on Atlas, a custom role in the UI):\n" +
		`db.getSiblingDB("admin").createRole({role: "stormwatchCatalog", privileges: [{resource: {db: "", collection: ""}, actions: ["listCollections"]}], roles: []})` + "\n" +
		fmt.Sprintf(`db.getSiblingDB("%s").grantRolesToUser("%s", [{ role: "stormwatchCatalog", db: "admin" }])`, user.db, user.name)
}

func values(doc bson.Raw, key string) []bson.RawValue {
	arr, ok := doc.Lookup(key).ArrayOK()
	if !ok {
		return nil
	}
	vals, _ := arr.Values()
	return vals
}

// loginLine says who is logged in. With no user, whether the server lets
// anyone monitor it shows in serverStatus: an Unauthorized there means the
// URI lacks a user, not that a user lacks a role.
func loginLine(name string, d deployment, serverStatus Result, env string) Result {
	if len(d.users) > 0 {
		var roles []string
		for _, r := range d.roles {
			roles = append(roles, r.String())
		}
		return pass(name, fmt.Sprintf("as %s (roles: %s)", d.users[0], orNone(roles)))
	}
	if serverStatus.Status == Fail {
		return fail(name, "no user in the connection string, and the server requires one",
			"put the monitoring user in "+nameOr(env, "the URI")+": mongodb://stormwatch:PASSWORD@HOST:27017/?authSource=admin (docs/mongodb-user.md creates it)")
	}
	r := pass(name, "no user: this server lets anyone monitor it (access control is off)")
	r.Fix = "turn access control on (security.authorization: enabled) and give stormwatch its own clusterMonitor user: docs/mongodb-user.md"
	return r
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// permitted runs one read-only command and reports whether the user may.
func permitted(ctx context.Context, c *conn, name string, d deployment, cmd bson.D) Result {
	_, err := c.run(ctx, cmd)
	if err == nil {
		return pass(name, "permitted")
	}
	return permittedErr(name, d, cmd[0].Key, err)
}

func permittedErr(name string, d deployment, cmd string, err error) Result {
	switch {
	case mongo.HasCode(err, codeUnauthorized):
		return fail(name, "not authorized", grantFix(d, "clusterMonitor"))
	case mongo.HasCode(err, codeCommandNotFound), mongo.HasCode(err, codeNoReplication):
		return skip(name, "this server does not have "+cmd+" (not MongoDB itself?): the panels that need it stay empty")
	}
	if u, ok := unreachable(err); ok {
		return fail(name, u, "the server stopped answering during the check: run it again")
	}
	return fail(name, cmd+": "+netDetail(err), "")
}

// currentOp checks $currentOp, which the top-clients and slow-ops panels
// read. It asks for one operation only.
func currentOp(ctx context.Context, c *conn, name string, d deployment) Result {
	if v, ok := parseVersion(d.version); ok && !v.atLeast(version{3, 6}) {
		return skip(name, "MongoDB "+d.version+" has no $currentOp stage (3.6+): the top-clients and slow-ops panels stay empty")
	}
	_, err := c.aggregate(ctx, bson.A{
		bson.D{{Key: "$currentOp", Value: bson.D{{Key: "allUsers", Value: true}, {Key: "localOps", Value: d.kind == sharded}}}},
		bson.D{{Key: "$limit", Value: 1}},
	})
	switch {
	case err == nil:
		return pass(name, "permitted")
	case mongo.HasCode(err, codeUnauthorized):
		return fail(name, "not authorized (needs the inprog privilege)", grantFix(d, "clusterMonitor"))
	case mongo.HasCode(err, codeCommandNotFound), mongo.HasCode(err, codeUnknownStage), mongo.HasCode(err, codeFailedToParse):
		return skip(name, "this server does not support $currentOp: the top-clients and slow-ops panels stay empty")
	}
	if u, ok := unreachable(err); ok {
		return fail(name, u, "the server stopped answering during the check: run it again")
	}
	return fail(name, "$currentOp: "+netDetail(err), "")
}

// grantFix is the mongosh command that grants roles to the logged-in user.
func grantFix(d deployment, roles ...string) string {
	user := ref{"USER", "admin"}
	if len(d.users) > 0 {
		user = d.users[0]
	}
	var rs []string
	for _, r := range roles {
		rs = append(rs, fmt.Sprintf(`{ role: "%s", db: "admin" }`, r))
	}
	return fmt.Sprintf("in mongosh, as a user administrator:\n"+
		`db.getSiblingDB("%s").grantRolesToUser("%s", [%s])`, user.db, user.name, strings.Join(rs, ", "))
}

func str(doc bson.Raw, key string) string {
	s, _ := doc.Lookup(key).StringValueOK()
	return s
}

// refs reads a list of {<field>: name, db: db} documents at path.
func refs(doc bson.Raw, path0, path1, field string) []ref {
	arr, ok := doc.Lookup(path0, path1).ArrayOK()
	if !ok {
		return nil
	}
	vals, _ := arr.Values()
	var out []ref
	for _, v := range vals {
		if d, ok := v.DocumentOK(); ok {
			out = append(out, ref{str(d, field), str(d, "db")})
		}
	}
	return out
}
