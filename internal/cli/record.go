package cli

import (
	"context"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/record"
)

// startRecorder subscribes a recorder when --record or the config's
// record.file names a file; the returned function waits for it to flush
// and close after ctx ends.
func startRecorder(ctx context.Context, e *monitor.Engine, cfg *config.Config, o options) (func() error, string, error) {
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
		return func() error { return nil }, "", nil
	}
	var size int64
	if maxSize != "" {
		var err error
		if size, err = human.ParseSize(maxSize); err != nil {
			return nil, "", usageError{"--record-max: " + err.Error()}
		}
	}
	r, err := record.Create(path, size)
	if err != nil {
		return nil, "", err
	}
	snaps, cancel := e.Subscribe()
	done := make(chan error, 1)
	go func() {
		defer cancel()
		done <- record.Follow(ctx, snaps, r, func(err error) { e.Warn("record", err.Error()) })
	}()
	// Waiting returns what the recording lost, so the exit line says so
	// instead of "recorded to".
	return func() error { return <-done }, path, nil
}
