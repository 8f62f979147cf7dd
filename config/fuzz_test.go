package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse: whatever the bytes, Parse never panics, and a failure is a
// *Error whose every problem formats to one line naming the file.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("../stormwatch.example.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("ui:\n  colour: never\n"))
	f.Add([]byte("sources:\n  mongo:\n    - name: db\n      uri: mongodb://u:p@h/\n"))
	f.Add([]byte("alerts:\n  rules:\n    - name: x\n      series: db.cpu\n      op: '>'\n      threshold: 80\n      datapoints: 3 of 2\n"))
	f.Add([]byte("{"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data)
		if err == nil {
			if cfg == nil {
				t.Fatal("no config and no error")
			}
			_ = cfg.Rules()
			return
		}
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("error is %T, not *config.Error: %v", err, err)
		}
		if len(ce.Problems) == 0 {
			t.Fatalf("an Error with no problems: %v", err)
		}
		for _, l := range ce.Lines() {
			if !strings.HasPrefix(l, "fuzz.yaml") || strings.Contains(l, "\n") {
				t.Fatalf("problem line %q does not start with the file or spans lines", l)
			}
		}
	})
}
