package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/internal/testnet"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/cloudwatch"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/text"
)

// blindRig is the dead configuration through the production
// path: the real MongoDB source pointed at a closed port, the real
// CloudWatch source with no credentials anywhere, the real engine and the
// built-in rules, at a fake clock.
type blindRig struct {
	t      *testing.T
	clock  *monitortest.Clock
	engine *monitor.Engine
	specs  []monitor.SourceSpec
}

func noAWSCredentials(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func newBlindRig(t *testing.T) *blindRig {
	t.Helper()
	noAWSCredentials(t)
	clock := monitortest.NewClock(time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC))
	db, err := mongo.New(mongo.Config{Name: "db", URI: "mongodb://" + testnet.ClosedAddr(t) + "/?directConnection=true", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	// No server at all behind the endpoint: with no credentials the SDK
	// must never get as far as sending a request.
	aws, err := cloudwatch.New(context.Background(), cloudwatch.Config{Name: "aws", Region: "eu-west-1",
		Endpoint: "http://" + testnet.ClosedAddr(t), Now: clock.Now, RetryMaxAttempts: 1,
		Metrics: []cloudwatch.Metric{cloudwatch.EC2CPU("main.cpu", "i-0123456789abcdef0")}})
	if err != nil {
		t.Fatal(err)
	}
	specs := []monitor.SourceSpec{
		{Source: db, Schedule: sources.Schedule{Interval: time.Second, Timeout: 1600 * time.Millisecond}},
		{Source: aws, Schedule: sources.Schedule{Interval: time.Minute, Timeout: 30 * time.Second, MaxBackoff: 15 * time.Minute}},
	}
	e := monitor.New(monitor.Config{Sources: specs, Rules: config.DefaultRules(), Clock: clock})
	return &blindRig{t: t, clock: clock, engine: e, specs: specs}
}

// poll polls source i for real and hands the result to the engine.
func (r *blindRig) poll(i int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := r.specs[i].Source.Poll(ctx)
	r.engine.Ingest(i, res, err)
}

func (r *blindRig) second() *monitor.Snapshot {
	r.clock.Advance(time.Second)
	r.engine.Tick()
	return r.engine.Snapshot()
}

// The case 1: a dashboard whose sources never delivered says it is
// not watching, in the banner, at every size; its rules go to NO DATA
// (shown as –, not 0.0) within seconds, not minutes.
func TestBlindButGreenSaysNotWatching(t *testing.T) {
	r := newBlindRig(t)
	m := New(Options{NoColor: true, Theme: "dark", Who: text.Clean("ana"), Location: time.UTC, Actions: r.engine})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = step(t, m, snapshotMsg{r.engine.Snapshot()})
	if scr := screen(m); strings.Contains(scr, "✔") || !strings.Contains(scr, "starting") {
		t.Fatalf("before the first poll the banner must say starting, never ✔:\n%s", scr)
	}
	r.poll(0)
	r.poll(1)
	m = step(t, m, snapshotMsg{r.second()})
	scr := screen(m)
	banner := strings.Split(scr, "\n")[1]
	for _, want := range []string{"✖ NOT WATCHING", "db: unreachable, never delivered (retry in", "aws: no credentials"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "no alerts firing") {
		t.Errorf("a blind dashboard says no alerts firing:\n%s", scr)
	}
	// The db source keeps failing on its backoff; the rules on its series
	// must not wait for CloudWatch's 60 s interval to say NO DATA.
	sec := 1
	for ; sec <= 10 && !strings.Contains(screen(m), "NO DATA"); sec++ {
		r.poll(0)
		m = step(t, m, snapshotMsg{r.second()})
	}
	if sec > 10 {
		t.Fatalf("10 s after start no rule says NO DATA:\n%s", screen(m))
	}
	t.Logf("rules went to NO DATA %d s after start", sec)
	scr = screen(m)
	// In the list and in the timeline under it (issue 14.11).
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "NO DATA") && strings.Contains(line, "db-cpu-high") {
			if strings.Contains(line, "0.0") || !strings.Contains(line, "–") {
				t.Errorf("a NO DATA line shows a value it never had: %q", line)
			}
		}
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {100, 30}} {
		small := step(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		if b := strings.Split(screen(small), "\n")[1]; !strings.Contains(b, "NOT WATCHING db: unreachable") || !strings.Contains(b, "aws: no credentials") {
			t.Errorf("at %dx%d the banner reads %q", size.w, size.h, b)
		}
	}
}

// cwAlarmRig is the real CloudWatch source against the CBOR test server,
// holding one alarm in ALARM, feeding the real engine.
func cwAlarmRig(t *testing.T) (*monitor.Engine, *cwserver.Server, func()) {
	t.Helper()
	clock := monitortest.NewClock(time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC))
	srv := cwserver.New(t, cwserver.WithClock(clock.Now))
	srv.SetAlarms(cwserver.Alarm{Name: "mongo-db-cpu-high", State: "ALARM", Reason: "Threshold Crossed: 3 datapoints > 90",
		Updated: clock.Now().Add(-2 * time.Minute)})
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	src, err := cloudwatch.New(context.Background(), cloudwatch.Config{Name: "aws", Region: "eu-west-1", Endpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secretEXAMPLE", ""),
		Now:         clock.Now, RetryMaxAttempts: 1, AlarmPrefix: "mongo-"})
	if err != nil {
		t.Fatal(err)
	}
	spec := monitor.SourceSpec{Source: src, Schedule: sources.Schedule{Interval: time.Minute, Timeout: 30 * time.Second}}
	e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{spec}, Clock: clock})
	poll := func() {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
	}
	return e, srv, poll
}

// The case 2: a CloudWatch alarm in ALARM is firing. It counts,
// it is the banner when nothing outranks it, and it rings the bell unless
// alerts.bell_alarms leaves it out.
func TestACloudWatchAlarmInAlarmIsFiring(t *testing.T) {
	e, _, poll := cwAlarmRig(t)
	poll()
	for _, tc := range []struct {
		name      string
		patterns  []string
		wantBells int
	}{{"every alarm rings by default", nil, 1}, {"a matching pattern rings", []string{"mongo-*"}, 1}, {"an alarm no pattern names is quiet", []string{}, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(Options{NoColor: true, Theme: "dark", Location: time.UTC, Bell: BellCritical, BellAlarms: tc.patterns})
			m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
			m = step(t, m, snapshotMsg{e.Snapshot()})
			scr := screen(m)
			if b := strings.Split(scr, "\n")[1]; !strings.Contains(b, "ALARM [CW] mongo-db-cpu-high") {
				t.Errorf("banner %q does not name the alarm:\n%s", b, scr)
			}
			if strings.Contains(scr, "no alerts firing") || !strings.Contains(scr, "1 firing") {
				t.Errorf("the alarm does not count as firing:\n%s", scr)
			}
			if m.bells != tc.wantBells {
				t.Errorf("bells = %d, want %d", m.bells, tc.wantBells)
			}
		})
	}
}

// The case 3: freeze (space) stops the graphs and tables, never
// the alerts. An alert that fires while frozen is listed and counted, and
// a is the ack of it, through the real demo sources and engine.
func TestFreezeKeepsTheAlertsLive(t *testing.T) {
	s := newStory(t)
	m := New(Options{NoColor: true, Theme: "dark", Who: text.Clean("ana"), Location: time.UTC, Actions: s.engine})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = step(t, m, snapshotMsg{s.second()})
	m = step(t, m, press("space"))
	fired := false
	for sec := 0; sec < int(demo.Loop/time.Second) && !fired; sec++ {
		snap := s.second()
		m = step(t, m, snapshotMsg{snap})
		fired = firing(snap, "db-cpu-high")
	}
	if !fired {
		t.Fatal("db-cpu-high never fired")
	}
	scr := screen(m)
	if !strings.Contains(scr, "FROZEN") {
		t.Fatalf("the picture is not frozen:\n%s", scr)
	}
	if strings.Contains(scr, " 0 firing") || !strings.Contains(scr, "FIRING   crit db-cpu-high") {
		t.Errorf("the alert that fired under a frozen picture is not listed:\n%s", scr)
	}
	for selectedRule(m) != "db-cpu-high" {
		before := m.sel
		m = step(t, m, press("down"))
		if m.sel == before {
			t.Fatalf("db-cpu-high cannot be selected under a frozen picture:\n%s", screen(m))
		}
	}
	next, cmd := m.Update(press("a"))
	m = next.(Model)
	if cmd == nil {
		t.Fatalf("a sent nothing to the engine; footer: %q", m.flash)
	}
	if msg, ok := cmd().(actionMsg); !ok || !strings.HasPrefix(msg.text, "acked db-cpu-high") {
		t.Fatalf("a answered %#v", msg)
	}
	for _, av := range s.engine.Snapshot().Alerts {
		if av.Rule == "db-cpu-high" && av.State == alert.Firing && av.AckedBy != "ana" {
			t.Errorf("the engine has %s not acked by ana: %+v", av.ID(), av)
		}
	}
}

// act presses keys that talk to the engine and feeds the engine's answer
// and its next snapshot back to the dashboard.
func (s *story) act(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(press(k))
		m = next.(Model)
		if cmd != nil {
			if msg, ok := cmd().(actionMsg); ok {
				m = step(t, m, msg)
			}
		}
	}
	return step(t, m, snapshotMsg{s.engine.Snapshot()})
}

func line(scr, with string) string {
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, with) {
			return l
		}
	}
	return ""
}

// The case 5, through the demo's real sources and engine: an ack
// is on the row and in the banner, and the acked critical keeps the
// banner; a silence says until when on the row and in the banner; 0
// unsilences.
func TestAckAndSilenceAreVisible(t *testing.T) {
	s := newStory(t)
	m := New(Options{NoColor: true, Theme: "dark", Who: text.Clean("ana"), Location: time.UTC, Actions: s.engine})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = step(t, m, snapshotMsg{s.second()})
	for sec := 0; sec < int(demo.Loop/time.Second) && !firing(m.snap, "db-cpu-high"); sec++ {
		m = step(t, m, snapshotMsg{s.second()})
	}
	for selectedRule(m) != "db-cpu-high" {
		m = step(t, m, press("down"))
	}
	m = s.act(t, m, "a")
	scr := screen(m)
	banner := strings.Split(scr, "\n")[1]
	if !strings.Contains(banner, "CRITICAL FIRING  db-cpu-high") || !strings.Contains(banner, "acked by ana") {
		t.Errorf("after the ack the banner reads %q", banner)
	}
	if row := line(scr, "crit db-cpu-high"); !strings.Contains(row, "ACKED") {
		t.Errorf("the row does not say it is acked: %q", row)
	}
	// Warnings fire while the DB burns; the acked critical keeps the banner.
	for range 20 {
		m = step(t, m, snapshotMsg{s.second()})
	}
	if banner := strings.Split(screen(m), "\n")[1]; !strings.Contains(banner, "db-cpu-high") {
		t.Errorf("an acked critical gave the banner away: %q", banner)
	}
	m = s.act(t, m, "s", "2")
	until := s.clock.Now().Add(time.Hour).UTC().Format("15:04") + " UTC"
	scr = screen(m)
	banner = strings.Split(scr, "\n")[1]
	row := line(scr, "crit db-cpu-high")
	if !strings.Contains(row, "SILENCED") || !strings.Contains(row, "silenced to "+until) {
		t.Errorf("the row does not say until when it is silenced (%s): %q", until, row)
	}
	if !strings.Contains(banner, "silenced") {
		t.Errorf("the banner does not mention the silence: %q", banner)
	}
	m = s.act(t, m, "s", "0")
	if row := line(screen(m), "crit db-cpu-high"); strings.Contains(row, "SILENCED") {
		t.Errorf("0 did not unsilence: %q", row)
	}
}

// The case 6: while an alert fires, who and what are on screen at
// every size that is not too small, though the tables are not; the demo's
// narration is on the status line at 120x40.
func TestTheCulpritIsOnScreenAtEverySize(t *testing.T) {
	s := newStory(t)
	m := New(Options{NoColor: true, Theme: "dark", Who: text.Clean("ana"), Location: time.UTC, Actions: s.engine})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = step(t, m, snapshotMsg{s.second()})
	for sec := 0; sec < int(demo.Loop/time.Second) && !strings.Contains(screen(m), "COLLSCAN"); sec++ {
		m = step(t, m, snapshotMsg{s.second()})
	}
	for sec := 0; sec < int(demo.Loop/time.Second) && !firing(m.snap, "db-cpu-high"); sec++ {
		m = step(t, m, snapshotMsg{s.second()})
	}
	m = step(t, m, snapshotMsg{s.second()})
	for _, size := range []struct{ w, h int }{{80, 24}, {100, 30}, {120, 40}, {160, 48}, {60, 15}} {
		sm := step(t, m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
		scr := screen(sm)
		l := line(scr, "culprit:")
		if !strings.Contains(l, "culprit: server-c") || !strings.Contains(l, "% of active ops · COLLSCAN cctv.events") {
			t.Errorf("at %dx%d no culprit line (%q):\n%s", size.w, size.h, l, scr)
		}
		if size.w == 120 && !strings.Contains(scr, "● scenario 1:") {
			t.Errorf("at 120x40 the status line lacks the scenario's narration:\n%s", scr)
		}
	}
}

// The case 4: replay --demo headlines the primary, as the live
// demo did: its value leads the DB panel's title, marked (P). The
// recording keeps the members' roles.
func TestReplayHeadlinesThePrimary(t *testing.T) {
	rec, err := record.Demo()
	if err != nil {
		t.Fatal(err)
	}
	clock := monitortest.NewClock(rec.Start())
	rp := record.NewReplay(rec, clock.Now, time.Time{}, time.Time{})
	e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{{Source: rp, Schedule: rp.Schedule()}},
		Rules: config.DefaultRules(), Clock: clock})
	m := New(Options{NoColor: true, Theme: "dark", Location: time.UTC})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	fired := false
	for sec := 0; sec < int(demo.Loop/time.Second) && !fired; sec++ {
		res, err := rp.Poll(context.Background())
		e.Ingest(0, res, err)
		clock.Advance(time.Second)
		e.Tick()
		fired = firing(e.Snapshot(), "db-cpu-high")
	}
	if !fired {
		t.Fatal("db-cpu-high never fired in the replay")
	}
	snap := e.Snapshot()
	m = step(t, m, snapshotMsg{snap})
	var primary string
	for _, h := range snap.Sources {
		for _, mem := range h.Members {
			if mem.Role == "PRIMARY" {
				primary = mem.ID
			}
		}
	}
	if primary == "" {
		t.Fatalf("the replay knows no primary: %+v", snap.Sources)
	}
	p, _ := snap.Series["db.cpu@"+primary].Last()
	title := line(screen(m), "DB server CPU")
	want := fmtValue(p.V) + "%"
	if !strings.Contains(title, "(P)") || !strings.Contains(title, "DB server CPU  "+want) {
		t.Errorf("the DB panel's title %q does not lead with the primary %s at %s", title, primary, want)
	}
}

// selectedRule is the rule of the selected alert, "" for an alarm or none.
func selectedRule(m Model) string {
	if p, ok := m.selected(); ok && p.alert != nil {
		return p.alert.Rule
	}
	return ""
}

// QA (twice): at --speed 5 the header read 14:24:03 next to ● LIVE while
// the wall clock said 14:22:35; only the export said it was scenario time.
func TestAClockThatIsNotTheWallClockSaysSo(t *testing.T) {
	s := incidentSnapshot()
	s.TimeNote = "scenario time (demo at 5x)"
	for _, w := range []int{120, 80} {
		m := sizedWith(t, Options{NoColor: true, Location: time.UTC}, w, 40, s)
		if h := strings.Split(screen(m), "\n")[0]; !strings.Contains(h, "UTC, scenario time (demo at 5x)") {
			t.Errorf("%d columns: header %q does not say the clock is scenario time", w, h)
		}
	}
}
