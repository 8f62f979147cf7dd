//go:build !race

package uiloop

import "time"

// BlockBound is the longest an Update+View may take in a chaos test: a
// frame that waited on a source would take a poll's timeout.
const BlockBound = 50 * time.Millisecond
