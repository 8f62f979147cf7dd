package cloudwatch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/logging"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// lookup is one Name tag and the instance it resolved to.
type lookup struct {
	tag string
	id  string // "" until resolved; never looked up again once set
	err error  // why the last attempt did not resolve it
}

// errAmbiguous is a Name tag on several running instances: which one is
// meant is for the operator to say, so stormwatch does not guess.
var errAmbiguous = errors.New("ambiguous name tag")

func newLookups(ms []Metric) []*lookup {
	var out []*lookup
	seen := map[string]bool{}
	for _, m := range ms {
		if m.NameTag != "" && !seen[m.NameTag] {
			seen[m.NameTag] = true
			out = append(out, &lookup{tag: m.NameTag})
		}
	}
	return out
}

// newEC2Client is built like the CloudWatch client: same credentials and
// region, no logger under the dashboard, the same retries and body guard.
func newEC2Client(awsCfg aws.Config, cfg Config) *ec2sdk.Client {
	return ec2sdk.NewFromConfig(awsCfg, func(o *ec2sdk.Options) {
		o.Logger = logging.Nop{}
		if cfg.EC2Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.EC2Endpoint)
		}
		o.HTTPClient = ownBodyClient{orBuildable(o.HTTPClient)}
		o.Retryer = cfg.retryer()
	})
}

// resolve looks up every Name tag not resolved yet, all in one
// DescribeInstances sequence, and gives each waiting query its instance id.
// A failure leaves the tags unresolved: the next poll tries again, and the
// engine spaces failing polls out (and the source holds off after
// throttling), so retries back off by themselves. Queries whose tag is
// resolved, and queries without one, are polled meanwhile.
func (s *Source) resolve(ctx context.Context) error {
	var pending []*lookup
	for _, l := range s.lookups {
		if l.id == "" {
			pending = append(pending, l)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	tags := make([]string, len(pending))
	for i, l := range pending {
		tags[i] = l.tag
	}
	found, err := s.describe(ctx, tags)
	if err != nil {
		fix := ""
		if errors.Is(err, sources.ErrPermission) {
			fix = " (docs/iam-policy-name-tags.json; or name the instance by id)"
		}
		err = fmt.Errorf("name tag %s: %w%s", strings.Join(tags, ", "), err, fix)
		for _, l := range pending {
			l.err = err
		}
		return err
	}
	var errs []error
	for _, l := range pending {
		ids := found[l.tag]
		switch len(ids) {
		case 1:
			l.id, l.err = ids[0], nil
			s.useInstance(l)
			continue
		case 0:
			l.err = fmt.Errorf("name tag %s: %w: no running instance has it (aws ec2 describe-instances --filters Name=tag:Name,Values=%s)",
				l.tag, sources.ErrNotFound, l.tag)
		default:
			l.err = fmt.Errorf("name tag %s: %w: %d running instances are tagged %s: %s; use instance: with the one meant",
				l.tag, errAmbiguous, len(ids), l.tag, listIDs(ids))
		}
		errs = append(errs, l.err)
	}
	return join(errs)
}

// useInstance fills in the InstanceId dimension of every query waiting for
// l's tag.
func (s *Source) useInstance(l *lookup) {
	for i := range s.queries {
		m := &s.queries[i].metric
		if m.NameTag != l.tag {
			continue
		}
		dims := maps.Clone(m.Dimensions)
		if dims == nil {
			dims = map[string]string{}
		}
		dims["InstanceId"] = l.id
		m.Dimensions = dims
	}
}

func (s *Source) describe(ctx context.Context, tags []string) (map[string][]string, error) {
	ids, err := InstancesTagged(ctx, s.ec2, tags)
	if err != nil {
		return nil, s.classify("describe instances", "ec2:DescribeInstances", err, nil)
	}
	return ids, nil
}

// InstancesTagged returns the ids of the running instances whose Name tag
// is one of tags, by tag and sorted, from one DescribeInstances sequence
// (NextToken followed). A tag no running instance has is absent. Errors are
// the SDK's, unclassified.
func InstancesTagged(ctx context.Context, client *ec2sdk.Client, tags []string) (map[string][]string, error) {
	in := &ec2sdk.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:Name"), Values: tags},
		{Name: aws.String("instance-state-name"), Values: []string{"running"}},
	}}
	found := map[string]map[string]bool{}
	for page := 0; page < maxPages; page++ {
		out, err := client.DescribeInstances(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, r := range out.Reservations {
			for _, inst := range r.Instances {
				name, id := nameTag(inst.Tags), aws.ToString(inst.InstanceId)
				if id == "" || !slices.Contains(tags, name) {
					continue
				}
				if found[name] == nil {
					found[name] = map[string]bool{}
				}
				found[name][id] = true
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	ids := map[string][]string{}
	for tag, set := range found {
		ids[tag] = slices.Sorted(maps.Keys(set))
	}
	return ids, nil
}

func nameTag(tags []ec2types.Tag) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == "Name" {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

// listIDs names at most five ids: the line must fit a status bar.
func listIDs(ids []string) string {
	if len(ids) <= 5 {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:5], ", ") + fmt.Sprintf(" and %d more", len(ids)-5)
}

// lookupFacts says which instance each Name tag names, or why it does not
// yet.
func (s *Source) lookupFacts() []sources.Fact {
	var out []sources.Fact
	for _, l := range s.lookups {
		v := l.id
		switch {
		case v != "":
		case l.err != nil:
			v = "not resolved: " + strings.TrimPrefix(l.err.Error(), "name tag "+l.tag+": ")
		default:
			v = "not resolved yet"
		}
		out = append(out, sources.Fact{Key: "name tag " + l.tag, Value: text.Clean(v)})
	}
	return out
}
