package record_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/record"
)

// FuzzRead: whatever the bytes, Read never panics, and any error names the
// line where the damage is.
func FuzzRead(f *testing.F) {
	f.Add([]byte(header + `{"k":"a","t":1000,"v":1}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := record.Read(bytes.NewReader(data))
		if err == nil {
			if rec == nil {
				t.Fatal("no recording and no error")
			}
			return
		}
		var de *record.DamageError
		if !errors.As(err, &de) || de.Line < 1 || !strings.Contains(err.Error(), fmt.Sprintf("line %d: ", de.Line)) {
			t.Fatalf("error without a line number: %v", err)
		}
		if rec != nil && rec.Lines >= de.Line {
			t.Fatalf("read %d good lines but damage is at line %d", rec.Lines, de.Line)
		}
	})
}
