package ec2server

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// recorder is a TB that keeps the failures instead of failing.
type recorder struct {
	errs     []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestTheServerFailsTheTestOnAnUnexpectedRequest(t *testing.T) {
	r := &recorder{}
	s := New(r)
	resp, err := http.Post(s.URL, "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"Action": {"TerminateInstances"}, "Version": {"2016-11-15"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r.end()
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "unexpected request") {
		t.Errorf("failures %q, want one unexpected request", r.errs)
	}
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "<Code>InvalidAction</Code>") {
		t.Errorf("reply %d %s", resp.StatusCode, body)
	}
}

func TestTheServerFailsTheTestOnAFaultNeverUsed(t *testing.T) {
	r := &recorder{}
	s := New(r)
	s.Inject(Unauthorized())
	r.end()
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "never used") {
		t.Errorf("failures %q, want one unused fault", r.errs)
	}
}

func TestFiltersMatchEveryNamedValue(t *testing.T) {
	f, err := parseFilters(url.Values{
		"Filter.1.Name": {"tag:Name"}, "Filter.1.Value.1": {"api-main"}, "Filter.1.Value.2": {"mongo-db"},
		"Filter.2.Name": {"instance-state-name"}, "Filter.2.Value.1": {"running"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in   Instance
		want bool
	}{
		{Tagged("i-1", "api-main"), true},
		{Tagged("i-2", "mongo-db"), true},
		{Tagged("i-3", "web"), false},
		{Instance{ID: "i-4", State: "stopped", Tags: map[string]string{"Name": "api-main"}}, false},
		{Instance{ID: "i-5", State: "running"}, false},
	} {
		if got := matches(c.in, f); got != c.want {
			t.Errorf("%+v matches %v, want %v", c.in, got, c.want)
		}
	}
	if _, err := parseFilters(url.Values{"Filter.1.Name": {"tag-key"}, "Filter.1.Value.1": {"x"}}); err == nil {
		t.Error("an unsupported filter was accepted")
	}
}
