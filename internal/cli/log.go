package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/statefile"
	"github.com/stormwatch/stormwatch/text"
)

// The log's size: small, because it runs for days next to a struggling
// service; the previous files are kept for the postmortem.
const (
	logMaxMB      = 5
	logMaxBackups = 2
)

// DefaultLogFile is where the log goes without --log: the state directory.
func DefaultLogFile() string { return filepath.Join(StateDir(), "stormwatch.log") }

// openLog opens the structured log: --log FILE, else stormwatch.log in the
// state directory, rotated past 5 MB (two old files kept). It never writes
// to the terminal, which belongs to the dashboard. Every string passes the
// same redaction and sanitiser as the screen, so no password in a URI and
// no control character from a watched system reaches the file.
func openLog(o options) (*slog.Logger, func(), error) {
	level, err := parseLevel(o.logLevel)
	if err != nil {
		return nil, nil, err
	}
	path := o.logFile
	if path == "" {
		path = DefaultLogFile()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("log %s: %w", path, err)
	}
	// lumberjack creates the file lazily; open it now so a bad path is a
	// start-up error, not a silent loss.
	f, err := statefile.OpenAppend(path)
	if err != nil {
		return nil, nil, fmt.Errorf("log %s: %w (use --log FILE)", path, err)
	}
	f.Close()
	w := &lumberjack.Logger{Filename: path, MaxSize: logMaxMB, MaxBackups: logMaxBackups}
	return newLogger(w, level), func() { w.Close() }, nil
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: safeAttr}))
}

// safeAttr redacts and sanitises every string and error in a record.
func safeAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(safe(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			a.Value = slog.StringValue(safe(err.Error()))
		} else if s, ok := a.Value.Any().(fmt.Stringer); ok {
			a.Value = slog.StringValue(safe(s.String()))
		}
	}
	return a
}

func safe(s string) string { return text.Clean(sources.Redact(s)).String() }

// parseLevel reads --log-level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "", "info":
		return slog.LevelInfo, nil
	case "debug":
		return slog.LevelDebug, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, usageError{fmt.Sprintf("--log-level %q: use debug, info, warn or error", s)}
}

// lineLogger writes each line it is given to the structured log as one
// record: serve's logins, refusals and logouts reach the log file as well
// as the terminal serve runs in.
type lineLogger struct{ log *slog.Logger }

func (l lineLogger) Write(p []byte) (int, error) {
	if l.log != nil {
		for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
			l.log.Info(line)
		}
	}
	return len(p), nil
}
