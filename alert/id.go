package alert

// ID identifies an alert: the rule and the series key it watches (a
// member's key when the rule's series has members). It is the one identity
// the engine, notify, the timeline and the viewers use; nobody takes the
// printed subject apart to find the rule again.
type ID struct {
	Rule string
	Key  string
}

// Subject is the alert as it reads in the timeline: "db-cpu-high
// db.cpu@mongo-1:27017".
func (id ID) Subject() string { return id.Rule + " " + id.Key }

// ID is the alert this status is about.
func (s Status) ID() ID { return ID{Rule: s.Rule, Key: s.Key} }
