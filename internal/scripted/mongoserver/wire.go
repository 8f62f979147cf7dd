package mongoserver

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Wire protocol opcodes. The driver opens every connection with a legacy
// OP_QUERY isMaster and uses OP_MSG after that; nothing else is needed.
const (
	opReply = 1
	opQuery = 2004
	opMsg   = 2013
)

const maxMessage = 48_000_000

type header struct {
	Length, RequestID, ResponseTo, OpCode int32
}

// message is one decoded request: the command document and how to answer.
type message struct {
	hdr    header
	legacy bool // OP_QUERY: answer with OP_REPLY
	body   bson.Raw
}

func readMessage(r *bufio.Reader) (message, error) {
	var buf [16]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return message{}, err
	}
	h := header{
		Length:     int32(binary.LittleEndian.Uint32(buf[0:])),
		RequestID:  int32(binary.LittleEndian.Uint32(buf[4:])),
		ResponseTo: int32(binary.LittleEndian.Uint32(buf[8:])),
		OpCode:     int32(binary.LittleEndian.Uint32(buf[12:])),
	}
	if h.Length < 16 || h.Length > maxMessage {
		return message{}, fmt.Errorf("bad message length %d", h.Length)
	}
	rest := make([]byte, h.Length-16)
	if _, err := io.ReadFull(r, rest); err != nil {
		return message{}, err
	}
	switch h.OpCode {
	case opQuery:
		return parseQuery(h, rest)
	case opMsg:
		return parseMsg(h, rest)
	}
	return message{}, fmt.Errorf("unsupported opcode %d", h.OpCode)
}

// parseQuery reads OP_QUERY: flags, collection name, skip, limit, query.
func parseQuery(h header, b []byte) (message, error) {
	if len(b) < 4 {
		return message{}, errors.New("short OP_QUERY")
	}
	b = b[4:]
	i := 0
	for i < len(b) && b[i] != 0 {
		i++
	}
	if i+1+8 > len(b) {
		return message{}, errors.New("short OP_QUERY")
	}
	doc, err := readDoc(b[i+1+8:])
	return message{hdr: h, legacy: true, body: doc}, err
}

// parseMsg reads OP_MSG: flag bits, then sections; the command is the
// kind-0 section. Kind-1 document sequences (bulk write payloads) carry
// nothing a monitoring command needs, so they are skipped.
func parseMsg(h header, b []byte) (message, error) {
	if len(b) < 5 {
		return message{}, errors.New("short OP_MSG")
	}
	flags := binary.LittleEndian.Uint32(b)
	b = b[4:]
	if flags&1 != 0 && len(b) >= 4 { // checksum present
		b = b[:len(b)-4]
	}
	var body bson.Raw
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		switch kind {
		case 0:
			doc, err := readDoc(b)
			if err != nil {
				return message{}, err
			}
			body, b = doc, b[len(doc):]
		case 1:
			if len(b) < 4 {
				return message{}, errors.New("short OP_MSG section")
			}
			n := int(binary.LittleEndian.Uint32(b))
			if n > len(b) || n < 4 {
				return message{}, errors.New("bad OP_MSG section")
			}
			b = b[n:]
		default:
			return message{}, fmt.Errorf("bad OP_MSG section kind %d", kind)
		}
	}
	if body == nil {
		return message{}, errors.New("OP_MSG without a body")
	}
	return message{hdr: h, body: body}, nil
}

func readDoc(b []byte) (bson.Raw, error) {
	if len(b) < 5 {
		return nil, errors.New("short document")
	}
	n := int(binary.LittleEndian.Uint32(b))
	if n < 5 || n > len(b) {
		return nil, errors.New("bad document length")
	}
	doc := bson.Raw(b[:n])
	return doc, doc.Validate()
}

// encodeReply frames doc as the answer to m, in the request's own kind.
func encodeReply(m message, id int32, doc []byte) []byte {
	var body []byte
	op := int32(opMsg)
	if m.legacy {
		op = opReply
		body = make([]byte, 20, 20+len(doc))
		binary.LittleEndian.PutUint32(body[16:], 1) // numberReturned
	} else {
		body = make([]byte, 5, 5+len(doc)) // flag bits 0, section kind 0
	}
	body = append(body, doc...)
	out := make([]byte, 16, 16+len(body))
	binary.LittleEndian.PutUint32(out[0:], uint32(16+len(body)))
	binary.LittleEndian.PutUint32(out[4:], uint32(id))
	binary.LittleEndian.PutUint32(out[8:], uint32(m.hdr.RequestID))
	binary.LittleEndian.PutUint32(out[12:], uint32(op))
	return append(out, body...)
}
