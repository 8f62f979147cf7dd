package config

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The example config documents every section the README says it does:
// every top-level key of Config, and the alert hooks.
func TestTheExampleConfigShowsEverySection(t *testing.T) {
	data, err := os.ReadFile("../stormwatch.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ct := reflect.TypeOf(Config{})
	for i := range ct.NumField() {
		key, _, _ := strings.Cut(ct.Field(i).Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		if _, ok := doc[key]; !ok {
			t.Errorf("stormwatch.example.yaml has no %s section", key)
		}
	}
	if alerts, _ := doc["alerts"].(map[string]any); alerts == nil || alerts["hooks"] == nil {
		t.Error("stormwatch.example.yaml shows no alerts.hooks")
	}
}
