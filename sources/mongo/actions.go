package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
	mopts "go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// Actions are what an operator may do about a culprit from the dashboard:
// explain its query, see the indexes of its collection, stop its
// operations. They are written for a server that is already struggling:
//
//   - one action at a time for the whole deployment (a second is refused,
//     not queued);
//   - every command under its own deadline of actionTimeout (the driver
//     turns it into maxTimeMS), on its own connection so a poll is never
//     queued behind an action nor an action behind a poll;
//   - only on the member the culprit tables read (the mongos, else the
//     primary), where the operations run;
//   - explain with verbosity queryPlanner, which plans but does not run
//     the query, and at most once per selection per member;
//   - never an internal operation, an index build or replication.
type Actions struct {
	src    *Source
	target func() (Target, bool)
	now    func() time.Time

	busy sync.Mutex // held for the whole of one action: TryLock, never wait

	mu        sync.Mutex // guards clients and explained
	clients   map[string]*mdriver.Client
	explained map[string]Explain
}

// Target is the member actions go to, as the last poll saw it.
type Target struct {
	Addr    string
	Label   string // the member as the dashboard names it (its alias, else Addr)
	Mongos  bool
	Version string // "" when unknown
	Process string // mongod, mongos, ferretdb...
}

// actionTimeout bounds each command an action sends. Explain with
// queryPlanner and killOp are cheap for a healthy server; one that cannot
// answer in this time should not be given more work.
const actionTimeout = 2 * time.Second

// ErrBusy: an action is already running.
var ErrBusy = errors.New("another action is still running: wait for its result")

// ErrNoTarget: the source has not found a member to act on yet.
var ErrNoTarget = errors.New("no primary or mongos known yet: wait for a poll to succeed")

// Actions gives the actions for this deployment. Safe to call from any
// goroutine; the Actions value is too.
func (s *Source) Actions() *Actions {
	return &Actions{src: s, target: s.ActionTarget, now: s.now,
		clients: map[string]*mdriver.Client{}, explained: map[string]Explain{}}
}

// ActionTarget is the member the culprit tables read, as of the last poll.
func (s *Source) ActionTarget() (Target, bool) {
	t := s.target.Load()
	if t == nil {
		return Target{}, false
	}
	return *t, true
}

// publishTarget records the culprit member for Actions (another goroutine).
func (s *Source) publishTarget() {
	m := s.culpritMember()
	if m == nil {
		s.target.Store(nil)
		return
	}
	s.target.Store(&Target{Addr: m.addr, Label: s.label(m.addr), Mongos: m.role == roleMongos, Version: m.version, Process: m.process})
}

// Close disconnects the actions' own connections.
func (a *Actions) Close(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var errs []error
	for addr, c := range a.clients {
		errs = append(errs, c.Disconnect(ctx))
		delete(a.clients, addr)
	}
	return errors.Join(errs...)
}

// begin takes the one-action lock and finds the target.
func (a *Actions) begin() (Target, func(), error) {
	if !a.busy.TryLock() {
		return Target{}, nil, ErrBusy
	}
	t, ok := a.target()
	if !ok {
		a.busy.Unlock()
		return Target{}, nil, ErrNoTarget
	}
	return t, a.busy.Unlock, nil
}

func (a *Actions) client(addr string) (*mdriver.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.clients[addr]; c != nil {
		return c, nil
	}
	c, err := mdriver.Connect(a.src.directOptions(addr, actionTimeout))
	if err != nil {
		return nil, err
	}
	a.clients[addr] = c
	return c, nil
}

// command runs one command on db at the target under its own deadline.
func (a *Actions) command(ctx context.Context, t Target, db string, cmd bson.D) (bson.Raw, error) {
	c, err := a.client(t.Addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	return c.Database(db).RunCommand(ctx, cmd, mopts.RunCmd().SetReadPreference(readpref.PrimaryPreferred())).Raw()
}

// ActionError is a refused or failed action step: what was tried, why it
// failed, and for a missing privilege exactly what to grant.
type ActionError struct {
	Step   string // "killOp", "explain", "listIndexes", ...
	Reason string
	Grant  string // the role or privilege that would allow it; "" when not a permission problem
}

func (e *ActionError) Error() string {
	if e.Grant != "" {
		return fmt.Sprintf("%s: %s: grant %s", e.Step, e.Reason, e.Grant)
	}
	return e.Step + ": " + e.Reason
}

// Grants names what each step needs, for ActionError and `stormwatch
// check`. One owner: docs/mongodb-user.md's operator role lists the same.
var Grants = map[string]string{
	"$currentOp":       "the inprog action on the cluster (role clusterMonitor)",
	"explain":          "the find action on the collection's database (role read on that database; queryPlanner does not return documents)",
	"listIndexes":      "the listIndexes action on the database (role read, or the stormwatchOperator role in docs/mongodb-user.md)",
	"$indexStats":      "the indexStats action (role clusterMonitor)",
	"$collStats":       "the collStats action (role clusterMonitor)",
	"killOp":           "the killop action on the cluster (role hostManager, or the stormwatchOperator role in docs/mongodb-user.md)",
	"setQuerySettings": "the querySettings action on the cluster (role clusterManager, or the stormwatchOperator role)",
}

// classifyAction turns a driver error into an ActionError the operator can act on.
func classifyAction(step string, t Target, err error) error {
	if err == nil {
		return nil
	}
	switch failureOf(err) { // the culprit tables' classes: one owner of the codes
	case failRefused:
		return &ActionError{Step: step, Reason: "not authorized", Grant: Grants[step]}
	case failMissing:
		return &ActionError{Step: step, Reason: "not available on this server (" + serverLabel(t) + ")"}
	case failBusy:
		return &ActionError{Step: step, Reason: fmt.Sprintf("no reply within %s: the server is struggling; nothing more is sent", actionTimeout)}
	}
	return &ActionError{Step: step, Reason: oneLine(detail(err))}
}

func serverLabel(t Target) string {
	p := t.Process
	if p == "" {
		p = "mongod"
	}
	if t.Version == "" {
		return p + ", version unknown"
	}
	return p + " " + t.Version
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// MajorVersion is the leading number of "8.0.4"; 0 when unknown.
func MajorVersion(v string) int {
	n := 0
	for _, r := range v {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}
