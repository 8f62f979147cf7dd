package check

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo"
)

// CheckAtlas returns the Atlas Live Migrate prerequisites for one MongoDB
// deployment: a replica set or sharded cluster, a new enough server, a user
// with clusterMonitor and backup, and the drivers the applications use.
func CheckAtlas(ctx context.Context, m Mongo) []Result {
	const (
		reachName   = "atlas: source reachable"
		deployName  = "atlas: replica set or sharded"
		versionName = "atlas: server version"
		rolesName   = "atlas: migration user roles"
		driversName = "atlas: application drivers"
	)
	r := reach(ctx, m, reachName, "atlas: login")
	if r.c != nil {
		defer r.c.close(ctx)
	}
	if r.tooOld {
		return oldSource(r, deployName, versionName, rolesName, driversName)
	}
	if !r.connected {
		out := []Result{r.reach}
		if r.login != nil {
			out = append(out, *r.login)
		}
		why := "skipped: not connected (see above)"
		for _, n := range []string{deployName, versionName, rolesName, driversName} {
			out = append(out, skip(n, why))
		}
		return out
	}
	d := r.dep
	return []Result{r.reach, deploymentLine(deployName, d), versionLine(versionName, d), rolesLine(rolesName, d),
		driversLine(ctx, r.c, driversName, d)}
}

// oldSource is the checklist for a server older than the driver speaks to:
// the handshake still tells the topology and the release, which are what a
// migration from an old server most needs to know; the rest is for mongosh.
func oldSource(r reachResult, deployName, versionName, rolesName, driversName string) []Result {
	d := r.dep
	reach := pass(r.reach.Name, d.describe()+"; stormwatch's driver runs no commands on servers older than 4.4, so the last two lines need mongosh")
	version := versionLine(versionName, d)
	if d.version == "2.4 or older" {
		version = fail(versionName, "MongoDB 2.4 or older (by its wire version); Live Migrate needs 2.6 or newer",
			"upgrade to 2.6 or newer first (https://www.mongodb.com/docs/manual/release-notes/)")
	}
	roles := skip(rolesName, "not checked on a server this old")
	roles.Fix = "in mongosh, as the migration user: db.runCommand({connectionStatus: 1}).authInfo.authenticatedUserRoles must list clusterMonitor and backup (or root) on admin"
	drivers := skip(driversName, "not checked on a server this old")
	drivers.Fix = `in mongosh: db.currentOp({$all: true}).inprog.filter(o => o.clientMetadata).map(o => o.clientMetadata.driver)` +
		"\n(MongoDB before 3.4 records no driver metadata: ask each application team)"
	return []Result{reach, deploymentLine(deployName, d), version, roles, drivers}
}

func deploymentLine(name string, d deployment) Result {
	if d.kind != standalone {
		return pass(name, d.describe())
	}
	return fail(name, "a standalone server: Live Migrate reads the oplog, which only a replica set keeps",
		"make it a one-member replica set (a restart, no data copy):\n"+
			"1. in mongod.conf add\n"+
			"     replication:\n"+
			"       replSetName: rs0\n"+
			"   (or start mongod with --replSet rs0)\n"+
			"2. restart mongod\n"+
			"3. in mongosh: rs.initiate()\n"+
			"4. add replicaSet=rs0 to the connection strings, then run stormwatch check atlas-migration again")
}

func versionLine(name string, d deployment) Result {
	v, ok := parseVersion(d.version)
	if !ok {
		return fail(name, "the server did not say its version (buildInfo failed)", "run db.version() in mongosh and compare it with 2.6 (4.0 for a sharded cluster)")
	}
	need := version{2, 6}
	if d.kind == sharded {
		need = version{4, 0}
	}
	shown := d.version
	if d.fromWire {
		shown += " (by its wire version)"
	}
	if v.atLeast(need) {
		return pass(name, fmt.Sprintf("MongoDB %s (Live Migrate needs %s or newer for a %s)", shown, need, kindWord(d.kind)))
	}
	return fail(name, fmt.Sprintf("MongoDB %s; Live Migrate needs %s or newer for a %s", shown, need, kindWord(d.kind)),
		fmt.Sprintf("upgrade to %s or newer first, one major release at a time (https://www.mongodb.com/docs/manual/release-notes/)", need))
}

func kindWord(kind string) string {
	if kind == sharded {
		return "sharded cluster"
	}
	return "replica set" // a standalone has to become one first
}

// grants says which roles carry the privileges of the role Live Migrate
// asks for: root holds both; clusterAdmin includes clusterMonitor.
var grants = map[string][]string{
	"clusterMonitor": {"clusterMonitor", "clusterAdmin", "root", "__system"},
	"backup":         {"backup", "root", "__system"},
}

func rolesLine(name string, d deployment) Result {
	if len(d.users) == 0 {
		r := skip(name, "no user logged in (access control is off?): nothing to check")
		r.Fix = "if access control is on, put the user the migration will use in the connection string and run this again"
		return r
	}
	var missing []string
	for _, want := range []string{"clusterMonitor", "backup"} {
		if !hasRole(d.roles, grants[want]) {
			missing = append(missing, want)
		}
	}
	if len(missing) == 0 {
		return pass(name, fmt.Sprintf("%s has clusterMonitor and backup (roles: %s)", d.users[0], rolesText(d.roles)))
	}
	return fail(name, fmt.Sprintf("%s lacks %s (roles: %s)", d.users[0], strings.Join(missing, " and "), rolesText(d.roles)),
		grantFix(d, missing...))
}

func hasRole(have []ref, any []string) bool {
	for _, r := range have {
		for _, a := range any {
			if r.db == "admin" && r.name == a {
				return true
			}
		}
	}
	return false
}

func rolesText(rs []ref) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.String())
	}
	return orNone(s)
}

// driversLine is the census of client drivers: every connection that sent
// handshake metadata, grouped by driver name and version, with the
// applications that use each.
func driversLine(ctx context.Context, c *conn, name string, d deployment) Result {
	if v, ok := parseVersion(d.version); ok && !v.atLeast(version{3, 6}) {
		r := skip(name, "MongoDB "+d.version+" has no $currentOp stage (3.6+)")
		r.Fix = `list the drivers from the mongod log instead: grep '"client metadata"' mongod.log (or "received client metadata")`
		return r
	}
	docs, err := c.aggregate(ctx, bson.A{
		bson.D{{Key: "$currentOp", Value: bson.D{{Key: "allUsers", Value: true}, {Key: "idleConnections", Value: true}, {Key: "localOps", Value: d.kind == sharded}}}},
		bson.D{{Key: "$match", Value: bson.D{{Key: "clientMetadata", Value: bson.D{{Key: "$exists", Value: true}}}}}},
		bson.D{{Key: "$project", Value: bson.D{{Key: "_id", Value: 0}, {Key: "clientMetadata.driver", Value: 1}, {Key: "clientMetadata.application", Value: 1}}}},
	})
	switch {
	case err == nil:
	case mongo.HasCode(err, codeUnauthorized):
		return fail(name, "$currentOp not authorized, so the drivers are unknown", grantFix(d, "clusterMonitor"))
	case mongo.HasCode(err, codeCommandNotFound), mongo.HasCode(err, codeUnknownStage), mongo.HasCode(err, codeFailedToParse):
		return skip(name, "this server does not support $currentOp, so the drivers are unknown")
	default:
		return fail(name, "$currentOp: "+netDetail(err), "run it again; the drivers are unknown")
	}
	groups := groupDrivers(docs)
	if len(groups) == 0 {
		r := pass(name, "no application is connected now (or its driver sends no metadata)")
		r.Fix = "run this again while the applications are connected"
		return r
	}
	var parts []string
	for _, g := range groups {
		parts = append(parts, g.String())
	}
	r := pass(name, strings.Join(parts, "; "))
	r.Fix = "before the cutover, check each driver against the compatibility table for the Atlas cluster's MongoDB version:\n" +
		"https://www.mongodb.com/docs/drivers/compatibility/ (upgrade any that predate it)"
	return r
}

type driverGroup struct {
	driver string // "mongo-go-driver 1.11.4"
	conns  int
	apps   []string
}

func (g driverGroup) String() string {
	s := fmt.Sprintf("%s: %d connection(s)", g.driver, g.conns)
	if len(g.apps) > 0 {
		s += " from " + strings.Join(g.apps, ", ")
	}
	return s
}

func groupDrivers(docs []bson.Raw) []driverGroup {
	byDriver := map[string]*driverGroup{}
	apps := map[string]map[string]bool{}
	for _, doc := range docs {
		md, ok := doc.Lookup("clientMetadata").DocumentOK()
		if !ok {
			continue
		}
		app, _ := md.Lookup("application", "name").StringValueOK()
		if app == appName {
			continue // this check's own connection
		}
		dn, _ := md.Lookup("driver", "name").StringValueOK()
		dv, _ := md.Lookup("driver", "version").StringValueOK()
		key := strings.TrimSpace(nameOr(dn, "unknown driver") + " " + dv)
		g := byDriver[key]
		if g == nil {
			g = &driverGroup{driver: key}
			byDriver[key], apps[key] = g, map[string]bool{}
		}
		g.conns++
		if app != "" && !apps[key][app] {
			apps[key][app] = true
			g.apps = append(g.apps, app)
		}
	}
	out := make([]driverGroup, 0, len(byDriver))
	for _, g := range byDriver {
		sort.Strings(g.apps)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].conns != out[j].conns {
			return out[i].conns > out[j].conns
		}
		return out[i].driver < out[j].driver
	})
	return out
}
