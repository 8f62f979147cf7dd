package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

// StateDir is where stormwatch keeps timelines and crash reports:
// $XDG_STATE_HOME/stormwatch, else ~/.local/state/stormwatch.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "stormwatch")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "stormwatch")
	}
	return filepath.Join(os.TempDir(), "stormwatch")
}

// crash writes a report for a panic that reached Main and returns the exit
// code. The terminal has already been restored by Bubble Tea's own panic
// handler, or was never taken over.
func crash(r any, stderr io.Writer) int {
	stack := sources.Redact(string(debug.Stack()))
	msg := sources.Redact(fmt.Sprint(r))
	dir := StateDir()
	path := filepath.Join(dir, "crash-"+time.Now().UTC().Format("20060102T150405Z")+".txt")
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = os.WriteFile(path, []byte("panic: "+msg+"\n\n"+stack), 0o600)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stormwatch: internal error: %s (could not write a crash report: %v)\n", msg, err)
		return 3
	}
	fmt.Fprintf(stderr, "stormwatch: internal error: %s\ncrash report: %s (please attach it to a bug report)\n", msg, path)
	return 3
}
