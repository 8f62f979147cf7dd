package human

import (
	"testing"
	"time"
)

func TestBytesAndTrimZero(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0B"}, {999, "999B"}, {1000, "1kB"}, {41_200_000_000, "41.2GB"},
		{310_000_000, "310MB"}, {-2_500, "-2.5kB"}, {4e18, "4000PB"},
	} {
		if got := Bytes(c.in); got != c.want {
			t.Errorf("Bytes(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"4.0": "4", "4.05": "4.05", "12": "12", "0.5": "0.5"} {
		if got := TrimZero(in); got != want {
			t.Errorf("TrimZero(%q) = %q, want %q", in, got, want)
		}
	}
}

// The sentence forms read as the DB actions have always written them:
// a space before the unit, one decimal once scaled, none below 1000.
func TestTheFormsForASentence(t *testing.T) {
	for _, c := range []struct {
		in           float64
		bytes, count string
	}{
		{0, "0 B", "0"}, {950, "950 B", "950"}, {1000, "1.0 kB", "1.0 k"},
		{12_000, "12.0 kB", "12.0 k"}, {3_700_000, "3.7 MB", "3.7 M"},
		{2_100_000_000, "2.1 GB", "2.1 G"}, {310_000_000, "310.0 MB", "310.0 M"},
	} {
		if got := BytesInText(c.in); got != c.bytes {
			t.Errorf("BytesInText(%v) = %q, want %q", c.in, got, c.bytes)
		}
		if got := CountInText(c.in); got != c.count {
			t.Errorf("CountInText(%v) = %q, want %q", c.in, got, c.count)
		}
	}
}

func TestDurationReadsAsPeopleWriteIt(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Minute: "10m", 90 * time.Second: "1m30s", time.Hour: "1h", 90 * time.Minute: "1h30m",
		10 * time.Second: "10s", 12 * time.Hour: "12h", 0: "0s",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"100MB": 100 << 20, "512kb": 512 << 10, "1GB": 1 << 30, "4096": 4096} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1MB", "lots", "0"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
