package mongo

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FuzzParseReplies feeds arbitrary BSON documents to every decoder of a
// server reply: serverStatus (the whole poll path: gauges and rates against
// a real previous sample), hello, replSetGetStatus and listShards. None may
// panic: pollOne runs them on a member goroutine, where the engine's
// recover in safePoll cannot catch a panic and the process would die.
//
// Bytes that are not valid BSON are skipped: bson.Raw.Lookup panics on
// them, but the driver validates every reply and turns a malformed one into
// an error before the source sees it (TestMalformedRepliesAreErrors).
//
// The seeds are real replies from shared/fixtures/mongo (trimmed as the
// source asks) plus the checked-in corpus in testdata/fuzz; set
// STORMWATCH_WRITE_SEEDS=1 to refresh that corpus from the fixtures.
func FuzzParseReplies(f *testing.F) {
	for _, doc := range fixtureSeeds(f) {
		f.Add([]byte(doc))
	}
	prev := parseStatus(seedPrev())
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := bson.Raw(data)
		if doc.Validate() != nil {
			return
		}
		st := parseStatus(doc)
		_ = gauges(st)
		_ = rates(&prev, st, 4)
		_ = rates(&st, prev, 0)
		_ = restarted(prev, st)
		_ = parseHello(doc)
		rs := parseReplStatus(doc)
		_ = rs.lag()
		_ = parseShards(doc)
	})
}

// seedPrev is a plausible previous sample, one second before the fuzzed one.
func seedPrev() bson.Raw {
	raw, _ := bson.Marshal(bson.D{
		{Key: "host", Value: "h:27017"}, {Key: "version", Value: "8.0.4"}, {Key: "process", Value: "mongod"},
		{Key: "pid", Value: int64(1)}, {Key: "uptime", Value: 100.0},
		{Key: "localTime", Value: bson.NewDateTimeFromTime(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))},
		{Key: "extra_info", Value: bson.D{{Key: "user_time_us", Value: int64(1e6)}, {Key: "system_time_us", Value: int64(1e6)}}},
		{Key: "opcounters", Value: bson.D{{Key: "insert", Value: int32(5)}, {Key: "query", Value: int64(7)}, {Key: "command", Value: 9.0}}},
	})
	return raw
}

// fixtureSeeds are trimmed serverStatus replies and the other commands'
// replies from the shared fixtures, when they are there.
func fixtureSeeds(f *testing.F) []bson.Raw {
	dir := os.Getenv("STORMWATCH_FIXTURES")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "fixtures", "mongo")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var out []bson.Raw
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var doc bson.Raw
		if bson.UnmarshalExtJSON(data, false, &doc) != nil {
			continue
		}
		if filepath.Base(path)[:len("serverStatus")] == "serverStatus" {
			for _, storage := range []bool{false, true} {
				req, _ := bson.Marshal(statusCommand(storage))
				raw, err := bson.Marshal(trimAsServer(&testing.T{}, doc, req))
				if err == nil {
					out = append(out, raw)
				}
			}
			continue
		}
		out = append(out, doc)
	}
	if os.Getenv("STORMWATCH_WRITE_SEEDS") != "" {
		writeSeeds(f, "FuzzParseReplies", out)
	}
	return out
}

// writeSeeds stores seeds in the corpus format go test reads.
func writeSeeds(f *testing.F, name string, seeds []bson.Raw) {
	dir := filepath.Join("testdata", "fuzz", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		if len(s) > 6<<10 {
			continue // the corpus stays small; big replies seed only from the fixtures
		}
		sum := sha256.Sum256(s)
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(s)) + ")\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%x", sum[:8])), []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
}
