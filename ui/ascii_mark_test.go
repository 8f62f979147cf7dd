package ui

import "testing"

func TestTheASCIITruncationMarkIsNotReadAsPartOfAName(t *testing.T) {
	if got := toASCII(fit("db.queue.total.readers", 15, "…")); got != "db.queue.total~" {
		t.Errorf("cut name in ASCII = %q, want db.queue.total~", got)
	}
}
