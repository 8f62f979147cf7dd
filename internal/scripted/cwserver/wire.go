package cwserver

import (
	"time"

	"github.com/fxamacker/cbor/v2"
)

// The request and reply shapes below carry only the members the server
// reads or writes. Member names are the Smithy member names, which is what
// RPC v2 CBOR puts on the wire as map keys.

type getMetricDataInput struct {
	MetricDataQueries []metricDataQuery `cbor:"MetricDataQueries"`
	StartTime         *time.Time        `cbor:"StartTime"`
	EndTime           *time.Time        `cbor:"EndTime"`
	NextToken         *string           `cbor:"NextToken"`
	ScanBy            string            `cbor:"ScanBy"`
	MaxDatapoints     *int64            `cbor:"MaxDatapoints"`
}

type metricDataQuery struct {
	ID         string      `cbor:"Id"`
	MetricStat *metricStat `cbor:"MetricStat"`
	Expression *string     `cbor:"Expression"`
	Label      *string     `cbor:"Label"`
	ReturnData *bool       `cbor:"ReturnData"`
	Period     *int64      `cbor:"Period"`
}

type metricStat struct {
	Metric struct {
		Namespace  string      `cbor:"Namespace"`
		MetricName string      `cbor:"MetricName"`
		Dimensions []dimension `cbor:"Dimensions"`
	} `cbor:"Metric"`
	Period *int64 `cbor:"Period"`
	Stat   string `cbor:"Stat"`
	Unit   string `cbor:"Unit,omitempty"`
}

type dimension struct {
	Name  string `cbor:"Name"`
	Value string `cbor:"Value"`
}

type getMetricDataOutput struct {
	MetricDataResults []metricDataResult `cbor:"MetricDataResults"`
	NextToken         string             `cbor:"NextToken,omitempty"`
	Messages          []messageData      `cbor:"Messages,omitempty"`
}

type messageData struct {
	Code  string `cbor:"Code,omitempty"`
	Value string `cbor:"Value,omitempty"`
}

type metricDataResult struct {
	ID         string      `cbor:"Id"`
	Label      string      `cbor:"Label,omitempty"`
	StatusCode string      `cbor:"StatusCode"`
	Timestamps []time.Time `cbor:"Timestamps"`
	Values     []float64   `cbor:"Values"`
}

type describeAlarmsInput struct {
	AlarmNames      []string `cbor:"AlarmNames"`
	AlarmNamePrefix *string  `cbor:"AlarmNamePrefix"`
	AlarmTypes      []string `cbor:"AlarmTypes"`
	StateValue      string   `cbor:"StateValue"`
	MaxRecords      *int64   `cbor:"MaxRecords"`
	NextToken       *string  `cbor:"NextToken"`
}

type describeAlarmsOutput struct {
	MetricAlarms    []alarmOut `cbor:"MetricAlarms"`
	CompositeAlarms []alarmOut `cbor:"CompositeAlarms"`
	NextToken       string     `cbor:"NextToken,omitempty"`
}

type alarmOut struct {
	AlarmName                  string    `cbor:"AlarmName"`
	AlarmArn                   string    `cbor:"AlarmArn"`
	StateValue                 string    `cbor:"StateValue"`
	StateReason                string    `cbor:"StateReason"`
	StateUpdatedTimestamp      time.Time `cbor:"StateUpdatedTimestamp"`
	StateTransitionedTimestamp time.Time `cbor:"StateTransitionedTimestamp"`
}

// errorBody carries the message twice: the protocol reads "message", while
// modelled exceptions (InternalServiceFault) deserialize their own
// "Message" member.
type errorBody struct {
	Type          string `cbor:"__type"`
	Message       string `cbor:"message"`
	MemberMessage string `cbor:"Message"`
}

// encMode writes timestamps the way Smithy RPC v2 CBOR requires: tag 1
// around epoch seconds (an integer when whole, else a float64).
var encMode = func() cbor.EncMode {
	m, err := cbor.EncOptions{Time: cbor.TimeUnixDynamic, TimeTag: cbor.EncTagRequired}.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

var decMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{TimeTag: cbor.DecTagRequired}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()
