// Package config reads the stormwatch YAML file. Decoding is strict: an
// unknown key, a wrong type or an impossible value is an error naming the
// file, the line and the key, because a silently ignored typo in an alert
// rule is an alert that never fires.
package config

import "time"

// Config is the whole file. Every section is optional; with no sources the
// dashboard has nothing to show, so main runs the demo instead.
type Config struct {
	Version  int       `yaml:"version"`
	UI       UI        `yaml:"ui"`
	Panels   []Panel   `yaml:"panels"`
	Sources  Sources   `yaml:"sources"`
	Alerts   Alerts    `yaml:"alerts"`
	Timeline Timeline  `yaml:"timeline"`
	Record   Record    `yaml:"record"`
	Serve    Serve     `yaml:"serve"`
	Verdict  Verdict   `yaml:"verdict"`
	path     string    // the file it came from, for messages
	lines    lineIndex // key path -> line, for messages
}

// UI options.
type UI struct {
	Color     string        `yaml:"color"`     // auto, always, never
	Theme     string        `yaml:"theme"`     // auto, dark, light
	Palette   string        `yaml:"palette"`   // default, colorblind
	Range     time.Duration `yaml:"range"`     // visible time range, default 5m
	ASCII     bool          `yaml:"ascii"`     // no Unicode box or braille glyphs
	Presenter bool          `yaml:"presenter"` // fewer, larger panels
	Clock     string        `yaml:"clock"`     // utc, local
	Who       string        `yaml:"who"`       // name shown on acks and notes; default $USER
	// ReadOnly turns off every action on the watched systems (x explain,
	// k stop) for the run, as --read-only does.
	ReadOnly bool `yaml:"read_only"`
}

// Panel is one graph.
type Panel struct {
	Title  string   `yaml:"title"`
	Series []string `yaml:"series"`
	Color  string   `yaml:"color"`
	Unit   string   `yaml:"unit"`
	Max    float64  `yaml:"max"`
}

// Sources lists what to poll.
type Sources struct {
	Mongo      []Mongo      `yaml:"mongo"`
	CloudWatch []CloudWatch `yaml:"cloudwatch"`
}

// Mongo is one MongoDB deployment (standalone, replica set, or mongos).
type Mongo struct {
	Name string `yaml:"name"` // series prefix, default "db"
	// URIEnv names the environment variable holding the connection string,
	// so passwords stay out of the file. URI may be used for a URI without
	// a password.
	URIEnv       string        `yaml:"uri_env"`
	URI          string        `yaml:"uri"`
	Interval     time.Duration `yaml:"interval"`      // default 1s
	Timeout      time.Duration `yaml:"timeout"`       // default 800ms
	ReplInterval time.Duration `yaml:"repl_interval"` // replSetGetStatus, default 10s
	// Aliases names members on screen: "ip-10-0-1-23.ec2.internal:27017": mongo-db-1.
	Aliases map[string]string `yaml:"aliases"`
}

// CloudWatch is one AWS account/region.
type CloudWatch struct {
	Name           string        `yaml:"name"` // default "aws"
	Region         string        `yaml:"region"`
	Profile        string        `yaml:"profile"`
	Endpoint       string        `yaml:"endpoint"`
	Interval       time.Duration `yaml:"interval"`        // default: the smallest period
	AlarmsInterval time.Duration `yaml:"alarms_interval"` // default 60s
	AlarmPrefix    string        `yaml:"alarm_prefix"`
	Alarms         []string      `yaml:"alarms"`
	Main           *Instance     `yaml:"main"` // shortcut: main.cpu
	DB             *Instance     `yaml:"db"`   // shortcut: db.host.cpu
	Metrics        []Metric      `yaml:"metrics"`
}

// Instance names an EC2 instance by id or by its Name tag, or an Auto
// Scaling group whose CPU is read as the group's Average and Maximum.
type Instance struct {
	ID   string `yaml:"instance"`
	Name string `yaml:"name_tag"`
	ASG  string `yaml:"asg"`
}

// Metric is one CloudWatch metric or metric-math expression.
type Metric struct {
	Series     string            `yaml:"series"` // the series name it becomes, e.g. main.requests
	Namespace  string            `yaml:"namespace"`
	Metric     string            `yaml:"metric"`
	Dimensions map[string]string `yaml:"dimensions"`
	Stat       string            `yaml:"stat"`
	Period     time.Duration     `yaml:"period"`
	Expression string            `yaml:"expression"`
}

// Alerts holds the rules and what to do when they fire.
type Alerts struct {
	Bell string `yaml:"bell"` // off, critical, all
	// BellAlarms are glob patterns of the CloudWatch alarms whose ALARM
	// rings the bell (as a critical); absent: every alarm, []: none.
	BellAlarms []string `yaml:"bell_alarms"`
	Defaults   *bool    `yaml:"defaults"` // built-in rules on (default true)
	Rules      []Rule   `yaml:"rules"`
	Hooks      []Hook   `yaml:"hooks"`
}

// Rule is one alert rule as written in the file.
type Rule struct {
	Name       string        `yaml:"name"`
	Series     string        `yaml:"series"`
	Op         string        `yaml:"op"`
	Threshold  *float64      `yaml:"threshold"`
	Clear      *float64      `yaml:"clear"`
	Datapoints string        `yaml:"datapoints"` // "3 of 3"
	For        time.Duration `yaml:"for"`
	Severity   string        `yaml:"severity"`
	NoData     string        `yaml:"nodata"`
	Runbook    string        `yaml:"runbook"`
	Disabled   bool          `yaml:"disabled"`
	Hooks      []string      `yaml:"hooks"` // names of hooks to run; empty = all global hooks
}

// Hook runs a command or posts a webhook on alert transitions.
type Hook struct {
	Name    string        `yaml:"name"`
	Command []string      `yaml:"command"`     // argv, never a shell string
	URLEnv  string        `yaml:"webhook_env"` // env var holding a webhook URL
	URL     string        `yaml:"webhook"`
	On      []string      `yaml:"on"` // firing, resolved (default both)
	Timeout time.Duration `yaml:"timeout"`
}

// Timeline says where the incident timeline is kept.
type Timeline struct {
	Dir string `yaml:"dir"` // default $XDG_STATE_HOME/stormwatch
}

// Verdict sets what the "traffic or query regression" line compares: the
// API's request series (a count per period, default main.requests), the
// baseline before an alert's onset (default 10m) and the recent window
// (default 1m).
type Verdict struct {
	Requests string        `yaml:"requests"`
	Baseline time.Duration `yaml:"baseline"`
	Window   time.Duration `yaml:"window"`
}

// Record appends everything the engine sees to a JSON Lines file.
type Record struct {
	File    string `yaml:"file"`
	MaxSize string `yaml:"max_size"`
}

// Serve is the shared SSH dashboard.
type Serve struct {
	Listen         string        `yaml:"listen"`
	HostKey        string        `yaml:"host_key"`
	AuthorizedKeys string        `yaml:"authorized_keys"`
	Operators      string        `yaml:"operators"`
	MaxSessions    int           `yaml:"max_sessions"`
	IdleTimeout    time.Duration `yaml:"idle_timeout"`
}

// Path is the file the config was read from ("" for the built-in demo).
func (c *Config) Path() string { return c.path }

// HasSources reports whether anything is configured to poll.
func (c *Config) HasSources() bool {
	return len(c.Sources.Mongo) > 0 || len(c.Sources.CloudWatch) > 0
}
