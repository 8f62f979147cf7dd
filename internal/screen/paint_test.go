package screen

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
)

// frame is a dashboard view as the ui package's golden files hold it
// (plain and coloured), at the size it was made for.
type frame struct {
	name    string
	content string
	w, h    int
}

var sizeInName = regexp.MustCompile(`_(\d+)x(\d+)`)

// frames reads every golden file of the ui package: whatever is there,
// however many.
func frames(t *testing.T) []frame {
	t.Helper()
	paths, err := filepath.Glob("../../ui/testdata/*.golden")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden views in ui/testdata (%v)", err)
	}
	var out []frame
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := frame{name: filepath.Base(p), content: string(b), w: 120, h: 40}
		if m := sizeInName.FindStringSubmatch(f.name); m != nil {
			f.w, _ = strconv.Atoi(m[1])
			f.h, _ = strconv.Atoi(m[2])
		}
		out = append(out, f)
	}
	return out
}

// whole draws content as Bubble Tea's renderer does: the whole string
// into a cleared buffer.
func whole(content string, w, h int) uv.ScreenBuffer {
	buf := uv.NewScreenBuffer(w, h)
	uv.NewStyledString(content).Draw(buf, buf.Bounds())
	return buf
}

func sameCells(t *testing.T, what string, want, got interface{ CellAt(x, y int) *uv.Cell }, w, h int) {
	t.Helper()
	for y := range h {
		for x := range w {
			a, b := want.CellAt(x, y), got.CellAt(x, y)
			if a == nil && b == nil {
				continue
			}
			if a == nil || b == nil || !a.Equal(b) {
				t.Fatalf("%s: cell %d,%d is %+v, want %+v", what, x, y, b, a)
			}
		}
	}
}

// The painter draws each line on its own (and only those that changed);
// for every view the dashboard has, that is the frame Bubble Tea would
// have drawn, cell for cell, styles included.
func TestEachLineDrawnAloneIsTheWholeFrame(t *testing.T) {
	for _, f := range frames(t) {
		p := newPainter(io.Discard, colorprofile.TrueColor)
		p.size(f.w, f.h)
		p.paint(tea.View{Content: f.content})
		sameCells(t, f.name, whole(f.content, f.w, f.h), p.buf, f.w, f.h)
	}
}

// What the painter writes, frame after frame, leaves a terminal showing
// the last frame as a fresh terminal would show it drawn once: the
// lines it skipped were right, the ones it drew are right.
func TestATerminalShowsTheLastFrameAfterAnyBefore(t *testing.T) {
	bySize := map[[2]int][]frame{}
	for _, f := range frames(t) {
		k := [2]int{f.w, f.h}
		bySize[k] = append(bySize[k], f)
	}
	for size, fs := range bySize {
		w, h := size[0], size[1]
		seq := append(slices.Clone(fs), fs[0])
		slices.Reverse(fs)
		seq = append(seq, fs...)
		term, d := terminal(w, h)
		for i, f := range seq {
			d.show(tea.View{Content: f.content})
			d.frame()
			fresh := onTerminal(w, h, f.content)
			sameCells(t, strconv.Itoa(i)+" "+f.name, fresh, term, w, h)
		}
	}
}

// Nothing changed, nothing written; one line changed, that line.
func TestOnlyWhatChangedIsWritten(t *testing.T) {
	f := frames(t)[0]
	var out bytes.Buffer
	d := newDisplay(&out, colorprofile.TrueColor, f.w, f.h)
	d.show(tea.View{Content: f.content})
	d.frame()
	full := out.Len()
	if full == 0 {
		t.Fatal("the first frame wrote nothing")
	}
	out.Reset()
	d.show(tea.View{Content: f.content})
	d.frame()
	if out.Len() != 0 {
		t.Fatalf("an unchanged view wrote %q", out.String())
	}
	lines := strings.Split(f.content, "\n")
	lines[0] = "changed" + strings.Repeat(" ", 3)
	d.show(tea.View{Content: strings.Join(lines, "\n")})
	d.frame()
	if out.Len() == 0 || out.Len() > full/4 || !strings.Contains(out.String(), "changed") {
		t.Fatalf("one changed line wrote %d bytes (the whole frame %d): %q", out.Len(), full, out.String())
	}
}

// tea.Raw (the bell) reaches the terminal with the next frame, not on a
// ticker; so do Bubble Tea's own writes past its renderer.
func TestTheBellAndQueriesGoOutBetweenFrames(t *testing.T) {
	var out bytes.Buffer
	d := newDisplay(&out, colorprofile.TrueColor, 20, 3)
	if msg := d.filter(nil, tea.RawMsg{Msg: "\a\a"}); msg != nil {
		t.Fatalf("the bell went on to the model as %#v", msg)
	}
	if msg := d.filter(nil, tea.KeyPressMsg{Code: 'q'}); msg == nil {
		t.Fatal("a key was swallowed")
	}
	d.Write([]byte("\x1b]11;?\x07")) //nolint:errcheck // never fails
	select {
	case <-d.wake:
	default:
		t.Fatal("the painter was not woken")
	}
	d.frame()
	if got := out.String(); !strings.Contains(got, "\a\a") || !strings.Contains(got, "\x1b]11;?\x07") {
		t.Fatalf("wrote %q", got)
	}
}
