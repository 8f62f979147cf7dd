package cli

import (
	"testing"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources/cloudwatch"
)

func TestAnInstanceNamedByItsNameTagIsLookedUpByTheSourceNotAtStartUp(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	cfg, err := config.Parse("stormwatch.yaml", []byte("sources:\n  cloudwatch:\n    - region: eu-west-1\n"+
		"      endpoint: http://127.0.0.1:1\n      main: {name_tag: api-main}\n      db: {instance: i-0db}\n"))
	if err != nil {
		t.Fatal(err)
	}
	// Nothing listens on the endpoint and EC2 is out of reach: start-up must
	// not care, because it makes no call.
	e, cleanup, err := productionEngine(cfg, options{}, &monitor.Demand{})
	if err != nil || e == nil {
		t.Fatalf("start-up failed: %v", err)
	}
	cleanup()

	main, db := instanceCPU("main.cpu", "main.cpu.max", cfg.Sources.CloudWatch[0].Main), instanceCPU("db.host.cpu", "db.host.cpu.max", cfg.Sources.CloudWatch[0].DB)
	if len(main) != 1 || main[0].NameTag != "api-main" || main[0].Dimensions != nil {
		t.Errorf("main %+v, want a metric waiting for the instance tagged api-main", main)
	}
	if want := cloudwatch.EC2CPU("db.host.cpu", "i-0db"); len(db) != 1 || db[0].Dimensions["InstanceId"] != "i-0db" || db[0].Series != want.Series {
		t.Errorf("db %+v, want %+v", db, want)
	}
	if instanceCPU("x.cpu", "x.cpu.max", nil) != nil {
		t.Error("no instance, yet a metric")
	}
	asg := instanceCPU("main.cpu", "main.cpu.max", &config.Instance{ASG: "api-asg"})
	if len(asg) != 2 || asg[0].Stat != "Average" || asg[1].Stat != "Maximum" || asg[1].Series != "main.cpu.max" ||
		asg[0].Dimensions["AutoScalingGroupName"] != "api-asg" {
		t.Errorf("asg %+v, want the group's Average and Maximum", asg)
	}
}
