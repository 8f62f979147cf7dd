package cwserver

import (
	"fmt"
	"net/http"
	"time"
)

// Fault is how the server misbehaves for one request. A fault with a zero
// Status only slows (Delay) or stalls (Hang) an otherwise normal reply.
type Fault struct {
	Status  int    // HTTP status of the error reply; 0 answers normally
	Code    string // the AWS Query error code the SDK reports ("Throttling")
	Type    string // the modelled exception name in the body; Code when empty
	Message string
	Delay   time.Duration // wait this long before answering
	Hang    bool          // never answer; the client must give up
	Empty   bool          // answer 200 with an empty body
	// Odd is a GetMetricData reply that is well-formed but not what was
	// asked, as emulators and a degraded service send.
	Odd Odd
}

// Odd bends an otherwise normal GetMetricData reply.
type Odd struct {
	// IDs maps the Ids asked for to the Ids answered ("m0" -> "M0").
	IDs func(string) string
	// StatusCode replaces every result's status ("InternalError",
	// "Forbidden").
	StatusCode string
	// Messages are added to the reply ("MaxMetricsExceeded", ...).
	Messages []Message
}

// Message is a GetMetricData message: a code and its text.
type Message struct {
	Code, Value string
}

func (o Odd) zero() bool { return o.IDs == nil && o.StatusCode == "" && len(o.Messages) == 0 }

// OddIDs answers every query under the Id up(id) instead of its own.
func OddIDs(up func(string) string) Fault { return Fault{Odd: Odd{IDs: up}} }

// OddStatus answers every result with status code.
func OddStatus(code string) Fault { return Fault{Odd: Odd{StatusCode: code}} }

// OddMessages answers with the given reply-level messages.
func OddMessages(m ...Message) Fault { return Fault{Odd: Odd{Messages: m}} }

func (f *Fault) String() string {
	switch {
	case f.Hang:
		return "hang"
	case f.Empty:
		return "empty reply"
	case !f.Odd.zero():
		return "odd reply"
	case f.Status == 0:
		return fmt.Sprintf("delay %s", f.Delay)
	}
	return fmt.Sprintf("%d %s", f.Status, f.Code)
}

// Inject queues faults for the next requests to op ("GetMetricData" or
// "DescribeAlarms"), one request each, in order. Every fault must be used
// before the test ends.
func (s *Server) Inject(op string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range faults {
		f := faults[i]
		s.faults[op] = append(s.faults[op], &f)
	}
}

// Pending is the number of injected faults not yet used for op.
func (s *Server) Pending(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults[op])
}

// takeFault is called with s.mu held.
func (s *Server) takeFault(op string) *Fault {
	q := s.faults[op]
	if len(q) == 0 {
		return nil
	}
	s.faults[op] = q[1:]
	if len(q) == 1 {
		delete(s.faults, op)
	}
	return q[0]
}

// Throttling is the service's rate limit reply.
func Throttling() Fault {
	return Fault{Status: http.StatusBadRequest, Code: "Throttling", Type: "ThrottlingException", Message: "Rate exceeded"}
}

// ServerError is an internal failure of the service.
func ServerError() Fault {
	return Fault{Status: http.StatusInternalServerError, Code: "InternalServiceError", Type: "InternalServiceFault", Message: "Internal service error"}
}

// ExpiredToken is the reply to a request signed with expired session keys.
func ExpiredToken() Fault {
	return Fault{Status: http.StatusBadRequest, Code: "ExpiredToken", Message: "The security token included in the request is expired"}
}

// InvalidClientTokenID is the reply to an access key the service does not know.
func InvalidClientTokenID() Fault {
	return Fault{Status: http.StatusForbidden, Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}
}

// AccessDenied is the reply when the caller lacks the IAM action for op.
func AccessDenied(op string) Fault {
	return Fault{Status: http.StatusForbidden, Code: "AccessDenied", Message: "User: arn:aws:iam::123456789012:user/dash is not authorized to perform: cloudwatch:" + op + " because no identity-based policy allows the cloudwatch:" + op + " action"}
}

// Slow answers normally after d.
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// Hang never answers; the request ends when the client gives up or the
// server closes.
func Hang() Fault { return Fault{Hang: true} }

// EmptyReply answers 200 with no body, which the SDK reads as an output
// with nothing in it.
func EmptyReply() Fault { return Fault{Empty: true} }

// Logger lets a server run outside a test (the demo): it reports surprises
// through a log function. Close the server when done.
type Logger func(format string, args ...any)

func (Logger) Helper()                             {}
func (l Logger) Errorf(format string, args ...any) { l(format, args...) }
func (Logger) Cleanup(func())                      {}
