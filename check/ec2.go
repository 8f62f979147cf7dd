package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/stormwatch/stormwatch/sources/cloudwatch"
)

// NameTag is an instance the config names by its Name tag: main: or db:.
type NameTag struct {
	Series string // the series its CPU becomes, e.g. main.cpu
	Key    string // the config key, main or db
	Tag    string // the Name tag's value
}

// resolved is what the DescribeInstances check found: the instance id of
// each tag that names exactly one running instance.
type resolved map[string]string

// describeInstances looks every Name tag up as the dashboard will: one
// DescribeInstances sequence, running instances only, exactly one each.
func (a AWS) describeInstances(ctx context.Context, cfg aws.Config, name string, id identity) (Result, resolved) {
	if len(a.NameTags) == 0 {
		return skip(name, "the config names no instance by name_tag: not needed"), nil
	}
	client := ec2sdk.NewFromConfig(cfg, func(o *ec2sdk.Options) {
		if a.EC2Endpoint != "" {
			o.BaseEndpoint = aws.String(a.EC2Endpoint)
		}
		o.RetryMaxAttempts = 2
	})
	var tags []string
	for _, n := range a.NameTags {
		tags = append(tags, n.Tag)
	}
	found, err := cloudwatch.InstancesTagged(ctx, client, tags)
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode() == "UnauthorizedOperation" {
			who := id.arn
			if who == "" {
				who = "these credentials"
			}
			return fail(name, "not permitted: "+who+" may not call ec2:DescribeInstances, which name_tag needs",
				"allow ec2:DescribeInstances for "+who+": attach docs/iam-policy-name-tags.json as well, or name the instances by id (instance: i-...)"), nil
		}
		p := a.problem("ec2:DescribeInstances", err, id.arn)
		return fail(name, p.detail, p.fix), nil
	}
	ids := resolved{}
	var ok, bad, fixes []string
	for _, n := range a.NameTags {
		got := found[n.Tag]
		switch len(got) {
		case 1:
			ids[n.Tag] = got[0]
			ok = append(ok, fmt.Sprintf("%s = %s (%s)", n.Key, n.Tag, got[0]))
		case 0:
			bad = append(bad, fmt.Sprintf("%s: no running instance is tagged %s", n.Key, n.Tag))
			fixes = append(fixes, fmt.Sprintf("check the Name tag of %s: aws ec2 describe-instances --filters Name=tag:Name,Values=%s "+
				"--query 'Reservations[].Instances[].[InstanceId,State.Name]' --region %s", n.Key, n.Tag, cfg.Region))
		default:
			bad = append(bad, fmt.Sprintf("%s: %d running instances are tagged %s: %s", n.Key, len(got), n.Tag, strings.Join(got, ", ")))
			fixes = append(fixes, fmt.Sprintf("name the one %s means by id instead: %s: {instance: i-...} (one of the ids above)", n.Key, n.Key))
		}
	}
	if len(bad) > 0 {
		detail := "permitted; but " + strings.Join(bad, "; ")
		if len(ok) > 0 {
			detail += "; " + strings.Join(ok, ", ")
		}
		return fail(name, detail, strings.Join(fixes, "\n")), ids
	}
	return pass(name, "permitted; "+strings.Join(ok, ", ")), ids
}

// withResolved gives the GetMetricData check a metric to read when the
// config's only instances are named by tag.
func (a AWS) withResolved(ids resolved) AWS {
	if a.Metric != nil {
		return a
	}
	for _, n := range a.NameTags {
		if id := ids[n.Tag]; id != "" {
			m := cloudwatch.EC2CPU(n.Series, id)
			a.Metric = &m
			return a
		}
	}
	return a
}
