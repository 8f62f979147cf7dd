package mongo

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// rawServer speaks just enough of the wire protocol for the driver's
// handshake and heartbeats, and answers every other command with whatever
// bytes reply returns: a malformed document, an oversized one, garbage, or
// nothing (nil closes the connection). It is the fault the scripted server
// cannot produce, since it always sends what bson.Marshal makes.
type rawServer struct {
	ln    net.Listener
	mu    sync.Mutex
	reply func(cmd string) []byte
	wg    sync.WaitGroup
}

func startRaw(t *testing.T, reply func(cmd string) []byte) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln, reply: reply}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *rawServer) addr() string { return s.ln.Addr().String() }

func (s *rawServer) setReply(f func(cmd string) []byte) {
	s.mu.Lock()
	s.reply = f
	s.mu.Unlock()
}

func (s *rawServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		var hdr [16]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return
		}
		n := int(binary.LittleEndian.Uint32(hdr[0:]))
		reqID := binary.LittleEndian.Uint32(hdr[4:])
		op := binary.LittleEndian.Uint32(hdr[12:])
		body := make([]byte, n-16)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var doc bson.Raw
		if op == 2004 { // OP_QUERY: flags, cstring, skip, limit, doc
			i := 4
			for body[i] != 0 {
				i++
			}
			doc = bson.Raw(body[i+9:])
		} else { // OP_MSG: flags, kind 0, doc
			doc = bson.Raw(body[5:])
		}
		elems, _ := doc.Elements()
		cmd := ""
		if len(elems) > 0 {
			cmd = elems[0].Key()
		}
		var out []byte
		switch cmd {
		case "isMaster", "ismaster", "hello":
			out, _ = bson.Marshal(bson.D{{Key: "helloOk", Value: true}, {Key: "isWritablePrimary", Value: true}, {Key: "ismaster", Value: true},
				{Key: "maxBsonObjectSize", Value: int32(16 << 20)}, {Key: "maxMessageSizeBytes", Value: int32(48000000)},
				{Key: "maxWireVersion", Value: int32(21)}, {Key: "minWireVersion", Value: int32(0)}, {Key: "ok", Value: 1.0}})
		case "endSessions", "ping":
			out, _ = bson.Marshal(bson.D{{Key: "ok", Value: 1.0}})
		default:
			s.mu.Lock()
			f := s.reply
			s.mu.Unlock()
			out = f(cmd)
			if out == nil {
				return
			}
		}
		c.Write(frame(op == 2004, reqID, out))
	}
}

// frame wraps doc as the reply to a request: OP_REPLY to OP_QUERY, OP_MSG
// to OP_MSG. The message length is always right; doc may be anything.
func frame(legacy bool, to uint32, doc []byte) []byte {
	var body []byte
	op := uint32(2013)
	if legacy {
		op = 1
		body = make([]byte, 20)
		binary.LittleEndian.PutUint32(body[16:], 1)
	} else {
		body = make([]byte, 5)
	}
	body = append(body, doc...)
	out := make([]byte, 16, 16+len(body))
	binary.LittleEndian.PutUint32(out[0:], uint32(16+len(body)))
	binary.LittleEndian.PutUint32(out[4:], 1)
	binary.LittleEndian.PutUint32(out[8:], to)
	binary.LittleEndian.PutUint32(out[12:], op)
	return append(out, body...)
}

// corruptInner is {ok: 1, extra_info: {user_time_us: 5}} with the embedded
// document's length field overwritten: the outer length is right, so only
// a full validation of the reply would notice.
func corruptInner() []byte {
	doc, _ := bson.Marshal(bson.D{{Key: "ok", Value: 1.0}, {Key: "extra_info", Value: bson.D{{Key: "user_time_us", Value: int64(5)}}}})
	// ok: 1 + "ok\x00" + 8 bytes = 12 bytes after the 4-byte length; then
	// type 0x03, "extra_info\x00" (11 bytes), then the inner length.
	at := 4 + 12 + 1 + 11
	binary.LittleEndian.PutUint32(doc[at:], 0)
	return doc
}

// TestMalformedRepliesAreErrors: replies the scripted server cannot make
// (an embedded document whose length lies, bytes that are not BSON, a
// connection closed instead of a reply) are one-line errors from Poll, never
// a panic: the driver validates each reply before the source parses it.
func TestMalformedRepliesAreErrors(t *testing.T) {
	garbage := make([]byte, 64)
	for i := range garbage {
		garbage[i] = 0xff
	}
	for _, c := range []struct {
		name  string
		reply []byte
		want  string
	}{
		{"an embedded document with a lying length", corruptInner(), "malformed"},
		{"bytes that are not BSON", garbage, "malformed"},
		{"the connection closed instead of a reply", nil, "unreachable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startRaw(t, func(string) []byte { return c.reply })
			s := newSource(t, "mongodb://"+srv.addr()+"/?directConnection=true", nil)
			for i := 0; i < 2; i++ {
				res, err := poll(t, s)
				if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("poll %d: err %v, want a one-line error containing %q", i, err, c.want)
				}
				if len(res.Samples) != 0 {
					t.Errorf("poll %d: samples from a broken reply: %v", i, res.Samples)
				}
			}
		})
	}
}

// TestAReplyThatPassesTheDriversCheckCannotKillTheProcess: the driver
// validates a reply's top-level framing but not every nested document, and
// bson.Raw.Lookup panics on a nested document it cannot read. parseStatus
// runs on a member goroutine started by pollMembers, where the engine's
// recover in safePoll cannot catch it, so one such reply ends the process.
// (Found by FuzzParseReplies; testdata/serverStatus-nested-invalid.bson is
// the fuzzer's input, a 3.6.2 serverStatus with one nested length damaged.)
//
// The poll runs in a child process so that a crash fails this test rather
// than the whole package. pollMembers' goroutines now recover and make it
// the member's error.
func TestAReplyThatPassesTheDriversCheckCannotKillTheProcess(t *testing.T) {
	reply, err := os.ReadFile(filepath.Join("testdata", "serverStatus-nested-invalid.bson"))
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("STORMWATCH_CHILD_POLL") != "" {
		srv := startRaw(t, func(string) []byte { return reply })
		s := newSource(t, "mongodb://"+srv.addr()+"/?directConnection=true", nil)
		_, err := poll(t, s)
		fmt.Println("poll returned:", err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAReplyThatPassesTheDriversCheckCannotKillTheProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "STORMWATCH_CHILD_POLL=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "poll returned:") {
		first, _, _ := strings.Cut(string(out), "\n\n")
		t.Fatalf("the poll killed the process (%v):\n%s", err, first)
	}
}
