package cloudwatch

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Config describes one CloudWatch source: which account and region, which
// metrics become which series, and which alarms to show.
type Config struct {
	Name                      string // display name; default "aws"
	Region, Profile, Endpoint string // Endpoint overrides the service URL (tests, VPC endpoints)
	// EC2Endpoint overrides the EC2 URL used to look instances up by their
	// Name tag (tests, VPC endpoints).
	EC2Endpoint string

	// Interval is the time between polls. Zero derives it from the smallest
	// period; a value below the smallest period is raised to it, because
	// polling faster than the data can change only costs money.
	Interval time.Duration
	// AlarmsInterval is the time between DescribeAlarms sequences; default 60 s.
	AlarmsInterval time.Duration
	// AlarmPrefix and AlarmNames select the alarms shown. With neither set,
	// no alarms are polled.
	AlarmPrefix string
	AlarmNames  []string

	Metrics []Metric
	// Window is how far back the first poll fills the series; default 3 h.
	Window time.Duration
	// LastWeekWindow is the block of time fetched a week back at once for
	// the metrics marked LastWeek, aligned to the clock; default 1 h.
	LastWeekWindow time.Duration

	// Credentials overrides the default credential chain (tests use static
	// credentials).
	Credentials aws.CredentialsProvider
	// RetryMaxAttempts is the SDK retryer's attempts per call, default 3;
	// RetryMaxBackoff its longest wait, default 20 s.
	RetryMaxAttempts int
	// Log gets every CloudWatch call attempt at debug level with its
	// timing (nil: none).
	Log             *slog.Logger
	RetryMaxBackoff time.Duration

	// Now is the clock; default time.Now. Tests and replays inject their own.
	Now func() time.Time
}

// Metric is one CloudWatch metric (or metric math expression) polled as one
// series.
type Metric struct {
	Series     string // the series key emitted, e.g. "main.cpu"
	Namespace  string // e.g. "AWS/EC2"
	MetricName string
	Dimensions map[string]string
	Stat       string        // Average, Sum, Maximum, Minimum, SampleCount, p99...; default Average
	Period     time.Duration // default 60 s
	// Expression is metric math used instead of Namespace/MetricName.
	Expression string
	Label      string
	// NameTag, when set, names the EC2 instance whose id becomes the
	// InstanceId dimension: the one running instance with this Name tag,
	// looked up once with ec2:DescribeInstances before the metric is read.
	NameTag string
	// LastWeek also fetches the same window a week earlier, once per
	// LastWeekWindow, as the series Series+".last_week" shifted a week
	// forward (so it lines up with now on a graph).
	LastWeek bool
	// Delay is how late the metric's datapoints may be published. Each poll
	// re-reads at least this far back so that late points are not lost.
	// Default: two periods (ten minutes for 5-minute basic EC2 monitoring).
	Delay time.Duration
}

// EC2CPU is an instance's CPUUtilization, averaged per minute. An instance
// with basic monitoring only has 5-minute data; the source detects that from
// the spacing of the points and says so in its facts.
func EC2CPU(series, instanceID string) Metric {
	return Metric{
		Series:     series,
		Namespace:  "AWS/EC2",
		MetricName: "CPUUtilization",
		Dimensions: map[string]string{"InstanceId": instanceID},
		Stat:       "Average",
		Period:     time.Minute,
	}
}

// EC2CPUByName is EC2CPU for the running instance whose Name tag is nameTag.
func EC2CPUByName(series, nameTag string) Metric {
	m := EC2CPU(series, "")
	m.Dimensions, m.NameTag = nil, nameTag
	return m
}

// ASGCPU is an Auto Scaling group's CPUUtilization aggregated by
// AutoScalingGroupName: the Average as series and the Maximum (its hottest
// instance) as maxSeries, each one metric however many instances the group
// has. EC2 publishes the group aggregate only with detailed monitoring at
// 1-minute resolution; with basic monitoring it is 5-minute data, which
// the source detects and says.
func ASGCPU(series, maxSeries, group string) []Metric {
	avg := Metric{
		Series:     series,
		Namespace:  "AWS/EC2",
		MetricName: "CPUUtilization",
		Dimensions: map[string]string{"AutoScalingGroupName": group},
		Stat:       "Average",
		Period:     time.Minute,
	}
	top := avg
	top.Series, top.Stat = maxSeries, "Maximum"
	return []Metric{avg, top}
}

// ALBRequests is a load balancer's request count per minute. loadBalancer
// is the dimension value, e.g. "app/api/50dc6c495c0c9188".
func ALBRequests(series, loadBalancer string) Metric {
	return Metric{
		Series:     series,
		Namespace:  "AWS/ApplicationELB",
		MetricName: "RequestCount",
		Dimensions: map[string]string{"LoadBalancer": loadBalancer},
		Stat:       "Sum",
		Period:     time.Minute,
	}
}

// withDefaults fills in defaults and rejects what the service would reject,
// so that a bad config fails at start and not at every poll.
func (c Config) withDefaults() (Config, error) {
	if c.Name == "" {
		c.Name = "aws"
	}
	if c.AlarmsInterval <= 0 {
		c.AlarmsInterval = time.Minute
	}
	if c.Window <= 0 {
		c.Window = 3 * time.Hour
	}
	if c.LastWeekWindow <= 0 {
		c.LastWeekWindow = time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.RetryMaxAttempts <= 0 {
		c.RetryMaxAttempts = 3
	}
	if c.RetryMaxBackoff <= 0 {
		c.RetryMaxBackoff = 20 * time.Second
	}
	if len(c.AlarmNames) > 100 {
		return c, errors.New("at most 100 alarm names")
	}
	ms := make([]Metric, len(c.Metrics))
	seen := map[string]bool{}
	for i, m := range c.Metrics {
		if m.Stat == "" {
			m.Stat = "Average"
		}
		if m.Period == 0 {
			m.Period = time.Minute
		}
		if m.Delay == 0 {
			m.Delay = 2 * m.Period
		}
		if err := m.check(); err != nil {
			return c, fmt.Errorf("metric %q: %w", m.Series, err)
		}
		if seen[m.Series] {
			return c, fmt.Errorf("metric %q: series named twice", m.Series)
		}
		seen[m.Series] = true
		ms[i] = m
	}
	c.Metrics = ms
	return c, nil
}

func (m Metric) check() error {
	p := m.Period
	switch {
	case m.Series == "":
		return errors.New("no series name")
	case m.Expression == "" && (m.Namespace == "" || m.MetricName == ""):
		return errors.New("needs a namespace and metric name, or an expression")
	case m.Expression != "" && m.MetricName != "":
		return errors.New("has both an expression and a metric name")
	case m.NameTag != "" && m.Expression != "":
		return errors.New("a name tag names an instance for a metric, not for an expression")
	case p%time.Second != 0 || p <= 0:
		return fmt.Errorf("period %s is not a whole number of seconds", p)
	case p%time.Minute != 0 && p != time.Second && p != 5*time.Second && p != 10*time.Second &&
		p != 20*time.Second && p != 30*time.Second:
		return fmt.Errorf("period %s must be 1, 5, 10, 20 or 30 s or a multiple of 60 s", p)
	}
	return nil
}
