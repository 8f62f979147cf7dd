package cli

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/record"
	"github.com/stormwatch/stormwatch/ui"
)

// startRecorder subscribes a recorder when --record or the config's
// record.file names a file; the returned function waits for it to flush
// and close after ctx ends.
func startRecorder(ctx context.Context, e *monitor.Engine, cfg *config.Config, o options) (func(), string, error) {
	path, maxSize := o.record, o.recordMax
	if cfg != nil {
		if path == "" {
			path = cfg.Record.File
		}
		if maxSize == "" {
			maxSize = cfg.Record.MaxSize
		}
	}
	if path == "" {
		return func() {}, "", nil
	}
	var size int64
	if maxSize != "" {
		var err error
		if size, err = record.ParseSize(maxSize); err != nil {
			return nil, "", usageError{"--record-max: " + err.Error()}
		}
	}
	r, err := record.Create(path, size)
	if err != nil {
		return nil, "", err
	}
	snaps, cancel := e.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		record.Follow(ctx, snaps, r, func(err error) { e.Warn("record", err.Error()) })
	}()
	return func() { <-done }, path, nil
}

// runTUI runs the dashboard in this terminal until the user quits or ctx
// ends. Snapshots and Now come from e; the rest of uo is the caller's.
func runTUI(ctx context.Context, e *monitor.Engine, uo ui.Options, color string) error {
	snaps, unsubscribe := e.Subscribe()
	defer unsubscribe()
	uo.Snapshots, uo.Now = snaps, e.Clock().Now
	model, box := guarded(ui.New(uo))
	_, err := tea.NewProgram(model, append(colorOptions(color), tea.WithContext(ctx))...).Run()
	return programError(err, box)
}
