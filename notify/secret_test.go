package notify

import (
	"os"
	"testing"
)

func TestACommandHookDoesNotInheritTheSecrets(t *testing.T) {
	t.Setenv("SW_TEST_MONGODB_URI", "mongodb://admin:hunter2@db:27017")
	t.Setenv("SW_TEST_KEEP", "1")
	for _, tc := range []struct {
		name, variable, want string
	}{
		{"a variable named secret is removed", "SW_TEST_MONGODB_URI", "false"},
		{"the rest of the environment stays", "SW_TEST_KEEP", "true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir() + "/has.txt"
			warnings := run(t, Config{Hooks: []Hook{probeHook("page", 0, "has", out, tc.variable)}, Secret: []string{"SW_TEST_MONGODB_URI"}},
				snap(firing(t0, "db-cpu", "db.cpu@a", 93.5)))
			if len(warnings) != 0 {
				t.Fatalf("warnings: %q", warnings)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("%s in the hook's environment: %s, want %s", tc.variable, got, tc.want)
			}
		})
	}
}
