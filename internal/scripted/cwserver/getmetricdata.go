package cwserver

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"
)

// MaxQueries is the service's limit of queries per GetMetricData call.
const MaxQueries = 500

var idPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

type answer struct {
	id, label string
	ts        []time.Time
	vs        []float64
}

func (s *Server) getMetricData(w http.ResponseWriter, body []byte, odd Odd) {
	var in getMetricDataInput
	if err := decMode.Unmarshal(body, &in); err != nil {
		s.t.Errorf("cwserver: GetMetricData: undecodable body: %v", err)
		s.reject(w, "SerializationException", "", "cannot decode request: %v", err)
		return
	}
	now := s.now()
	s.record(&in)
	answers, billed, msg := s.answer(&in, now)
	if msg != "" {
		s.reject(w, "InvalidParameterValue", "InvalidParameterValueException", "%s", msg)
		return
	}
	from := 0
	if in.NextToken != nil {
		n, ok := parseToken(*in.NextToken)
		if !ok {
			s.reject(w, "InvalidNextToken", "InvalidNextToken", "The service couldn't process your request because the NextToken is invalid.")
			return
		}
		from = n
	}
	limit := s.maxDatapoints
	if in.MaxDatapoints != nil && int(*in.MaxDatapoints) < limit {
		limit = int(*in.MaxDatapoints)
	}
	out, returned := page(answers, from, limit)
	for i := range out.MetricDataResults {
		r := &out.MetricDataResults[i]
		if odd.IDs != nil {
			r.ID = odd.IDs(r.ID)
		}
		if odd.StatusCode != "" {
			r.StatusCode = odd.StatusCode
		}
	}
	for _, m := range odd.Messages {
		out.Messages = append(out.Messages, messageData{Code: m.Code, Value: m.Value})
	}
	s.mu.Lock()
	s.counters.MetricsRequested += billed
	s.counters.DatapointsReturned += returned
	s.mu.Unlock()
	writeCBOR(w, out)
}

// answer checks the request against the service rules and computes every
// returned query's full series, or returns the service's complaint. billed
// is the metrics requested as the bill counts them: one per query, one per
// result of a SEARCH.
func (s *Server) answer(in *getMetricDataInput, now time.Time) (_ []answer, billed int, _ string) {
	q := in.MetricDataQueries
	switch {
	case len(q) == 0:
		return nil, 0, "The parameter MetricDataQueries is required."
	case len(q) > MaxQueries:
		return nil, 0, fmt.Sprintf("The collection MetricDataQueries must not have a size greater than %d.", MaxQueries)
	case in.StartTime == nil || in.EndTime == nil:
		return nil, 0, "The parameters StartTime and EndTime are required."
	case !in.StartTime.Before(*in.EndTime):
		return nil, 0, "The parameter StartTime must be less than the parameter EndTime."
	case in.ScanBy != "" && in.ScanBy != "TimestampAscending" && in.ScanBy != "TimestampDescending":
		return nil, 0, fmt.Sprintf("The value %s for parameter ScanBy is not valid.", in.ScanBy)
	case in.MaxDatapoints != nil && *in.MaxDatapoints <= 0:
		return nil, 0, "The parameter MaxDatapoints must be greater than 0."
	}
	seen := map[string]bool{}
	var out []answer
	for i, mq := range q {
		member := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		if !idPattern.MatchString(mq.ID) {
			return nil, 0, fmt.Sprintf("The value %s for parameter %s.Id is not matching the expected pattern %s.", mq.ID, member, idPattern)
		}
		if seen[mq.ID] {
			return nil, 0, fmt.Sprintf("The value %s for parameter %s.Id is not unique.", mq.ID, member)
		}
		seen[mq.ID] = true
		if mq.Expression != nil && mq.MetricStat == nil && isSearch(*mq.Expression) {
			found, msg := s.searchAnswers(mq, in, now)
			if msg != "" {
				return nil, 0, fmt.Sprintf("%s (%s)", msg, member)
			}
			billed += max(len(found), 1)
			if mq.ReturnData == nil || *mq.ReturnData {
				out = append(out, found...)
			}
			continue
		}
		billed++
		m, period, stat, msg := s.resolve(mq, member)
		if msg != "" {
			return nil, 0, msg
		}
		if mq.ReturnData != nil && !*mq.ReturnData {
			continue
		}
		a := answer{id: mq.ID}
		if mq.Label != nil {
			a.label = *mq.Label
		}
		if m != nil {
			s.mu.Lock()
			start := roundStart(in.StartTime.UTC(), now, period)
			a.ts, a.vs = m.series(start, in.EndTime.UTC(), now, period, stat)
			s.mu.Unlock()
		}
		if in.ScanBy != "TimestampAscending" {
			slices.Reverse(a.ts)
			slices.Reverse(a.vs)
		}
		out = append(out, a)
	}
	return out, billed, ""
}

// resolve finds the data a query names; a metric the server does not hold
// answers with no data, as the service does.
func (s *Server) resolve(mq metricDataQuery, member string) (*metric, time.Duration, string, string) {
	if (mq.MetricStat == nil) == (mq.Expression == nil) {
		return nil, 0, "", fmt.Sprintf("Exactly one of MetricStat and Expression must be set for %s.", member)
	}
	var key, stat string
	var period *int64
	if ms := mq.MetricStat; ms != nil {
		if ms.Metric.Namespace == "" || ms.Metric.MetricName == "" {
			return nil, 0, "", fmt.Sprintf("The parameters %s.MetricStat.Metric.Namespace and MetricName are required.", member)
		}
		if !validStat(ms.Stat) {
			return nil, 0, "", fmt.Sprintf("The value %s for parameter %s.MetricStat.Stat is not a valid statistic.", ms.Stat, member)
		}
		dims := map[string]string{}
		for _, d := range ms.Metric.Dimensions {
			dims[d.Name] = d.Value
		}
		key, stat, period = metricKey(ms.Metric.Namespace, ms.Metric.MetricName, dims), ms.Stat, ms.Period
		if period == nil {
			return nil, 0, "", fmt.Sprintf("The parameter %s.MetricStat.Period is required.", member)
		}
	} else {
		key, stat, period = expressionKey(*mq.Expression), "Average", mq.Period
		if period == nil {
			p := int64(60)
			period = &p
		}
	}
	if !validPeriod(*period) {
		return nil, 0, "", fmt.Sprintf("The value %d for parameter %s.Period must be 1, 5, 10, 20, 30 or a multiple of 60.", *period, member)
	}
	s.mu.Lock()
	m := s.metrics[key]
	s.mu.Unlock()
	if m == nil && mq.Expression != nil {
		return nil, 0, "", fmt.Sprintf("Error in expression %s for %s: unknown to cwserver (register it with AddExpression).", mq.ID, member)
	}
	return m, time.Duration(*period) * time.Second, stat, ""
}

// page cuts one reply of at most limit datapoints out of the answers,
// starting after the first from datapoints overall. A query cut short is
// PartialData and the reply carries a NextToken to go on.
func page(answers []answer, from, limit int) (getMetricDataOutput, int) {
	out := getMetricDataOutput{MetricDataResults: []metricDataResult{}}
	pos, budget, returned := 0, limit, 0
	for _, a := range answers {
		end := pos + len(a.ts)
		if end < from || (end == from && len(a.ts) > 0) {
			pos = end // returned on an earlier page
			continue
		}
		if budget == 0 {
			out.NextToken = makeToken(from + returned)
			return out, returned
		}
		skip := max(from-pos, 0)
		n := min(len(a.ts)-skip, budget)
		r := metricDataResult{ID: a.id, Label: a.label, StatusCode: "Complete",
			Timestamps: a.ts[skip : skip+n], Values: a.vs[skip : skip+n]}
		budget -= n
		returned += n
		if skip+n < len(a.ts) {
			r.StatusCode = "PartialData"
			out.MetricDataResults = append(out.MetricDataResults, r)
			out.NextToken = makeToken(from + returned)
			return out, returned
		}
		out.MetricDataResults = append(out.MetricDataResults, r)
		pos = end
	}
	return out, returned
}

func makeToken(n int) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "cwserver:%d", n))
}

func parseToken(tok string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	var n int
	if _, err := fmt.Sscanf(string(b), "cwserver:%d", &n); err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
