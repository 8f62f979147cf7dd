package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/sources/cloudwatch"
	"github.com/stormwatch/stormwatch/sources/mongo"
)

// Polled is a source and how to poll it.
type Polled struct {
	Source   sources.Source
	Schedule sources.Schedule
}

// Sources builds the demo's production sources against the backend: the
// real MongoDB source on the scripted replica set, the real CloudWatch
// source (AWS SDK, static demo credentials) on the scripted endpoint, and
// the narrator. want gates the culprit diagnostics (nil: always).
func (b *Backend) Sources(now func() time.Time, want func() bool) ([]Polled, func(), error) {
	db, err := mongo.New(mongo.Config{Name: "db", URI: b.MongoURI, Interval: time.Second, Timeout: 800 * time.Millisecond,
		ReplInterval: 10 * time.Second, AppName: "stormwatch-demo", Aliases: b.Aliases(), Now: now,
		WantCulprits: want, CollStatsDelay: 5 * time.Second, CollStatsInterval: 30 * time.Second,
		ShapeInterval: 2 * time.Second, ShapeWindow: Verdict.Window, ShapeBaseline: Verdict.Baseline})
	if err != nil {
		return nil, nil, fmt.Errorf("demo mongo source: %w", err)
	}
	dims := map[string]string{"InstanceId": MainInstance}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	aws, err := cloudwatch.New(ctx, cloudwatch.Config{
		Name: "aws", Region: "us-east-1", Endpoint: b.CloudWatchEndpoint,
		Interval: time.Second, AlarmsInterval: 5 * time.Second, AlarmNames: []string{AlarmName},
		Window:      10 * time.Minute,
		Credentials: credentials.NewStaticCredentialsProvider("AKIADEMODEMODEMODEMO", "demo-secret-not-a-real-key", ""),
		Metrics: []cloudwatch.Metric{
			{Series: catalog.MainCPU, Namespace: CloudWatchNamespace, MetricName: "CPUUtilization", Dimensions: dims, Stat: "Average", Period: time.Second, LastWeek: true},
			{Series: catalog.MainRequests, Namespace: CloudWatchNamespace, MetricName: "RequestCount", Dimensions: dims, Stat: "Sum", Period: time.Second, LastWeek: true},
		},
		RetryMaxAttempts: 1,
		Now:              now,
	})
	if err != nil {
		db.Close(context.Background())
		return nil, nil, fmt.Errorf("demo cloudwatch source: %w", err)
	}
	closeAll := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		db.Close(ctx)
	}
	return []Polled{
		{Source: b.narrator(now), Schedule: sources.Schedule{Interval: time.Second}},
		{Source: db, Schedule: db.Schedule()},
		{Source: aws, Schedule: sources.Schedule{Interval: aws.Interval(), Timeout: 800 * time.Millisecond}},
	}, closeAll, nil
}
