package demo

import (
	"time"

	"github.com/stormwatch/stormwatch/verdict"
)

// Verdict is the verdict's windows for the demo. The story is three
// minutes long, so the production windows (the 10 minutes before the
// onset, the last minute) would straddle a whole loop: a minute of
// baseline and ten seconds of "now" keep the same proportions.
var Verdict = verdict.Config{Baseline: time.Minute, Window: 10 * time.Second}
