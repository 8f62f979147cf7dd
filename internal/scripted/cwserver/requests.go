package cwserver

import "time"

// Request is one GetMetricData request as the server received it: its
// range and the Ids it asked for.
type Request struct {
	Start, End time.Time
	IDs        []string
}

func (s *Server) record(in *getMetricDataInput) {
	r := Request{}
	if in.StartTime != nil {
		r.Start = in.StartTime.UTC()
	}
	if in.EndTime != nil {
		r.End = in.EndTime.UTC()
	}
	for _, q := range in.MetricDataQueries {
		r.IDs = append(r.IDs, q.ID)
	}
	s.mu.Lock()
	s.requests = append(s.requests, r)
	s.mu.Unlock()
}

// Requests returns the GetMetricData requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}
