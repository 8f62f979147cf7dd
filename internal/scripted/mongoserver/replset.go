package mongoserver

import (
	"encoding/binary"
	"fmt"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// MemberHandler answers a command for member i of a replica set.
type MemberHandler func(i int, cmd string, body bson.Raw) (bson.D, error)

// ReplicaSet is several Servers sharing one set configuration. Their hello
// replies agree on setName, hosts and the primary; a failover bumps the
// electionId so the driver accepts the new primary.
type ReplicaSet struct {
	Name    string
	members []*Server

	mu      sync.Mutex
	primary int // -1: none
	term    int
	arbiter map[int]bool
	removed map[int]bool
}

// NewReplicaSet starts n members; member 0 is the first primary.
func NewReplicaSet(name string, n int, h MemberHandler) (*ReplicaSet, error) {
	rs := &ReplicaSet{Name: name, primary: 0, term: 1, arbiter: map[int]bool{}, removed: map[int]bool{}}
	for i := 0; i < n; i++ {
		i := i
		var mh Handler
		if h != nil {
			mh = func(cmd string, body bson.Raw) (bson.D, error) { return h(i, cmd, body) }
		}
		s, err := New(mh)
		if err != nil {
			rs.Close()
			return nil, err
		}
		s.setHello(func() bson.D { return rs.Hello(i) })
		rs.members = append(rs.members, s)
	}
	return rs, nil
}

// NewMongos starts a server that says it is a mongos router.
func NewMongos(h Handler) (*Server, error) {
	s, err := New(h)
	if err != nil {
		return nil, err
	}
	s.setHello(func() bson.D { return bson.D{{Key: "msg", Value: "isdbgrid"}} })
	return s, nil
}

// Member returns member i's server.
func (rs *ReplicaSet) Member(i int) *Server { return rs.members[i] }

// Len is the number of members started, removed ones included.
func (rs *ReplicaSet) Len() int { return len(rs.members) }

// URI is a seed list naming every current member.
func (rs *ReplicaSet) URI() string {
	return "mongodb://" + strings.Join(rs.hosts(false), ",") + "/?replicaSet=" + rs.Name
}

// SetPrimary makes member i primary (-1: no primary), as after an election.
func (rs *ReplicaSet) SetPrimary(i int) {
	rs.mu.Lock()
	rs.primary = i
	rs.term++
	rs.mu.Unlock()
}

// SetArbiter makes member i an arbiter.
func (rs *ReplicaSet) SetArbiter(i int) {
	rs.mu.Lock()
	rs.arbiter[i] = true
	rs.mu.Unlock()
}

// Remove takes member i out of the set configuration and stops it.
func (rs *ReplicaSet) Remove(i int) {
	rs.mu.Lock()
	rs.removed[i] = true
	rs.mu.Unlock()
	rs.members[i].Stop()
}

// Restore puts a removed member back into the configuration and starts it
// again: a member added to the set.
func (rs *ReplicaSet) Restore(i int) error {
	rs.mu.Lock()
	delete(rs.removed, i)
	rs.mu.Unlock()
	return rs.members[i].Start()
}

// Close stops every member.
func (rs *ReplicaSet) Close() {
	for _, m := range rs.members {
		m.Close()
	}
}

func (rs *ReplicaSet) hosts(arbiters bool) []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []string
	for i, m := range rs.members {
		if !rs.removed[i] && rs.arbiter[i] == arbiters {
			out = append(out, m.Addr())
		}
	}
	return out
}

// Hello is member i's view of the set, as hello (and serverStatus.repl)
// report it.
func (rs *ReplicaSet) Hello(i int) bson.D {
	hosts, arbiters := rs.hosts(false), rs.hosts(true)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	d := bson.D{
		{Key: "setName", Value: rs.Name},
		{Key: "setVersion", Value: int32(1)},
		{Key: "hosts", Value: hosts},
	}
	if len(arbiters) > 0 {
		d = append(d, bson.E{Key: "arbiters", Value: arbiters})
	}
	if rs.primary >= 0 {
		d = append(d, bson.E{Key: "primary", Value: rs.members[rs.primary].Addr()})
	}
	d = append(d,
		bson.E{Key: "me", Value: rs.members[i].Addr()},
		bson.E{Key: "isWritablePrimary", Value: i == rs.primary},
		bson.E{Key: "secondary", Value: i != rs.primary && !rs.arbiter[i]},
	)
	if rs.arbiter[i] {
		d = append(d, bson.E{Key: "arbiterOnly", Value: true})
	}
	if i == rs.primary {
		d = append(d, bson.E{Key: "electionId", Value: electionID(rs.term)})
	}
	return d
}

// electionID is 7fffffff followed by the term, as mongod builds it, so it
// only ever grows.
func electionID(term int) bson.ObjectID {
	var id bson.ObjectID
	binary.BigEndian.PutUint32(id[0:], 0x7fffffff)
	binary.BigEndian.PutUint64(id[4:], uint64(term))
	return id
}

// String names the set for test logs.
func (rs *ReplicaSet) String() string { return fmt.Sprintf("%s%v", rs.Name, rs.hosts(false)) }
