package check

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stormwatch/stormwatch/internal/goldenfile"
)

// golden compares got with testdata/<test name>.golden (a diff on failure),
// or rewrites the file with -update.
func golden(t *testing.T, got string) {
	t.Helper()
	goldenfile.Check(t, got)
}

// goldenJSON checks the --json rendering of rs, with the test servers'
// random addresses replaced by stable names.
func goldenJSON(t *testing.T, rs []Result, addrs map[string]string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, rs); err != nil {
		t.Fatal(err)
	}
	golden(t, normalize(b.String(), addrs))
}

func goldenText(t *testing.T, title string, rs []Result, addrs map[string]string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteText(&b, title, rs, 0); err != nil {
		t.Fatal(err)
	}
	golden(t, normalize(b.String(), addrs))
}

func normalize(s string, addrs map[string]string) string {
	for from, to := range addrs {
		if from != "" {
			s = strings.ReplaceAll(s, from, to)
		}
	}
	return s
}

// statuses is the status column, for quick assertions.
func statuses(rs []Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r.Status))
	}
	return strings.Join(s, " ")
}

// isolateAWS keeps the machine's AWS settings out of a test: no shared
// files, no environment credentials, no instance metadata.
func isolateAWS(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_REGION":                  "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "",
	} {
		t.Setenv(k, v)
	}
}

// stsServer answers sts:GetCallerIdentity in the AWS Query protocol the
// real client speaks (a form POST, an XML reply). Each queued reply answers
// one request; the test fails on a request with no reply queued and on a
// reply never used.
type stsServer struct {
	URL string
	t   *testing.T

	mu      sync.Mutex
	replies []stsReply
}

type stsReply struct {
	status int
	body   string
}

const testARN = "arn:aws:iam::123456789012:user/dash"

func newSTS(t *testing.T) *stsServer {
	s := &stsServer{t: t}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.replies) > 0 {
			t.Errorf("sts: %d queued replies never used", len(s.replies))
		}
	})
	return s
}

// identity queues a successful GetCallerIdentity.
func (s *stsServer) identity() *stsServer {
	return s.queue(http.StatusOK, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>`+testARN+`</Arn>
    <UserId>AIDAEXAMPLEUSERID</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>0d9b8c2e-0000-4000-8000-000000000001</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`)
}

// fault queues an error reply as STS sends it.
func (s *stsServer) fault(status int, code, msg string) *stsServer {
	return s.queue(status, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>`+code+`</Code><Message>`+msg+`</Message></Error>
  <RequestId>0d9b8c2e-0000-4000-8000-000000000002</RequestId>
</ErrorResponse>`)
}

func (s *stsServer) queue(status int, body string) *stsServer {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, stsReply{status, body})
	return s
}

func (s *stsServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	if r.Method != http.MethodPost || form.Get("Action") != "GetCallerIdentity" ||
		!strings.Contains(r.Header.Get("Authorization"), "/sts/aws4_request") {
		s.t.Errorf("sts: unexpected request %s %s %q", r.Method, r.URL.Path, body)
		http.Error(w, "unexpected", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if len(s.replies) == 0 {
		s.mu.Unlock()
		s.t.Errorf("sts: GetCallerIdentity with no reply queued")
		http.Error(w, "unexpected", http.StatusBadRequest)
		return
	}
	rep := s.replies[0]
	s.replies = s.replies[1:]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}
