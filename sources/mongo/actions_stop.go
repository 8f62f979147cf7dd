package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stormwatch/stormwatch/text"
)

// ErrNotConfirmed: the typed confirmation did not match; nothing was sent.
var ErrNotConfirmed = errors.New("confirmation did not match the app name: nothing was stopped")

// StopResult is what a stop did, for the status line and the timeline.
type StopResult struct {
	Target    Target
	Comment   string   // the comment every killOp carried
	Asked     []Op     // killOp accepted for these
	Failed    []string // "opid: reason" for killOps the server refused
	Skipped   []Op     // refused by stormwatch (Op.Refuse says why)
	Remaining int      // of Asked, still running at the last check; -1 when the check failed
	CheckNote string   // why the check could not run, when Remaining is -1
}

// Summary is one line for the status bar and the timeline.
func (r StopResult) Summary(app string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "killOp sent for %d operation(s) of %s on %s", len(r.Asked), app, r.Target.Label)
	switch {
	case len(r.Asked) == 0:
	case r.Remaining < 0:
		b.WriteString("; could not check they stopped: " + r.CheckNote)
	case r.Remaining == 0:
		b.WriteString("; all gone")
	default:
		fmt.Fprintf(&b, "; %d still running (killOp only asks: they stop at their next interrupt check)", r.Remaining)
	}
	if len(r.Failed) > 0 {
		fmt.Fprintf(&b, "; %d refused by the server (%s)", len(r.Failed), r.Failed[0])
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, "; %d left alone (%s)", len(r.Skipped), r.Skipped[0].Refuse)
	}
	return b.String()
}

// verifyTries and verifyGap: how long to watch for the killed operations
// to go. killOp sets a flag the operation checks at its next yield, which
// is usually within milliseconds; a scan stuck on I/O takes longer.
const (
	verifyTries = 3
	verifyGap   = 300 * time.Millisecond
)

// Stop asks the server to kill the listed operations of sel, the ones the
// operator saw, after checking the typed confirmation equals the app name.
// Refused operations (internal, index builds, replication, mongos writes)
// are skipped. Each killOp carries a comment naming stormwatch and the
// operator, so the server's log says who did it. Then $currentOp says how
// many of them remain.
func (a *Actions) Stop(ctx context.Context, sel Selection, ops []Op, typed, who string) (StopResult, error) {
	if strings.TrimSpace(typed) != sel.App || sel.App == "" {
		return StopResult{}, ErrNotConfirmed
	}
	t, done, err := a.begin()
	if err != nil {
		return StopResult{}, err
	}
	defer done()
	r := StopResult{Target: t, Comment: stopComment(who, sel.App)}
	for _, o := range ops {
		if o.Refuse != "" || o.ID == "" {
			r.Skipped = append(r.Skipped, o)
			continue
		}
		if len(r.Asked)+len(r.Failed) >= opsLimit {
			break
		}
		_, err := a.command(ctx, t, "admin", bson.D{{Key: "killOp", Value: 1},
			{Key: "op", Value: o.opid}, {Key: "comment", Value: r.Comment}})
		if err != nil {
			ae := classifyAction("killOp", t, err)
			if isNotAuthorized(ae) {
				return r, ae // the next one would be refused too
			}
			r.Failed = append(r.Failed, o.ID+": "+ae.Error())
			continue
		}
		r.Asked = append(r.Asked, o)
	}
	if len(r.Asked) > 0 {
		r.Remaining, r.CheckNote = a.remaining(ctx, t, r.Asked)
	}
	return r, nil
}

func isNotAuthorized(err error) bool {
	ae, ok := IsActionError(err)
	return ok && ae.Grant != ""
}

// remaining counts how many of ops are still running, looking a few times.
func (a *Actions) remaining(ctx context.Context, t Target, ops []Op) (int, string) {
	ids := bson.A{}
	for _, o := range ops {
		ids = append(ids, o.opid)
	}
	cmd := verifyCommand(ids, t.Mongos)
	n := -1
	for i := 0; i < verifyTries; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return n, "cancelled"
			case <-time.After(verifyGap):
			}
		}
		reply, err := a.command(ctx, t, "admin", cmd)
		if err != nil {
			return -1, classifyAction("$currentOp", t, err).Error()
		}
		n = len(firstBatch(reply))
		if n == 0 {
			break
		}
	}
	return n, ""
}

// verifyCommand lists which of the opids are still running.
func verifyCommand(ids bson.A, mongos bool) bson.D {
	opts := bson.D{{Key: "allUsers", Value: true}}
	if mongos {
		opts = append(opts, bson.E{Key: "localOps", Value: true})
	}
	return aggregate(1, bson.A{
		bson.D{{Key: "$currentOp", Value: opts}},
		bson.D{{Key: "$match", Value: bson.D{{Key: "opid", Value: bson.D{{Key: "$in", Value: ids}}}}}},
		bson.D{{Key: "$project", Value: bson.D{{Key: "_id", Value: 0}, {Key: "opid", Value: 1}}}},
	})
}

// stopComment names stormwatch and the operator in the server's log. The
// operator's name is text from outside (an SSH user): it passes the one
// sanitiser and is cut short.
func stopComment(who, app string) string {
	if who == "" {
		who = "unknown"
	}
	short := func(s string) string {
		if r := []rune(text.Clean(s).String()); len(r) > 64 {
			return string(r[:64])
		}
		return text.Clean(s).String()
	}
	return "stormwatch: stopped by " + short(who) + " (app " + short(app) + ")"
}

// RejectPlan is the query-settings alternative to killing, on 8.0+: the
// server refuses new queries of this shape until the setting is removed.
type RejectPlan struct {
	Set, Undo bson.D // the admin commands
	// SetShell and UndoShell are the same commands as mongosh lines.
	SetShell, UndoShell string
}

// PlanReject builds the query settings that reject op's query shape. It
// needs MongoDB 8.0 and a find or aggregate; the reason says otherwise.
func PlanReject(t Target, op Op) (RejectPlan, error) {
	if t.Process == "ferretdb" || MajorVersion(t.Version) < 8 {
		return RejectPlan{}, &ActionError{Step: "setQuerySettings", Reason: "needs MongoDB 8.0 or later (" + serverLabel(t) + ")"}
	}
	db, coll, _ := strings.Cut(op.NS, ".")
	var shape bson.D
	switch op.Cmd {
	case "find":
		// Projection and collation are part of a find's query shape: a
		// reject without them would match a shape the operation does not
		// have, and reject nothing.
		shape = bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: orEmpty(op.Filter)}}
		for _, f := range []struct {
			key string
			v   bson.Raw
		}{{"sort", op.Sort}, {"projection", op.Projection}, {"collation", op.Collation}} {
			if len(f.v) > 0 {
				shape = append(shape, bson.E{Key: f.key, Value: f.v})
			}
		}
	case "aggregate":
		shape = bson.D{{Key: "aggregate", Value: coll}, {Key: "pipeline", Value: rawArray(op.Pipeline)}}
		if len(op.Collation) > 0 {
			shape = append(shape, bson.E{Key: "collation", Value: op.Collation})
		}
	default:
		return RejectPlan{}, &ActionError{Step: "setQuerySettings", Reason: "only find and aggregate shapes can be rejected"}
	}
	shape = append(shape, bson.E{Key: "$db", Value: db})
	p := RejectPlan{
		Set:  bson.D{{Key: "setQuerySettings", Value: shape}, {Key: "settings", Value: bson.D{{Key: "reject", Value: true}}}},
		Undo: bson.D{{Key: "removeQuerySettings", Value: shape}},
	}
	p.SetShell, p.UndoShell = shell(p.Set), shell(p.Undo)
	return p, nil
}

// Reject applies a RejectPlan; Undo removes it.
func (a *Actions) Reject(ctx context.Context, p RejectPlan) error {
	return a.admin(ctx, "setQuerySettings", p.Set)
}

// Undo removes the query settings a Reject set.
func (a *Actions) Undo(ctx context.Context, p RejectPlan) error {
	return a.admin(ctx, "setQuerySettings", p.Undo)
}

func (a *Actions) admin(ctx context.Context, step string, cmd bson.D) error {
	t, done, err := a.begin()
	if err != nil {
		return err
	}
	defer done()
	_, err = a.command(ctx, t, "admin", cmd)
	return classifyAction(step, t, err)
}

// shell is an admin command as a mongosh line.
func shell(cmd bson.D) string {
	b, err := bson.MarshalExtJSON(cmd, false, false)
	if err != nil {
		return "(cannot print: " + err.Error() + ")"
	}
	return "db.adminCommand(" + string(b) + ")"
}
