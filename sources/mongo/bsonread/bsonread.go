// Package bsonread holds the reads of a BSON reply that the MongoDB source,
// its index advice, check and the demo's scripted mongod all need, so each
// is written once (a leaf: it imports nothing of stormwatch, so indexadvice
// can use it without importing the source).
package bsonread

import "go.mongodb.org/mongo-driver/v2/bson"

// Docs is the documents of a BSON array, in order; any other element of the
// array is skipped, and a value that is not an array has none.
func Docs(v bson.RawValue) []bson.Raw {
	arr, ok := v.ArrayOK()
	if !ok {
		return nil
	}
	vals, _ := arr.Values()
	var out []bson.Raw
	for _, x := range vals {
		if d, ok := x.DocumentOK(); ok {
			out = append(out, d)
		}
	}
	return out
}
