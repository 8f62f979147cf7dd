package mongo

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// costMeter counts what stormwatch itself asks of the deployment: every
// command the driver sends for it (serverStatus, the culprit commands,
// discovery, getMore, endSessions) and every heartbeat, with its round
// trip, as the driver's own monitoring events report them. The status line
// shows the last minute of it (sources.FactOwnCost), so whoever watches a
// struggling database can see that the watcher is not part of the problem.
type costMeter struct {
	// log, when set, gets every command at debug level with its round
	// trip: the name, database and connection only, never a body.
	log *slog.Logger
	src string

	mu      sync.Mutex
	n       int           // since the last poll
	took    time.Duration // since the last poll
	buckets []costBucket  // one per poll, the last minute of them
}

type costBucket struct {
	at   time.Time
	n    int
	took time.Duration
}

// costWindow is what the fact sums over.
const costWindow = time.Minute

func (c *costMeter) add(d time.Duration) {
	c.mu.Lock()
	c.n++
	c.took += d
	c.mu.Unlock()
}

// monitors are the driver hooks that feed the meter.
func (c *costMeter) monitors() (*event.CommandMonitor, *event.ServerMonitor) {
	return &event.CommandMonitor{
			Succeeded: func(ctx context.Context, e *event.CommandSucceededEvent) {
				c.add(e.Duration)
				c.logCommand(ctx, e.CommandFinishedEvent, nil)
			},
			Failed: func(ctx context.Context, e *event.CommandFailedEvent) {
				c.add(e.Duration)
				c.logCommand(ctx, e.CommandFinishedEvent, e.Failure)
			},
		}, &event.ServerMonitor{
			ServerHeartbeatSucceeded: func(e *event.ServerHeartbeatSucceededEvent) { c.add(e.Duration) },
			ServerHeartbeatFailed:    func(e *event.ServerHeartbeatFailedEvent) { c.add(e.Duration) },
		}
}

func (c *costMeter) logCommand(ctx context.Context, e event.CommandFinishedEvent, failure error) {
	if c.log == nil || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("source", c.src), slog.String("command", e.CommandName), slog.String("db", e.DatabaseName),
		slog.String("conn", e.ConnectionID), slog.Duration("took", e.Duration.Round(time.Microsecond))}
	if failure != nil {
		attrs = append(attrs, slog.Any("error", failure))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "mongo command", attrs...)
}

// fact closes the counts since the last poll at now and returns the last
// minute's total: commands, and the sum of their round trips, which is how
// long the deployment spent answering stormwatch (at most; a round trip
// includes the network).
func (c *costMeter) fact(now time.Time) sources.Fact {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buckets = append(c.buckets, costBucket{at: now, n: c.n, took: c.took})
	c.n, c.took = 0, 0
	i := 0
	for i < len(c.buckets) && !c.buckets[i].at.After(now.Add(-costWindow)) {
		i++
	}
	c.buckets = c.buckets[i:]
	var n int
	var took time.Duration
	for _, b := range c.buckets {
		n += b.n
		took += b.took
	}
	ms := float64(took) / float64(time.Millisecond)
	return sources.Fact{Key: sources.FactOwnCost, Value: text.Clean(fmt.Sprintf("%d cmd/min · %s ms/min", n, fmtMS(ms)))}
}

func fmtMS(ms float64) string {
	if ms < 10 {
		return fmt.Sprintf("%.1f", ms)
	}
	return fmt.Sprintf("%.0f", ms)
}

// costFacts adds what stormwatch costs the deployment to a poll's facts:
// which commands it runs less often because they came back slowly, and the
// last minute's commands and round trips. Called once per poll.
func (s *Source) costFacts(now time.Time, fs []sources.Fact) []sources.Fact {
	if v := s.slowed(); v != "" {
		fs = append(fs, sources.Fact{Key: sources.FactSlowed, Value: text.Clean(v)})
	}
	return append(fs, s.meter.fact(now))
}
