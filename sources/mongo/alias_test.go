package mongo

import (
	"strings"
	"testing"
)

func TestAnAliasNamesTheMemberOnScreenAndInSeriesKeys(t *testing.T) {
	f := newFake()
	srv := startFake(t, f)
	s := newSource(t, "mongodb://"+srv.Addr(), func(c *Config) {
		c.Aliases = map[string]string{srv.Addr(): "mongo-db-1"}
	})
	mustPoll(t, s)
	res := mustPoll(t, s)
	if len(res.Members) != 1 || res.Members[0].ID != "mongo-db-1" {
		t.Fatalf("members %+v", res.Members)
	}
	for _, smp := range res.Samples {
		if !strings.HasSuffix(smp.Key, "@mongo-db-1") {
			t.Fatalf("series key %q does not use the alias", smp.Key)
		}
	}
}
