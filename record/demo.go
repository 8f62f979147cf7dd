package record

import (
	"bytes"
	_ "embed" // the demo recording
)

// demoRecording is the scripted demo incident, one 180 s loop recorded
// through the engine with a fake clock; TestDemoRecordingIsUpToDate
// regenerates it with -update (or go generate).
//
//go:embed demo.jsonl.gz
var demoRecording []byte

// DemoLabel marks a replay of the demo recording on screen.
const DemoLabel = "DEMO: recorded replay of a peak-day incident (not real data)"

// Demo returns the built-in demo recording.
func Demo() (*Recording, error) {
	return Read(bytes.NewReader(demoRecording))
}
