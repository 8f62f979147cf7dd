// Package cloudwatch is the source for AWS CloudWatch metrics and alarms.
//
// Each poll asks GetMetricData once for every configured metric (batched at
// the service's 500 queries per call), for only the time range it has not
// seen plus a short overlap for late points, and no more often than the
// data can change: CloudWatch bills per metric requested, whatever the
// range, so polling rate is what the bill follows.
package cloudwatch

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/logging"

	"github.com/stormwatch/stormwatch/sources"
)

// Source polls CloudWatch. Poll must not be called concurrently.
type Source struct {
	cfg      Config
	client   *cwsdk.Client
	creds    aws.CredentialsProvider // cached by the SDK: cheap after the first success
	interval time.Duration
	align    time.Duration // every period divides it; windows start on it

	queries []query
	usage   usage

	ec2     *ec2sdk.Client // nil unless a metric names its instance by Name tag
	lookups []*lookup

	lastAlarms time.Time // zero: never polled
	throttled  int       // consecutive throttled polls
	holdUntil  time.Time // no API call before this, after throttling
	// lastWeekDone holds the LastWeekWindow blocks (start, Unix ms) whose
	// week-ago data was fetched (lastweek.go).
	lastWeekDone map[int64]bool
}

// query is one configured metric and what the source knows of its data.
type query struct {
	id     string // m0, m1, ...: valid GetMetricData Ids whatever the series is called
	metric Metric
	// newest is the newest emitted point (Unix ms; 0 = none); through is
	// the end of the last window fetched for it (zero = never).
	newest  int64
	through time.Time
	// resolution is the spacing of the points actually returned: 5 min for
	// an instance with basic monitoring even though 1 min was asked for.
	resolution time.Duration
	// rejected is the service's complaint about this query; a rejected
	// query is not sent again.
	rejected string
	// search: a SEARCH expression, whose results are one series each,
	// told apart by Label; newestBy is the newest emitted point per label.
	search   bool
	newestBy map[string]int64
}

type usage struct {
	calls, metrics, alarmCalls int
}

// LoadOptions are the AWS config options for a region, a shared-config
// profile and a credentials override; empty ones leave the default chain
// to decide. stormwatch check loads its configuration the same way.
func LoadOptions(region, profile string, creds aws.CredentialsProvider) []func(*awsconfig.LoadOptions) error {
	var opts []func(*awsconfig.LoadOptions) error
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	if profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(profile))
	}
	if creds != nil {
		opts = append(opts, awsconfig.WithCredentialsProvider(creds))
	}
	return opts
}

// New builds a source from the default credential chain (environment,
// shared config and SSO, container and instance roles) unless
// cfg.Credentials overrides it. It makes no request.
func New(ctx context.Context, cfg Config) (*Source, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("cloudwatch %s: %w", cfg.Name, err)
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, LoadOptions(cfg.Region, cfg.Profile, cfg.Credentials)...)
	if err != nil {
		return nil, fmt.Errorf("cloudwatch %s: load aws config: %w", cfg.Name, err)
	}
	if awsCfg.Region == "" {
		return nil, fmt.Errorf("cloudwatch %s: no region: set it in the config, AWS_REGION or the profile", cfg.Name)
	}
	client := cwsdk.NewFromConfig(awsCfg, func(o *cwsdk.Options) {
		// The SDK's default logger writes warnings to stderr, under the
		// dashboard that owns the terminal; every failure the source cares
		// about already comes back as an error.
		o.Logger = logging.Nop{}
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.HTTPClient = ownBodyClient{orBuildable(o.HTTPClient)}
		o.Retryer = cfg.retryer()
		if cfg.Log != nil {
			o.APIOptions = append(o.APIOptions, logRequests(cfg.Log, cfg.Name))
		}
	})
	s := &Source{cfg: cfg, client: client, creds: awsCfg.Credentials, align: time.Second}
	s.lookups = newLookups(cfg.Metrics)
	if len(s.lookups) > 0 {
		s.ec2 = newEC2Client(awsCfg, cfg)
	}
	minPeriod := time.Duration(0)
	for i, m := range cfg.Metrics {
		s.queries = append(s.queries, query{id: fmt.Sprintf("m%d", i), metric: m, search: isSearch(m.Expression), newestBy: map[string]int64{}})
		if minPeriod == 0 || m.Period < minPeriod {
			minPeriod = m.Period
		}
		s.align = lcm(s.align, m.Period)
	}
	s.interval = max(cfg.Interval, minPeriod)
	if s.interval == 0 {
		s.interval = cfg.AlarmsInterval
	}
	return s, nil
}

func (c Config) retryer() aws.Retryer {
	return retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = c.RetryMaxAttempts
		so.MaxBackoff = c.RetryMaxBackoff
		so.Backoff = retry.NewExponentialJitterBackoff(c.RetryMaxBackoff)
		// The client-side retry quota would turn a long outage into
		// "retry quota exceeded" errors that hide the real cause; the
		// source's own backoff already spaces the polls out.
		so.RateLimiter = ratelimit.None
	})
}

func orBuildable(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		return awshttp.NewBuildableClient()
	}
	return c
}

// Name is the source's display name.
func (s *Source) Name() string { return s.cfg.Name }

// Interval is how often the engine should poll: the configured interval,
// but never faster than the smallest period.
func (s *Source) Interval() time.Duration { return s.interval }

// Schedule is how the engine polls the source: every Interval, each poll
// under half of it (at most 30 s), and backing off up to 15 minutes, since
// CloudWatch data moves by the minute and throttling wants patience.
func (s *Source) Schedule() sources.Schedule {
	return sources.Schedule{Interval: s.interval, Timeout: min(s.interval/2, 30*time.Second), MaxBackoff: 15 * time.Minute}
}

// Poll fetches new datapoints and, when due, the alarms. Metrics and alarms
// fail independently: samples or alarms that did arrive are returned along
// with the error of the other.
func (s *Source) Poll(ctx context.Context) (sources.Result, error) {
	now := s.cfg.Now().UTC()
	var res sources.Result
	if now.Before(s.holdUntil) {
		res.Facts = s.facts(now)
		return res, fmt.Errorf("cloudwatch %s: %w: backing off until %s UTC", s.cfg.Name,
			sources.ErrThrottled, s.holdUntil.Format("15:04:05"))
	}
	if err := s.credentials(ctx); err != nil {
		res.Facts = s.facts(now)
		return res, err
	}
	var errs []error
	errs = append(errs, s.resolve(ctx))
	if len(s.queries) > 0 {
		samples, err := s.pollMetrics(ctx, now)
		res.Samples = samples
		errs = append(errs, err)
		if err == nil {
			week, err := s.pollLastWeek(ctx, now)
			res.Samples = append(res.Samples, week...)
			errs = append(errs, err)
		}
	}
	if s.alarmsDue(now) {
		alarms, err := s.pollAlarms(ctx)
		if err == nil {
			res.Alarms = alarms
			s.lastAlarms = now
		}
		errs = append(errs, err)
	}
	res.Facts = s.facts(now)
	err := join(errs)
	s.noteThrottling(err, now)
	return res, err
}

// join is errors.Join on one line: the panel shows a one-line reason.
// credentials fails the poll in words when the credential chain finds
// nothing: the SDK's own error for it is a paragraph about IMDS that hides
// the one fact that matters, and it would come once per API call.
func (s *Source) credentials(ctx context.Context) error {
	if s.creds == nil {
		return fmt.Errorf("cloudwatch %s: %w: set profile: in the config, or export AWS_PROFILE or AWS_ACCESS_KEY_ID", s.cfg.Name, sources.ErrNoCredentials)
	}
	if _, err := s.creds.Retrieve(ctx); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("cloudwatch %s: credentials: %w: %w", s.cfg.Name, sources.ErrTimeout, ctx.Err())
		}
		where := "the default chain (environment, shared config, SSO, instance role) found none"
		if s.cfg.Profile != "" {
			where = "profile " + s.cfg.Profile + " has none usable"
		}
		return &classifiedError{msg: fmt.Sprintf("cloudwatch %s: %v: %s", s.cfg.Name, sources.ErrNoCredentials, where),
			class: sources.ErrNoCredentials, cause: err}
	}
	return nil
}

func join(errs []error) error {
	var kept []error
	for _, e := range errs {
		if e != nil {
			kept = append(kept, e)
		}
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	return joined(kept)
}

type joined []error

func (j joined) Error() string {
	msgs := make([]string, len(j))
	for i, e := range j {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

func (j joined) Unwrap() []error { return j }

func lcm(a, b time.Duration) time.Duration {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}
