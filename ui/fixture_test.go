package ui

import (
	"math"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// fixedNow is the instant every fixture is built around.
var fixedNow = time.Date(2026, 11, 27, 10, 1, 10, 0, time.UTC)

// ramp builds points every step over [now-span, now] from f(age).
func ramp(span, step time.Duration, f func(age time.Duration) float64) series.View {
	var pts []series.Point
	for age := span; age >= 0; age -= step {
		pts = append(pts, series.At(fixedNow.Add(-age), f(age)))
	}
	return series.ViewOf(pts...)
}

func constant(v float64) series.View {
	return ramp(time.Minute, 10*time.Second, func(time.Duration) float64 { return v })
}

// incidentSnapshot is the peak-day picture: DB CPU pinned and firing, the
// API CPU climbing behind it, the DB source stale.
func incidentSnapshot() *monitor.Snapshot {
	climb := func(age time.Duration) float64 {
		s := age.Seconds()
		if s > 150 {
			return 22 + 3*math.Sin(s/9)
		}
		return 85 - 63*s/150
	}
	pinned := func(age time.Duration) float64 {
		s := age.Seconds()
		if s > 200 {
			return 35 + 5*math.Sin(s/7)
		}
		if s > 60 {
			return 97.3 - (s-60)/140*57.3
		}
		return 96 + 1.3*(1-s/60)
	}
	firingSince := fixedNow.Add(-130 * time.Second)
	return &monitor.Snapshot{
		Seq:   42,
		At:    fixedNow,
		Label: "DEMO: scripted replay of the peak-day incident",
		Series: map[string]series.View{
			"main.cpu":                               ramp(6*time.Minute, 5*time.Second, climb),
			"db.cpu@mongo-1:27017":                   ramp(6*time.Minute, 2*time.Second, pinned),
			"db.cpu@mongo-2:27017":                   ramp(6*time.Minute, 2*time.Second, func(age time.Duration) float64 { return 30 + 4*math.Cos(age.Seconds()/11) }),
			"db.ops.insert@mongo-1:27017":            constant(120),
			"db.ops.query@mongo-1:27017":             constant(3400),
			"db.ops.update@mongo-1:27017":            constant(85.5),
			"db.ops.command@mongo-1:27017":           constant(410),
			"db.connections@mongo-1:27017":           constant(480),
			"db.connections.available@mongo-1:27017": constant(339),
			"db.queue.readers@mongo-1:27017":         constant(12),
			"db.queue.writers@mongo-1:27017":         constant(3),
			"db.latency.reads@mongo-1:27017":         constant(45.2),
			"db.latency.writes@mongo-1:27017":        constant(12.1),
			"db.scanned_per_returned@mongo-1:27017":  constant(1840),
		},
		Sources: []monitor.SourceHealth{
			{Name: "main", Interval: time.Minute, State: monitor.Healthy, LastOK: fixedNow.Add(-20 * time.Second),
				NextPoll: fixedNow.Add(40 * time.Second), Polls: 9},
			{Name: "db", Interval: time.Second, State: monitor.Healthy, LastOK: fixedNow.Add(-12 * time.Second),
				NextPoll: fixedNow.Add(-11 * time.Second), Polls: 340, Members: []sources.Member{
					{ID: "mongo-1:27017", Role: "PRIMARY", OK: true},
					{ID: "mongo-2:27017", Role: "SECONDARY", OK: true},
				}},
		},
		Alerts: []monitor.AlertView{
			{Status: alert.Status{Rule: "db-cpu-high", Key: "db.cpu@mongo-1:27017", Severity: alert.Critical,
				State: alert.Firing, Since: firingSince, Value: 97.3, Peak: 97.3}, Condition: "db.cpu > 90 (3 of 3)"},
			{Status: alert.Status{Rule: "api-cpu-high", Key: "main.cpu", Severity: alert.Warning,
				State: alert.Pending, Since: fixedNow.Add(-25 * time.Second), Value: 85}, Condition: "main.cpu > 80 for 2m"},
		},
		Alarms: []monitor.AlarmView{
			{Source: "main", Alarm: sources.Alarm{Name: text.Clean("api-5xx-rate"), State: "ALARM",
				Reason: text.Clean("Threshold Crossed: 3 datapoints > 5.0"), Since: fixedNow.Add(-70 * time.Second)}},
		},
		Timeline: []monitor.Event{
			{At: firingSince.Add(-15 * time.Second), Kind: monitor.EventAlert, Severity: alert.Critical,
				State: "PENDING", Subject: "db-cpu-high db.cpu@mongo-1:27017", Value: 93,
				Rule: "db-cpu-high", Key: "db.cpu@mongo-1:27017", Op: alert.Above},
			{At: firingSince, Kind: monitor.EventAlert, Severity: alert.Critical,
				State: "FIRING", Subject: "db-cpu-high db.cpu@mongo-1:27017", Value: 95.1,
				Rule: "db-cpu-high", Key: "db.cpu@mongo-1:27017", Op: alert.Above},
		},
		Marks: []sources.Mark{{At: fixedNow.Add(-90 * time.Second), Label: text.Clean("deploy 1.42")}},
		Tables: []sources.Table{
			{Name: "slow ops", Columns: []sources.Column{{Title: "op", Kind: sources.Label}, {Title: "ns", Kind: sources.Name},
				{Title: "ms", Kind: sources.Count}, {Title: "client", Kind: sources.Name}}, Highlight: 0, Rows: []sources.Row{
				sources.R(sources.Str("query"), sources.Str("shop.orders"), sources.Num(4210), sources.Str("10.0.3.7")),
				sources.R(sources.Str("update"), sources.Str("shop.carts"), sources.Num(880), sources.Str("10.0.3.9")),
			}},
			{Name: "top clients", Columns: []sources.Column{{Title: "client", Kind: sources.Name}, {Title: "conns", Kind: sources.Count},
				{Title: "ops/s", Kind: sources.Count}}, Highlight: -1, Rows: []sources.Row{
				sources.R(sources.Str("10.0.3.7"), sources.Num(212), sources.Num(1900)),
				sources.R(sources.Str("10.0.3.9"), sources.Num(140), sources.Num(820)),
			}},
		},
	}
}
