package cli

import (
	"testing"

	"github.com/stormwatch/stormwatch/config"
)

// With only a MongoDB source, the API CPU graph said "no data yet" for
// ever: nothing polls main.cpu. The live dashboard's panels say which
// series no configured source sends; a replay's do not (the recording
// may hold them).
func TestAPanelNoSourceFeedsSaysSo(t *testing.T) {
	cfg, err := config.Parse("mongo-only.yaml", []byte("sources:\n  mongo:\n    - uri_env: U\n"))
	if err != nil {
		t.Fatal(err)
	}
	ps := watchedPanels(cfg)
	if len(ps) != 2 {
		t.Fatalf("panels %+v, want the two default ones", ps)
	}
	if ps[0].Missing != "no configured source sends main.cpu" {
		t.Errorf("API panel: Missing %q", ps[0].Missing)
	}
	if ps[1].Missing != "" {
		t.Errorf("DB panel: Missing %q, but the mongo source sends db.cpu", ps[1].Missing)
	}
	for _, p := range panels(cfg) {
		if p.Missing != "" {
			t.Errorf("a replay's panel says %q", p.Missing)
		}
	}
}
