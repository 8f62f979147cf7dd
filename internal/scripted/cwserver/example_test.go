package cwserver_test

import (
	"context"
	"log"
	"math"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

// A server outside a test, as the demo runs it: metric values come from a
// scenario function of time, and the real SDK client talks to it.
func Example() {
	srv := cwserver.New(cwserver.Logger(log.Printf))
	defer srv.Close()
	srv.AddMetric(cwserver.Metric{
		Namespace: "AWS/EC2", MetricName: "CPUUtilization",
		Dimensions: map[string]string{"InstanceId": "i-0abc"},
		Resolution: time.Minute,
		Value: func(t time.Time) (float64, bool) {
			return 40 + 20*math.Sin(float64(t.Unix())/600), true
		},
	})
	srv.SetAlarms(cwserver.Alarm{Name: "api-p99", State: "ALARM", Reason: "Threshold Crossed", Updated: time.Now()})
	srv.Inject("GetMetricData", cwserver.Throttling()) // the first call is throttled

	client := cwsdk.New(cwsdk.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
	})
	_, _ = client.DescribeAlarms(context.Background(), &cwsdk.DescribeAlarmsInput{})
}
