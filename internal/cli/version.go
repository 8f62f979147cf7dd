package cli

import (
	"runtime/debug"
	"strings"
)

// Build describes the binary: the release build sets it with ldflags.
type Build struct {
	Version, Commit, Date string
}

// String is "stormwatch VERSION (COMMIT, DATE)". What the ldflags left
// unset comes from the build information Go stamps into every binary: the
// module version for 'go install ...@v1.2.3', the VCS revision and time for
// 'go build' in a git checkout. Whatever is still unknown is said to be.
func (b Build) String() string {
	info, _ := debug.ReadBuildInfo()
	return b.describe(info)
}

func (b Build) describe(info *debug.BuildInfo) string {
	v, c, d := b.Version, b.Commit, b.Date
	dirty := false
	if info != nil {
		if (v == "" || v == "dev") && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	switch {
	case c == "":
		c = "commit unknown"
	case dirty && b.Commit == "":
		c += " with local changes"
	}
	parts := []string{c}
	if d != "" {
		parts = append(parts, d)
	}
	if info != nil && info.GoVersion != "" {
		parts = append(parts, info.GoVersion)
	}
	return "stormwatch " + v + " (" + strings.Join(parts, ", ") + ")"
}
