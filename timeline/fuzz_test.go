package timeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead: whatever is in a timeline file, Read never panics, returns
// every line that parses, and names the line of any that does not.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"at":"2026-11-27T10:00:00Z","kind":"alert","state":"FIRING","subject":"db-cpu-high db.cpu","value":91}` + "\n"))
	f.Add([]byte(`{"at":"2026-11-27T10:00:00Z","kind":"note","text":"paused server-c","who":"ana"}` + "\n" + `{"at":"2026-11-27T10:0`))
	f.Add([]byte("\n\n{}\n[]\nnull\n"))
	f.Add([]byte(`{"at":"x","value":"NaN"}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "timeline.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		events, err := Read(path)
		if err != nil && !strings.Contains(err.Error(), "line ") {
			t.Fatalf("error without a line number: %v", err)
		}
		if len(events) > strings.Count(string(data), "\n")+1 {
			t.Fatalf("%d events from %d lines", len(events), strings.Count(string(data), "\n")+1)
		}
	})
}
