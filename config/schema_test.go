package config

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The JSON Schema in docs/ is what editors complete and check the file
// against; these tests keep it in step with the structs the decoder fills,
// key for key and type for type, without a JSON Schema library.

const schemaPath = "../docs/stormwatch.schema.json"

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Items                *schema            `json:"items"`
	AdditionalProperties any                `json:"additionalProperties"`
	Enum                 []any              `json:"enum"`
	Pattern              string             `json:"pattern"`
	Defs                 map[string]*schema `json:"$defs"`
}

func loadSchema(t *testing.T) *schema {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	return &s
}

// resolve follows a local $ref ("#/$defs/name").
func (root *schema) resolve(s *schema) *schema {
	for s != nil && s.Ref != "" {
		s = root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
	}
	return s
}

// jsonType is the JSON Schema type a Go field decodes from; "" for a
// section (an object with keys of its own).
func jsonType(t reflect.Type) string {
	if t == reflect.TypeOf(time.Duration(0)) {
		return "string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonType(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Map:
		return "object"
	}
	return ""
}

// goKeys lists every key path the decoder accepts, with its JSON type:
// "sources.mongo[].uri_env" -> "string".
func goKeys(t reflect.Type, prefix string, out map[string]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		path := prefix + name
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Duration(0)):
			out[path] = "object"
			goKeys(ft, path+".", out)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out[path] = "array"
			goKeys(ft.Elem(), path+"[].", out)
		default:
			out[path] = jsonType(ft)
		}
	}
}

// schemaKeys lists every key path the schema describes, with its type.
func schemaKeys(root, s *schema, prefix string, out map[string]string) {
	s = root.resolve(s)
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := root.resolve(s.Properties[n])
		path := prefix + n
		typ := p.Type
		if typ == "" && len(p.Enum) > 0 {
			typ = enumType(p.Enum)
		}
		out[path] = typ
		switch {
		case len(p.Properties) > 0:
			schemaKeys(root, p, path+".", out)
		case p.Items != nil && len(root.resolve(p.Items).Properties) > 0:
			schemaKeys(root, p.Items, path+"[].", out)
		}
	}
}

func enumType(vals []any) string {
	switch vals[0].(type) {
	case string:
		return "string"
	case float64:
		return "integer"
	}
	return ""
}

func TestTheSchemaDescribesExactlyTheKeysTheDecoderAccepts(t *testing.T) {
	root := loadSchema(t)
	want := map[string]string{}
	goKeys(reflect.TypeOf(Config{}), "", want)
	got := map[string]string{}
	schemaKeys(root, root, "", got)
	for k, typ := range want {
		st, ok := got[k]
		switch {
		case !ok:
			t.Errorf("%s: the config accepts key %s but the schema lacks it", schemaPath, k)
		case st != typ:
			t.Errorf("%s: key %s is %q in the schema but decodes from %q", schemaPath, k, st, typ)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: the schema describes key %s, which the config does not accept", schemaPath, k)
		}
	}
}

func TestEverySchemaSectionRefusesUnknownKeys(t *testing.T) {
	root := loadSchema(t)
	var walk func(s *schema, path string)
	walk = func(s *schema, path string) {
		s = root.resolve(s)
		if len(s.Properties) > 0 && s.AdditionalProperties != false {
			t.Errorf("%s: section %q does not set additionalProperties: false (the decoder refuses unknown keys)", schemaPath, path)
		}
		for n, p := range s.Properties {
			walk(p, strings.TrimPrefix(path+"."+n, "."))
		}
		if s.Items != nil {
			walk(s.Items, path+"[]")
		}
	}
	walk(root, "")
}

// The example file is what people copy: it must pass the schema's key,
// type, enum and pattern checks, as the editor will apply them.
func TestTheExampleConfigMatchesTheSchema(t *testing.T) {
	root := loadSchema(t)
	data, err := os.ReadFile("../stormwatch.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range validateNode(root, root, doc.Content[0], "") {
		t.Errorf("stormwatch.example.yaml: %s", p)
	}
}

func TestTheSchemaCheckerFindsMistakes(t *testing.T) {
	root := loadSchema(t)
	src := "ui:\n  colour: auto\n  color: purple\n  range: soon\nsources:\n  mongo:\n    - uri: http://x\n      interval: 1s\nalerts:\n  rules:\n    - name: x\n      threshold: high\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	got := validateNode(root, root, doc.Content[0], "")
	want := []string{
		`line 2: ui.colour: unknown key`,
		`line 3: ui.color: "purple" is not one of the allowed values`,
		`line 4: ui.range: "soon" does not match ^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$`,
		`line 7: sources.mongo[0].uri: "http://x" does not match ^mongodb(\+srv)?://`,
		`line 12: alerts.rules[0].threshold: "high" is not a number`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// validateNode applies the parts of JSON Schema the schema uses for
// values: properties, additionalProperties, items, type, enum, pattern.
func validateNode(root, s *schema, n *yaml.Node, path string) []string {
	s = root.resolve(s)
	var out []string
	bad := func(format string, args ...any) {
		out = append(out, "line "+strconv.Itoa(n.Line)+": "+path+": "+fmt.Sprintf(format, args...))
	}
	switch n.Kind {
	case yaml.MappingNode:
		if s.Type != "" && s.Type != "object" {
			bad("a section where %s belongs", s.Type)
			return out
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kp := strings.TrimPrefix(path+"."+k.Value, ".")
			if p, ok := s.Properties[k.Value]; ok {
				out = append(out, validateNode(root, p, v, kp)...)
				continue
			}
			if extra, ok := s.AdditionalProperties.(map[string]any); ok && extra["type"] == "string" && v.Kind == yaml.ScalarNode {
				continue
			}
			out = append(out, "line "+strconv.Itoa(k.Line)+": "+kp+": unknown key")
		}
	case yaml.SequenceNode:
		if s.Type != "array" {
			bad("a list where %s belongs", nameOr(s.Type, "a value"))
			return out
		}
		for i, c := range n.Content {
			out = append(out, validateNode(root, s.Items, c, path+"["+strconv.Itoa(i)+"]")...)
		}
	case yaml.ScalarNode:
		if len(s.Enum) > 0 {
			if !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprintf("%v", e) == n.Value }) {
				bad("%q is not one of the allowed values", n.Value)
			}
			return out
		}
		switch s.Type {
		case "number", "integer":
			if n.Tag != "!!int" && n.Tag != "!!float" {
				bad("%q is not a number", n.Value)
			}
		case "boolean":
			if n.Tag != "!!bool" {
				bad("%q is not true or false", n.Value)
			}
		case "string":
			if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(n.Value) {
				bad("%q does not match %s", n.Value, s.Pattern)
			}
		default:
			bad("%q where %s belongs", n.Value, nameOr(s.Type, "a section"))
		}
	}
	return out
}
