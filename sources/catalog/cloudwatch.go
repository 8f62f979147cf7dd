package catalog

// The CloudWatch source's built-in series: the main: and db: instance
// shortcuts. Series of configured metrics are named in the config file.
const (
	MainCPU   = "main.cpu"
	DBHostCPU = "db.host.cpu"
	// MainCPUMax and DBHostCPUMax are the hottest instance of an Auto
	// Scaling group named with asg:.
	MainCPUMax   = "main.cpu.max"
	DBHostCPUMax = "db.host.cpu.max"
	// MainRequests is the request rate the demo emits and the example
	// config names for its load balancer metric.
	MainRequests = "main.requests"
)

// CloudWatch is the CloudWatch source's catalogue (and the demo's request
// rate, which the example config also names).
var CloudWatch = List{
	{Name: MainCPU, Unit: "%", Kind: Gauge, Description: "the API server's EC2 CPUUtilization (Average) from CloudWatch"},
	{Name: MainCPUMax, Unit: "%", Kind: Gauge, Description: "the hottest instance of the API's Auto Scaling group (main: {asg: NAME}): EC2 CPUUtilization Maximum by AutoScalingGroupName"},
	{Name: DBHostCPU, Unit: "%", Kind: Gauge, Description: "the DB host's EC2 CPUUtilization (Average) from CloudWatch, for teams without a MongoDB source"},
	{Name: DBHostCPUMax, Unit: "%", Kind: Gauge, Description: "the hottest instance of the DB hosts' Auto Scaling group (db: {asg: NAME}): EC2 CPUUtilization Maximum"},
	{Name: MainRequests, Unit: "req/s", Kind: Gauge, Description: "requests per second at the API (a configured metric in the example config; emitted by the demo)"},
}
