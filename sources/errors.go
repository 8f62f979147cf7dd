package sources

import (
	"errors"
	"net/url"
	"regexp"
)

// Error classes. Sources wrap their SDK errors with one of these (after
// classifying them by error code, not by message text) so the UI can give a
// hint without importing any SDK.
var (
	ErrAuth        = errors.New("auth failed")
	ErrPermission  = errors.New("not authorized")
	ErrUnreachable = errors.New("unreachable")
	ErrTimeout     = errors.New("timeout")
	ErrThrottled   = errors.New("throttled")
	ErrNotFound    = errors.New("not found")
	ErrBadRequest  = errors.New("invalid request")
	ErrExpired     = errors.New("credentials expired")
	// ErrNoCredentials is a cloud source that found no credentials at all.
	ErrNoCredentials = errors.New("no credentials")
)

// classes is every error class with its hint, in the order an error that
// wraps several is named by (errors.Join of member errors): Hint and Class
// read the same order, so the class shown and its hint always agree.
var classes = []struct {
	err  error
	hint string
}{
	{ErrNoCredentials, "set profile: in the config, export AWS_PROFILE or the AWS key variables, or attach an instance role"},
	{ErrExpired, "refresh the credentials (aws sso login, or new session keys)"},
	{ErrAuth, "check the user name and password in the connection string or the AWS credentials"},
	{ErrPermission, "grant the missing permission named above"},
	{ErrUnreachable, "check the host, port and network path; stormwatch keeps retrying"},
	{ErrTimeout, "the target is slow to answer; stormwatch keeps retrying with backoff"},
	{ErrThrottled, "the API is throttling; stormwatch backs off by itself"},
	{ErrNotFound, ""},
	{ErrBadRequest, ""},
}

// Hint returns a one-line suggestion for an error class, or "".
func Hint(err error) string {
	for _, c := range classes {
		if errors.Is(err, c.err) {
			return c.hint
		}
	}
	return ""
}

// Class is the error's class in words ("unreachable", "auth failed"), or ""
// when it fits none.
func Class(err error) string {
	for _, c := range classes {
		if errors.Is(err, c.err) {
			return c.err.Error()
		}
	}
	return ""
}

var userinfo = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\s]*)@`)

// Redact removes credentials from any URI inside s. Every error that may
// contain a connection string passes through it before it is shown, logged
// or recorded.
func Redact(s string) string {
	return userinfo.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfo.FindStringSubmatch(m)
		user := sub[2]
		if u, err := url.PathUnescape(user); err == nil {
			user = u
		}
		if i := indexByte(user, ':'); i >= 0 {
			user = user[:i]
		}
		return sub[1] + user + ":xxxxx@"
	})
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
