package mongo

import (
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/sources/mongo/bsonread"
)

// Roles shown in Result.Members.
const (
	rolePrimary    = "PRIMARY"
	roleSecondary  = "SECONDARY"
	roleArbiter    = "ARBITER"
	roleMongos     = "MONGOS"
	roleStandalone = "STANDALONE"
)

// helloInfo is what one server's hello says about the deployment.
type helloInfo struct {
	Mongos   bool
	SetName  string
	Hosts    []string // hosts and passives: the data-bearing members
	Arbiters []string
	Primary  string
	Me       string
}

func parseHello(doc bson.Raw) (res helloInfo) {
	// bson.Raw.Lookup panics on a damaged nested document: such a reply
	// reads as empty, never as a crash.
	defer func() {
		if recover() != nil {
			var zero helloInfo
			res = zero
		}
	}()
	h := helloInfo{
		Mongos:  str(doc, "msg") == "isdbgrid",
		SetName: str(doc, "setName"),
		Primary: str(doc, "primary"),
		Me:      str(doc, "me"),
	}
	h.Hosts = append(strs(doc, "hosts"), strs(doc, "passives")...)
	h.Arbiters = strs(doc, "arbiters")
	return h
}

// shard is one entry of listShards: "rs0/a:27017,b:27017" or "a:27017".
type shard struct {
	Name, SetName string
	Hosts         []string
}

func parseShards(doc bson.Raw) (res []shard) {
	// bson.Raw.Lookup panics on a damaged nested document: such a reply
	// reads as empty, never as a crash.
	defer func() {
		if recover() != nil {
			var zero []shard
			res = zero
		}
	}()
	arr, ok := doc.Lookup("shards").ArrayOK()
	if !ok {
		return nil
	}
	vals, _ := arr.Values()
	var out []shard
	for _, v := range vals {
		d, ok := v.DocumentOK()
		if !ok {
			continue
		}
		sh := shard{Name: str(d, "_id")}
		hosts := str(d, "host")
		if set, rest, ok := strings.Cut(hosts, "/"); ok {
			sh.SetName, hosts = set, rest
		}
		for _, h := range strings.Split(hosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				sh.Hosts = append(sh.Hosts, h)
			}
		}
		out = append(out, sh)
	}
	return out
}

// replStatus is the part of replSetGetStatus used for lag and health.
type replStatus struct {
	Date    time.Time
	Members []replMember
}

type replMember struct {
	Name    string
	State   string // stateStr: PRIMARY, SECONDARY, ARBITER, RECOVERING, ...
	Healthy bool
	Optime  time.Time // zero for arbiters and unreachable members
}

func parseReplStatus(doc bson.Raw) (res replStatus) {
	// bson.Raw.Lookup panics on a damaged nested document: such a reply
	// reads as empty, never as a crash.
	defer func() {
		if recover() != nil {
			var zero replStatus
			res = zero
		}
	}()
	var rs replStatus
	if t, ok := doc.Lookup("date").TimeOK(); ok {
		rs.Date = t.UTC()
	}
	for _, d := range bsonread.Docs(doc.Lookup("members")) {
		m := replMember{Name: str(d, "name"), State: str(d, "stateStr"), Healthy: num(d, "health").V == 1}
		if t, ok := d.Lookup("optimeDate").TimeOK(); ok && t.Unix() > 0 {
			m.Optime = t.UTC()
		}
		rs.Members = append(rs.Members, m)
	}
	return rs
}

// lag is how far each data-bearing member's last applied write trails the
// primary's, in seconds. With no primary there is nothing to trail, so
// nothing is returned rather than a made-up number.
func (rs replStatus) lag() map[string]float64 {
	var primary time.Time
	for _, m := range rs.Members {
		if m.State == rolePrimary && !m.Optime.IsZero() {
			primary = m.Optime
		}
	}
	if primary.IsZero() {
		return nil
	}
	out := map[string]float64{}
	for _, m := range rs.Members {
		if m.Optime.IsZero() || !m.Healthy {
			continue
		}
		lag := primary.Sub(m.Optime).Seconds()
		if lag < 0 { // a secondary's optime can pass a stale primary entry
			lag = 0
		}
		out[m.Name] = lag
	}
	return out
}
