// Package ec2server is a scripted, in-process EC2 endpoint for
// ec2:DescribeInstances, the EC2 counterpart of cwserver: the tests (and the
// demo, if it ever resolves instances by tag) point the real SDK client at it.
// It speaks the EC2 Query protocol: a signed, form-encoded POST
// (Action=DescribeInstances&Version=2016-11-15, filters as
// Filter.1.Name=tag:Name&Filter.1.Value.1=api-main) answered with
// DescribeInstancesResponse XML, or with <Response><Errors><Error> XML and
// the HTTP status EC2 uses for that error.
//
// It filters by tag:<key>, instance-state-name and instance-id, pages with
// NextToken, and can inject UnauthorizedOperation, RequestLimitExceeded and
// 500s. It fails the test on a request it did not expect and on an injected
// fault that was never used.
package ec2server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// TB is the part of testing.TB the server needs.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// Instance is one EC2 instance as DescribeInstances reports it.
type Instance struct {
	ID    string
	State string // pending, running, stopping, stopped, shutting-down, terminated; default running
	Tags  map[string]string
}

// Tagged is a running instance with a Name tag.
func Tagged(id, name string) Instance {
	return Instance{ID: id, State: "running", Tags: map[string]string{"Name": name}}
}

// Fault is the error reply to one request.
type Fault struct {
	Status        int
	Code, Message string
}

// Unauthorized is EC2's reply to a caller without ec2:DescribeInstances.
func Unauthorized() Fault {
	return Fault{http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation. " +
		"User: arn:aws:iam::123456789012:user/dash is not authorized to perform: ec2:DescribeInstances " +
		"because no identity-based policy allows the ec2:DescribeInstances action"}
}

// RequestLimitExceeded is EC2's throttling reply.
func RequestLimitExceeded() Fault {
	return Fault{http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded."}
}

// InternalError is an internal failure of the service.
func InternalError() Fault {
	return Fault{http.StatusInternalServerError, "InternalError", "An internal error has occurred"}
}

// Option configures a Server.
type Option func(*Server)

// WithPageSize makes the server return at most n reservations per reply
// (one instance each) even without MaxResults, as EC2 may.
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// Server is an EC2 endpoint. Call New.
type Server struct {
	URL string

	t        TB
	pageSize int

	mu        sync.Mutex
	instances []Instance
	faults    []Fault
	calls     int
	filters   []url.Values // the filters of each call, for assertions
}

// New starts a server that stops when the test ends.
func New(t TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t, pageSize: 1000}
	for _, o := range opts {
		o(s)
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.faults) > 0 {
			t.Errorf("ec2server: %d injected fault(s) never used", len(s.faults))
		}
	})
	return s
}

// Add adds instances.
func (s *Server) Add(in ...Instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, i := range in {
		if i.State == "" {
			i.State = "running"
		}
		s.instances = append(s.instances, i)
	}
}

// Inject queues faults for the next requests, one request each, in order.
// Every fault must be used before the test ends.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// Calls is the number of DescribeInstances requests received, faults
// included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(body))
	switch {
	case err != nil, r.Method != http.MethodPost,
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"),
		!strings.Contains(r.Header.Get("Authorization"), "/ec2/aws4_request"),
		form.Get("Action") != "DescribeInstances", form.Get("Version") != "2016-11-15":
		s.t.Errorf("ec2server: unexpected request %s %s %q", r.Method, r.URL.Path, body)
		writeError(w, Fault{http.StatusBadRequest, "InvalidAction", "unexpected request"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		writeError(w, f)
		return
	}
	filters, err := parseFilters(form)
	if err == nil {
		s.filters = append(s.filters, filters)
		var page []Instance
		var next string
		page, next, err = s.page(form, filters)
		if err == nil {
			writeReply(w, page, next)
			return
		}
	}
	writeError(w, Fault{http.StatusBadRequest, "InvalidParameterValue", err.Error()})
}

// Filters returns the filters each call asked for, as name → values.
func (s *Server) Filters() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.filters...)
}

// parseFilters reads Filter.N.Name and Filter.N.Value.M.
func parseFilters(form url.Values) (url.Values, error) {
	out := url.Values{}
	for n := 1; ; n++ {
		name := form.Get(fmt.Sprintf("Filter.%d.Name", n))
		if name == "" {
			break
		}
		if name != "instance-state-name" && name != "instance-id" && !strings.HasPrefix(name, "tag:") {
			return nil, fmt.Errorf("the filter '%s' is invalid", name)
		}
		for m := 1; ; m++ {
			v, ok := form[fmt.Sprintf("Filter.%d.Value.%d", n, m)]
			if !ok {
				break
			}
			out[name] = append(out[name], v...)
		}
		if len(out[name]) == 0 {
			return nil, fmt.Errorf("the filter '%s' has no values", name)
		}
	}
	return out, nil
}

// page is called with s.mu held.
func (s *Server) page(form url.Values, filters url.Values) ([]Instance, string, error) {
	size := s.pageSize
	if v := form.Get("MaxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 1000 {
			return nil, "", fmt.Errorf("Value ( %s ) for parameter maxResults is invalid. Expecting a value between 5 and 1000", v)
		}
		size = min(size, n)
	}
	var match []Instance
	for _, in := range s.instances {
		if matches(in, filters) {
			match = append(match, in)
		}
	}
	from := 0
	if tok := form.Get("NextToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "page-"))
		if err != nil || !strings.HasPrefix(tok, "page-") || n <= 0 || n > len(match) {
			return nil, "", fmt.Errorf("the NextToken %q is invalid", tok)
		}
		from = n
	}
	to := min(from+size, len(match))
	next := ""
	if to < len(match) {
		next = fmt.Sprintf("page-%d", to)
	}
	return match[from:to], next, nil
}

func matches(in Instance, filters url.Values) bool {
	for name, values := range filters {
		var have string
		switch {
		case name == "instance-state-name":
			have = in.State
		case name == "instance-id":
			have = in.ID
		default:
			v, ok := in.Tags[strings.TrimPrefix(name, "tag:")]
			if !ok {
				return false
			}
			have = v
		}
		found := false
		for _, v := range values {
			found = found || v == have
		}
		if !found {
			return false
		}
	}
	return true
}
