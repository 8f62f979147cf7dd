package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stormwatch/stormwatch/sources"
)

// Failures no sources class fits: the panel shows them without a hint.
var (
	errService = errors.New("service error")
	errFailed  = errors.New("failed")
	// errOddReply is a reply that parses but is not the answer asked for.
	errOddReply = errors.New("unexpected reply")
)

// classifiedError is an SDK error sorted into a sources error class. It
// prints one short line for the panel (the SDK's own text repeats the
// operation, status and request id) and unwraps to both the class and the
// SDK error.
type classifiedError struct {
	msg          string
	class, cause error
}

func (e *classifiedError) Error() string   { return e.msg }
func (e *classifiedError) Unwrap() []error { return []error{e.class, e.cause} }

// classify sorts err by the error code the service sent, never by its text.
// op is the operation in words, action the IAM action it needs
// ("cloudwatch:GetMetricData"); batch, when
// given, lets a bad request name the series at fault, and that query is left
// out of later polls so one bad metric does not blank the whole dashboard.
func (s *Source) classify(op, action string, err error, batch []*query) error {
	var (
		class  error
		detail string
		apiErr smithy.APIError
		netErr net.Error
		send   *smithyhttp.RequestSendError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s %s: %w", op, s.cfg.Name, err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		class, detail = sources.ErrTimeout, "no reply before the poll's deadline"
	case errors.As(err, &apiErr):
		class, detail = classifyCode(apiErr, action, batch)
	case errors.As(err, &send), errors.As(err, &netErr):
		class, detail = sources.ErrUnreachable, sendDetail(err)
	default:
		class, detail = errFailed, err.Error()
	}
	msg := fmt.Sprintf("%s %s: %v", op, s.cfg.Name, class)
	if detail != "" {
		msg += ": " + detail
	}
	return &classifiedError{msg: sources.Redact(msg), class: class, cause: err}
}

func classifyCode(apiErr smithy.APIError, action string, batch []*query) (error, string) {
	code, text := apiErr.ErrorCode(), apiErr.ErrorMessage()
	switch {
	case code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired":
		return sources.ErrExpired, code
	case code == "UnrecognizedClient" || code == "UnrecognizedClientException" ||
		code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" || code == "IncompleteSignature" ||
		code == "AuthFailure":
		return sources.ErrAuth, code
	case code == "AccessDenied" || code == "AccessDeniedException" || code == "UnauthorizedOperation":
		return sources.ErrPermission, "needs " + action
	case code == "Throttling" || code == "ThrottlingException" || code == "RequestLimitExceeded" ||
		code == "TooManyRequestsException" || code == "LimitExceeded":
		return sources.ErrThrottled, code
	case strings.HasPrefix(code, "InvalidParameter") || code == "ValidationError" ||
		code == "MissingParameter" || code == "InvalidNextToken":
		if q := culprit(text, batch); q != nil {
			q.rejected = text
			return sources.ErrBadRequest, fmt.Sprintf("series %s: %s (left out from now on)", q.metric.Series, text)
		}
		return sources.ErrBadRequest, text
	}
	// EC2's Query protocol marks no error as the server's fault.
	if apiErr.ErrorFault() == smithy.FaultServer || code == "InternalError" || code == "Unavailable" {
		return errService, code + ": " + text
	}
	return errFailed, code + ": " + text
}

var (
	memberRef = regexp.MustCompile(`MetricDataQueries\.member\.(\d+)`)
	idRef     = regexp.MustCompile(`\bm\d+\b`)
)

// culprit finds the query a GetMetricData complaint is about, when the
// message points at one by position or by Id.
func culprit(text string, batch []*query) *query {
	if m := memberRef.FindStringSubmatch(text); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n <= len(batch) {
			return batch[n-1]
		}
	}
	for _, id := range idRef.FindAllString(text, -1) {
		for _, q := range batch {
			if q.id == id {
				return q
			}
		}
	}
	return nil
}

// sendDetail says why a request never got a reply, without the URL's
// query or anything else that might be secret.
func sendDetail(err error) string {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		return "cannot resolve " + dnsErr.Name
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "cannot connect: " + opErr.Err.Error()
	}
	return "connection failed"
}

const maxHold = 15 * time.Minute

// noteThrottling spaces out the source's own calls after the service
// throttled it (beyond the SDK's retries within a call): exponential in the
// number of throttled polls in a row, from one interval up to 15 minutes,
// with jitter so that several dashboards on one account do not retry in step.
func (s *Source) noteThrottling(err error, now time.Time) {
	if !errors.Is(err, sources.ErrThrottled) {
		s.throttled = 0
		return
	}
	s.throttled++
	d := sources.Backoff(s.interval, maxHold, s.throttled)
	// Jitter below d only, so the hold never passes maxHold.
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	s.holdUntil = now.Add(d)
}
