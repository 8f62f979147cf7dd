package demo

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CulpritReply answers the diagnostic commands the MongoDB source sends for
// its culprit panels ($currentOp, top, $collStats...) from the scenario
// state. It returns false for a command it does not script, which the
// scripted mongod answers with CommandNotFound, exactly as an old server
// would.
//
// STUB: the culprit-panel work fills this in with replies shaped like the
// real captures.
func CulpritReply(cmd string, body bson.Raw, st State, now time.Time) (bson.D, bool) {
	return nil, false
}
