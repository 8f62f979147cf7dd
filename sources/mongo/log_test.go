package mongo

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// At debug level every command the real driver sends is logged with its
// round trip: its name and connection, never its body or reply.
func TestEveryCommandIsLoggedAtDebugLevel(t *testing.T) {
	srv, err := mongoserver.New(func(cmd string, body bson.Raw) (bson.D, error) {
		return bson.D{{Key: "ok", Value: 1}, {Key: "secretish", Value: "reply-body-never-logged"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var buf lockedBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(Config{Name: "db", URI: "mongodb://" + srv.Addr() + "/?directConnection=true", Timeout: 2 * time.Second, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	defer s.Close(ctx)
	s.Poll(ctx) // the reply is not a serverStatus; the command was still sent
	got := buf.String()
	if !strings.Contains(got, `msg="mongo command" source=db command=serverStatus db=admin`) || !strings.Contains(got, "took=") {
		t.Errorf("no serverStatus line in the log:\n%s", got)
	}
	if strings.Contains(got, "reply-body-never-logged") {
		t.Errorf("a reply reached the log:\n%s", got)
	}
}
