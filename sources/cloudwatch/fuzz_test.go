package cloudwatch

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

// FuzzReplies sends arbitrary reply bodies, as the service would (RPC v2
// CBOR headers, a 200, 400 or 500), to the real SDK client inside the
// source, for GetMetricData and DescribeAlarms alike. Whatever arrives,
// Poll must not panic and must return an error or a result, and the error
// must not carry the secret key.
//
// Seeds are real cwserver replies, recorded through a proxy, plus the
// checked-in corpus (STORMWATCH_WRITE_SEEDS=1 refreshes it).
func FuzzReplies(f *testing.F) {
	f.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	f.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	for _, r := range recordedReplies(f) {
		f.Add(r.status, r.body)
	}
	f.Add(uint8(0), []byte{})
	f.Add(uint8(1), []byte{0xbf})
	var mu sync.Mutex
	var status uint8
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		st, b := status, body
		mu.Unlock()
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		code := http.StatusOK
		switch st % 3 {
		case 1:
			code = http.StatusBadRequest
			w.Header().Set("X-Amzn-Query-Error", "Throttling;Sender")
		case 2:
			code = http.StatusInternalServerError
		}
		w.WriteHeader(code)
		w.Write(b)
	}))
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, st uint8, b []byte) {
		mu.Lock()
		status, body = st, b
		mu.Unlock()
		s := fuzzSource(t, srv.URL, newClock())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := s.Poll(ctx)
		if err != nil && strings.Contains(err.Error(), "EXAMPLEKEY") {
			t.Fatalf("the secret key is in the error: %v", err)
		}
		for _, smp := range res.Samples {
			if smp.Key != "main.cpu" {
				t.Fatalf("sample for a series nobody asked for: %q", smp.Key)
			}
		}
	})
}

type reply struct {
	status uint8
	body   []byte
}

// recordedReplies polls a cwserver server through a recording proxy: a
// GetMetricData with points, a DescribeAlarms with alarms, and the error
// replies of the faults an incident brings.
func recordedReplies(f *testing.F) []reply {
	clock := newClock()
	cw := cwserver.New(f, cwserver.WithClock(clock.Now))
	cw.AddMetric(ec2("i-1", time.Minute))
	cw.SetAlarms(cwserver.Alarm{Name: "api-5xx", State: "ALARM", Reason: "Threshold Crossed", Updated: clock.Now().Add(-time.Minute)})
	cw.Inject("GetMetricData", cwserver.Throttling(), cwserver.ServerError(), cwserver.ExpiredToken())
	target, _ := url.Parse(cw.URL)
	var mu sync.Mutex
	var out []reply
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target.String()+r.URL.Path, r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		st := uint8(0)
		switch {
		case resp.StatusCode >= 500:
			st = 2
		case resp.StatusCode >= 400:
			st = 1
		}
		mu.Lock()
		out = append(out, reply{st, b})
		mu.Unlock()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(b)
	}))
	defer proxy.Close()
	s := fuzzSource(f, proxy.URL, clock)
	for range 4 {
		s.Poll(context.Background())
		clock.Advance(2 * time.Minute)
	}
	if os.Getenv("STORMWATCH_WRITE_SEEDS") != "" {
		dir := filepath.Join("testdata", "fuzz", "FuzzReplies")
		os.MkdirAll(dir, 0o755)
		for _, r := range out {
			sum := sha256.Sum256(append([]byte{r.status}, r.body...))
			data := fmt.Sprintf("go test fuzz v1\nuint8(%d)\n[]byte(%s)\n", r.status, strconv.Quote(string(r.body)))
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("%x", sum[:8])), []byte(data), 0o644)
		}
	}
	return out
}

// fuzzSource is the source under fuzzing: one metric and alarms, static
// credentials, no SDK retries.
func fuzzSource(tb testing.TB, endpoint string, clock *fakeClock) *Source {
	s, err := New(context.Background(), Config{Region: "us-east-1", Endpoint: endpoint, Now: clock.Now,
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		RetryMaxAttempts: 1, RetryMaxBackoff: time.Millisecond,
		Metrics: []Metric{EC2CPU("main.cpu", "i-1")}, AlarmPrefix: "api-"})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
