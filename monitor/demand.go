package monitor

import (
	"sync/atomic"

	"github.com/stormwatch/stormwatch/alert"
)

// Demand says whether anyone needs the expensive diagnostics (who is
// connected, what is scanning) right now: an alert is pending or firing,
// or someone is looking. The MongoDB source asks it before each $currentOp,
// so a dashboard nobody watches adds no such load to a calm database.
type Demand struct {
	engine atomic.Pointer[Engine]
	local  atomic.Bool
}

// Attach points the demand at the engine once it exists (the sources are
// built before it).
func (d *Demand) Attach(e *Engine) { d.engine.Store(e) }

// SetLocal says a viewer is attached to this process's own terminal.
func (d *Demand) SetLocal(on bool) { d.local.Store(on) }

// Wanted reports whether the diagnostics should be polled now.
func (d *Demand) Wanted() bool {
	if d.local.Load() {
		return true
	}
	e := d.engine.Load()
	if e == nil {
		return false
	}
	return e.Attention() || e.Watched()
}

// Attention reports whether any alert is pending or firing.
func (e *Engine) Attention() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, av := range e.statuses {
		if av.State == alert.Firing || av.State == alert.Pending {
			return true
		}
	}
	return false
}

// Watched reports whether an SSH viewer is attached.
func (e *Engine) Watched() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.viewers) > 0
}
