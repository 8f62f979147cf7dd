package cli

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestTheLogRedactsSecretsAndControlCharacters(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, slog.LevelDebug)
	err := errors.New("connection() error: mongodb://stormwatch:CanaryPw7Xq2Zr@db:27017/?authSource=admin: auth failed")
	log.Warn("source failing", "source", "db", "error", err, "app", "evil\x1b]0;title\x07app")
	got := buf.String()
	if strings.Contains(got, "CanaryPw7Xq2Zr") {
		t.Errorf("the log holds the password: %s", got)
	}
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("the log holds control characters: %q", got)
	}
	if !strings.Contains(got, "level=WARN") || !strings.Contains(got, "source=db") {
		t.Errorf("log line %q", got)
	}
}

func TestLogLevels(t *testing.T) {
	for in, want := range map[string]slog.Level{"": slog.LevelInfo, "info": slog.LevelInfo, "debug": slog.LevelDebug, "WARN": slog.LevelWarn, "error": slog.LevelError} {
		if got, err := parseLevel(in); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	if _, _, code, errOut := parsed(t, "--log-level", "loud", "demo"); code != 2 || !strings.Contains(errOut, `--log-level "loud": use debug, info, warn or error`) {
		t.Errorf("a bad level: exit %d, %q", code, errOut)
	}
}

func TestALineLoggerWritesEachLineAsOneSanitisedRecord(t *testing.T) {
	var b strings.Builder
	w := lineLogger{newLogger(&b, slog.LevelInfo)}
	if n, err := w.Write([]byte("serve: vera joined as viewer from 127.0.0.1:5\nserve: \x1b]0;pwn\x07mallory left\n")); err != nil || n == 0 {
		t.Fatalf("write: %d, %v", n, err)
	}
	out := b.String()
	if strings.Count(out, "\n") != 2 || !strings.Contains(out, `msg="serve: vera joined as viewer`) || strings.Contains(out, "\x1b") {
		t.Errorf("log = %q", out)
	}
}
