package human

import "testing"

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
