package ec2server

import (
	"encoding/xml"
	"io"
	"net/http"
	"sort"
	"strings"
)

// The reply shapes, with EC2's element names.
type (
	describeInstancesResponse struct {
		XMLName      xml.Name      `xml:"DescribeInstancesResponse"`
		Xmlns        string        `xml:"xmlns,attr"`
		RequestID    string        `xml:"requestId"`
		Reservations []reservation `xml:"reservationSet>item"`
		NextToken    string        `xml:"nextToken,omitempty"`
	}
	reservation struct {
		ID        string     `xml:"reservationId"`
		OwnerID   string     `xml:"ownerId"`
		Instances []instance `xml:"instancesSet>item"`
	}
	instance struct {
		ID    string `xml:"instanceId"`
		Type  string `xml:"instanceType"`
		State struct {
			Code int    `xml:"code"`
			Name string `xml:"name"`
		} `xml:"instanceState"`
		Tags []tag `xml:"tagSet>item"`
	}
	tag struct {
		Key   string `xml:"key"`
		Value string `xml:"value"`
	}
	errorResponse struct {
		XMLName   xml.Name `xml:"Response"`
		Errors    []fault  `xml:"Errors>Error"`
		RequestID string   `xml:"RequestID"`
	}
	fault struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
)

var stateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}

const requestID = "59dbff89-35bd-4eac-99ed-be587EXAMPLE"

func writeReply(w http.ResponseWriter, page []Instance, next string) {
	out := describeInstancesResponse{Xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/", RequestID: requestID, NextToken: next}
	for _, in := range page {
		x := instance{ID: in.ID, Type: "t3.medium"}
		x.State.Code, x.State.Name = stateCodes[in.State], in.State
		keys := make([]string, 0, len(in.Tags))
		for k := range in.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			x.Tags = append(x.Tags, tag{k, in.Tags[k]})
		}
		out.Reservations = append(out.Reservations, reservation{ID: "r-" + strings.TrimPrefix(in.ID, "i-"),
			OwnerID: "123456789012", Instances: []instance{x}})
	}
	write(w, http.StatusOK, out)
}

func writeError(w http.ResponseWriter, f Fault) {
	write(w, f.Status, errorResponse{Errors: []fault{{f.Code, f.Message}}, RequestID: requestID})
}

func write(w http.ResponseWriter, status int, v any) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	io.WriteString(w, xml.Header)
	w.Write(b)
}
