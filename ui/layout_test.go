package ui

import "testing"

func TestComputeLayout(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		n    needs
		want layout
	}{
		{"below 60 columns the screen is too small", 59, 40, needs{}, layout{Width: 59, Height: 40, TooSmall: true}},
		{"below 15 lines the screen is too small", 120, 14, needs{}, layout{Width: 120, Height: 14, TooSmall: true}},
		{"at 80x24 the graphs stack and the alerts keep three rows", 80, 24, needs{DBLines: 2, AlertRows: 3},
			layout{Width: 80, Height: 24, GraphW: [2]int{80, 80}, GraphH: 7, DBLines: 2, AlertsW: 80, AlertsH: 4}},
		{"at 80x24 with one alert the graphs take the spare line", 80, 24, needs{DBLines: 2, AlertRows: 1},
			layout{Width: 80, Height: 24, GraphW: [2]int{80, 80}, GraphH: 8, DBLines: 2, AlertsW: 80, AlertsH: 2}},
		{"a stacked graph stops growing at 14 lines", 80, 60, needs{DBLines: 2, AlertRows: 1},
			layout{Width: 80, Height: 60, GraphW: [2]int{80, 80}, GraphH: 14, DBLines: 2, AlertsW: 80, AlertsH: 26}},
		{"too short to stack, the DB strip goes and the graphs sit side by side", 60, 15, needs{DBLines: 2, AlertRows: 3},
			layout{Width: 60, Height: 15, SideBySide: true, GraphW: [2]int{30, 30}, GraphH: 6, AlertsW: 60, AlertsH: 5}},
		{"from 100 columns the graphs sit side by side", 100, 30, needs{DBLines: 1, AlertRows: 2},
			layout{Width: 100, Height: 30, SideBySide: true, GraphW: [2]int{50, 50}, GraphH: 15, DBLines: 1, AlertsW: 100, AlertsH: 10}},
		{"an odd width gives the right graph the extra column", 121, 40, needs{DBLines: 1, AlertRows: 2},
			layout{Width: 121, Height: 40, SideBySide: true, GraphW: [2]int{60, 61}, GraphH: 21, DBLines: 1, AlertsW: 121, AlertsH: 14}},
		{"from 120 columns the tables sit beside the alerts", 120, 40, needs{DBLines: 2, AlertRows: 3, TableLines: 9},
			layout{Width: 120, Height: 40, SideBySide: true, GraphW: [2]int{60, 60}, GraphH: 20, DBLines: 2,
				AlertsW: 66, AlertsH: 14, TablesW: 54, TablesH: 14}},
		{"a tall narrow screen puts the tables below the alerts", 80, 60, needs{DBLines: 2, AlertRows: 2, TableLines: 9},
			layout{Width: 80, Height: 60, GraphW: [2]int{80, 80}, GraphH: 14, DBLines: 2, AlertsW: 80, AlertsH: 3,
				TablesW: 80, TablesH: 23, TablesBelow: true}},
		{"a short narrow screen has no room for tables", 80, 24, needs{DBLines: 2, AlertRows: 1, TableLines: 9},
			layout{Width: 80, Height: 24, GraphW: [2]int{80, 80}, GraphH: 8, DBLines: 2, AlertsW: 80, AlertsH: 2}},
		{"side-by-side graphs stop growing at 24 lines", 200, 80, needs{DBLines: 1, AlertRows: 1},
			layout{Width: 200, Height: 80, SideBySide: true, GraphW: [2]int{100, 100}, GraphH: 24, DBLines: 1, AlertsW: 200, AlertsH: 51}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := computeLayout(tt.w, tt.h, tt.n); got != tt.want {
				t.Errorf("computeLayout(%d, %d, %+v)\n got %+v\nwant %+v", tt.w, tt.h, tt.n, got, tt.want)
			}
		})
	}
}

func TestPlaceLabels(t *testing.T) {
	tests := []struct {
		name  string
		items []placed
		width int
		want  string
	}{
		{"a label starts at its column", []placed{{col: 2, text: "-1m"}}, 10, "  -1m"},
		{"a label at the right edge ends there", []placed{{col: 9, text: "now"}}, 10, "       now"},
		{"an overlapping label is dropped", []placed{{col: 7, text: "now"}, {col: 5, text: "-1m"}}, 10, "       now"},
		{"a pinned mark at the edge turns its label to the left", []placed{{col: 9, text: "▼deploy", pin: true}}, 10, "   deploy▼"},
		{"a label wider than the row is dropped", []placed{{col: 0, text: "much too long"}}, 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeLabels(tt.items, tt.width); got != tt.want {
				t.Errorf("placeLabels = %q, want %q", got, tt.want)
			}
		})
	}
}
