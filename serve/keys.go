package serve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"charm.land/ssh"
	"github.com/charmbracelet/keygen"
	"github.com/stormwatch/stormwatch/text"
)

// keyEntry is one line of an authorized_keys file.
type keyEntry struct {
	key     ssh.PublicKey
	comment string
}

// readKeys parses an authorized_keys file. A line that does not parse is
// an error naming the file and line, so a typo never silently locks
// someone out (or in).
func readKeys(path string) ([]keyEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []keyEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, _, _, err := ssh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, keyEntry{key: key, comment: comment})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// identity is who a key belongs to and whether it may act.
type identity struct {
	who      text.Safe // the key's comment or the SSH user name: outside text
	operator bool
}

// lookup finds key in the operators file, then in authorized_keys. The
// files are read on every login, so adding or removing a key needs no
// restart. ok is false for a key in neither.
func (s *Server) lookup(key ssh.PublicKey, user string) (identity, bool) {
	find := func(path string) (string, bool) {
		if path == "" {
			return "", false
		}
		entries, err := readKeys(path)
		if err != nil {
			s.logf("serve: %v", err)
			return "", false
		}
		for _, e := range entries {
			if ssh.KeysEqual(e.key, key) {
				return e.comment, true
			}
		}
		return "", false
	}
	name := func(comment string) text.Safe {
		if comment != "" {
			return text.Clean(comment)
		}
		return text.Clean(user)
	}
	if c, ok := find(s.cfg.Operators); ok {
		return identity{who: name(c), operator: true}, true
	}
	if c, ok := find(s.cfg.AuthorizedKeys); ok {
		return identity{who: name(c)}, true
	}
	return identity{}, false
}

// hostKey returns the server's private key file, generating an Ed25519 key
// (0600, in a 0700 directory) on first start so clients see the same host
// key across restarts.
func hostKey(path string) (string, error) {
	if _, err := os.Stat(path); err == nil {
		return path, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("host key %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("host key directory: %w", err)
	}
	if _, err := keygen.New(path, keygen.WithKeyType(keygen.Ed25519), keygen.WithWrite()); err != nil {
		return "", fmt.Errorf("generate host key %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return "", fmt.Errorf("host key %s: %w", path, err)
	}
	return path, nil
}
