package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/sources/cloudwatch"
	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/verdict"
)

// productionEngine builds the sources a config names and the engine that
// polls them. Nothing here connects to a database: a target that is down at
// start is a failing source on the dashboard, not a failed start. Only
// configuration mistakes (a missing environment variable, a malformed URI,
// no AWS region) stop start-up.
func productionEngine(cfg *config.Config, o options, demand *monitor.Demand) (*monitor.Engine, func(), error) {
	var specs []monitor.SourceSpec
	var closers []func()
	cleanup := func() {
		for _, c := range closers {
			c()
		}
	}
	fail := func(err error) (*monitor.Engine, func(), error) {
		cleanup()
		return nil, nil, err
	}
	for i, m := range cfg.Sources.Mongo {
		key := fmt.Sprintf("sources.mongo[%d]", i)
		uri := m.URI
		if m.URIEnv != "" {
			uri = os.Getenv(m.URIEnv)
			if uri == "" {
				return fail(fmt.Errorf("%s: %s.uri_env: environment variable %s is empty (export the MongoDB connection string in it)", cfg.Path(), key, m.URIEnv))
			}
		}
		src, err := mongo.New(mongo.Config{Name: m.Name, URI: uri, Interval: m.Interval, Timeout: m.Timeout, ReplInterval: m.ReplInterval, Aliases: m.Aliases, WantCulprits: demand.Wanted, Log: o.log})
		if err != nil {
			return fail(fmt.Errorf("%s: %s: %s", cfg.Path(), key, sources.Redact(err.Error())))
		}
		closers = append(closers, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			src.Close(ctx)
		})
		specs = append(specs, monitor.SourceSpec{Source: src, Schedule: src.Schedule()})
	}
	requestsPolled := false
	vcfg := verdictConfig(cfg)
	for i, c := range cfg.Sources.CloudWatch {
		key := fmt.Sprintf("sources.cloudwatch[%d]", i)
		cwc := cloudwatch.Config{Name: c.Name, Region: c.Region, Profile: c.Profile, Endpoint: c.Endpoint, Log: o.log,
			Interval: c.Interval, AlarmsInterval: c.AlarmsInterval, AlarmPrefix: c.AlarmPrefix, AlarmNames: c.Alarms}
		if o.region != "" {
			cwc.Region = o.region
		}
		if o.profile != "" {
			cwc.Profile = o.profile
		}
		cwc.Metrics = append(cwc.Metrics, instanceCPU(catalog.MainCPU, catalog.MainCPUMax, c.Main)...)
		cwc.Metrics = append(cwc.Metrics, instanceCPU(catalog.DBHostCPU, catalog.DBHostCPUMax, c.DB)...)
		for _, m := range c.Metrics {
			cwc.Metrics = append(cwc.Metrics, cloudwatch.Metric{Series: m.Series, Namespace: m.Namespace, MetricName: m.Metric,
				Dimensions: m.Dimensions, Stat: m.Stat, Period: m.Period, Expression: m.Expression})
		}
		requestsPolled = withLastWeek(cwc.Metrics, vcfg.Requests) || requestsPolled
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		src, err := cloudwatch.New(ctx, cwc)
		cancel()
		if err != nil {
			return fail(fmt.Errorf("%s: %s: %s", cfg.Path(), key, sources.Redact(err.Error())))
		}
		specs = append(specs, monitor.SourceSpec{Source: src, Schedule: src.Schedule()})
	}
	e := monitor.New(monitor.Config{Sources: specs, Rules: cfg.Rules(), Verdict: vcfg, RequestsPolled: requestsPolled, Log: o.log})
	demand.Attach(e)
	return e, cleanup, nil
}

// verdictConfig is the config's verdict section as the verdict takes it
// (the defaults without a config).
func verdictConfig(cfg *config.Config) verdict.Config {
	if cfg == nil {
		return verdict.Config{}.WithDefaults()
	}
	return verdict.Config{Requests: cfg.Verdict.Requests, Baseline: cfg.Verdict.Baseline, Window: cfg.Verdict.Window}.WithDefaults()
}

// withLastWeek marks the metrics the verdict compares with last week —
// the API request rate and both CPUs — so the CloudWatch source fetches
// their week-ago window too (one more GetMetricData call an hour). It
// reports whether the request series is among the metrics.
func withLastWeek(ms []cloudwatch.Metric, requests string) bool {
	found := false
	for i := range ms {
		switch s := ms[i].Series; {
		case s == requests:
			found = true
			fallthrough
		case s == catalog.MainCPU || s == catalog.DBHostCPU:
			ms[i].LastWeek = ms[i].Expression == ""
		}
	}
	return found
}

// instanceCPU is the CPU metric of a main: or db: shortcut. An instance
// named by its Name tag is looked up at the source's first poll, not here:
// a lookup that fails must not stop start-up.
func instanceCPU(series, maxSeries string, in *config.Instance) []cloudwatch.Metric {
	switch {
	case in == nil:
		return nil
	case in.ASG != "":
		return cloudwatch.ASGCPU(series, maxSeries, in.ASG)
	case in.Name != "":
		return []cloudwatch.Metric{cloudwatch.EC2CPUByName(series, in.Name)}
	}
	return []cloudwatch.Metric{cloudwatch.EC2CPU(series, in.ID)}
}
