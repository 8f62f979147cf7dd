// Package cwserver is a scripted, in-process CloudWatch server for the demo
// (sources/demo) and the tests. It speaks the wire protocol the real SDK
// client speaks (Smithy RPC v2 CBOR) for GetMetricData and DescribeAlarms;
// the demo and the tests point a real aws-sdk-go-v2 client at it with
// BaseEndpoint and static credentials.
//
// It holds metric data (a function of time, or stored points), aggregates it
// by Period and Stat, enforces the service rules the client does not check,
// counts what a bill would count, and can inject the faults an incident
// brings (throttling, 5xx, expired or missing credentials, slow and hanging
// replies). It fails the test on a request it did not expect and on an
// injected fault that was never used.
//
// A plain SDK client now and then sends a call twice to this server: the SDK
// closes the request body before net/http is done with it, and retries the
// resulting "use of closed network connection" (aws-sdk-go-v2 issue 2737).
// The cloudwatch source guards against that; exact call counts from other
// clients should allow for it or copy its guard.
package cwserver

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// TB is the part of testing.TB the server needs. The demo passes its own
// implementation to drive the server outside a test.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Counters is what the server has been asked for, as a bill would count it.
type Counters struct {
	GetMetricDataCalls  int // every call, including failed ones and NextToken pages
	DescribeAlarmsCalls int
	MetricsRequested    int // queries over all answered GetMetricData calls
	DatapointsReturned  int
	Rejected            int // calls answered with an injected fault or a rule violation
}

// Cost is the GetMetricData bill for the metrics requested: $0.01 per 1,000.
func (c Counters) Cost() float64 { return float64(c.MetricsRequested) * 0.01 / 1000 }

// Server is a CloudWatch endpoint. Its zero value is not usable; call New.
type Server struct {
	URL string

	t   TB
	srv *httptest.Server
	now func() time.Time

	mu            sync.Mutex
	metrics       map[string]*metric
	alarms        []Alarm
	faults        map[string][]*Fault
	counters      Counters
	requests      []Request // GetMetricData requests, in order (requests.go)
	maxDatapoints int
	hang          chan struct{}
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes the server read the time from now: what "now" is decides
// which points exist yet, retention and StartTime rounding.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithMaxDatapoints lowers the per-call datapoint limit (100,800 in the
// service) so that tests can exercise NextToken paging with little data.
func WithMaxDatapoints(n int) Option { return func(s *Server) { s.maxDatapoints = n } }

// New starts a server and stops it when the test ends.
func New(t TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		t:             t,
		now:           time.Now,
		metrics:       map[string]*metric{},
		faults:        map[string][]*Fault{},
		maxDatapoints: 100800,
		hang:          make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close releases hanging requests, stops the server and reports injected
// faults that no request used.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.hang:
	default:
		close(s.hang)
	}
	var unused []string
	for op, fs := range s.faults {
		for _, f := range fs {
			unused = append(unused, op+" "+f.String())
		}
	}
	s.faults = map[string][]*Fault{}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
	for _, u := range unused {
		s.t.Errorf("cwserver: injected fault never used: %s", u)
	}
}

// Counters returns the counts so far.
func (s *Server) Counters() Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counters
}

// ResetCounters zeroes the counts.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters = Counters{}
}

const pathPrefix = "/service/GraniteServiceVersion20100801/operation/"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.URL.Path, pathPrefix)
	if !ok || r.Method != http.MethodPost || (op != "GetMetricData" && op != "DescribeAlarms") {
		s.t.Errorf("cwserver: unexpected request %s %s", r.Method, r.URL.Path)
		http.Error(w, "unexpected request", http.StatusNotFound)
		return
	}
	if msg := checkHeaders(r.Header); msg != "" {
		s.t.Errorf("cwserver: %s: %s", op, msg)
		writeError(w, http.StatusBadRequest, "InvalidParameterValue", "InvalidParameterValueException", msg)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	s.mu.Lock()
	if op == "GetMetricData" {
		s.counters.GetMetricDataCalls++
	} else {
		s.counters.DescribeAlarmsCalls++
	}
	f := s.takeFault(op)
	if f != nil && f.Status != 0 {
		s.counters.Rejected++
	}
	s.mu.Unlock()
	if f != nil && !s.delay(r, f) {
		return
	}
	switch {
	case f != nil && f.Status != 0:
		writeError(w, f.Status, f.Code, f.Type, f.Message)
		return
	case f != nil && f.Empty:
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.WriteHeader(http.StatusOK)
		return
	}
	switch op {
	case "GetMetricData":
		var odd Odd
		if f != nil {
			odd = f.Odd
		}
		s.getMetricData(w, body, odd)
	case "DescribeAlarms":
		s.describeAlarms(w, body)
	}
}

// checkHeaders returns what is wrong with a request's protocol headers.
// Only the presence and shape of the signature is checked, never its value,
// and nothing of it is ever printed.
func checkHeaders(h http.Header) string {
	switch {
	case h.Get("Smithy-Protocol") != "rpc-v2-cbor":
		return "missing Smithy-Protocol: rpc-v2-cbor"
	case h.Get("Content-Type") != "application/cbor":
		return "Content-Type is not application/cbor"
	case !strings.HasPrefix(h.Get("Authorization"), "AWS4-HMAC-SHA256 "),
		!strings.Contains(h.Get("Authorization"), "/monitoring/aws4_request"):
		return "request is not SigV4-signed for the monitoring service"
	}
	return ""
}

// delay applies a fault's slowness and reports whether to go on answering.
func (s *Server) delay(r *http.Request, f *Fault) bool {
	if f.Hang {
		select {
		case <-r.Context().Done():
		case <-s.hang:
		}
		return false
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

func writeCBOR(w http.ResponseWriter, v any) {
	b, err := encMode.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Write(b)
}

// writeError answers the way the service does in its AWS Query compatible
// mode: the body names the modelled exception type and the
// X-Amzn-Query-Error header carries the code the SDK reports.
func writeError(w http.ResponseWriter, status int, code, typ, msg string) {
	fault := "Sender"
	if status >= 500 {
		fault = "Receiver"
	}
	if typ == "" {
		typ = code
	}
	b, _ := encMode.Marshal(errorBody{Type: "com.amazonaws.cloudwatch#" + typ, Message: msg, MemberMessage: msg})
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("X-Amzn-Query-Error", code+";"+fault)
	w.WriteHeader(status)
	w.Write(b)
}

func (s *Server) reject(w http.ResponseWriter, code, typ, format string, args ...any) {
	s.mu.Lock()
	s.counters.Rejected++
	s.mu.Unlock()
	writeError(w, http.StatusBadRequest, code, typ, fmt.Sprintf(format, args...))
}
