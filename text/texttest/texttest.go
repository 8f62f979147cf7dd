// Package texttest holds the hostile-input corpus: outside text of every
// class that once reached a terminal or file raw (issue 14). Test servers
// (the scripted MongoDB server, the CloudWatch test server, the demo's
// scripted mongod) serve these names, and end-to-end tests assert that no
// Raw marker reaches a pane, an SSH stream, an export or a recording.
package texttest

import (
	"bytes"
	_ "embed"
	"encoding/json"
)

// Entry is one hostile text.
type Entry struct {
	Class string `json:"class"` // what it attacks
	Text  string `json:"text"`  // the full hostile text, as a server would send it
	// Raw is the part of Text that must never appear in any output: the
	// control sequence itself, or for the long name the tail a truncated
	// name must not show.
	Raw string `json:"raw"`
}

//go:embed hostile.json
var corpus []byte

// Corpus returns the hostile-input corpus, a fresh copy each call.
func Corpus() []Entry {
	var es []Entry
	if err := json.Unmarshal(corpus, &es); err != nil {
		panic("texttest: hostile.json: " + err.Error())
	}
	return es
}

// Leaks returns the entries whose Raw marker occurs in out. An entry whose
// Raw is not a control sequence (the long name's tail) is skipped unless
// long is set, because a file may hold a long name whole.
func Leaks(out []byte, long bool) []Entry {
	var leaked []Entry
	for _, e := range Corpus() {
		if e.Class == "long name" && !long {
			continue
		}
		if bytes.Contains(out, []byte(e.Raw)) {
			leaked = append(leaked, e)
		}
	}
	return leaked
}
