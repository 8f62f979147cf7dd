package mongoserver

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// NodeHandler answers a command for one server of a sharded cluster:
// member i of shard (0-based), or router i when shard is -1.
type NodeHandler func(shard, i int, cmd string, body bson.Raw) (bson.D, error)

// Cluster is a sharded cluster on loopback: replica sets named shard-00,
// shard-01, ... behind mongos routers that answer listShards with them.
type Cluster struct {
	Shards  []*ReplicaSet
	Routers []*Server
}

// NewCluster starts shards replica sets of members each and routers mongos.
func NewCluster(shards, members, routers int, h NodeHandler) (*Cluster, error) {
	c := &Cluster{}
	for sh := 0; sh < shards; sh++ {
		sh := sh
		rs, err := NewReplicaSet(ShardName(sh), members, func(i int, cmd string, body bson.Raw) (bson.D, error) {
			return h(sh, i, cmd, body)
		})
		if err != nil {
			c.Close()
			return nil, err
		}
		c.Shards = append(c.Shards, rs)
	}
	for r := 0; r < routers; r++ {
		r := r
		srv, err := NewMongos(func(cmd string, body bson.Raw) (bson.D, error) {
			if cmd == "listShards" {
				return c.listShards(), nil
			}
			return h(-1, r, cmd, body)
		})
		if err != nil {
			c.Close()
			return nil, err
		}
		c.Routers = append(c.Routers, srv)
	}
	return c, nil
}

// ShardName is shard i's name and replica set name: "shard-07".
func ShardName(i int) string { return fmt.Sprintf("shard-%02d", i) }

// URI names every router, as an application's connection string does.
func (c *Cluster) URI() string {
	var hosts []string
	for _, r := range c.Routers {
		hosts = append(hosts, r.Addr())
	}
	return "mongodb://" + strings.Join(hosts, ",") + "/"
}

// Servers is every server of the cluster: the routers, then each shard's
// members in order.
func (c *Cluster) Servers() []*Server {
	out := append([]*Server(nil), c.Routers...)
	for _, rs := range c.Shards {
		out = append(out, rs.members...)
	}
	return out
}

// Close stops every server.
func (c *Cluster) Close() {
	for _, r := range c.Routers {
		r.Close()
	}
	for _, rs := range c.Shards {
		rs.Close()
	}
}

func (c *Cluster) listShards() bson.D {
	var shards bson.A
	for _, rs := range c.Shards {
		shards = append(shards, bson.D{{Key: "_id", Value: rs.Name}, {Key: "host", Value: rs.Name + "/" + strings.Join(rs.hosts(false), ",")}})
	}
	return bson.D{{Key: "shards", Value: shards}}
}
