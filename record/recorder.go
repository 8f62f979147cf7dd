package record

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/timeline"
)

// DefaultMaxSize is where a recording rotates to FILE.1 unless told.
const DefaultMaxSize = 100 << 20

// tablesEvery bounds how often changing tables are written: a busy
// $currentOp changes every poll, and the postmortem needs the picture, not
// every frame of it.
const tablesEvery = 5 * time.Second

// Recorder appends what is new in each snapshot to a file. It is not safe
// for concurrent use; Follow is its one caller in the dashboard.
type Recorder struct {
	path string
	max  int64

	f      *os.File
	w      *bufio.Writer
	size   int64
	header *Header

	last       map[string]int64 // series key -> time of the last point written
	events     monitor.Cursor   // timeline events written
	tables     []byte           // the last tables written, encoded
	members    []byte           // the last members written, encoded
	tablesAt   int64
	lastFlush  time.Time
	wallNow    func() time.Time
	sampleBuf  []sampleLine
	lineBuffer bytes.Buffer
}

// Create opens path for appending (a restarted dashboard adds a segment to
// the same recording) and rotates it to path.1 once it grows past maxSize
// bytes (0 means DefaultMaxSize).
func Create(path string, maxSize int64) (*Recorder, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	r := &Recorder{path: path, max: maxSize, last: map[string]int64{}, wallNow: time.Now}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Recorder) open() error {
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open recording: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open recording: %w", err)
	}
	r.f, r.w, r.size = f, bufio.NewWriterSize(f, 64<<10), st.Size()
	if r.header != nil {
		return r.writeLine(r.header)
	}
	return nil
}

// Write appends the samples, events and tables in s that are not in the
// file yet. Snapshots are cumulative, so one skipped by a latest-wins
// subscription loses nothing.
func (r *Recorder) Write(s *monitor.Snapshot) error {
	if s == nil {
		return nil
	}
	if r.header == nil {
		h := &Header{Version: Version, Started: s.At.UTC(), Label: s.Label}
		for _, src := range s.Sources {
			h.Sources = append(h.Sources, SourceInfo{Name: src.Name, IntervalMS: src.Interval.Milliseconds()})
		}
		r.header = h
		if err := r.writeLine(h); err != nil {
			return err
		}
	}
	if err := r.writeSamples(s); err != nil {
		return err
	}
	for _, ev := range r.events.Next(s) {
		if err := r.writeLine(eventLine{timeline.ToRecord(ev)}); err != nil {
			return err
		}
		r.events.Advance(1)
	}
	if err := r.writeTables(s); err != nil {
		return err
	}
	if err := r.writeMembers(s); err != nil {
		return err
	}
	if r.size >= r.max {
		if err := r.rotate(); err != nil {
			return err
		}
	}
	if now := r.wallNow(); now.Sub(r.lastFlush) >= time.Second {
		return r.Flush()
	}
	return nil
}

func (r *Recorder) writeSamples(s *monitor.Snapshot) error {
	keys := make([]string, 0, len(s.Series))
	for k := range s.Series {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	buf := r.sampleBuf[:0]
	for _, k := range keys {
		from, seen := r.last[k]
		if !seen {
			from = math.MinInt64
		}
		s.Series[k].Each(from+1, math.MaxInt64, func(p series.Point) bool {
			buf = append(buf, sampleLine{K: k, T: p.T, V: p.V})
			return true
		})
		if p, ok := s.Series[k].Last(); ok && p.T > from {
			r.last[k] = p.T
		}
	}
	// Time order across series, so a reader can stream the file.
	sort.SliceStable(buf, func(i, j int) bool { return buf[i].T < buf[j].T })
	r.sampleBuf = buf
	for _, l := range buf {
		if err := r.writeLine(l); err != nil {
			return err
		}
	}
	return nil
}

func (r *Recorder) writeTables(s *monitor.Snapshot) error {
	if s.Tables == nil {
		return nil
	}
	t := s.At.UnixMilli()
	if r.tables != nil && t-r.tablesAt < tablesEvery.Milliseconds() {
		return nil
	}
	line := tablesLine{T: t, Tables: redactTables(s.Tables)}
	b, err := json.Marshal(line.Tables)
	if err != nil {
		return fmt.Errorf("encode tables: %w", err)
	}
	if bytes.Equal(b, r.tables) {
		return nil
	}
	r.tables, r.tablesAt = b, t
	return r.writeLine(line)
}

func (r *Recorder) writeMembers(s *monitor.Snapshot) error {
	ms := recordedMembers(s)
	if len(ms) == 0 {
		return nil
	}
	b, err := json.Marshal(ms)
	if err != nil {
		return fmt.Errorf("encode members: %w", err)
	}
	if bytes.Equal(b, r.members) {
		return nil
	}
	r.members = b
	return r.writeLine(membersLine{T: s.At.UnixMilli(), Members: ms})
}

func (r *Recorder) writeLine(v any) error {
	r.lineBuffer.Reset()
	enc := json.NewEncoder(&r.lineBuffer)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode recording line: %w", err)
	}
	n, err := r.w.Write(r.lineBuffer.Bytes())
	r.size += int64(n)
	if err != nil {
		return fmt.Errorf("write recording %s: %w", r.path, err)
	}
	return nil
}

// rotate moves the full file to path.1 (replacing an older one) and starts
// a new one with the same header, so each file replays on its own.
func (r *Recorder) rotate() error {
	if err := r.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.path, r.path+".1"); err != nil {
		return fmt.Errorf("rotate recording: %w", err)
	}
	return r.open()
}

// Flush writes buffered lines to the file.
func (r *Recorder) Flush() error {
	r.lastFlush = r.wallNow()
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("write recording %s: %w", r.path, err)
	}
	return nil
}

// Close flushes and closes the file.
func (r *Recorder) Close() error {
	err := r.Flush()
	if cerr := r.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close recording %s: %w", r.path, cerr)
	}
	return err
}

// Follow writes every snapshot from snaps until ctx is done, flushing at
// least once a second so a crash loses at most a second. A write error is
// reported once through warn (the dashboard stays up) and retried with the
// next snapshot.
//
// It returns a *LostError when any write failed (a full disk): the
// recording is missing what came after that instant, and the exit line
// must say so rather than "recorded to".
func Follow(ctx context.Context, snaps <-chan *monitor.Snapshot, r *Recorder, warn func(error)) error {
	flush := time.NewTicker(time.Second)
	defer flush.Stop()
	var failing bool
	var lost *LostError
	last := time.Now()
	report := func(err error) {
		if err != nil && !failing && warn != nil {
			warn(err)
		}
		if err != nil && lost == nil {
			lost = &LostError{At: last, Err: err}
		}
		failing = err != nil
	}
	result := func() error {
		if lost == nil {
			return nil
		}
		return lost
	}
	for {
		select {
		case <-ctx.Done():
			// The newest snapshot may still be waiting.
			select {
			case s := <-snaps:
				last = s.At
				report(r.Write(s))
			default:
			}
			report(r.Close())
			return result()
		case s, ok := <-snaps:
			if !ok {
				report(r.Close())
				return result()
			}
			last = s.At
			report(r.Write(s))
		case <-flush.C:
			report(r.Flush())
		}
	}
}

// LostError says a recording stopped being complete at At.
type LostError struct {
	At  time.Time // the engine time of the first snapshot not fully written
	Err error
}

func (e *LostError) Error() string {
	cause := e.Err
	for errors.Unwrap(cause) != nil {
		cause = errors.Unwrap(cause) // "no space left on device", not the paths around it
	}
	return fmt.Sprintf("recording stopped at %s UTC: %v", e.At.UTC().Format("15:04:05"), cause)
}

func (e *LostError) Unwrap() error { return e.Err }
