package record

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/timeline"
	"github.com/stormwatch/stormwatch/verdict"
)

// maxLine bounds one line: a table line is a few KB, and anything far
// beyond that is damage, not data.
const maxLine = 4 << 20

// Recording is a recording loaded into memory, in time order.
type Recording struct {
	Header  Header // the first segment's
	Samples []series.Sample
	Events  []monitor.Event
	Tables  []TablesAt
	Members []MembersAt
	Lines   int // lines read without damage
}

// MembersAt is the sources' members and their roles as they were from At.
type MembersAt struct {
	At      time.Time
	Members []sources.Member
}

// TablesAt is the detail tables as they were from At.
type TablesAt struct {
	At     time.Time
	Tables []sources.Table
}

// Start is when the recording starts: its header, or its first sample if
// that is earlier (history a source fetched when it started). A week-ago
// series does not count: it is last week's, shifted a week forward, and
// fetched by the hour around the run.
func (r *Recording) Start() time.Time {
	t := r.Header.Started
	for _, s := range r.Samples {
		if thisWeek(s) {
			if s.Point.Time().Before(t) {
				t = s.Point.Time()
			}
			break
		}
	}
	return t
}

// End is the time of the last sample (of this week) or event.
func (r *Recording) End() time.Time {
	t := r.Start()
	for i := len(r.Samples) - 1; i >= 0; i-- {
		if thisWeek(r.Samples[i]) {
			t = r.Samples[i].Point.Time()
			break
		}
	}
	if len(r.Events) > 0 && r.Events[len(r.Events)-1].At.After(t) {
		t = r.Events[len(r.Events)-1].At
	}
	return t
}

// thisWeek reports whether s was measured during the run, not a week-ago
// copy (main.requests.last_week).
func thisWeek(s series.Sample) bool {
	name, _ := series.SplitKey(s.Key)
	return !strings.HasSuffix(name, verdict.LastWeekSuffix)
}

// DamageError says where a recording stops being readable.
type DamageError struct {
	Line int
	Err  error
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("recording damaged at line %d: %v", e.Line, e.Err)
}

func (e *DamageError) Unwrap() error { return e.Err }

// ReadFile reads a recording; see Read.
func ReadFile(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open recording: %w", err)
	}
	defer f.Close()
	return Read(f)
}

// Read loads a recording, gzip-compressed or not. On damage (a truncated
// last line after a crash, a corrupt line) it returns everything before
// the damage together with a *DamageError naming the line; only a
// recording without a readable header returns a nil Recording.
func Read(r io.Reader) (*Recording, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &DamageError{Line: 1, Err: fmt.Errorf("decompress: %w", err)}
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	rec := &Recording{}
	n := 0
	var damage error
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := rec.add(line); err != nil {
			damage = &DamageError{Line: n, Err: err}
			break
		}
		rec.Lines = n
	}
	if damage == nil {
		switch err := sc.Err(); {
		case errors.Is(err, bufio.ErrTooLong):
			damage = &DamageError{Line: n + 1, Err: fmt.Errorf("line longer than %d bytes", maxLine)}
		case err != nil:
			damage = &DamageError{Line: n + 1, Err: err}
		case n == 0:
			damage = &DamageError{Line: 1, Err: errors.New("empty file: no stormwatch_recording header")}
		}
	}
	if rec.Header.Version == 0 {
		if damage == nil {
			damage = &DamageError{Line: 1, Err: errors.New("no stormwatch_recording header")}
		}
		return nil, damage
	}
	sort.SliceStable(rec.Samples, func(i, j int) bool { return rec.Samples[i].Point.T < rec.Samples[j].Point.T })
	sort.SliceStable(rec.Events, func(i, j int) bool { return rec.Events[i].At.Before(rec.Events[j].At) })
	sort.SliceStable(rec.Tables, func(i, j int) bool { return rec.Tables[i].At.Before(rec.Tables[j].At) })
	sort.SliceStable(rec.Members, func(i, j int) bool { return rec.Members[i].At.Before(rec.Members[j].At) })
	return rec, damage
}

// anyLine holds every field a line may have; which are set says its kind.
type anyLine struct {
	Version *int             `json:"stormwatch_recording"`
	K       *string          `json:"k"`
	T       *int64           `json:"t"`
	V       *float64         `json:"v"`
	E       *timeline.Record `json:"e"`
	Tables  *[]sources.Table `json:"tables"`
	Members *[]memberInfo    `json:"members"`
}

func (rec *Recording) add(line []byte) error {
	if line[0] != '{' {
		return errors.New("not a JSON object")
	}
	var l anyLine
	if err := json.Unmarshal(line, &l); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	switch {
	case l.Version != nil:
		if *l.Version != Version {
			return fmt.Errorf("recording format %d; this stormwatch reads format %d", *l.Version, Version)
		}
		var h Header
		if err := json.Unmarshal(line, &h); err != nil {
			return fmt.Errorf("invalid header: %w", err)
		}
		if rec.Header.Version == 0 {
			rec.Header = h
		}
		return nil
	case rec.Header.Version == 0:
		return errors.New("not a stormwatch recording: the first line is not a stormwatch_recording header")
	case l.K != nil:
		if *l.K == "" || l.T == nil || *l.T <= 0 || l.V == nil {
			return errors.New("sample needs k, a positive t and v")
		}
		rec.Samples = append(rec.Samples, series.Sample{Key: *l.K, Point: series.Point{T: *l.T, V: *l.V}})
	case l.E != nil:
		if l.E.Kind == "" || l.E.At.IsZero() {
			return errors.New("event needs kind and at")
		}
		rec.Events = append(rec.Events, l.E.Event())
	case l.Tables != nil:
		if l.T == nil || *l.T <= 0 {
			return errors.New("tables need a positive t")
		}
		rec.Tables = append(rec.Tables, TablesAt{At: time.UnixMilli(*l.T).UTC(), Tables: *l.Tables})
	case l.Members != nil:
		if l.T == nil || *l.T <= 0 {
			return errors.New("members need a positive t")
		}
		var ms []sources.Member
		for _, m := range *l.Members {
			ms = append(ms, sources.Member{ID: text.Clean(m.ID).String(), Role: m.Role, Shard: m.Shard, OK: true})
		}
		rec.Members = append(rec.Members, MembersAt{At: time.UnixMilli(*l.T).UTC(), Members: ms})
	default:
		return errors.New("unknown line: not a sample, event, tables or members")
	}
	return nil
}
