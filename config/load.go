package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a config file.
type Problem struct {
	Line int
	Key  string // dotted path, e.g. alerts.rules[0].threshold
	Msg  string
}

// Error lists every problem found in one file.
type Error struct {
	Path     string
	Problems []Problem
}

// Error is the first problem on one line, and how many more there are.
func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Path + ": invalid config"
	}
	s := e.Problems[0].format(e.Path)
	if n := len(e.Problems) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more: run 'stormwatch config validate %s')", n, e.Path)
	}
	return s
}

// Lines returns every problem, one per line.
func (e *Error) Lines() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.format(e.Path)
	}
	return out
}

func (p Problem) format(path string) string {
	loc := path
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	if p.Key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Key, p.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, p.Msg)
}

// ErrNotFound means no config file exists in any default place.
var ErrNotFound = errors.New("no config file found")

// Locate returns the config file to use: the flag's value, else
// $XDG_CONFIG_HOME/stormwatch/config.yaml (or ~/.config/...), else
// ./stormwatch.yaml. With no flag and no file it returns ErrNotFound and
// the places it looked.
func Locate(flag string) (string, []string, error) {
	if flag != "" {
		return flag, []string{flag}, nil
	}
	var tried []string
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".config")
		}
	}
	if dir != "" {
		tried = append(tried, filepath.Join(dir, "stormwatch", "config.yaml"))
	}
	tried = append(tried, "stormwatch.yaml")
	for _, p := range tried {
		if _, err := os.Stat(p); err == nil {
			return p, tried, nil
		}
	}
	return "", tried, ErrNotFound
}

// Load reads and checks a config file. Every problem is reported, with its
// line, in an *Error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config %s: file does not exist (create it from stormwatch.example.yaml, or drop --config to run the demo)", path)
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes and checks config bytes; path is used in messages.
func Parse(path string, data []byte) (*Config, error) {
	cfg := &Config{path: path}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Error{Path: path, Problems: []Problem{syntaxProblem(err)}}
	}
	cfg.lines = indexLines(&root)
	if emptyDocument(&root) {
		return nil, &Error{Path: path, Problems: []Problem{{Msg: "empty config: it names nothing to watch; add sources (see stormwatch.example.yaml), or run 'stormwatch demo'"}}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	problems := nonFinite(&root)
	if err := dec.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, &Error{Path: path, Problems: []Problem{syntaxProblem(err)}}
		}
		for _, msg := range te.Errors {
			problems = append(problems, cfg.lines.typeProblem(msg))
		}
	}
	cfg.path = path
	problems = append(problems, cfg.validate()...)
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		return nil, &Error{Path: path, Problems: problems}
	}
	return cfg, nil
}

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)

func syntaxProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Msg: "YAML syntax: " + m[2]}
	}
	return Problem{Msg: "YAML syntax: " + msg}
}

// lineIndex maps dotted key paths to the line of the key.
type lineIndex map[string]int

func indexLines(root *yaml.Node) lineIndex {
	idx := lineIndex{}
	walkYAML(root, func(path string, line int, _ *yaml.Node) { idx[path] = line })
	return idx
}

// walkYAML calls visit for every mapping value and sequence item below
// root with its dotted path ("alerts.rules[2].op") and the line of its key
// (of the item itself in a sequence). It is the one walk over a document:
// the line index and the non-finite check both read it.
func walkYAML(root *yaml.Node, visit func(path string, line int, n *yaml.Node)) {
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				visit(p, k.Line, n.Content[i+1])
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				visit(p, c.Line, c)
				walk(c, p)
			}
		}
	}
	walk(root, "")
}

// line returns the line of a key path, or of its nearest parent.
func (l lineIndex) line(path string) int {
	for path != "" {
		if n, ok := l[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// keyAt returns the deepest key path that starts on line n.
func (l lineIndex) keyAt(n int) string {
	best := ""
	for p, ln := range l {
		if ln == n && (len(p) > len(best) || len(p) == len(best) && p < best) {
			best = p
		}
	}
	return best
}

var (
	unknownRE = regexp.MustCompile(`^line (\d+): field (\S+) not found in type`)
	typeRE    = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+) `(.*)` into (\\S+)")
)

func (l lineIndex) typeProblem(msg string) Problem {
	if m := unknownRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Key: l.keyAt(n), Msg: fmt.Sprintf("unknown key %q (check the spelling against stormwatch.example.yaml)", m[2])}
	}
	if m := typeRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Key: l.keyAt(n), Msg: fmt.Sprintf("%q is not %s", m[3], describeType(m[4]))}
	}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Key: l.keyAt(n), Msg: m[2]}
	}
	return Problem{Msg: msg}
}

func describeType(t string) string {
	switch {
	case t == "time.Duration":
		return "a duration (like 30s, 5m, 1h)"
	case t == "float64" || strings.HasPrefix(t, "int"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "config."):
		return "a section of keys"
	}
	return "of type " + t
}
