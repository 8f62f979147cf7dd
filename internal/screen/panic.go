package screen

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Bubble Tea recovers a panic in the model or in a command, gives the
// terminal back and prints the panic and its stack on stderr. Here the
// terminal is given back only after Run returns, so that print would land
// on the alternate screen, and leaving it would wipe it. So the model's
// panics (Init, Update, View, and the commands they return) are caught
// here instead, the program is ended (a quit: Kill closes the input while
// it is still being read), and Run prints them once the terminal is back,
// as Bubble Tea would have, and returns its panic error.

// caught is the first panic caught, and its stack.
type caught struct {
	r     any
	stack []byte
}

// catch records r (the first one wins) and ends the program.
func (d *display) catch(r any) {
	d.mu.Lock()
	first := d.panicked == nil
	if first {
		d.panicked = &caught{r: r, stack: debug.Stack()}
	}
	d.mu.Unlock()
	if first && d.quitProgram != nil {
		go d.quitProgram()
	}
}

// caughtPanic is the panic caught, or nil.
func (d *display) caughtPanic() *caught {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.panicked
}

// print writes the panic as Bubble Tea does.
func (c *caught) print(w io.Writer) {
	fmt.Fprintf(w, "Caught panic:\n\n%s\n\nRestoring terminal...\n\n%s\n", c.r, strings.TrimSpace(string(c.stack))) //nolint:errcheck // stderr
}

// errPanic is what Bubble Tea's Run returns after a panic.
var errPanic = fmt.Errorf("%w: %w", tea.ErrProgramKilled, tea.ErrProgramPanic)

// guard runs cmd, and the commands of the batch it returns, catching
// their panics. A sequence's commands are Bubble Tea's to run (its type
// is not exported); it still recovers their panics itself.
func (d *display) guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				d.catch(r)
				msg = nil
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			guarded := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				guarded[i] = d.guard(c)
			}
			msg = guarded
		}
		return msg
	}
}
