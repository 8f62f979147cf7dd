// Package record writes what the engine sees to a JSON Lines file and plays
// it back: a Recorder follows an engine subscription and appends every new
// sample and timeline event; Read loads a recording up to any damage; a
// Replay source feeds it through a fresh engine, on a Clock that can pause
// and step, so the alert rules are re-evaluated as they stand today.
//
// The file is one header line, then one JSON object per line:
//
//	{"stormwatch_recording":1,"started":"2026-11-27T09:08:00Z","label":"...","sources":[{"name":"demo","interval_ms":1000}]}
//	{"k":"db.cpu@mongo-db:27017","t":1795770481000,"v":31.2}
//	{"e":{"at":"2026-11-27T09:09:07Z","kind":"alert","state":"FIRING",...}}
//	{"t":1795770481000,"tables":[...]}
//	{"t":1795770481000,"members":[{"id":"mongo-db:27017","role":"PRIMARY"},...]}
//
// A later header line starts a new segment (the dashboard was restarted and
// appended to the same file).
package record

//go:generate go test -run TestDemoRecordingIsUpToDate -update .

import (
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/timeline"
)

// Version is the format version this package writes and reads.
const Version = 1

// Header is the first line of a recording and of every appended segment.
type Header struct {
	Version int          `json:"stormwatch_recording"`
	Started time.Time    `json:"started"`
	Label   string       `json:"label,omitempty"`
	Sources []SourceInfo `json:"sources,omitempty"`
}

// SourceInfo is a recorded source and how often it was polled.
type SourceInfo struct {
	Name       string `json:"name"`
	IntervalMS int64  `json:"interval_ms"`
}

// Interval is the source's poll interval.
func (s SourceInfo) Interval() time.Duration { return time.Duration(s.IntervalMS) * time.Millisecond }

type sampleLine struct {
	K string  `json:"k"`
	T int64   `json:"t"`
	V float64 `json:"v"`
}

type eventLine struct {
	E timeline.Record `json:"e"`
}

// membersLine is every source's members and their roles from T on,
// written when they change: a replay must know the primary (and a
// failover) to headline it, as the live dashboard did.
type membersLine struct {
	T       int64        `json:"t"`
	Members []memberInfo `json:"members"`
}

type memberInfo struct {
	ID    string `json:"id"`
	Role  string `json:"role,omitempty"`
	Shard string `json:"shard,omitempty"`
}

// recordedMembers is what a recording keeps of the members of s.
func recordedMembers(s *monitor.Snapshot) []memberInfo {
	var out []memberInfo
	for _, h := range s.Sources {
		for _, m := range h.Members {
			out = append(out, memberInfo{ID: m.ID, Role: m.Role, Shard: m.Shard})
		}
	}
	return out
}

type tablesLine struct {
	T      int64           `json:"t"`
	Tables []sources.Table `json:"tables"`
}

func redactTables(ts []sources.Table) []sources.Table {
	out := make([]sources.Table, len(ts))
	for i, t := range ts {
		t.Note = text.Clean(sources.Redact(t.Note.String()))
		rows := make([]sources.Row, len(t.Rows))
		for r, row := range t.Rows {
			cells := make([]sources.Cell, len(row.Cells))
			for c, cell := range row.Cells {
				if !cell.Text.IsEmpty() {
					cell.Text = text.Clean(sources.Redact(cell.Text.String()))
				}
				cells[c] = cell
			}
			rows[r] = sources.Row{Cells: cells}
		}
		t.Rows = rows
		out[i] = t
	}
	return out
}
