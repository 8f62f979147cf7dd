package demo

import (
	"context"
	"hash/fnv"
	"math"
	"sync"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/internal/scripted/mongoserver"
)

// The demo's AWS names, shaped like the real ones.
const (
	MainInstance = "i-0a1b2c3d4e5f60001"
	DBInstance   = "i-0a1b2c3d4e5f60002"
	AlarmName    = "mongo-db-cpu-high"
	// CloudWatchNamespace holds the demo's high-resolution (1 s) API
	// metrics. Real EC2 metrics are 60 s or 300 s; a three-minute story
	// needs 1 s points, which CloudWatch only has for custom metrics.
	CloudWatchNamespace = "Demo/API"
)

// Backend is the outside world the demo's real sources poll: a scripted
// MongoDB replica set (primary and secondary) speaking the wire protocol,
// and a CloudWatch endpoint speaking the SDK's RPC v2 CBOR protocol, both
// on loopback and both driven by the scenario at the engine's clock. The
// production MongoDB and CloudWatch sources poll them unchanged.
type Backend struct {
	MongoURI           string    // a replica-set seed list with no credentials
	CloudWatchEndpoint string    // the BaseEndpoint for the SDK
	Start              time.Time // when the scenario started, in the engine's clock
	Scenario           *Scenario

	mongod *mongod
	cw     *cwserver.Server
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// StartBackend starts the scripted servers playing the default scenario.
// now is the engine's clock and after its timer, so --speed plays the
// servers faster too.
func StartBackend(now func() time.Time, after func(time.Duration) <-chan time.Time) (*Backend, error) {
	return StartScenario(Peak, now, after)
}

// StartScenario starts the scripted servers playing sc.
func StartScenario(sc *Scenario, now func() time.Time, after func(time.Duration) <-chan time.Time) (*Backend, error) {
	start := now()
	m, err := startMongod(now, start, sc)
	if err != nil {
		return nil, err
	}
	// The demo has no test to fail, and a stray request is not worth a
	// message on the dashboard: surprises go nowhere. Close stops it.
	cw := cwserver.New(cwserver.Logger(func(string, ...any) {}), cwserver.WithClock(now))
	metric := func(name string, value func(State) float64) {
		cw.AddMetric(cwserver.Metric{
			Namespace: CloudWatchNamespace, MetricName: name, Dimensions: map[string]string{"InstanceId": MainInstance},
			Resolution: time.Second,
			Value: func(t time.Time) (float64, bool) {
				if t.Before(start.Add(-6 * 24 * time.Hour)) {
					// Last week (the verdict's "x3.0 of last week" and the
					// dim line): an ordinary day, as calm as the story's
					// first half-minute.
					return value(sc.At(0)) * jitter(t, name), true
				}
				if t.Before(start) {
					return 0, false // the story starts now: no invented history
				}
				return value(sc.At(t.Sub(start))) * jitter(t, name), true
			},
		})
	}
	metric("CPUUtilization", func(s State) float64 { return math.Min(s.MainCPU, 100) })
	metric("RequestCount", func(s State) float64 { return s.RequestsPerMin / 60 })
	b := &Backend{MongoURI: m.rs.URI(), CloudWatchEndpoint: cw.URL, Start: start, Scenario: sc, mongod: m, cw: cw}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.followAlarm(ctx, now, after, start)
	}()
	return b, nil
}

// followAlarm moves the CloudWatch alarm on the DB instance through the
// scenario: ALARM a minute after stormwatch fires, OK after recovery.
func (b *Backend) followAlarm(ctx context.Context, now func() time.Time, after func(time.Duration) <-chan time.Time, start time.Time) {
	state, since := "", time.Time{}
	for {
		t := now()
		st := b.Scenario.At(t.Sub(start))
		if st.AlarmState != state {
			state, since = st.AlarmState, t
			b.cw.SetAlarms(cwserver.Alarm{Name: AlarmName, State: state, Reason: alarmReason(state), Updated: since, Transitioned: since})
		}
		select {
		case <-ctx.Done():
			return
		case <-after(time.Second):
		}
	}
}

// ReplicaSet is the scripted replica set, for tests that stop and restart
// members.
func (b *Backend) ReplicaSet() *mongoserver.ReplicaSet { return b.mongod.rs }

// Aliases names the scripted members as the story does.
func (b *Backend) Aliases() map[string]string {
	return map[string]string{b.mongod.rs.Member(0).Addr(): Primary, b.mongod.rs.Member(1).Addr(): Secondary}
}

// Close stops the servers.
func (b *Backend) Close() {
	b.cancel()
	b.wg.Wait()
	b.mongod.close()
	b.cw.Close()
}

func alarmReason(state string) string {
	if state == "ALARM" {
		return "Threshold Crossed: 5 datapoints were greater than the threshold (80.0)"
	}
	return "Threshold Crossed: no datapoints were greater than the threshold (80.0)"
}

// jitter is a little noise that depends only on the time and the metric,
// so a point fetched twice (the source re-reads an overlap) has one value.
func jitter(t time.Time, name string) float64 {
	h := fnv.New64a()
	var b [8]byte
	for i, v := 0, t.Unix(); i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(name))
	u := float64(h.Sum64()%10000) / 10000
	return 1 + 0.04*(2*u-1)
}
