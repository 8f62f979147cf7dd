package sources

import (
	"errors"
	"fmt"
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

// An error of several classes (a joined error from two members) is named
// and hinted by the same class; one of none has neither.
func TestClassAndHintAgree(t *testing.T) {
	both := errors.Join(fmt.Errorf("a: %w", ErrAuth), fmt.Errorf("b: %w", ErrExpired))
	if got := Class(both); got != "credentials expired" {
		t.Errorf("Class = %q, want credentials expired", got)
	}
	if got := Hint(both); !strings.Contains(got, "refresh the credentials") {
		t.Errorf("Hint = %q, want the expired-credentials hint", got)
	}
	if got := Hint(ErrNotFound); got != "" {
		t.Errorf("Hint(not found) = %q, want none", got)
	}
	if Class(errors.New("other")) != "" || Hint(errors.New("other")) != "" {
		t.Error("an error of no class has a class or a hint")
	}
}
