//go:build race

package uiloop

import "time"

// BlockBound is the longest an Update+View may take in a chaos test. The
// race detector makes the same CPU work 5-10x slower on a 2-core runner,
// which is not blocking; a call that waited on a source (a 700 ms poll, a
// hung request) still exceeds this.
const BlockBound = 250 * time.Millisecond
