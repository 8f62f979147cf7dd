package mongo

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

type expectedRate struct {
	From, To    int
	DtMs        int64              `json:"dt_ms"`
	CPUPct      float64            `json:"cpu_pct"`
	OpsPerS     float64            `json:"ops_per_s"`
	DOpcounters map[string]float64 `json:"d_opcounters"`
}

type expectedSeq struct {
	Samples int
	Window  expectedRate
	Pairs   []expectedRate
}

func TestRatesReproduceTheRecordedSequences(t *testing.T) {
	dir := filepath.Join(fixturesDir(t), "sequences")
	data, err := os.ReadFile(filepath.Join(dir, "expected-rates.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]expectedSeq
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != 3 {
		t.Fatalf("expected three sequences, got %d", len(want))
	}
	for file, exp := range want {
		t.Run(file, func(t *testing.T) {
			docs := readSeq(t, filepath.Join(dir, file))
			if len(docs) != exp.Samples {
				t.Fatalf("%d samples, want %d", len(docs), exp.Samples)
			}
			st := make([]status, len(docs))
			for i, d := range docs {
				st[i] = parseStatus(d)
			}
			exp.Window.From, exp.Window.To = 0, len(st)-1
			for _, p := range append(exp.Pairs, exp.Window) {
				got := byName(rates(&st[p.From], st[p.To], 0))
				if dt := st[p.To].LocalTime.Sub(st[p.From].LocalTime); dt != time.Duration(p.DtMs)*time.Millisecond {
					t.Errorf("%d→%d: elapsed %v, want %d ms", p.From, p.To, dt, p.DtMs)
				}
				near(t, p, "cpu.process", got, p.CPUPct, 0.00006)
				near(t, p, "cpu", got, p.CPUPct, 0.00006) // cores unknown: undivided
				near(t, p, "ops.total", got, p.OpsPerS, 0.0006)
				for op, d := range p.DOpcounters {
					near(t, p, "ops."+op, got, d/(float64(p.DtMs)/1000), 1e-9)
				}
			}
		})
	}
}

func near(t *testing.T, p expectedRate, name string, got map[string]float64, want, tol float64) {
	t.Helper()
	v, ok := got[name]
	if !ok {
		t.Errorf("%d→%d: no %s", p.From, p.To, name)
		return
	}
	if math.Abs(v-want) > tol {
		t.Errorf("%d→%d: %s = %.6f, want %.6f", p.From, p.To, name, v, want)
	}
}

func byName(vs []value) map[string]float64 {
	m := make(map[string]float64, len(vs))
	for _, v := range vs {
		m[v.Name] = v.V
	}
	return m
}

func sample(ms int64, mut func(*status)) status {
	s := status{LocalTime: time.UnixMilli(ms), Pid: opt{1, true}, UptimeMillis: opt{float64(ms), true}}
	s.UserUs, s.SystemUs = opt{1e6, true}, opt{1e6, true}
	for i := range s.Ops {
		s.Ops[i] = opt{100, true}
	}
	s.Latency[0], s.LatencyOps[0] = opt{1000, true}, opt{10, true}
	s.Returned, s.ScannedObjects, s.Scanned = opt{10, true}, opt{10, true}, opt{10, true}
	if mut != nil {
		mut(&s)
	}
	return s
}

func TestRates(t *testing.T) {
	base := sample(10_000, nil)
	secondary := sample(10_000, func(s *status) { s.Repl.Secondary = true; s.ReplOps = s.Ops })
	tests := []struct {
		name   string
		prev   *status
		cur    status
		cores  int
		want   map[string]float64
		absent []string
	}{
		{name: "the first sample gives no rate", prev: nil, cur: base, absent: []string{"cpu", "ops.total"}},
		{name: "zero elapsed time gives no point", prev: &base, cur: sample(10_000, func(s *status) { s.Ops[0].V = 200 }),
			absent: []string{"ops.insert", "cpu"}},
		{name: "two seconds of work are divided by two seconds", prev: &base,
			cur: sample(12_000, func(s *status) {
				s.Ops[0].V, s.UserUs.V, s.SystemUs.V = 300, 1.5e6, 1.5e6
				s.Latency[0].V, s.LatencyOps[0].V = 5000, 12
				s.Returned.V, s.ScannedObjects.V, s.Scanned.V = 14, 50, 18
			}),
			cores: 4,
			want: map[string]float64{"ops.insert": 100, "ops.query": 0, "ops.total": 100, "cpu.process": 50, "cpu": 12.5,
				"latency.reads": 2, "scanned_per_returned": 10, "keys_per_returned": 2,
				"docs_examined": 20, "keys_examined": 4}},
		{name: "a reset of the query executor counters gives no work point", prev: &base,
			cur:    sample(11_000, func(s *status) { s.ScannedObjects.V, s.Scanned.V = 2, 3 }),
			want:   map[string]float64{"ops.insert": 0},
			absent: []string{"docs_examined", "keys_examined"}},
		{name: "a counter going backwards is a reset with no point", prev: &base,
			cur:    sample(11_000, func(s *status) { s.Ops[2].V = 3 }),
			want:   map[string]float64{"ops.insert": 0},
			absent: []string{"ops.update", "ops.total"}},
		{name: "a new pid means a restart: no rates at all", prev: &base,
			cur:    sample(11_000, func(s *status) { s.Pid.V = 2; s.Ops[0].V = 500 }),
			absent: []string{"ops.insert", "cpu"}},
		{name: "no ops in the interval gives no latency", prev: &base, cur: sample(11_000, nil),
			absent: []string{"latency.reads", "scanned_per_returned"}},
		{name: "replication counters only on a secondary", prev: &secondary,
			cur:  sample(11_000, func(s *status) { s.Repl.Secondary = true; s.ReplOps = s.Ops }),
			want: map[string]float64{"repl.ops.total": 0}},
		{name: "a missing section is not zero", prev: &base,
			cur:    sample(11_000, func(s *status) { s.UserUs = opt{} }),
			absent: []string{"cpu", "cpu.process"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := byName(rates(tc.prev, tc.cur, tc.cores))
			for k, w := range tc.want {
				if v, ok := got[k]; !ok || math.Abs(v-w) > 1e-9 {
					t.Errorf("%s = %v (present %v), want %v", k, v, ok, w)
				}
			}
			for _, k := range tc.absent {
				if v, ok := got[k]; ok {
					t.Errorf("%s = %v, want no point", k, v)
				}
			}
		})
	}
}

func TestGauges(t *testing.T) {
	s := status{ConnCurrent: opt{25, true}, ConnAvail: opt{75, true}, CacheMax: opt{200, true},
		CacheBytes: opt{150, true}, CacheDirty: opt{10, true}, Uptime: opt{42, true}}
	got := byName(gauges(s))
	want := map[string]float64{"connections": 25, "connections.available": 75, "connections.used_pct": 25,
		"cache.fill_pct": 75, "cache.dirty_pct": 5, "uptime": 42}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	if _, ok := got["queue.readers"]; ok {
		t.Error("queue.readers without globalLock")
	}
}
