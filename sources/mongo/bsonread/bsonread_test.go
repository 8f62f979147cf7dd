package bsonread

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestDocsKeepsTheDocumentsOfAnArray(t *testing.T) {
	raw, err := bson.Marshal(bson.D{
		{Key: "mixed", Value: bson.A{bson.D{{Key: "a", Value: 1}}, 7, "x", bson.D{{Key: "b", Value: 2}}}},
		{Key: "empty", Value: bson.A{}},
		{Key: "scalar", Value: 3},
		{Key: "doc", Value: bson.D{{Key: "c", Value: 3}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := bson.Raw(raw)
	got := Docs(doc.Lookup("mixed"))
	if len(got) != 2 || got[0].Lookup("a").Int32() != 1 || got[1].Lookup("b").Int32() != 2 {
		t.Errorf("mixed: got %v, want the two documents in order", got)
	}
	for _, key := range []string{"empty", "scalar", "doc", "absent"} {
		if got := Docs(doc.Lookup(key)); got != nil {
			t.Errorf("%s: got %v, want none", key, got)
		}
	}
}
