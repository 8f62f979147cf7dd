package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// MinInterval is the shortest poll interval a config may ask for: below it
// a poll cannot finish before the next is due (an interval of 1ns left the
// source in "timeout" for good). 0s, or no interval at all, means the
// source's default.
const MinInterval = time.Second

// nonFinite finds every number in the document that is NaN or infinite
// (YAML's .nan, .inf, -.inf): a NaN threshold never fires, and an infinite
// one with a NaN clear flipped an alert every poll. They are refused
// wherever they appear, with the key and line.
func nonFinite(root *yaml.Node) []Problem {
	var out []Problem
	walkYAML(root, func(path string, _ int, n *yaml.Node) {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!float" {
			return
		}
		switch strings.ToLower(strings.TrimLeft(n.Value, "+-")) {
		case ".nan", ".inf":
			out = append(out, Problem{Line: n.Line, Key: path, Msg: fmt.Sprintf("%s is not a finite number: use a number such as 80", n.Value)})
		}
	})
	return out
}

// emptyDocument reports a file with nothing in it but comments and blanks.
func emptyDocument(root *yaml.Node) bool {
	return root.Kind == 0 || (root.Kind == yaml.DocumentNode && (len(root.Content) == 0 || root.Content[0].Kind == yaml.ScalarNode && root.Content[0].Tag == "!!null"))
}
