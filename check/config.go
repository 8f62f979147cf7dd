package check

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/record"
)

// Config is the config file's line. path is the file in use ("" when none
// was found, after looking in tried); cfg and err are what config.Load
// returned for it.
func Config(path string, tried []string, cfg *config.Config, err error) Result {
	const name = "config"
	switch {
	case path == "":
		return Result{Name: name, Status: Pass,
			Detail: "no config file (looked for " + strings.Join(tried, ", ") + "): checking the built-in demo, which needs nothing external: no AWS, no MongoDB, no network",
			Fix:    "to watch your own systems, copy stormwatch.example.yaml to " + first(tried) + " and run stormwatch check again"}
	case err != nil:
		var ce *config.Error
		if errors.As(err, &ce) {
			lines := ce.Lines()
			return fail(name, fmt.Sprintf("%s: %d problem(s); the first: %s", ce.Path, len(lines), strings.TrimPrefix(lines[0], ce.Path+":")),
				"correct each line below (stormwatch config validate "+ce.Path+" lists them again):\n"+strings.Join(lines, "\n"))
		}
		return fail(name, err.Error(), "create the file from stormwatch.example.yaml, or drop --config to check the demo")
	}
	var parts []string
	for _, n := range []struct {
		kind  string
		names []string
	}{{"mongo", mongoNames(cfg)}, {"cloudwatch", cloudWatchNames(cfg)}} {
		if len(n.names) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", n.kind, strings.Join(n.names, ", ")))
		}
	}
	if len(parts) == 0 {
		return Result{Name: name, Status: Pass, Detail: path + " is valid but names no sources: the dashboard runs the demo",
			Fix: "add sources.mongo or sources.cloudwatch (see stormwatch.example.yaml)"}
	}
	return pass(name, path+" is valid; sources "+strings.Join(parts, "; "))
}

func first(s []string) string {
	if len(s) == 0 {
		return "stormwatch.yaml"
	}
	return s[0]
}

func mongoNames(cfg *config.Config) []string {
	var out []string
	for _, m := range cfg.Sources.Mongo {
		out = append(out, nameOr(m.Name, "db"))
	}
	return out
}

func cloudWatchNames(cfg *config.Config) []string {
	var out []string
	for _, c := range cfg.Sources.CloudWatch {
		out = append(out, nameOr(c.Name, "aws"))
	}
	return out
}

func nameOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Demo checks that the demo built into the binary is intact: its recording
// decodes. The demo makes no network call, so there is nothing else to check.
func Demo(load func() (*record.Recording, error)) Result {
	const name = "demo"
	rec, err := load()
	if err != nil {
		return fail(name, "the built-in demo recording does not decode: "+err.Error(),
			"this binary is damaged: download the release again (checksums.txt lists each archive's SHA-256)")
	}
	span := rec.End().Sub(rec.Start()).Round(time.Second)
	return pass(name, fmt.Sprintf("built in, needs nothing external; the recording decodes (%d samples, %d events over %s)",
		len(rec.Samples), len(rec.Events), span))
}
