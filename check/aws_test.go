package check

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/internal/scripted/ec2server"
	"github.com/stormwatch/stormwatch/internal/testnet"
	"github.com/stormwatch/stormwatch/sources/cloudwatch"
)

var checkNow = time.Date(2026, 11, 27, 9, 0, 30, 0, time.UTC)

// awsRig is a CloudWatch test server with the metric and alarms of a small
// production config, an STS stand-in, and the AWS target pointed at both
// with static credentials.
type awsRig struct {
	cw     *cwserver.Server
	sts    *stsServer
	ec2    *ec2server.Server
	a      AWS
	closed string // an address nothing listens on
}

func newAWSRig(t *testing.T) *awsRig {
	t.Helper()
	isolateAWS(t)
	cw := cwserver.New(t, cwserver.WithClock(func() time.Time { return checkNow }))
	cw.AddMetric(cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
		Dimensions: map[string]string{"InstanceId": "i-0123456789abcdef0"}, Resolution: time.Minute,
		Value: func(time.Time) (float64, bool) { return 42, true }})
	cw.SetAlarms(cwserver.Alarm{Name: "prod-db-cpu", State: "OK", Reason: "Threshold Crossed", Updated: checkNow.Add(-time.Hour)})
	cpu := cloudwatch.EC2CPU("main.cpu", "i-0123456789abcdef0")
	r := &awsRig{cw: cw, sts: newSTS(t), ec2: ec2server.New(t)}
	r.ec2.Add(ec2server.Tagged("i-0123456789abcdef0", "api-main"), ec2server.Tagged("i-0bbbbbbbbbbbbbbbb", "web"))
	r.a = AWS{Source: "aws", Region: "eu-west-1", Endpoint: cw.URL, STSEndpoint: r.sts.URL, EC2Endpoint: r.ec2.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "SECRET", ""),
		Metric:      &cpu, AlarmPrefix: "prod-", Now: func() time.Time { return checkNow }}
	return r
}

// nameTag names main by its Name tag, api-main.
func (r *awsRig) nameTag() {
	r.a.NameTags = []NameTag{{Series: "main.cpu", Key: "main", Tag: "api-main"}}
}

func (r *awsRig) run(t *testing.T) []Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return CheckAWS(ctx, r.a)
}

func (r *awsRig) addrs() map[string]string {
	return map[string]string{r.cw.URL: "CLOUDWATCH", r.sts.URL: "STS", r.ec2.URL: "EC2", strings.TrimPrefix(r.closed, "http://"): "CLOSED"}
}

func TestAWSChecks(t *testing.T) {
	cases := []struct {
		name  string
		setup func(r *awsRig)
		want  string
	}{
		{"every action is permitted", func(r *awsRig) { r.sts.identity() }, "pass pass pass skip"},
		{"GetMetricData is denied", func(r *awsRig) {
			r.sts.identity()
			r.cw.Inject("GetMetricData", cwserver.AccessDenied("GetMetricData"))
		}, "pass fail pass skip"},
		{"DescribeAlarms is denied", func(r *awsRig) {
			r.sts.identity()
			r.cw.Inject("DescribeAlarms", cwserver.AccessDenied("DescribeAlarms"))
		}, "pass pass fail skip"},
		{"STS says the token expired", func(r *awsRig) {
			r.sts.fault(http.StatusBadRequest, "ExpiredToken", "The security token included in the request is expired")
		}, "fail skip skip skip"},
		{"the token of a profile expired", func(r *awsRig) {
			r.a.Profile = "prod"
			writeProfile(t, "prod")
			r.sts.fault(http.StatusBadRequest, "ExpiredToken", "The security token included in the request is expired")
		}, "fail skip skip skip"},
		{"STS is out of reach but CloudWatch says the token expired", func(r *awsRig) {
			r.closed = "http://" + testnet.ClosedAddr(t)
			r.a.STSEndpoint = r.closed
			r.cw.Inject("GetMetricData", cwserver.ExpiredToken())
			r.cw.Inject("DescribeAlarms", cwserver.ExpiredToken())
		}, "pass fail fail skip"},
		{"AWS does not know the access key", func(r *awsRig) {
			r.sts.fault(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		}, "fail skip skip skip"},
		{"CloudWatch throttles", func(r *awsRig) {
			r.sts.identity()
			r.cw.Inject("GetMetricData", cwserver.Throttling(), cwserver.Throttling())
		}, "pass fail pass skip"},
		{"the metric has no data", func(r *awsRig) {
			r.sts.identity()
			m := cloudwatch.EC2CPU("db.host.cpu", "i-0000000000000dead")
			r.a.Metric = &m
		}, "pass pass pass skip"},
		{"no alarm matches the prefix", func(r *awsRig) {
			r.sts.identity()
			r.a.AlarmPrefix = "staging-"
		}, "pass pass pass skip"},
		{"alarms named one by one", func(r *awsRig) {
			r.sts.identity()
			r.a.AlarmPrefix, r.a.AlarmNames = "", []string{"prod-db-cpu"}
		}, "pass pass pass skip"},
		{"the config names neither metrics nor alarms", func(r *awsRig) {
			r.sts.identity()
			r.a.Metric, r.a.AlarmPrefix = nil, ""
		}, "pass skip skip skip"},
		{"there is no region", func(r *awsRig) { r.a.Region = "" }, "fail skip skip skip"},
		{"the profile does not exist", func(r *awsRig) { r.a.Profile = "typo" }, "fail skip skip skip"},
		{"there are no credentials", func(r *awsRig) { r.a.Credentials = nil }, "fail skip skip skip"},
		{"an instance named by its Name tag", func(r *awsRig) {
			r.sts.identity()
			r.nameTag()
		}, "pass pass pass pass"},
		{"the only instance is named by its Name tag", func(r *awsRig) {
			r.sts.identity()
			r.a.Metric = nil
			r.nameTag()
		}, "pass pass pass pass"},
		{"DescribeInstances is not permitted", func(r *awsRig) {
			r.sts.identity()
			r.nameTag()
			r.ec2.Inject(ec2server.Unauthorized())
		}, "pass pass pass fail"},
		{"no running instance has the Name tag", func(r *awsRig) {
			r.sts.identity()
			r.a.NameTags = []NameTag{{Series: "db.host.cpu", Key: "db", Tag: "mongo-db"}}
		}, "pass pass pass fail"},
		{"two running instances have the Name tag", func(r *awsRig) {
			r.sts.identity()
			r.nameTag()
			r.ec2.Add(ec2server.Tagged("i-0aaaaaaaaaaaaaaaa", "api-main"))
		}, "pass pass pass fail"},
		{"EC2 throttles", func(r *awsRig) {
			r.sts.identity()
			r.nameTag()
			r.ec2.Inject(ec2server.RequestLimitExceeded(), ec2server.RequestLimitExceeded())
		}, "pass pass pass fail"},
		{"the credentials fail with a Name tag configured", func(r *awsRig) {
			r.nameTag()
			r.sts.fault(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		}, "fail skip skip skip"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			r := newAWSRig(t)
			c.setup(r)
			got := r.run(t)
			if s := statuses(got); s != c.want {
				t.Errorf("statuses %q, want %q\n%+v", s, c.want, got)
			}
			goldenJSON(t, got, r.addrs())
		})
	}
}

// writeProfile adds a profile to the isolated shared config file, with no
// credentials of its own, so the static credentials are the ones used.
func writeProfile(t *testing.T, name string) {
	t.Helper()
	if err := os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[profile "+name+"]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTheAWSFailureSaysWhoIsDeniedWhat(t *testing.T) {
	r := newAWSRig(t)
	r.sts.identity()
	r.cw.Inject("DescribeAlarms", cwserver.AccessDenied("DescribeAlarms"))
	got := r.run(t)[2]
	for _, want := range []string{testARN, "cloudwatch:DescribeAlarms", "docs/iam-policy.json"} {
		if !strings.Contains(got.Detail+got.Fix, want) {
			t.Errorf("%+v does not mention %s", got, want)
		}
	}
	if strings.Contains(got.Detail+got.Fix, "SECRET") {
		t.Errorf("the secret key leaked: %+v", got)
	}
}
