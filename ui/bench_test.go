package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkView is the cost of one frame at 120x40 with the incident.
func BenchmarkView(b *testing.B) {
	m := New(Options{Location: testZone})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	next, _ = next.(Model).Update(snapshotMsg{incidentSnapshot()})
	m = next.(Model)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
