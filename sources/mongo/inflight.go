package mongo

import (
	"context"
	"fmt"
	"sync"
	"time"

	mdriver "go.mongodb.org/mongo-driver/v2/mongo"
)

// maxInFlight is how many members are asked at once. Each member only ever
// has one command in flight, so this bounds stormwatch's own burst
// (goroutines, sockets, TLS handshakes after a network blip), not the load
// on any one server. Eight lets a 51-member cluster (16 shards of 3 and 3
// mongos) finish a round in about 7 round trips, and leaves 5 slots
// working while one whole shard of 3 hangs until its timeout (2 while
// two shards hang).
const maxInFlight = 8

// flight is the members' polls in progress. A poll runs on its own
// goroutine and may outlive the round that started it: the round waits
// for its members at most roundWait, and whatever answers later is
// collected by the next round. So one slow shard costs the others
// nothing: not a slot for long, not a later start, not a longer round.
type flight struct {
	sem    chan struct{}
	notify chan struct{} // a poll finished
	mu     sync.Mutex
	done   []*memberResult
	wg     sync.WaitGroup
	// ctx outlives each Poll's context (the engine cancels that when
	// Poll returns) and ends on Close; every command still has its own
	// deadline.
	ctx    context.Context
	cancel context.CancelFunc
}

func newFlight() *flight {
	return &flight{sem: make(chan struct{}, maxInFlight), notify: make(chan struct{}, 1)}
}

// roundWait is how long a round waits for its members: half an interval,
// so a healthy round (milliseconds) ends at once and a slow member never
// stretches the schedule of the others by more than that.
func (s *Source) roundWait() time.Duration { return min(s.cfg.Timeout, s.cfg.Interval/2) }

// pollMembers asks every pollable member that is due and not still busy
// with an earlier round, and returns the results that came in: this
// round's, up to roundWait, and any late ones from earlier rounds.
func (s *Source) pollMembers(ctx context.Context, now time.Time, replDue bool) []memberResult {
	replOn := map[string]bool{}
	if replDue {
		replOn = s.replRunners(now)
	}
	var results []memberResult
	launched := map[*memberResult]bool{}
	for _, addr := range s.order {
		m := s.members[addr]
		if !m.pollable() || m.busy() {
			continue
		}
		if !s.allFailing && now.Before(m.retryAt) {
			results = append(results, memberResult{m: m, skipped: true})
			continue
		}
		client, err := s.connect(m)
		if err != nil {
			results = append(results, memberResult{m: m, err: classify("connect", err)})
			continue
		}
		r := &memberResult{m: m, storage: now.Sub(m.storageAt) >= s.cfg.ReplInterval}
		if m.addr == s.cul.addr && len(s.cul.steps) > 0 {
			r.steps, r.answered = s.cul.steps, make(chan struct{})
		}
		m.askedAt = now
		launched[r] = true
		s.launch(ctx, client, r, m.triedCores, replOn[m.addr])
	}
	for _, r := range s.fl.wait(ctx, launched, s.roundWait()) {
		r.m.askedAt = time.Time{}
		results = append(results, *r)
	}
	return results
}

func (m *member) busy() bool { return !m.askedAt.IsZero() }

// launch polls one member on its own goroutine, at most maxInFlight at a
// time, under the member's own deadline.
func (s *Source) launch(ctx context.Context, c *mdriver.Client, r *memberResult, triedCores, repl bool) {
	f := s.fl
	if f.ctx == nil {
		f.ctx, f.cancel = context.WithCancel(context.WithoutCancel(ctx))
	}
	pollDeadline, hasDeadline := ctx.Deadline()
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		defer f.finish(r)
		select {
		case f.sem <- struct{}{}:
		case <-f.ctx.Done():
			r.err = classify("serverStatus", f.ctx.Err())
			return
		}
		defer func() { <-f.sem }()
		// A reply that passes the driver's check can still be damaged
		// inside (bson.Raw.Lookup panics on it). This goroutine is beyond
		// the engine's recover, so one bad reply would end the process
		// with the terminal in raw mode: make it this member's error.
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("malformed reply from %s: %v", r.m.addr, p)
			}
		}()
		mctx, cancel := context.WithTimeout(f.ctx, s.cfg.Timeout)
		defer cancel()
		pollOne(mctx, c, r, triedCores, repl)
		if r.answered != nil {
			close(r.answered)
		}
		if r.err == nil && len(r.steps) > 0 {
			// After serverStatus, on the same connection, under the
			// poll's deadline rather than the member's.
			sctx, cancel := f.ctx, context.CancelFunc(func() {})
			if hasDeadline {
				sctx, cancel = context.WithDeadline(f.ctx, pollDeadline)
			}
			r.culprit = runSteps(sctx, c, r.steps, s.now)
			cancel()
		}
	}()
}

func (f *flight) finish(r *memberResult) {
	f.mu.Lock()
	f.done = append(f.done, r)
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

// wait collects finished polls until every one in launched is in, budget
// has passed or ctx ends. It returns late results from earlier rounds too.
// The member running the culprit tables' commands is waited for past the
// budget, up to ctx's end, once it has answered serverStatus: it is alive,
// its commands are bounded by the poll's deadline and their own maxTimeMS,
// and the tables are this poll's, not the next one's.
func (f *flight) wait(ctx context.Context, launched map[*memberResult]bool, budget time.Duration) []*memberResult {
	timer := time.NewTimer(budget)
	defer timer.Stop()
	expired := timer.C
	var out []*memberResult
	for {
		f.mu.Lock()
		got := f.done
		f.done = nil
		f.mu.Unlock()
		for _, r := range got {
			delete(launched, r)
			out = append(out, r)
		}
		if len(launched) == 0 {
			return out
		}
		select {
		case <-f.notify:
		case <-expired:
			if !holdsRound(launched) {
				return out
			}
			expired = nil
		case <-ctx.Done():
			return out
		}
	}
}

// stop cuts the polls in flight short and waits for their goroutines.
func (f *flight) stop() {
	if f.cancel != nil {
		f.cancel()
	}
	f.wg.Wait()
	f.mu.Lock()
	f.done = nil
	f.mu.Unlock()
}

// holdsRound: the only polls still out are culprit commands on a member
// that has answered serverStatus.
func holdsRound(launched map[*memberResult]bool) bool {
	for r := range launched {
		if r.answered == nil {
			return false
		}
		select {
		case <-r.answered:
		default:
			return false
		}
	}
	return true
}
