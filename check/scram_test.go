package check

import (
	"sync"

	"github.com/xdg-go/scram"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// scramServer answers saslStart and saslContinue as mongod does for
// SCRAM-SHA-256, so the real driver logs in through the real handshake. A
// wrong password fails in the server's proof check, as on a real server.
type scramServer struct {
	srv *scram.Server

	mu    sync.Mutex
	next  int32
	convs map[int32]*scram.ServerConversation
}

func newSCRAM(user, password string) *scramServer {
	client, err := scram.SHA256.NewClient(user, password, "")
	if err != nil {
		panic(err)
	}
	creds := client.GetStoredCredentials(scram.KeyFactors{Salt: "stormwatch-test-salt", Iters: 4096})
	srv, err := scram.SHA256.NewServer(func(string) (scram.StoredCredentials, error) { return creds, nil })
	if err != nil {
		panic(err)
	}
	return &scramServer{srv: srv, convs: map[int32]*scram.ServerConversation{}}
}

func (s *scramServer) handle(cmd string, body bson.Raw) (bson.D, error) {
	s.mu.Lock()
	var id int32
	var conv *scram.ServerConversation
	if cmd == "saslStart" {
		s.next++
		id, conv = s.next, s.srv.NewConversation()
		s.convs[id] = conv
	} else {
		id, _ = body.Lookup("conversationId").Int32OK()
		conv = s.convs[id]
	}
	s.mu.Unlock()
	_, payload, ok := body.Lookup("payload").BinaryOK()
	if conv == nil || !ok {
		return nil, mongoserver.ErrAuthFailed
	}
	out, err := conv.Step(string(payload))
	if err != nil {
		return nil, mongoserver.ErrAuthFailed
	}
	return bson.D{{Key: "conversationId", Value: id}, {Key: "done", Value: conv.Done()},
		{Key: "payload", Value: bson.Binary{Data: []byte(out)}}}, nil
}
