package cloudwatch

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/text/texttest"
)

// TestHostileAlarmNamesAreCleanedAtTheSource: alarm names and reasons are
// text anyone with cloudwatch:PutMetricAlarm writes; the real SDK reads
// them from the CBOR server and the source hands on only cleaned text.
func TestHostileAlarmNamesAreCleanedAtTheSource(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	var alarms []cwserver.Alarm
	for _, e := range texttest.Corpus() {
		alarms = append(alarms, cwserver.Alarm{Name: "api-" + e.Text, State: "ALARM", Reason: "reason " + e.Text, Updated: clock.Now().Add(-time.Minute)})
	}
	srv.SetAlarms(alarms...)
	srv.AddMetric(ec2("i-1", time.Minute))
	s := newSource(t, srv, clock, Config{AlarmPrefix: "api-", Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})
	res := poll(t, s)
	if len(res.Alarms) != len(alarms) {
		t.Fatalf("%d alarms, want %d", len(res.Alarms), len(alarms))
	}
	var all strings.Builder
	for _, a := range res.Alarms {
		all.WriteString(a.Name.String() + "\n" + a.Reason.String() + "\n")
	}
	for _, e := range texttest.Leaks([]byte(strings.ReplaceAll(all.String(), "\n", " ")), false) {
		t.Errorf("%s: %q reaches the engine raw", e.Class, e.Raw)
	}
	if !strings.Contains(all.String(), `api-alarm-ta\r✔ OK`) {
		t.Errorf("the CR is not shown as an escape:\n%s", all.String())
	}
}
