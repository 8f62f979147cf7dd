package cloudwatch

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

func (s *Source) alarmsDue(now time.Time) bool {
	if s.cfg.AlarmPrefix == "" && len(s.cfg.AlarmNames) == 0 {
		return false
	}
	return s.lastAlarms.IsZero() || !now.Before(s.lastAlarms.Add(s.cfg.AlarmsInterval))
}

// pollAlarms lists the configured alarms, metric and composite. The service
// accepts either a prefix or a list of names in one request, so a config
// with both makes two sequences and merges them.
func (s *Source) pollAlarms(ctx context.Context) ([]sources.Alarm, error) {
	var inputs []*cwsdk.DescribeAlarmsInput
	kinds := []types.AlarmType{types.AlarmTypeMetricAlarm, types.AlarmTypeCompositeAlarm}
	if s.cfg.AlarmPrefix != "" {
		inputs = append(inputs, &cwsdk.DescribeAlarmsInput{AlarmNamePrefix: aws.String(s.cfg.AlarmPrefix), AlarmTypes: kinds})
	}
	if len(s.cfg.AlarmNames) > 0 {
		inputs = append(inputs, &cwsdk.DescribeAlarmsInput{AlarmNames: s.cfg.AlarmNames, AlarmTypes: kinds})
	}
	seen := map[string]bool{}
	out := []sources.Alarm{}
	for _, in := range inputs {
		for page := 0; page < maxPages; page++ {
			s.usage.alarmCalls++
			resp, err := s.client.DescribeAlarms(ctx, in)
			if err != nil {
				return nil, s.classify("describe alarms", "cloudwatch:DescribeAlarms", err, nil)
			}
			for _, a := range resp.MetricAlarms {
				out = addAlarm(out, seen, a.AlarmName, a.StateValue, a.StateReason, a.StateTransitionedTimestamp, a.StateUpdatedTimestamp)
			}
			for _, a := range resp.CompositeAlarms {
				out = addAlarm(out, seen, a.AlarmName, a.StateValue, a.StateReason, a.StateTransitionedTimestamp, a.StateUpdatedTimestamp)
			}
			if aws.ToString(resp.NextToken) == "" {
				break
			}
			in.NextToken = resp.NextToken
		}
		in.NextToken = nil
	}
	slices.SortFunc(out, func(a, b sources.Alarm) int { return strings.Compare(a.Name.String(), b.Name.String()) })
	return out, nil
}

// addAlarm appends an alarm once. Since is when the state last changed
// (StateTransitionedTimestamp); StateUpdatedTimestamp also moves when only
// the reason is rewritten, so it is the fallback when the other is absent.
func addAlarm(out []sources.Alarm, seen map[string]bool, name *string, state types.StateValue, reason *string, transitioned, updated *time.Time) []sources.Alarm {
	n := aws.ToString(name)
	if seen[n] {
		return out
	}
	seen[n] = true
	since := aws.ToTime(transitioned)
	if since.IsZero() {
		since = aws.ToTime(updated)
	}
	// Names and reasons are text from the account (anyone who can create
	// an alarm); they are cleaned here, before any viewer or file.
	return append(out, sources.Alarm{Name: text.Clean(n), State: text.Clean(string(state)).String(), Reason: text.Clean(aws.ToString(reason)), Since: since.UTC()})
}
