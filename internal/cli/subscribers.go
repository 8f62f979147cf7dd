package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/notify"
	"github.com/stormwatch/stormwatch/statefile"
	"github.com/stormwatch/stormwatch/timeline"
)

// subscribers starts the viewers that are not the terminal: the alert
// hooks and the timeline file. They subscribe before the engine starts so
// they see every event. The returned function waits for them to finish
// after ctx is cancelled.
func subscribers(ctx context.Context, e *monitor.Engine, cfg *config.Config, demo bool, log io.Writer) (func(), error) {
	var wg sync.WaitGroup
	dir := StateDir()
	if cfg != nil && cfg.Timeline.Dir != "" {
		dir = cfg.Timeline.Dir
	}
	if demo {
		dir = filepath.Join(dir, "demo") // never mix the demo story into a real timeline
	}
	// Every hook's settings are checked before anything starts, so a bad
	// one stops start-up without leaving a subscriber behind.
	var ncfg notify.Config
	hooks := cfg != nil && len(cfg.Alerts.Hooks) > 0
	if hooks {
		ncfg = notify.Config{Log: log, RuleHooks: map[string][]string{}, Secret: secretVars(cfg)}
		for _, h := range cfg.Alerts.Hooks {
			url := h.URL
			if h.URLEnv != "" {
				url = os.Getenv(h.URLEnv)
				if url == "" {
					return nil, fmt.Errorf("%s: alerts.hooks %s: environment variable %s is empty (export the webhook URL in it)", cfg.Path(), h.Name, h.URLEnv)
				}
			}
			ncfg.Hooks = append(ncfg.Hooks, notify.Hook{Name: h.Name, Command: h.Command, URL: url, On: h.On, Timeout: h.Timeout})
		}
		for _, r := range cfg.Alerts.Rules {
			if len(r.Hooks) > 0 {
				ncfg.RuleHooks[r.Name] = r.Hooks
			}
		}
	}
	store, err := timeline.NewStore(dir)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w (set timeline.dir in the config to a writable directory)", err)
	}
	snaps, cancel := e.Subscribe()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer cancel()
		defer store.Close()
		timeline.Follow(ctx, snaps, store, func(err error) { e.Warn("timeline", err.Error()) })
	}()

	if hooks {
		hsnaps, hcancel := e.Subscribe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer hcancel()
			notify.Run(ctx, hsnaps, ncfg, func(w string) { go e.Warn("hook", w) })
		}()
	}
	return wg.Wait, nil
}

// hookLog is where hook output goes: a file in the state directory, since
// the terminal belongs to the dashboard.
func hookLog() (io.WriteCloser, error) {
	dir := StateDir()
	if err := statefile.EnsureDir(dir); err != nil {
		return nil, err
	}
	return statefile.OpenAppend(filepath.Join(dir, "hooks.log"))
}

// secretVars are the environment variables that hold credentials: the ones
// the config names for connection strings and webhooks, and the AWS keys.
// Hooks do not inherit them.
func secretVars(cfg *config.Config) []string {
	out := []string{"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"}
	for _, m := range cfg.Sources.Mongo {
		if m.URIEnv != "" {
			out = append(out, m.URIEnv)
		}
	}
	for _, h := range cfg.Alerts.Hooks {
		if h.URLEnv != "" {
			out = append(out, h.URLEnv)
		}
	}
	return out
}
