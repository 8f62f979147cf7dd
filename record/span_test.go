package record_test

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/series"
)

// `demo --record` for four minutes, then `replay` of the file, said
// "replay 0:19 of 59:00" and played 22 minutes of "no data yet": the
// week-ago series are fetched by the hour and shifted a week forward, so
// their samples run from 14:00 to 14:59 around a recording of
// 14:22-14:26. The recording's span is what was seen, not last week.
func TestASpanIgnoresLastWeeksSamples(t *testing.T) {
	at := func(hm string) time.Time {
		tm, _ := time.Parse(time.RFC3339, "2026-12-03T"+hm+":00Z")
		return tm
	}
	rec := &record.Recording{Header: record.Header{Started: at("14:22")}}
	rec.Samples = []series.Sample{
		{Key: "main.requests.last_week", Point: series.At(at("14:00"), 13)},
		{Key: "main.cpu", Point: series.At(at("14:21"), 25)}, // history fetched at start
		{Key: "db.cpu@mongo-db:27017", Point: series.At(at("14:22"), 30)},
		{Key: "db.cpu@mongo-db:27017", Point: series.At(at("14:26"), 40)},
		{Key: "main.cpu.last_week@i-1", Point: series.At(at("14:59"), 25)},
	}
	if got := rec.Start(); !got.Equal(at("14:21")) {
		t.Errorf("Start = %s, want 14:21 (the first sample of this week)", got)
	}
	if got := rec.End(); !got.Equal(at("14:26")) {
		t.Errorf("End = %s, want 14:26 (the last sample seen)", got)
	}
}
