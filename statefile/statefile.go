// Package statefile opens the files stormwatch keeps in its state
// directory (timeline, hook log, log) without following a symbolic link,
// and refuses a state directory others may write to: a timeline-DATE.jsonl
// or hooks.log planted as a link once had events appended to whatever it
// pointed at.
package statefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// EnsureDir makes dir (0700) if it is missing and refuses one that is
// group- or world-writable, naming the fix.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state directory %s: %w", dir, err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("state directory %s: %w", dir, err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("state directory %s is writable by others (mode %04o): run chmod 700 %s", dir, st.Mode().Perm(), dir)
	}
	return nil
}

// ErrLink is returned for a state file that is a symbolic link.
var ErrLink = errors.New("is a symbolic link; stormwatch does not follow links in its state directory: remove it")

// OpenAppend opens path for appending, creating it 0600, and never
// follows a symbolic link at path.
func OpenAppend(path string) (*os.File, error) {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s %w", path, ErrLink)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|noFollow, 0o600)
	if err != nil && isLoop(err) {
		return nil, fmt.Errorf("%s %w", path, ErrLink) // a link planted between the check and the open
	}
	return f, err
}
