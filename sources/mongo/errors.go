package mongo

import (
	"errors"
	"fmt"
	"net"

	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/auth"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/stormwatch/stormwatch/sources"
)

// Server error codes we act on.
const (
	codeUnauthorized    = 13
	codeAuthFailed      = 18
	codeCommandNotFound = 59
	codeNoReplication   = 76 // NoReplicationEnabled: replSetGetStatus on a standalone
)

// classify turns a driver error from running cmd into one of the sources
// error classes, by error code and type, never by message text. The detail
// kept after the class is redacted: a connection string may hide in it.
func classify(cmd string, err error) error {
	if err == nil {
		return nil
	}
	var sel topology.ServerSelectionError
	var authErr *auth.Error
	switch {
	case HasCode(err, codeAuthFailed) || errors.As(err, &authErr):
		return fmt.Errorf("%w: check the user name and password", sources.ErrAuth)
	case HasCode(err, codeUnauthorized):
		return fmt.Errorf("%w for %s: needs clusterMonitor", sources.ErrPermission, cmd)
	case HasCode(err, codeCommandNotFound):
		return fmt.Errorf("command %w: %s", sources.ErrNotFound, cmd)
	case errors.As(err, &sel):
		// While a server is down, selection waits out the deadline; the
		// reason is the last heartbeat's error (connection refused, no
		// such host), which says more than "timeout".
		for _, srv := range sel.Desc.Servers {
			if srv.LastError != nil {
				return fmt.Errorf("%w: %s", sources.ErrUnreachable, detail(srv.LastError))
			}
		}
		if sel.Wrapped != nil && mdriver.IsTimeout(sel.Wrapped) {
			return fmt.Errorf("%w: no server answered before the deadline", sources.ErrTimeout)
		}
		return fmt.Errorf("%w: %s", sources.ErrUnreachable, detail(sel))
	case mdriver.IsTimeout(err):
		return fmt.Errorf("%w: %s got no reply in time", sources.ErrTimeout, cmd)
	case mdriver.IsNetworkError(err):
		return fmt.Errorf("%w: %s", sources.ErrUnreachable, detail(err))
	}
	return fmt.Errorf("%s: %s", cmd, detail(err))
}

// detail is the most specific, secret-free words of err: the network
// operation that failed if there is one, else the redacted message cut to
// one line.
func detail(err error) string {
	var op *net.OpError
	if errors.As(err, &op) {
		return sources.Redact(op.Error())
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return sources.Redact(dns.Error())
	}
	msg := sources.Redact(err.Error())
	if len(msg) > 160 {
		msg = msg[:160] + "…"
	}
	return msg
}

// HasCode reports whether a server error carries code: a command's own
// error, or one met while opening the connection (the auth handshake).
// stormwatch check classifies with it too.
func HasCode(err error, code int) bool {
	var se mdriver.ServerError
	if errors.As(err, &se) && se.HasErrorCode(code) {
		return true
	}
	var de driver.Error
	return errors.As(err, &de) && int(de.Code) == code
}
