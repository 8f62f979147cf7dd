package screen

import (
	"errors"

	tea "charm.land/bubbletea/v2"
)

// open is never reached on Windows: drawsHere leaves the frames to Bubble
// Tea there.
func (d *display) open(*tea.Program) (func() error, error) {
	return nil, errors.New("terminal: drawn by Bubble Tea on Windows")
}
