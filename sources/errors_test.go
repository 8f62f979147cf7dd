package sources

import (
	"strings"
	"testing"
)

func TestRedactRemovesPasswordsFromURIs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dial mongodb://admin:s3cr%40t@db:27017/?tls=true failed", "dial mongodb://admin:xxxxx@db:27017/?tls=true failed"},
		{"mongodb+srv://u:p@cluster0.example.net", "mongodb+srv://u:xxxxx@cluster0.example.net"},
		{"no uri here", "no uri here"},
		{"mongodb://db:27017", "mongodb://db:27017"},
	}
	for _, tc := range tests {
		got := Redact(tc.in)
		if got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if strings.Contains(got, "s3cr") {
			t.Errorf("password leaked: %q", got)
		}
	}
}
