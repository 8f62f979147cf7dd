package statefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAStateFileThatIsALinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious\n"), 0o600)
	link := filepath.Join(dir, "hooks.log")
	if err := os.Symlink(victim, link); err != nil {
		t.Skip(err)
	}
	f, err := OpenAppend(link)
	if !errors.Is(err, ErrLink) {
		if f != nil {
			f.Close()
		}
		t.Fatalf("err = %v, want ErrLink", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
		t.Errorf("the link's target changed: %q", b)
	}
	f, err = OpenAppend(filepath.Join(dir, "timeline.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if st, _ := os.Stat(filepath.Join(dir, "timeline.jsonl")); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

func TestAStateDirOthersCanWriteIsRefusedWithTheFix(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := EnsureDir(dir); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("created with mode %v, want 0700", st.Mode().Perm())
	}
	os.Chmod(dir, 0o777)
	err := EnsureDir(dir)
	if err == nil || !strings.Contains(err.Error(), "chmod 700 "+dir) {
		t.Errorf("err = %v, want the fix named", err)
	}
}
