package mongo

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// slowQueryID is the structured log's id of a "Slow query" line (4.4+).
const slowQueryID = 51803

// slowEntry is one "Slow query" line of the structured log: what the
// server measured for one finished operation.
type slowEntry struct {
	shape                                    queryShape
	at                                       time.Time
	millis, docsExamined, keysExamined, nret float64
}

// parseLogLine reads one line of getLog "global" (relaxed Extended JSON).
// Anything but a readable "Slow query" line is skipped: the RAM log holds
// every kind of message, and a line a newer server words differently must
// not stop the others.
func parseLogLine(line string) (e slowEntry, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var d bson.Raw
	if err := bson.UnmarshalExtJSON([]byte(line), false, &d); err != nil {
		return slowEntry{}, false
	}
	id := num(d, "id")
	if !id.OK || id.V != slowQueryID {
		return slowEntry{}, false
	}
	attr, ok := d.Lookup("attr").DocumentOK()
	if !ok {
		return slowEntry{}, false
	}
	e.shape = shapeOf(attr)
	if t, ok := d.Lookup("t").TimeOK(); ok {
		e.at = t.UTC()
	}
	e.millis = num(attr, "durationMillis").V
	e.docsExamined = num(attr, "docsExamined").V
	e.keysExamined = num(attr, "keysExamined").V
	e.nret = num(attr, "nreturned").V
	return e, true
}

// logCursor follows getLog "global" across polls. The server keeps the
// last 1024 lines in RAM and counts every line it ever wrote
// (totalLinesWritten), so the difference between two reads says how many
// lines are new, and how many scrolled away unseen.
type logCursor struct {
	total  int64 // totalLinesWritten at the last read; -1 before the first
	missed int64 // lines written between reads that the RAM log no longer held
}

// newLines returns the lines of a getLog reply not seen at the last read.
// After a restart (the count went down) every line is new.
func (c *logCursor) newLines(reply bson.Raw) []string {
	total := int64(num(reply, "totalLinesWritten").V)
	lines := strs(reply, "log")
	fresh := int64(len(lines))
	if c.total >= 0 && total >= c.total {
		fresh = total - c.total
	}
	if fresh > int64(len(lines)) {
		c.missed += fresh - int64(len(lines))
		fresh = int64(len(lines))
	}
	c.total = total
	return lines[int64(len(lines))-fresh:]
}
