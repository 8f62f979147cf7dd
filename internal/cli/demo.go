package cli

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources/demo"
)

// demoEngine runs the demo through the production path: the real MongoDB
// and CloudWatch sources poll the demo's scripted servers on loopback, at a
// clock that runs speed times faster than the wall clock.
func demoEngine(speed float64, scenario string, rules []alert.Rule, demand *monitor.Demand, log *slog.Logger) (*monitor.Engine, func(), error) {
	sc, err := demo.ScenarioNamed(scenario)
	if err != nil {
		return nil, nil, err
	}
	clock := monitor.NewScaledClock(time.Now().UTC(), speed)
	backend, err := demo.StartScenario(sc, clock.Now, clock.After)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: start the scripted servers on loopback: %w", err)
	}
	polled, closeSources, err := backend.Sources(clock.Now, demand.Wanted)
	if err != nil {
		backend.Close()
		return nil, nil, err
	}
	var specs []monitor.SourceSpec
	for _, p := range polled {
		specs = append(specs, monitor.SourceSpec{Source: p.Source, Schedule: p.Schedule})
	}
	label := demoLabel(sc)
	note := ""
	if speed > 0 && speed != 1 {
		note = fmt.Sprintf("scenario time (demo at %gx)", speed)
	}
	e := monitor.New(monitor.Config{Sources: specs, Rules: rules, Clock: clock, Label: label, TimeNote: note, Log: log,
		Verdict: demo.Verdict, RequestsPolled: true})
	demand.Attach(e)
	return e, func() { closeSources(); backend.Close() }, nil
}

// demoLabel is the header's label: another scenario than the peak day
// says its own name first, where an 80-column header still shows it (it
// said "a peak-day incident" and cut the scenario's name off).
func demoLabel(sc *demo.Scenario) string {
	if sc == demo.Peak {
		return DemoLabel
	}
	return "DEMO: scenario " + sc.Name + " (not real data): " + sc.About
}
