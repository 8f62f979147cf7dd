// Package timeline keeps the incident timeline for the postmortem: a Store
// that appends every event to a JSON Lines file as it happens (so a crash or
// a closed laptop loses nothing), Read to load it back, and Markdown to turn
// a snapshot into a document ready to paste.
package timeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/statefile"
	"github.com/stormwatch/stormwatch/text"
)

// Record is the on-disk form of an event, one JSON object a line, in timeline
// files and recordings alike. It has its
// own field names so monitor.Event can change without breaking old files.
type Record struct {
	At       time.Time         `json:"at"`
	Kind     monitor.EventKind `json:"kind"`
	Severity alert.Severity    `json:"severity,omitempty"`
	State    string            `json:"state,omitempty"`
	Subject  string            `json:"subject,omitempty"`
	Text     string            `json:"text,omitempty"`
	Who      string            `json:"who,omitempty"`
	Value    *float64          `json:"value,omitempty"` // alert events only; JSON has no NaN
	Rule     string            `json:"rule,omitempty"`
	Key      string            `json:"key,omitempty"`
	Op       alert.Op          `json:"op,omitempty"` // alert events: the rule's comparison
	Source   string            `json:"source,omitempty"`
	Peak     *float64          `json:"peak,omitempty"` // RESOLVED alert events
	// Run is the process that wrote the line, in timeline files: two
	// stormwatch sharing a state directory append to one day's file, and
	// their lines interleave.
	Run string `json:"run,omitempty"`
}

// ToRecord is ev in its on-disk form, with free text redacted.
func ToRecord(ev monitor.Event) Record {
	r := Record{
		At: ev.At.UTC(), Kind: ev.Kind, Severity: ev.Severity,
		State: clean(sources.Redact(ev.State)), Subject: clean(sources.Redact(ev.Subject)),
		Text: clean(sources.Redact(ev.Text)), Who: clean(sources.Redact(ev.Who)),
		Rule: clean(ev.Rule), Key: clean(ev.Key), Op: ev.Op, Source: clean(ev.Source),
	}
	if ev.Kind == monitor.EventAlert {
		r.Value = finite(ev.Value)
		if ev.State == string(alert.Resolved) {
			r.Peak = finite(ev.Peak)
		}
	}
	return r
}

// clean passes a field through the one sanitiser: the file never holds a
// raw control, bidi or zero-width character (JSON would keep U+009B and
// U+202E as they are), and what is read back never carries one either.
func clean(s string) string { return text.Clean(s).String() }

// legacyOp reads the comparison out of the rule description ("db.cpu > 80
// (3 of 3)") of an alert event from a file written before records carried
// the op. Only old files take this path.
func legacyOp(describe string) alert.Op {
	if f := strings.Fields(describe); len(f) > 1 {
		switch op := alert.Op(f[1]); op {
		case alert.Above, alert.AboveOrEqual, alert.Below, alert.BelowOrEqual:
			return op
		}
	}
	return ""
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// Event is the record as a monitor.Event.
func (r Record) Event() monitor.Event {
	// A file is outside text too (anyone who can write the state directory
	// or hand over a recording): every string is cleaned on the way in.
	ev := monitor.Event{At: r.At, Kind: monitor.EventKind(clean(string(r.Kind))), Severity: alert.Severity(clean(string(r.Severity))),
		State: clean(r.State), Subject: clean(r.Subject), Text: clean(r.Text), Who: clean(r.Who),
		Rule: clean(r.Rule), Key: clean(r.Key), Op: alert.Op(clean(string(r.Op))), Source: clean(r.Source)}
	if ev.Kind == monitor.EventAlert && ev.Op == "" {
		ev.Op = legacyOp(r.Text)
	}
	if r.Value != nil {
		ev.Value = *r.Value
	}
	if r.Peak != nil {
		ev.Peak = *r.Peak
	}
	return ev
}

// KindRun marks the start of a run of stormwatch in a timeline file: a day's
// file holds every run of that day, and an export keeps them apart. Its
// Text is the run's label ("DEMO: …"), empty for production.
const KindRun monitor.EventKind = "run"

// Runs splits events at the run marks, oldest run first; events before
// the first mark (a file written before runs were marked) are one run.
func Runs(events []monitor.Event) [][]monitor.Event {
	var runs [][]monitor.Event
	cur := []monitor.Event{}
	for _, ev := range events {
		if ev.Kind == KindRun {
			if len(cur) > 0 {
				runs = append(runs, cur)
			}
			cur = []monitor.Event{ev}
			continue
		}
		cur = append(cur, ev)
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// FileName is the file that holds the events of day (taken in UTC).
func FileName(day time.Time) string {
	return "timeline-" + day.UTC().Format(time.DateOnly) + ".jsonl"
}

// Store appends events to one JSON Lines file per UTC day (by the event's
// time) under a directory. It is safe for concurrent use.
type Store struct {
	dir string

	run string // this process's run, on every line it writes

	mu      sync.Mutex
	handled monitor.Cursor // timeline events of fed snapshots already written
	started bool           // this run's mark is written
	f       *os.File
	day     string
}

// NewStore makes dir (0700) if needed. Files are created on the first event,
// with mode 0600: a timeline names hosts and people.
func NewStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("timeline store: no directory")
	}
	if err := statefile.EnsureDir(dir); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	// The process and the moment it opened the store: unique enough to
	// tell apart two stormwatch writing one file.
	return &Store{dir: dir, run: fmt.Sprintf("%d-%x", os.Getpid(), time.Now().UnixNano())}, nil
}

// Dir is the directory the store writes to.
func (s *Store) Dir() string { return s.dir }

// Feed appends the events of snap the store has not seen yet. Snapshot
// timelines are cumulative, so a skipped snapshot loses nothing. After a
// failed write the remaining events are tried again on the next Feed.
func (s *Store) Feed(snap *monitor.Snapshot) error {
	if snap == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		// The run's clock travels in Subject: a day's file may mix live
		// runs with a demo at 10x, whose times are scenario time.
		if err := s.appendLocked(monitor.Event{At: snap.At, Kind: KindRun, Text: snap.Label, Subject: snap.TimeNote}); err != nil {
			return err
		}
		s.started = true
	}
	for _, ev := range s.handled.Next(snap) {
		if err := s.appendLocked(ev); err != nil {
			return err
		}
		s.handled.Advance(1)
	}
	return nil
}

// Append writes events, each flushed to the file before Append returns:
// events are rare, and the one written just before a crash matters most.
func (s *Store) Append(events ...monitor.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range events {
		if err := s.appendLocked(ev); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) appendLocked(ev monitor.Event) error {
	rec := ToRecord(ev)
	rec.Run = s.run
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode timeline event %s: %w", ev.Kind, err)
	}
	name := FileName(ev.At)
	if s.f == nil || s.day != name {
		if err := s.closeLocked(); err != nil {
			return err
		}
		path := filepath.Join(s.dir, name)
		f, err := statefile.OpenAppend(path)
		if err != nil {
			return fmt.Errorf("open timeline %s: %w", path, err)
		}
		s.f, s.day = f, name
	}
	if _, err := s.f.Write(append(line, '\n')); err != nil {
		_ = s.closeLocked() // reopen on the next write
		return fmt.Errorf("write timeline %s: %w", s.day, err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("sync timeline %s: %w", s.day, err)
	}
	return nil
}

// Close closes the current file. The store reopens it if fed again.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeLocked()
}

func (s *Store) closeLocked() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f, s.day = nil, ""
	if err != nil {
		return fmt.Errorf("close timeline: %w", err)
	}
	return nil
}

// Follow feeds every snapshot from snaps to store until ctx is done or snaps
// is closed. A write error goes to errs once, not once a snapshot, until a
// write succeeds again; Follow keeps going either way. The caller closes the
// store after Follow returns.
func Follow(ctx context.Context, snaps <-chan *monitor.Snapshot, store *Store, errs func(error)) {
	var last string
	for {
		select {
		case <-ctx.Done():
			return
		case snap, ok := <-snaps:
			if !ok {
				return
			}
			err := store.Feed(snap)
			switch {
			case err == nil:
				last = ""
			case err.Error() != last:
				last = err.Error()
				if errs != nil {
					errs(err)
				}
			}
		}
	}
}

// Read loads the events in a timeline file. A line that does not parse (most
// often the last one, cut short by a crash) is skipped and named in the
// error; every other event is returned.
func Read(path string) ([]monitor.Event, error) {
	recs, err := readRecords(path)
	events := make([]monitor.Event, 0, len(recs))
	for _, r := range recs {
		events = append(events, r.Event())
	}
	return events, err
}

// ReadRuns reads a timeline file as its runs, oldest first: the lines of
// each process by their run, however two processes' lines interleave;
// lines of files written before runs had ids split at their run marks.
func ReadRuns(path string) ([][]monitor.Event, error) {
	recs, err := readRecords(path)
	return RunsOf(recs), err
}

// RunsOf groups records into runs in the order each run first appears.
func RunsOf(recs []Record) [][]monitor.Event {
	var runs [][]monitor.Event
	byID := map[string]int{}
	legacy := -1 // the run that lines without an id go to
	for _, r := range recs {
		ev := r.Event()
		if r.Run != "" {
			i, ok := byID[r.Run]
			if !ok {
				i = len(runs)
				byID[r.Run] = i
				runs = append(runs, nil)
			}
			runs[i] = append(runs[i], ev)
			continue
		}
		if ev.Kind == KindRun || legacy < 0 {
			legacy = len(runs)
			runs = append(runs, nil)
		}
		runs[legacy] = append(runs[legacy], ev)
	}
	return runs
}

func readRecords(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read timeline: %w", err)
	}
	defer f.Close()
	var (
		recs []Record
		bad  []error
		r    = bufio.NewReader(f)
	)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec Record
			if uerr := json.Unmarshal(line, &rec); uerr != nil {
				what := "bad line"
				if err == io.EOF {
					what = "truncated last line"
				}
				bad = append(bad, fmt.Errorf("read timeline %s line %d: %s: %w", path, n, what, uerr))
			} else {
				recs = append(recs, rec)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return recs, fmt.Errorf("read timeline %s line %d: %w", path, n, err)
		}
	}
	return recs, errors.Join(bad...)
}
