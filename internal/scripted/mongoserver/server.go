// Package mongoserver is a scripted MongoDB wire-protocol server for the
// demo (sources/demo) and the tests. It answers the real driver's handshake
// and heartbeats itself and hands every other command to a Handler, so a
// caller can replay documents with evolving counters, delay replies, stop and
// restart the server and run a replica set that fails over, all through the
// real driver.
//
// It speaks just enough of the protocol for a polling client: OP_QUERY
// isMaster answered with OP_REPLY, then OP_MSG commands answered in kind. It
// never sends topologyVersion, so the driver keeps to polling heartbeats
// rather than streaming ones the server would have to hold open.
package mongoserver

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Handler answers one command: cmd is the command name (the body's first
// key). Return (nil, nil) for a command it does not know; the server then
// replies CommandNotFound, as a real server does. An error becomes an
// {ok: 0} reply; return a *CommandError to choose the code.
type Handler func(cmd string, body bson.Raw) (bson.D, error)

// CommandError is a failed command's reply.
type CommandError struct {
	Code     int32
	CodeName string
	Message  string
}

func (e *CommandError) Error() string { return fmt.Sprintf("(%s) %s", e.CodeName, e.Message) }

// Common replies.
var (
	ErrUnauthorized = &CommandError{13, "Unauthorized", "not authorized on admin to execute command"}
	ErrAuthFailed   = &CommandError{18, "AuthenticationFailed", "Authentication failed."}
)

// Server is one scripted mongod or mongos.
type Server struct {
	handler Handler

	mu        sync.Mutex
	addr      string
	ln        net.Listener
	conns     map[net.Conn]struct{}
	delay     time.Duration
	hello     func() bson.D // extra hello fields (replica set, mongos)
	requests  map[string]int
	bytesSent map[string]int64
	unknown   []string
	accepted  int
	nextID    int32
	quit      chan struct{} // closed by Stop: cuts delays short
	wg        sync.WaitGroup
}

// New starts a standalone server on 127.0.0.1 with a free port.
func New(h Handler) (*Server, error) {
	s := &Server{handler: h, conns: map[net.Conn]struct{}{}, requests: map[string]int{}, bytesSent: map[string]int64{}}
	if err := s.listen("127.0.0.1:0"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	s.quit = make(chan struct{})
	s.mu.Unlock()
	s.wg.Add(1)
	go s.accept(ln)
	return nil
}

// Addr is the server's host:port, exactly as clients should dial it.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Stop closes the listener and every open connection: the server is down
// and refuses connections until Start.
func (s *Server) Stop() {
	s.mu.Lock()
	ln := s.ln
	s.ln = nil
	if ln != nil {
		close(s.quit)
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	s.wg.Wait()
}

// Start listens again on the same address after Stop.
func (s *Server) Start() error {
	s.mu.Lock()
	running := s.ln != nil
	s.mu.Unlock()
	if running {
		return nil
	}
	return s.listen(s.Addr())
}

// Close stops the server for good.
func (s *Server) Close() { s.Stop() }

// SetDelay makes every command other than the handshake and heartbeats
// wait d before it is answered: a member that is alive but slow.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// Requests is how many times cmd was received.
func (s *Server) Requests(cmd string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[cmd]
}

// BytesSent is the total size of the replies to cmd, wire headers included.
func (s *Server) BytesSent(cmd string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytesSent[cmd]
}

// Accepted is the number of connections accepted since New.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Open is the number of connections open now.
func (s *Server) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Unknown lists the commands answered with CommandNotFound, in order, so a
// test can fail on a request it did not expect.
func (s *Server) Unknown() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.unknown...)
}

func (s *Server) setHello(f func() bson.D) {
	s.mu.Lock()
	s.hello = f
	s.mu.Unlock()
}

func (s *Server) accept(ln net.Listener) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.ln != ln { // stopped meanwhile
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.accepted++
		id := s.accepted
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(c, id)
	}
}

func (s *Server) serve(c net.Conn, connID int) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	r := bufio.NewReader(c)
	for {
		m, err := readMessage(r)
		if err != nil {
			return
		}
		cmd := ""
		if elems, err := m.body.Elements(); err == nil && len(elems) > 0 {
			cmd = elems[0].Key()
		}
		reply := s.answer(cmd, m.body, connID)
		doc, err := bson.Marshal(reply)
		if err != nil {
			doc, _ = bson.Marshal(bson.D{{Key: "ok", Value: 0}, {Key: "errmsg", Value: err.Error()}})
		}
		s.mu.Lock()
		s.nextID++
		out := encodeReply(m, s.nextID, doc)
		s.bytesSent[cmd] += int64(len(out))
		s.mu.Unlock()
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}

func (s *Server) answer(cmd string, body bson.Raw, connID int) bson.D {
	s.mu.Lock()
	s.requests[cmd]++
	delay, extra, quit := s.delay, s.hello, s.quit
	s.mu.Unlock()
	switch cmd {
	case "isMaster", "ismaster", "hello":
		return s.helloReply(cmd, connID, extra)
	case "endSessions", "ping":
		return bson.D{{Key: "ok", Value: 1.0}}
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-quit:
		}
	}
	var reply bson.D
	var err error
	if s.handler != nil {
		reply, err = s.handler(cmd, body)
	}
	var ce *CommandError
	switch {
	case errors.As(err, &ce):
		return bson.D{{Key: "ok", Value: 0.0}, {Key: "errmsg", Value: ce.Message}, {Key: "code", Value: ce.Code}, {Key: "codeName", Value: ce.CodeName}}
	case err != nil:
		return bson.D{{Key: "ok", Value: 0.0}, {Key: "errmsg", Value: err.Error()}, {Key: "code", Value: int32(8)}, {Key: "codeName", Value: "UnknownError"}}
	case reply == nil:
		s.mu.Lock()
		s.unknown = append(s.unknown, cmd)
		s.mu.Unlock()
		return bson.D{{Key: "ok", Value: 0.0}, {Key: "errmsg", Value: "no such command: '" + cmd + "'"}, {Key: "code", Value: int32(59)}, {Key: "codeName", Value: "CommandNotFound"}}
	}
	if !hasKey(reply, "ok") {
		reply = append(reply, bson.E{Key: "ok", Value: 1.0})
	}
	return reply
}

// helloReply is a 7.0-like hello. topologyVersion is left out on purpose:
// with it the driver streams heartbeats, which this server cannot hold.
func (s *Server) helloReply(cmd string, connID int, extra func() bson.D) bson.D {
	primaryKey := "isWritablePrimary"
	if cmd != "hello" {
		primaryKey = "ismaster"
	}
	d := bson.D{{Key: "helloOk", Value: true}}
	var fields bson.D
	if extra != nil {
		fields = extra()
	}
	if !hasKey(fields, "primary") && !hasKey(fields, "setName") {
		d = append(d, bson.E{Key: primaryKey, Value: true})
	}
	for _, e := range fields {
		if e.Key == "isWritablePrimary" {
			e.Key = primaryKey
		}
		d = append(d, e)
	}
	return append(d,
		bson.E{Key: "maxBsonObjectSize", Value: int32(16 * 1024 * 1024)},
		bson.E{Key: "maxMessageSizeBytes", Value: int32(maxMessage)},
		bson.E{Key: "maxWriteBatchSize", Value: int32(100000)},
		bson.E{Key: "localTime", Value: bson.NewDateTimeFromTime(time.Now())},
		bson.E{Key: "logicalSessionTimeoutMinutes", Value: int32(30)},
		bson.E{Key: "connectionId", Value: int32(connID)},
		bson.E{Key: "minWireVersion", Value: int32(0)},
		bson.E{Key: "maxWireVersion", Value: int32(21)},
		bson.E{Key: "ok", Value: 1.0},
	)
}

func hasKey(d bson.D, k string) bool {
	for _, e := range d {
		if e.Key == k {
			return true
		}
	}
	return false
}
