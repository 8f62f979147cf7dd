// Package check is `stormwatch check`: a checklist that says, line by line,
// whether this machine can run the dashboard against the configured targets,
// and for every failure the exact command or setting that fixes it.
//
// Every check makes the smallest real call that proves the point (one
// GetMetricData over ten minutes, DescribeAlarms with MaxRecords 1, one
// serverStatus), because a permission is only known to work once the service
// has said so. Nothing here writes anything anywhere.
package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Status is the outcome of one check.
type Status string

// The three outcomes. A skip never fails the run: it is a check that does not
// apply (no alarms configured, a standalone server has no replica set) or
// one that cannot run because an earlier one failed.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Result is one line of the checklist. The JSON field names are a stable
// interface for scripts.
type Result struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// Fix is what to do about a failure (or a useful next step); it may
	// span several lines, such as a mongosh snippet.
	Fix string `json:"fix"`
}

func pass(name, detail string) Result { return Result{Name: name, Status: Pass, Detail: detail} }
func skip(name, detail string) Result { return Result{Name: name, Status: Skip, Detail: detail} }
func fail(name, detail, fix string) Result {
	return Result{Name: name, Status: Fail, Detail: detail, Fix: fix}
}

// OK reports whether nothing failed.
func OK(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Fail {
			return false
		}
	}
	return true
}

// Failed counts the failures.
func Failed(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Status == Fail {
			n++
		}
	}
	return n
}

// WriteJSON writes {"ok": ..., "checks": [...]}, one document.
func WriteJSON(w io.Writer, rs []Result) error {
	if rs == nil {
		rs = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		OK     bool     `json:"ok"`
		Checks []Result `json:"checks"`
	}{OK(rs), rs})
}

const maxNameWidth = 34

// WriteText writes the checklist for people: a title, one line per check
// with its status in words (no colour, so it survives a pipe, a log and a
// screen reader), the fix indented under each failure, and a summary.
// With cols > 0 (a terminal that wide) a detail or fix too long for the
// line wraps under its own column; 0 keeps each on one line, for grep.
func WriteText(w io.Writer, title string, rs []Result, cols int) error {
	width := 0
	for _, r := range rs {
		width = max(width, len(r.Name))
	}
	width = min(width, maxNameWidth)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", title)
	indent := strings.Repeat(" ", 2+4+2+width+2)
	counts := map[Status]int{}
	for _, r := range rs {
		counts[r.Status]++
		for i, line := range wrapAt(r.Detail, cols-len(indent)) {
			if i == 0 {
				fmt.Fprintf(&b, "  %s  %-*s  %s\n", strings.ToUpper(string(r.Status)), width, r.Name, line)
				continue
			}
			fmt.Fprintf(&b, "%s%s\n", indent, line)
		}
		if r.Fix != "" {
			lead := "fix:  "
			for _, para := range strings.Split(r.Fix, "\n") {
				for _, line := range wrapAt(para, cols-len(indent)-len(lead)) {
					fmt.Fprintf(&b, "%s%s%s\n", indent, lead, line)
					lead = "      "
				}
			}
		}
	}
	sum := fmt.Sprintf("%d passed, %d failed, %d skipped: ready", counts[Pass], counts[Fail], counts[Skip])
	if counts[Fail] > 0 {
		sum = strings.TrimSuffix(sum, "ready") + "fix the failures above, then run stormwatch check again"
	}
	fmt.Fprintf(&b, "\n%s\n", strings.Join(wrapAt(sum, cols), "\n"))
	_, err := io.WriteString(w, b.String())
	return err
}

// wrapAt wraps s at spaces to lines of at most w cells; w below 20 (no
// terminal, or one too narrow to help) leaves s on one line.
func wrapAt(s string, w int) []string {
	if w < 20 {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, w, " "), "\n")
}
