package cwserver

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Alarm is an alarm the server holds.
type Alarm struct {
	Name      string
	Composite bool   // a composite alarm rather than a metric alarm
	State     string // OK, ALARM, INSUFFICIENT_DATA
	Reason    string
	// Updated is when the state or its reason last changed; Transitioned
	// when the state itself last changed (Updated when zero).
	Updated, Transitioned time.Time
}

// SetAlarms replaces the alarms the server holds.
func (s *Server) SetAlarms(alarms ...Alarm) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alarms = slices.Clone(alarms)
	slices.SortFunc(s.alarms, func(a, b Alarm) int { return strings.Compare(a.Name, b.Name) })
}

func (s *Server) describeAlarms(w http.ResponseWriter, body []byte) {
	var in describeAlarmsInput
	if len(body) > 0 {
		if err := decMode.Unmarshal(body, &in); err != nil {
			s.t.Errorf("cwserver: DescribeAlarms: undecodable body: %v", err)
			s.reject(w, "SerializationException", "", "cannot decode request: %v", err)
			return
		}
	}
	if in.AlarmNamePrefix != nil && len(in.AlarmNames) > 0 {
		s.reject(w, "InvalidParameterCombination", "InvalidParameterCombinationException", "AlarmNames and AlarmNamePrefix cannot be used together.")
		return
	}
	if len(in.AlarmNames) > 100 {
		s.reject(w, "InvalidParameterValue", "InvalidParameterValueException", "The collection AlarmNames must not have a size greater than 100.")
		return
	}
	limit := 50
	if in.MaxRecords != nil {
		if *in.MaxRecords < 1 || *in.MaxRecords > 100 {
			s.reject(w, "InvalidParameterValue", "InvalidParameterValueException", "The value %d for parameter MaxRecords must be between 1 and 100.", *in.MaxRecords)
			return
		}
		limit = int(*in.MaxRecords)
	}
	from := 0
	if in.NextToken != nil {
		n, err := strconv.Atoi(*in.NextToken)
		if err != nil || n < 0 {
			s.reject(w, "InvalidNextToken", "InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.")
			return
		}
		from = n
	}
	// Without AlarmTypes the service returns metric alarms only.
	metricAlarms := len(in.AlarmTypes) == 0 || slices.Contains(in.AlarmTypes, "MetricAlarm")
	composite := slices.Contains(in.AlarmTypes, "CompositeAlarm")

	s.mu.Lock()
	var match []Alarm
	for _, a := range s.alarms {
		switch {
		case a.Composite && !composite, !a.Composite && !metricAlarms:
		case in.AlarmNamePrefix != nil && !strings.HasPrefix(a.Name, *in.AlarmNamePrefix):
		case len(in.AlarmNames) > 0 && !slices.Contains(in.AlarmNames, a.Name):
		case in.StateValue != "" && a.State != in.StateValue:
		default:
			match = append(match, a)
		}
	}
	s.mu.Unlock()

	out := describeAlarmsOutput{MetricAlarms: []alarmOut{}, CompositeAlarms: []alarmOut{}}
	end := min(from+limit, len(match))
	for _, a := range match[min(from, len(match)):end] {
		o := alarmOut{AlarmName: a.Name, StateValue: a.State, StateReason: a.Reason,
			AlarmArn:              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + a.Name,
			StateUpdatedTimestamp: a.Updated.UTC(), StateTransitionedTimestamp: a.Transitioned.UTC()}
		if a.Transitioned.IsZero() {
			o.StateTransitionedTimestamp = o.StateUpdatedTimestamp
		}
		if a.Composite {
			out.CompositeAlarms = append(out.CompositeAlarms, o)
		} else {
			out.MetricAlarms = append(out.MetricAlarms, o)
		}
	}
	if end < len(match) {
		out.NextToken = strconv.Itoa(end)
	}
	writeCBOR(w, out)
}
