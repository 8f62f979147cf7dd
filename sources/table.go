package sources

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/stormwatch/stormwatch/text"
)

// Table is a small ranked table for a detail panel (top clients, slow ops,
// largest collections). Sources fill it with typed cells; the viewer
// formats, aligns and truncates them, so a long outside name can never push
// a number off the screen and a number's unit is chosen in one place.
type Table struct {
	Name string // our own title: "top clients", "slow ops", ...
	// Source is the source that sent it; the engine sets it, so that an
	// action on a row goes to the system the row is about. A recording
	// does not keep it: a replay sets its own and takes no actions.
	Source  string `json:"-"`
	Columns []Column
	Rows    []Row
	// Highlight is the index of a row to draw attention to, or -1.
	Highlight int
	// Note explains an empty or unavailable table ("needs clusterMonitor");
	// it may quote a server's error, so it is sanitised text.
	Note text.Safe
}

// Kind is what a column holds, and so how it is formatted and aligned.
type Kind uint8

// The column kinds. Text kinds read Cell.Text; the others read Cell.Num.
const (
	// Name is outside text that may be long: an app name, a namespace, a
	// client host. The viewer truncates it, with a visible mark, to a share
	// of the width.
	Name Kind = iota
	// Label is short outside text: an operation type, a plan summary.
	Label
	// Count is a count: "180", "3.7M".
	Count
	// Bytes is a size in bytes: "41.2GB".
	Bytes
	// Seconds is a duration in seconds: "0.4s", "27s", "2m03s".
	Seconds
	// Percent is a share in percent (0-100): "71%".
	Percent
	// MsPerSec is time spent per second, in milliseconds: "0.5", "812".
	MsPerSec
	// PerHour is a signed change per hour: "+52k", "-1.2k".
	PerHour
	// Flag is a yes/no: Num != 0 is yes.
	Flag
)

// Numeric reports whether a column of this kind holds numbers (drawn
// right-aligned and never truncated).
func (k Kind) Numeric() bool { return k >= Count }

// Column is a table column: a title and what it holds.
type Column struct {
	Title string `json:"title"`
	Kind  Kind   `json:"kind"`
}

// Row is one table row: one cell per column. (Actions on a row, such as
// explaining a slow operation, may add fields that identify its subject.)
type Row struct {
	Cells []Cell `json:"cells"`
}

// Cell is one value. A text column's cell holds Text; a numeric column's
// cell holds Num, or None when there is no value (drawn "–", never 0).
type Cell struct {
	Text text.Safe `json:"s,omitzero"`
	Num  float64   `json:"n,omitempty"`
	None bool      `json:"none,omitempty"`
}

// Str is a text cell from outside text (it is cleaned here).
func Str(s string) Cell { return Cell{Text: text.Clean(s)} }

// Num is a numeric cell.
func Num(v float64) Cell { return Cell{Num: v} }

// NoValue is a numeric cell with no value.
func NoValue() Cell { return Cell{None: true} }

// R builds a row from its cells.
func R(cells ...Cell) Row { return Row{Cells: cells} }

// Plain is the row as "a|3700000|-": each cell's Field joined by "|". For
// tests and debugging; viewers format by Kind.
func (r Row) Plain() string {
	parts := make([]string, len(r.Cells))
	for i := range r.Cells {
		parts[i] = r.Field(i)
	}
	return strings.Join(parts, "|")
}

// String is Plain, so a row prints readably in test failures.
func (r Row) String() string { return r.Plain() }

// Field is cell i in its plain form: text as is, a number in its shortest
// exact form, "-" for no value, "" past the end.
func (r Row) Field(i int) string {
	if i >= len(r.Cells) {
		return ""
	}
	c := r.Cells[i]
	switch {
	case c.None:
		return "-"
	case !c.Text.IsEmpty():
		return c.Text.String()
	}
	return strconv.FormatFloat(c.Num, 'g', -1, 64)
}

// UnmarshalJSON also reads a recording made before columns had kinds (a
// bare title), as a Label column.
func (c *Column) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		c.Kind = Label
		return json.Unmarshal(b, &c.Title)
	}
	type plain Column
	return json.Unmarshal(b, (*plain)(c))
}

// UnmarshalJSON also reads a recording made before rows were typed (an
// array of preformatted strings), as text cells.
func (r *Row) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`[`)) {
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return err
		}
		r.Cells = make([]Cell, len(ss))
		for i, s := range ss {
			r.Cells[i] = Str(s)
		}
		return nil
	}
	type plain Row
	return json.Unmarshal(b, (*plain)(r))
}
