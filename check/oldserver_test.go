package check

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// oldServer answers every handshake and heartbeat as a MongoDB of the
// given wire version would, and nothing else: enough for the driver to see
// a server older than it supports. mongoserver always claims wire version 21.
func oldServer(t *testing.T, wire int32, extra ...bson.E) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	doc := append(bson.D{{Key: "ismaster", Value: true}, {Key: "maxBsonObjectSize", Value: int32(16 << 20)},
		{Key: "maxMessageSizeBytes", Value: int32(48 << 20)}, {Key: "maxWireVersion", Value: wire},
		{Key: "minWireVersion", Value: int32(0)}}, extra...)
	hello, _ := bson.Marshal(append(doc, bson.E{Key: "ok", Value: 1.0}))
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go answerHellos(c, hello)
		}
	}()
	return ln.Addr().String()
}

func answerHellos(c net.Conn, hello []byte) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		var h [16]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return
		}
		size := int(binary.LittleEndian.Uint32(h[0:]))
		if size < 16 || size > 1<<20 {
			return
		}
		if _, err := io.CopyN(io.Discard, r, int64(size-16)); err != nil {
			return
		}
		reqID, op := binary.LittleEndian.Uint32(h[4:]), binary.LittleEndian.Uint32(h[12:])
		var body []byte
		switch op {
		case 2004: // OP_QUERY -> OP_REPLY
			body = binary.LittleEndian.AppendUint32(nil, 0)  // responseFlags
			body = binary.LittleEndian.AppendUint64(body, 0) // cursorID
			body = binary.LittleEndian.AppendUint32(body, 0) // startingFrom
			body = binary.LittleEndian.AppendUint32(body, 1) // numberReturned
			body = append(body, hello...)
			op = 1
		case 2013: // OP_MSG, kind 0
			body = append(binary.LittleEndian.AppendUint32(nil, 0), 0)
			body = append(body, hello...)
		default:
			return
		}
		out := binary.LittleEndian.AppendUint32(nil, uint32(16+len(body)))
		out = binary.LittleEndian.AppendUint32(out, reqID+1000)
		out = binary.LittleEndian.AppendUint32(out, reqID)
		out = binary.LittleEndian.AppendUint32(out, op)
		if _, err := c.Write(append(out, body...)); err != nil {
			return
		}
	}
}

func TestAServerTooOldForTheDriverFailsWithItsRelease(t *testing.T) {
	for _, c := range []struct {
		wire    int32
		release string
		extra   []bson.E
		atlas   string
	}{
		{0, "2.4 or older", nil, "pass fail fail skip skip"},
		{2, "2.6", nil, "pass fail pass skip skip"},
		{6, "3.6", []bson.E{{Key: "setName", Value: "rs0"}}, "pass pass pass skip skip"},
		{6, "3.6", []bson.E{{Key: "msg", Value: "isdbgrid"}}, "pass pass fail skip skip"},
		{7, "4.0", []bson.E{{Key: "msg", Value: "isdbgrid"}}, "pass pass pass skip skip"},
	} {
		kind := "standalone"
		for _, e := range c.extra {
			kind = map[string]string{"msg": "mongos", "setName": "replica_set"}[e.Key]
		}
		t.Run(fmt.Sprintf("wire_%d_%s", c.wire, kind), func(t *testing.T) {
			addr := oldServer(t, c.wire, c.extra...)
			m := Mongo{Source: "db", URI: "mongodb://" + addr + "/?directConnection=true", Timeout: 2 * time.Second}
			got := run(t, CheckMongo, m)
			if s := statuses(got); s != "fail skip skip skip skip skip skip" {
				t.Fatalf("statuses %q\n%+v", s, got)
			}
			if !strings.Contains(got[0].Detail, "(MongoDB "+c.release+")") || !strings.Contains(got[0].Fix, "4.4") {
				t.Errorf("reachable line %+v", got[0])
			}
			atlas := run(t, CheckAtlas, m)
			if s := statuses(atlas); s != c.atlas {
				t.Errorf("atlas statuses %q, want %q\n%+v", s, c.atlas, atlas)
			}
			goldenJSON(t, atlas, map[string]string{addr: "SERVER"})
		})
	}
}
