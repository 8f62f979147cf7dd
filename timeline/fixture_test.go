package timeline

import (
	"math"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func at(min, sec int) time.Time {
	return t0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
}

const cpuKey = "db.cpu@server-c:27017"

// incident is the timeline of a DB CPU incident: the alert fires, is acked
// and silenced, someone notes the cause and marks the fix, and it resolves;
// meanwhile a CloudWatch alarm goes off and back, and the mongo source loses
// its connection for a minute.
func incident() []monitor.Event {
	cpu := func(at time.Time, state alert.State, v float64) monitor.Event {
		return monitor.Event{At: at, Kind: monitor.EventAlert, Severity: alert.Critical, State: string(state),
			Subject: "db-cpu " + cpuKey, Text: "db.cpu > 80 (3 of 3)", Value: v,
			Rule: "db-cpu", Key: cpuKey, Op: alert.Above}
	}
	return []monitor.Event{
		cpu(at(1, 0), alert.Pending, 84.2),
		cpu(at(2, 0), alert.Firing, 91.7),
		{At: at(2, 30), Kind: monitor.EventAlarm, State: "ALARM", Subject: "api-5xx-rate",
			Text: "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0)."},
		{At: at(4, 0), Kind: monitor.EventAck, Subject: "db-cpu " + cpuKey, Rule: "db-cpu", Key: cpuKey, Text: "acknowledged", Who: "ana"},
		{At: at(4, 30), Kind: monitor.EventSilence, Subject: "db-cpu " + cpuKey, Rule: "db-cpu", Key: cpuKey, Text: "silenced for 30m0s", Who: "bob"},
		{At: at(5, 0), Kind: monitor.EventNote, Text: "server-c runs a collection scan | orders", Who: "ana"},
		{At: at(6, 10), Kind: monitor.EventSource, State: "error", Subject: "mongo",
			Text: "connection refused: mongodb://monitor:s3cret@server-c:27017"},
		{At: at(7, 0), Kind: monitor.EventMark, Text: "paused server-c", Who: "ana"},
		{At: at(7, 20), Kind: monitor.EventSource, State: "ok", Subject: "mongo", Text: "recovered"},
		cpu(at(12, 0), alert.Resolved, 42),
		{At: at(13, 0), Kind: monitor.EventAlarm, State: "OK", Subject: "api-5xx-rate",
			Text: "Threshold Crossed: 1 datapoint [0.4] was not greater than the threshold (5.0)."},
	}
}

// cpuSeries is db.cpu every 10 s from 07:45 to 08:20, with no points while
// the source was down.
func cpuSeries() series.View {
	var pts []series.Point
	for t := t0.Add(-15 * time.Minute); t.Before(at(20, 0)); t = t.Add(10 * time.Second) {
		if !t.Before(at(6, 10)) && t.Before(at(7, 20)) {
			continue
		}
		m := t.Sub(t0).Minutes()
		v := 35 + 3*math.Sin(m)
		switch {
		case m >= 0 && m < 6:
			v = 35 + 62*math.Min(m/2.5, 1) - math.Abs(m-5)
		case m >= 6 && m < 12:
			v = 96 - 9*(m-6)
		}
		pts = append(pts, series.At(t, math.Round(v*10)/10))
	}
	return series.ViewOf(pts...)
}

func incidentSnapshot() *monitor.Snapshot {
	return &monitor.Snapshot{
		Seq: 1200, At: at(20, 0),
		Series: map[string]series.View{cpuKey: cpuSeries(), "api.requests": series.ViewOf(series.At(t0, 1200))},
		Alerts: []monitor.AlertView{{
			Status:    alert.Status{Rule: "db-cpu", Key: cpuKey, Severity: alert.Critical, State: alert.Resolved, Since: at(12, 0), Value: 42, Peak: 97},
			Condition: "db.cpu > 80 (3 of 3)", Runbook: "https://wiki.example.com/runbooks/db-cpu",
		}},
		Alarms:   []monitor.AlarmView{{Source: "aws", Alarm: sources.Alarm{Name: text.Clean("api-5xx-rate"), State: "OK", Since: at(13, 0)}}},
		Timeline: incident(),
		Marks:    []sources.Mark{{At: at(7, 0), Label: text.Clean("paused server-c")}},
	}
}
