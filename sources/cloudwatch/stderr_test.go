package cloudwatch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

// TestNothingIsWrittenToStderr: the dashboard owns the terminal, so a
// source must never write to the process's stderr; one line there tears
// the picture. The AWS SDK's default logger does: when a poll's deadline
// cuts a reply short, it warns "failed to discard remaining HTTP response
// body" on stderr (seen in the demo at --speed 1000, where it garbled the
// screen). A reply that stalls mid-body triggers it every time.
func TestNothingIsWrittenToStderr(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte{0xa1, 0x71}) // a map whose first key never arrives
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	// The SDK's default logger holds os.Stderr from when the source is
	// built, so swap it first.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = saved }()
	s := newSourceAt(t, srv.URL, newClock(), Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})
	written := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); written <- b }()
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, err := s.Poll(ctx)
		cancel()
		if err == nil {
			t.Error("a reply cut short by the deadline gave no error")
		}
	}
	time.Sleep(100 * time.Millisecond) // the SDK discards the body after the call returns
	os.Stderr = saved
	w.Close()
	if b := <-written; len(b) > 0 {
		t.Errorf("the source wrote to stderr, over the dashboard:\n%s", b)
	}
}
