package catalog

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoOtherCodeSpellsASeriesName keeps this package the one owner of the
// built-in series names: product code refers to the constants, so a rename
// happens here and nowhere else. Tests may spell names out (they check
// what a person sees).
func TestNoOtherCodeSpellsASeriesName(t *testing.T) {
	names := map[string]bool{}
	for _, n := range All().Names() {
		names[n] = true
	}
	root := "../.."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			filepath.Base(filepath.Dir(path)) == "catalog" {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var s scanner.Scanner
		fset := token.NewFileSet()
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING {
				continue
			}
			if v, err := strconv.Unquote(lit); err == nil && names[v] {
				t.Errorf("%s: %q: use the constant from sources/catalog", fset.Position(pos), v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
