package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/sources"
)

// crashed is a panic in the dashboard that Bubble Tea recovered from: the
// terminal is restored, the report is written, and Main exits 3.
type crashed struct {
	msg, report string
}

func (c *crashed) Error() string {
	if c.report == "" {
		return "internal error: " + c.msg
	}
	return "internal error: " + c.msg + "; crash report: " + c.report + " (please attach it to a bug report)"
}

// guard wraps the dashboard model so that a panic in Update or View writes
// a redacted crash report before Bubble Tea's own recovery restores the
// terminal (it re-panics for that).
type guard struct {
	tea.Model
	box *crashBox
}

type crashBox struct {
	once  sync.Once
	crash *crashed
}

func guarded(m tea.Model) (guard, *crashBox) {
	b := &crashBox{}
	return guard{Model: m, box: b}, b
}

func (g guard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer g.catch()
	m, cmd := g.Model.Update(msg)
	return guard{Model: m, box: g.box}, cmd
}

func (g guard) View() tea.View {
	defer g.catch()
	return g.Model.View()
}

func (g guard) catch() {
	if r := recover(); r != nil {
		g.box.once.Do(func() { g.box.crash = writeCrash(r, debug.Stack()) })
		panic(r)
	}
}

// writeCrash writes the report to the state directory and says where.
func writeCrash(r any, stack []byte) *crashed {
	msg := sources.Redact(fmt.Sprint(r))
	dir := StateDir()
	path := filepath.Join(dir, "crash-"+time.Now().UTC().Format("20060102T150405Z")+".txt")
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = os.WriteFile(path, []byte("panic: "+msg+"\n\n"+sources.Redact(string(stack))), 0o600)
	}
	if err != nil {
		return &crashed{msg: msg + " (could not write a crash report: " + err.Error() + ")"}
	}
	return &crashed{msg: msg, report: path}
}

// programError sorts what Program.Run returned: nil for a normal quit, the
// crash for a recovered panic, a wrapped error otherwise.
func programError(err error, box *crashBox) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramPanic):
		if box != nil && box.crash != nil {
			return box.crash
		}
		return &crashed{msg: "the dashboard panicked (the stack is above)"}
	case errors.Is(err, tea.ErrProgramKilled), errors.Is(err, tea.ErrInterrupted), errors.Is(err, context.Canceled):
		return nil
	}
	return fmt.Errorf("terminal: %w", err)
}
