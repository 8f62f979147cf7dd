// Command cwserve runs the in-repo CloudWatch protocol server (cwserver) as a
// process of its own, so that a benchmark of the production path counts
// only stormwatch's CPU, not the server's. No CloudWatch emulator of useful
// fidelity runs on these machines (see TESTING.md); cwserver speaks the same
// Smithy RPC v2 CBOR protocol the real SDK client uses.
//
//	go run ./bench/cwserve     # prints http://127.0.0.1:PORT
//
// It serves one high-resolution metric (1 s), CPUUtilization of one
// instance, and one alarm, and prints its endpoint on stdout once ready.
package main

import (
	"fmt"
	"log"
	"math"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

// The names a config uses to read this server's metric and alarm.
const (
	Namespace = "AWS/EC2"
	Metric    = "CPUUtilization"
	Instance  = "i-0bench0000000001"
	Alarm     = "api-cpu-high"
)

func main() {
	srv := cwserver.New(cwserver.Logger(log.Printf))
	defer srv.Close()
	srv.AddMetric(cwserver.Metric{
		Namespace: Namespace, MetricName: Metric,
		Dimensions: map[string]string{"InstanceId": Instance},
		Resolution: time.Second,
		Value: func(t time.Time) (float64, bool) {
			s := float64(t.Unix() % 600)
			return 40 + 25*math.Sin(s/600*2*math.Pi), true
		},
	})
	srv.SetAlarms(cwserver.Alarm{Name: Alarm, State: "OK", Reason: "Threshold Crossed: 1 datapoint was not greater than 80", Updated: time.Now().UTC()})
	endpoint := srv.URL
	fmt.Println(endpoint)
	ctx := make(chan os.Signal, 1)
	signal.Notify(ctx, os.Interrupt, syscall.SIGTERM)
	<-ctx
}
