package text

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestCleanMakesEveryUnsafeCharacterVisible(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain ascii is kept", "orders-api", "orders-api"},
		{"a carriage return cannot overwrite its own row", "alarm-ta\r✔ OK", `alarm-ta\r✔ OK`},
		{"a newline cannot push the footer off", "a\nb", `a\nb`},
		{"a tab is shown", "a\tb", `a\tb`},
		{"ESC of a CSI is shown", "x\x1b[2Jy", `x\x1b[2Jy`},
		{"an OSC 8 hyperlink is shown", "\x1b]8;;http://evil\x07click\x1b]8;;\x07", `\x1b]8;;http://evil\x07click\x1b]8;;\x07`},
		{"OSC 52 clipboard write is shown", "\x1b]52;c;aGk=\x1b\\", `\x1b]52;c;aGk=\x1b\`},
		{"BEL and BS are shown", "a\x07\x08b", `a\x07\x08b`},
		{"DEL is shown", "a\x7fb", `a\x7fb`},
		{"NUL is shown", "a\x00b", `a\x00b`},
		{"C1 CSI U+009B is shown", "a\u009b2Jb", `a\u009b2Jb`},
		{"C1 OSC U+009D is shown", "a\u009d0;t\u009cb", `a\u009d0;t\u009cb`},
		{"a bidi override is shown", "abc\u202edcb", `abc\u202edcb`},
		{"bidi isolates are shown", "\u2066x\u2069", `\u2066x\u2069`},
		{"a zero-width space is shown", "ad\u200bmin", `ad\u200bmin`},
		{"a BOM is shown", "\ufeffname", `\ufeffname`},
		{"a line separator is shown", "a\u2028b", `a\u2028b`},
		{"a tag character is shown", "a\U000E0041b", `a\U000e0041b`},
		{"an invalid byte is shown", "a\xffb", `a\xffb`},
		{"a C1 byte outside UTF-8 is shown", "a\x9b2J", `a\x9b2J`},
		{"wide and accented text is kept", "注文-café", "注文-café"},
		{"a literal replacement char is kept", "a\ufffdb", "a\ufffdb"},
		{"empty stays empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(tc.in)
			if got.String() != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got.String(), tc.want)
			}
			if again := Clean(got.String()); again != got {
				t.Errorf("not idempotent: %q -> %q", got.String(), again.String())
			}
		})
	}
}

func TestCleanBoundsLength(t *testing.T) {
	got := Clean(strings.Repeat("\x1b", 100000))
	if n := utf8.RuneCountInString(got.String()); n != MaxRunes {
		t.Fatalf("got %d runes, want %d", n, MaxRunes)
	}
	if !strings.HasSuffix(got.String(), Ellipsis) {
		t.Errorf("a cut text does not end with %q", Ellipsis)
	}
	if Clean(got.String()) != got {
		t.Error("a cut text is not stable under Clean")
	}
	if s := Clean(strings.Repeat("a", MaxRunes)); s.String() != strings.Repeat("a", MaxRunes) {
		t.Error("text of exactly MaxRunes runes was cut")
	}
}

func TestWidthIsMeasuredOnTheSanitisedText(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"abc", 3},
		{"a\rb", 4},     // a \ r b
		{"a\u202eb", 8}, // a \u202e b
		{"注文", 4},
		{"a\u200bb", 8},
	}
	for _, tc := range tests {
		if got := Clean(tc.in).Width(); got != tc.want {
			t.Errorf("Clean(%q).Width() = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestTruncateMarksTheCut(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want string
	}{
		{"orders-api", 20, "orders-api"},
		{"orders-api", 10, "orders-api"},
		{"orders-api", 7, "orders…"},
		{"注文注文", 5, "注文…"},
		{"a\x1bb", 3, `a\…`},
		{"abc", 0, ""},
		{"abc", 1, "…"},
	}
	for _, tc := range tests {
		got := Clean(tc.in).Truncate(tc.w)
		if got.String() != tc.want {
			t.Errorf("Clean(%q).Truncate(%d) = %q, want %q", tc.in, tc.w, got.String(), tc.want)
		}
		if got.Width() > tc.w {
			t.Errorf("Truncate(%d) is %d cells wide", tc.w, got.Width())
		}
	}
}

func TestJSONHoldsTheEscapesAndReadingCleans(t *testing.T) {
	var s Safe
	if err := s.UnmarshalText([]byte("x\u202ey")); err != nil {
		t.Fatal(err)
	}
	if s.String() != `x\u202ey` {
		t.Errorf("UnmarshalText kept raw text: %q", s.String())
	}
	b, _ := s.MarshalText()
	if string(b) != `x\u202ey` {
		t.Errorf("MarshalText = %q", b)
	}
}

// FuzzClean: whatever the input, Clean's output holds no control, format
// or line-breaking character and no invalid UTF-8, is one line, is
// unchanged by a second Clean, reports the width the terminal measures,
// and truncated to any width never exceeds that width.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"orders-api", "alarm-ta\r✔ OK", "\x1b]8;;x\x07y", "\u009b2J", "a\u202eb", "注文\u200b", "\xff\xfe", "\\x1b"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, in string, w int) {
		got := Clean(in)
		s := got.String()
		if !utf8.ValidString(s) {
			t.Fatalf("Clean(%q) is not valid UTF-8: %q", in, s)
		}
		for _, r := range s {
			if unsafeRune(r) {
				t.Fatalf("Clean(%q) = %q keeps %U", in, s, r)
			}
		}
		if strings.ContainsAny(s, "\x1b\n\r") {
			t.Fatalf("Clean(%q) = %q holds ESC, CR or LF", in, s)
		}
		if Clean(s) != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, s, Clean(s).String())
		}
		if got.Width() != ansi.StringWidth(s) {
			t.Fatalf("Width(%q) = %d, terminal width %d", s, got.Width(), ansi.StringWidth(s))
		}
		w = w % 300
		if w < 0 {
			w = -w
		}
		cut := got.Truncate(w)
		if cut.Width() > w {
			t.Fatalf("Truncate(%d) of %q is %d cells: %q", w, s, cut.Width(), cut.String())
		}
		if Clean(cut.String()) != cut {
			t.Fatalf("a truncated Safe is not clean: %q", cut.String())
		}
	})
}

func TestPlainIsWhatCleanLeavesAlone(t *testing.T) {
	for s, want := range map[string]bool{
		"db-cpu-high": true, "Ünïcode — ✓": true, "": true, strings.Repeat("a", MaxRunes+10): true,
		"a\x1b[31m": false, "a\u202e": false, "a\u200b": false, "a\n": false, "a\x9b": false, "a\xff": false,
	} {
		if got := Plain(s); got != want {
			t.Errorf("Plain(%q) = %v, want %v", s, got, want)
		}
		if len(s) < MaxRunes && Plain(s) != (Clean(s).String() == s) {
			t.Errorf("Plain(%q) disagrees with Clean", s)
		}
	}
}
