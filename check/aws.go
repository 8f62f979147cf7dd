package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stormwatch/stormwatch/sources/cloudwatch"
)

// AWS is one CloudWatch source to check, as the config describes it.
type AWS struct {
	Source   string // the source's name, shown in each line
	Region   string // "" : the profile's or AWS_REGION
	Profile  string // "" : the default credential chain
	Endpoint string // CloudWatch endpoint override (a VPC endpoint; tests)
	// Metric is the metric the GetMetricData check reads; nil when the
	// config names none, and then the check is skipped.
	Metric      *cloudwatch.Metric
	AlarmPrefix string
	AlarmNames  []string
	// NameTags are the instances named by their Name tag; with none, the
	// ec2:DescribeInstances check is skipped.
	NameTags []NameTag

	// Tests point STS and EC2 elsewhere and bring static credentials.
	STSEndpoint string
	EC2Endpoint string
	Credentials aws.CredentialsProvider
	Now         func() time.Time
}

// identity is who the credentials belong to, as far as it is known.
type identity struct {
	arn    string
	broken bool // the service refused the credentials themselves
}

// CheckAWS returns four lines for one CloudWatch source: the credentials
// (where they come from, the identity and the region), then one real, minimal
// call for each CloudWatch action the config needs, and ec2:DescribeInstances
// when the config names an instance by its Name tag.
func CheckAWS(ctx context.Context, a AWS) []Result {
	credName := "aws credentials (" + a.Source + ")"
	gmdName := "cloudwatch:GetMetricData (" + a.Source + ")"
	daName := "cloudwatch:DescribeAlarms (" + a.Source + ")"
	diName := "ec2:DescribeInstances (" + a.Source + ")"
	cfg, res := a.load(ctx, credName)
	if res.Status == Fail {
		why := "skipped: no usable AWS credentials (see above)"
		return []Result{res, skip(gmdName, why), skip(daName, why), a.skipEC2(diName, why)}
	}
	id, res := a.whoami(ctx, cfg, credName, res.Detail)
	out := []Result{res}
	if id.broken {
		why := "skipped: AWS refused the credentials (see above)"
		return append(out, skip(gmdName, why), skip(daName, why), a.skipEC2(diName, why))
	}
	// The Name tags are looked up first so that GetMetricData can read an
	// instance named only by its tag; the line stays last.
	di, ids := a.describeInstances(ctx, cfg, diName, id)
	cw := cwsdk.NewFromConfig(cfg, func(o *cwsdk.Options) {
		if a.Endpoint != "" {
			o.BaseEndpoint = aws.String(a.Endpoint)
		}
		o.RetryMaxAttempts = 2
	})
	return append(out, a.withResolved(ids).getMetricData(ctx, cw, gmdName, id), a.describeAlarms(ctx, cw, daName, id), di)
}

func (a AWS) skipEC2(name, why string) Result {
	if len(a.NameTags) == 0 {
		return skip(name, "the config names no instance by name_tag: not needed")
	}
	return skip(name, why)
}

// load finds the region and the credentials. The returned Result is a
// failure, or a pass whose Detail describes the credentials.
func (a AWS) load(ctx context.Context, name string) (aws.Config, Result) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, cloudwatch.LoadOptions(a.Region, a.Profile, a.Credentials)...)
	if err != nil {
		return cfg, fail(name, "cannot load the AWS configuration: "+oneLine(err.Error()),
			"check the profile name against ~/.aws/config (aws configure list-profiles), or remove profile: to use the default chain")
	}
	if cfg.Region == "" {
		return cfg, fail(name, "no AWS region",
			"set region: in sources.cloudwatch, or export AWS_REGION=eu-west-1 (the region your instances run in)")
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return cfg, fail(name, "no AWS credentials found: "+oneLine(err.Error()), credentialsFix(a.Profile))
	}
	from := creds.Source
	if from == "" {
		from = "a custom provider"
	}
	return cfg, pass(name, fmt.Sprintf("region %s, credentials from %s", cfg.Region, from))
}

func credentialsFix(profile string) string {
	if profile != "" {
		return "log in with aws sso login --profile " + profile + " (or put keys for that profile in ~/.aws/credentials)"
	}
	return "set profile: in the config (then aws sso login --profile NAME), export AWS_PROFILE, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; on EC2, attach an instance role"
}

// whoami asks STS whose credentials these are. GetCallerIdentity needs no
// permission, so an error here is about the credentials or the network.
func (a AWS) whoami(ctx context.Context, cfg aws.Config, name, found string) (identity, Result) {
	client := stssdk.NewFromConfig(cfg, func(o *stssdk.Options) {
		if a.STSEndpoint != "" {
			o.BaseEndpoint = aws.String(a.STSEndpoint)
		}
		o.RetryMaxAttempts = 2
	})
	out, err := client.GetCallerIdentity(ctx, &stssdk.GetCallerIdentityInput{})
	if err != nil {
		p := a.problem("sts:GetCallerIdentity", err, "")
		if p.refused {
			return identity{broken: true}, fail(name, found+"; "+p.detail, p.fix)
		}
		// stormwatch itself never calls STS: an STS endpoint out of reach
		// says nothing about CloudWatch, which the next lines try.
		return identity{}, pass(name, found+"; identity unknown: "+p.detail)
	}
	arn := aws.ToString(out.Arn)
	return identity{arn: arn}, pass(name, fmt.Sprintf("%s, account %s, %s", arn, aws.ToString(out.Account), found))
}

func (a AWS) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// getMetricData reads the configured metric over the last ten minutes.
func (a AWS) getMetricData(ctx context.Context, cw *cwsdk.Client, name string, id identity) Result {
	m := a.Metric
	if m == nil {
		return skip(name, "the config names no metric (main, db or metrics): not needed")
	}
	period := m.Period
	if period <= 0 {
		period = time.Minute
	}
	stat := m.Stat
	if stat == "" {
		stat = "Average"
	}
	end := a.now().Truncate(time.Minute)
	start := end.Add(-max(10*time.Minute, period)).Truncate(period)
	q := cwtypes.MetricDataQuery{Id: aws.String("m0"), ReturnData: aws.Bool(true)}
	if m.Expression != "" {
		q.Expression, q.Period = aws.String(m.Expression), aws.Int32(int32(period/time.Second))
	} else {
		var dims []cwtypes.Dimension
		for _, k := range sortedKeys(m.Dimensions) {
			dims = append(dims, cwtypes.Dimension{Name: aws.String(k), Value: aws.String(m.Dimensions[k])})
		}
		q.MetricStat = &cwtypes.MetricStat{Stat: aws.String(stat), Period: aws.Int32(int32(period / time.Second)),
			Metric: &cwtypes.Metric{Namespace: aws.String(m.Namespace), MetricName: aws.String(m.MetricName), Dimensions: dims}}
	}
	out, err := cw.GetMetricData(ctx, &cwsdk.GetMetricDataInput{
		StartTime: aws.Time(start), EndTime: aws.Time(end), ScanBy: cwtypes.ScanByTimestampAscending,
		MetricDataQueries: []cwtypes.MetricDataQuery{q},
	})
	if err != nil {
		p := a.problem("cloudwatch:GetMetricData", err, id.arn)
		return fail(name, p.detail, p.fix)
	}
	points := 0
	for _, r := range out.MetricDataResults {
		points += len(r.Values)
	}
	what := fmt.Sprintf("%s (%s)", m.Series, describeMetric(*m))
	if points == 0 {
		r := pass(name, "permitted; but "+what+" has no data in the last "+end.Sub(start).String())
		if m.Expression == "" {
			r.Fix = "check the dimensions: aws cloudwatch list-metrics --namespace " + m.Namespace + " --metric-name " + m.MetricName + dimensionArgs(m.Dimensions)
		}
		return r
	}
	return pass(name, fmt.Sprintf("permitted; %s: %d point(s) in the last %s", what, points, end.Sub(start)))
}

func (a AWS) describeAlarms(ctx context.Context, cw *cwsdk.Client, name string, id identity) Result {
	in := &cwsdk.DescribeAlarmsInput{MaxRecords: aws.Int32(1),
		AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm}}
	var which string
	switch {
	case a.AlarmPrefix != "":
		in.AlarmNamePrefix, which = aws.String(a.AlarmPrefix), "prefix "+a.AlarmPrefix
	case len(a.AlarmNames) > 0:
		in.AlarmNames, which = a.AlarmNames, "names "+strings.Join(a.AlarmNames, ", ")
	default:
		return skip(name, "the config names no alarms (alarm_prefix, alarms): not needed")
	}
	out, err := cw.DescribeAlarms(ctx, in)
	if err != nil {
		p := a.problem("cloudwatch:DescribeAlarms", err, id.arn)
		return fail(name, p.detail, p.fix)
	}
	if len(out.MetricAlarms)+len(out.CompositeAlarms) == 0 {
		r := pass(name, "permitted; but no alarm matches "+which)
		r.Fix = "list the alarm names with: aws cloudwatch describe-alarms --query 'MetricAlarms[].AlarmName' --region " + a.Region
		return r
	}
	return pass(name, "permitted; alarms match "+which)
}

// awsProblem is a failed call in words: what happened, what fixes it, and
// whether the credentials themselves were refused.
type awsProblem struct {
	detail, fix string
	refused     bool
}

// problem sorts err by the error code the service sent, never by its text.
func (a AWS) problem(action string, err error, arn string) awsProblem {
	var (
		apiErr smithy.APIError
		send   *smithyhttp.RequestSendError
		netErr net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return awsProblem{detail: action + ": no reply in time", fix: "check the network path to AWS from this machine (proxy, firewall, VPC endpoint)"}
	case errors.As(err, &apiErr):
	case errors.As(err, &send):
		return awsProblem{detail: action + ": cannot reach the service: " + oneLine(send.Err.Error()),
			fix: "check the network path to AWS from this machine (proxy, firewall, VPC endpoint), or set endpoint: for a VPC endpoint"}
	default:
		return awsProblem{detail: action + ": " + oneLine(err.Error())}
	}
	code := apiErr.ErrorCode()
	switch code {
	case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
		fix := "refresh the session credentials (new AWS_SESSION_TOKEN, or aws sso login)"
		if a.Profile != "" {
			fix = "aws sso login --profile " + a.Profile + " (or refresh that profile's session keys)"
		}
		return awsProblem{detail: action + ": the credentials have expired (" + code + ")", fix: fix, refused: true}
	case "InvalidClientTokenId", "UnrecognizedClient", "UnrecognizedClientException", "SignatureDoesNotMatch",
		"IncompleteSignature", "AuthFailure", "InvalidAccessKeyId":
		return awsProblem{detail: action + ": AWS does not accept these credentials (" + code + ")",
			fix: "check the access key id and secret in use (aws configure list shows where they come from)", refused: true}
	case "AccessDenied", "AccessDeniedException":
		who := arn
		if who == "" {
			who = "these credentials"
		}
		return awsProblem{detail: "not permitted: " + who + " may not call " + action,
			fix: "allow " + action + " for " + who + ": attach the policy in docs/iam-policy.json (exactly the actions stormwatch uses)"}
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException":
		return awsProblem{detail: action + ": throttled by AWS (" + code + "), so the permission is unknown",
			fix: "run stormwatch check again in a minute; other tools on this account are using the API quota"}
	}
	return awsProblem{detail: action + ": " + code + ": " + oneLine(apiErr.ErrorMessage())}
}

func describeMetric(m cloudwatch.Metric) string {
	if m.Expression != "" {
		return "expression " + m.Expression
	}
	s := m.Namespace + " " + m.MetricName
	for _, k := range sortedKeys(m.Dimensions) {
		s += " " + k + "=" + m.Dimensions[k]
	}
	return s
}

func dimensionArgs(d map[string]string) string {
	if len(d) == 0 {
		return ""
	}
	s := " --dimensions"
	for _, k := range sortedKeys(d) {
		s += " Name=" + k + ",Value=" + d[k]
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
