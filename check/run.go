package check

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/record"
	seriescatalog "github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/sources/cloudwatch"
)

// Options is one run of the checklist: the config as config.Locate and
// config.Load found it, and how to reach the outside world.
type Options struct {
	Path      string         // the config file in use; "" when none was found
	Tried     []string       // where config.Locate looked
	Config    *config.Config // nil when there is none or it is invalid
	ConfigErr error

	Region, Profile string              // --region, --profile: override the config
	Getenv          func(string) string // default os.Getenv
	Timeout         time.Duration       // per MongoDB command and per AWS source; default 10 s
	Terminal        Terminal
	Demo            func() (*record.Recording, error) // default record.Demo

	// AWS, when set, adjusts each AWS target before it runs: tests point it
	// at their servers.
	AWS func(*AWS)
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Demo == nil {
		o.Demo = record.Demo
	}
	return o
}

// Run is `stormwatch check`: the config, each source's access, the terminal.
// With no config file, or one naming no sources, the dashboard runs the
// demo, so the demo is what is checked.
func Run(ctx context.Context, o Options) []Result {
	o = o.withDefaults()
	out := []Result{Config(o.Path, o.Tried, o.Config, o.ConfigErr)}
	switch {
	case o.ConfigErr != nil:
	case o.Config == nil || !o.Config.HasSources():
		out = append(out, Demo(o.Demo))
	default:
		for _, a := range AWSTargets(o.Config, o.Region, o.Profile) {
			if o.AWS != nil {
				o.AWS(&a)
			}
			actx, cancel := context.WithTimeout(ctx, 3*o.Timeout)
			out = append(out, CheckAWS(actx, a)...)
			cancel()
		}
		for _, m := range MongoTargets(o.Config, o.Getenv, o.Timeout) {
			out = append(out, CheckMongo(ctx, m)...)
			out = append(out, CheckMongoActions(ctx, m)...)
		}
	}
	ascii := o.Config != nil && o.Config.UI.ASCII
	t := o.Terminal
	t.ASCII = t.ASCII || ascii
	return append(out, CheckTerminal(t)...)
}

// RunAtlas is `stormwatch check atlas-migration`: the config, then the Live
// Migrate prerequisites of the first MongoDB source.
func RunAtlas(ctx context.Context, o Options) []Result {
	o = o.withDefaults()
	out := []Result{Config(o.Path, o.Tried, o.Config, o.ConfigErr)}
	if o.ConfigErr != nil {
		return out
	}
	var targets []Mongo
	if o.Config != nil {
		targets = MongoTargets(o.Config, o.Getenv, o.Timeout)
	}
	if len(targets) == 0 {
		return append(out, fail("atlas: source reachable", "the config names no MongoDB source",
			"add the deployment to migrate under sources.mongo (see stormwatch.example.yaml), or pass --config FILE"))
	}
	return append(out, CheckAtlas(ctx, targets[0])...)
}

// AWSTargets turns the config's CloudWatch sources into checks, with the
// same region and profile overrides the dashboard applies. The metric read
// is the first the source would poll.
func AWSTargets(cfg *config.Config, region, profile string) []AWS {
	var out []AWS
	for _, c := range cfg.Sources.CloudWatch {
		a := AWS{Source: nameOr(c.Name, "aws"), Region: c.Region, Profile: c.Profile, Endpoint: c.Endpoint,
			AlarmPrefix: c.AlarmPrefix, AlarmNames: c.Alarms}
		if region != "" {
			a.Region = region
		}
		if profile != "" {
			a.Profile = profile
		}
		var ms []cloudwatch.Metric
		for _, in := range []struct {
			key, series string
			in          *config.Instance
		}{{"main", seriescatalog.MainCPU, c.Main}, {"db", seriescatalog.DBHostCPU, c.DB}} {
			switch {
			case in.in == nil:
			case in.in.Name != "":
				a.NameTags = append(a.NameTags, NameTag{Series: in.series, Key: in.key, Tag: in.in.Name})
			default:
				ms = append(ms, cloudwatch.EC2CPU(in.series, in.in.ID))
			}
		}
		for _, m := range c.Metrics {
			ms = append(ms, cloudwatch.Metric{Series: m.Series, Namespace: m.Namespace, MetricName: m.Metric,
				Dimensions: m.Dimensions, Stat: m.Stat, Period: m.Period, Expression: m.Expression})
		}
		// A plain metric proves the permission on its own; an expression
		// may refer to others, so it is the last resort.
		for i := range ms {
			if ms[i].Expression == "" {
				a.Metric = &ms[i]
				break
			}
		}
		if a.Metric == nil && len(ms) > 0 {
			a.Metric = &ms[0]
		}
		out = append(out, a)
	}
	return out
}

// MongoTargets turns the config's MongoDB sources into checks, reading each
// connection string from its environment variable.
func MongoTargets(cfg *config.Config, getenv func(string) string, timeout time.Duration) []Mongo {
	var out []Mongo
	for i, m := range cfg.Sources.Mongo {
		t := Mongo{Source: nameOr(m.Name, "db"), URI: m.URI, URIEnv: m.URIEnv, Timeout: timeout}
		if m.URIEnv != "" {
			t.URI = getenv(m.URIEnv)
		}
		if t.URIEnv == "" {
			t.URIEnv = fmt.Sprintf("sources.mongo[%d].uri", i)
		}
		out = append(out, t)
	}
	return out
}
