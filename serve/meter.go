package serve

import (
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// SessionStats is what one session's dashboard has written, for tests
// and for measuring a server under load.
type SessionStats struct {
	Who     string
	Written int64 // bytes the SSH channel has accepted
	// Writing is true while a write waits for the viewer: a viewer who has
	// stopped reading keeps it true, and only their own dashboard waits.
	Writing bool
	Pending int64 // bytes of the write in progress
	Writes  int64 // writes accepted: about one per frame
}

// meter counts one session's output.
type meter struct {
	w       io.Writer
	who     string
	written atomic.Int64
	writing atomic.Bool
	pending atomic.Int64
	writes  atomic.Int64
}

func (m *meter) Write(p []byte) (int, error) {
	m.pending.Store(int64(len(p)))
	m.writing.Store(true)
	n, err := m.w.Write(p)
	m.written.Add(int64(n))
	if err == nil {
		m.writes.Add(1)
	}
	m.writing.Store(false)
	m.pending.Store(0)
	return n, err
}

type meters struct {
	mu   sync.Mutex
	next int
	all  map[int]*meter
}

func (ms *meters) add(m *meter) (remove func()) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.all == nil {
		ms.all = map[int]*meter{}
	}
	id := ms.next
	ms.next++
	ms.all[id] = m
	return func() {
		ms.mu.Lock()
		defer ms.mu.Unlock()
		delete(ms.all, id)
	}
}

// Stats lists the sessions being served, by who.
func (s *Server) Stats() []SessionStats {
	s.meters.mu.Lock()
	defer s.meters.mu.Unlock()
	out := make([]SessionStats, 0, len(s.meters.all))
	for _, m := range s.meters.all {
		out = append(out, SessionStats{Who: m.who, Written: m.written.Load(), Writing: m.writing.Load(), Pending: m.pending.Load(), Writes: m.writes.Load()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Who < out[j].Who })
	return out
}
