// Package text is the one sanitiser for text that comes from outside:
// MongoDB app names, client hosts, namespaces and collection names,
// CloudWatch alarm names and reasons, SSH user names and key comments,
// operator notes, and lines read back from recordings and timeline files.
//
// Such text is held as a Safe, a distinct type whose only constructor is
// Clean, so a viewer or file writer that takes a Safe cannot be handed raw
// outside text by mistake: forgetting the sanitiser is a compile error.
//
// Clean makes every character that could steer a terminal or hide what
// the text says visible instead: C0 controls (including ESC, CR, LF, TAB),
// DEL, C1 controls (U+0080-U+009F, among them the one-byte CSI U+009B and
// OSC U+009D), Unicode format characters (bidi overrides and isolates such
// as U+202E, zero-width characters such as U+200B, the BOM), the line and
// paragraph separators, and invalid UTF-8. Each becomes a Go-style escape
// ("\x1b", "\n", "\u202e", "\xff" for a bad byte), so one line stays one
// line, nothing is silently dropped, and the width a Safe reports is the
// width the terminal will draw. Clean is idempotent: an escape is plain
// printable ASCII, which Clean leaves alone.
package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// MaxRunes bounds a Safe: outside text longer than this (a 1 MB alarm
// reason) is cut, with Ellipsis as its last rune, so no single name can
// cost unbounded memory or drawing time.
const MaxRunes = 4096

// Ellipsis is the visible mark of a cut.
const Ellipsis = "…"

// Safe is text that has passed Clean: it holds no control character, no
// bidi or zero-width character and no invalid UTF-8. The zero value is the
// empty text. A Safe is compared with ==.
type Safe struct{ s string }

// Clean returns s with every unsafe character replaced by its visible
// escape, cut to MaxRunes. It is the only way to make a non-empty Safe.
func Clean(s string) Safe {
	if isClean(s) {
		return Safe{s}
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	n, cut := 0, false
	for i := 0; i < len(s) && !cut; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x` + hex2(s[i]))
			n += 4
		case unsafeRune(r):
			e := escape(r)
			b.WriteString(e)
			n += len(e)
		default:
			b.WriteString(s[i : i+size])
			n++
		}
		i += size
		cut = n > MaxRunes
	}
	if cut {
		rs := []rune(b.String())[:MaxRunes-1]
		return Safe{string(rs) + Ellipsis}
	}
	return Safe{b.String()}
}

// Join joins safe parts with sep (itself cleaned), for building one line
// from several outside strings.
func Join(parts []Safe, sep string) Safe {
	ss := make([]string, len(parts))
	for i, p := range parts {
		ss[i] = p.s
	}
	return Clean(strings.Join(ss, sep))
}

// Plain reports whether s holds no character Clean would escape (its
// length aside): what a config file's own words must be.
func Plain(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// isClean is the fast path: plain printable ASCII within the bound (most
// names) needs no copy.
func isClean(s string) bool {
	if len(s) > MaxRunes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// unsafeRune reports the runes Clean escapes.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r <= 0x9f: // C1
		return true
	case r == utf8.RuneError: // a literal U+FFFD is fine; only bad bytes are escaped above
		return false
	}
	// Cf covers bidi embeddings, overrides and isolates, zero-width space,
	// joiners, word joiner, BOM, soft hyphen, interlinear annotation and tag
	// characters; Zl and Zp are U+2028 and U+2029 (line breaks).
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Cc)
}

func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x80 {
		return `\x` + hex2(byte(r))
	}
	h := strconv.FormatInt(int64(r), 16)
	if r > 0xffff {
		return `\U` + strings.Repeat("0", 8-len(h)) + h
	}
	return `\u` + strings.Repeat("0", 4-len(h)) + h
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// String returns the sanitised text.
func (t Safe) String() string { return t.s }

// IsEmpty reports whether t is the empty text.
func (t Safe) IsEmpty() bool { return t.s == "" }

// Width is the number of terminal cells t takes.
func (t Safe) Width() int {
	if isClean(t.s) {
		return len(t.s)
	}
	return ansi.StringWidth(t.s)
}

// Truncate returns t cut to at most w cells, ending in Ellipsis when it was
// cut. Cutting a Safe keeps it safe (graphemes are never split).
func (t Safe) Truncate(w int) Safe {
	if w <= 0 {
		return Safe{}
	}
	if t.Width() <= w {
		return t
	}
	return Safe{ansi.Truncate(t.s, w, Ellipsis)}
}

// MarshalText writes the sanitised text, so JSON and YAML files hold the
// visible escapes, never the raw characters.
func (t Safe) MarshalText() ([]byte, error) { return []byte(t.s), nil }

// UnmarshalText cleans what it reads: a recording or timeline file edited
// by someone else is outside text too.
func (t *Safe) UnmarshalText(b []byte) error {
	*t = Clean(string(b))
	return nil
}
