package demo

import "go.mongodb.org/mongo-driver/v2/bson"

// Rename makes the scripted primary answer $currentOp and top with every
// string and field name passed through f: app names, client addresses and
// namespaces become whatever a test wants the real sources to read (the
// hostile-input corpus of issue 14). Requests are not renamed, so the
// collection-stats replies keep the story's names.
func (b *Backend) Rename(f func(string) string) {
	b.mongod.mu.Lock()
	defer b.mongod.mu.Unlock()
	b.mongod.rename = f
}

func (m *mongod) renameFunc() func(string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rename
}

// renamed is v with every string and document key passed through f.
func renamed(v any, f func(string) string) any {
	switch v := v.(type) {
	case bson.D:
		out := make(bson.D, len(v))
		for i, e := range v {
			out[i] = bson.E{Key: f(e.Key), Value: renamed(e.Value, f)}
		}
		return out
	case bson.A:
		out := make(bson.A, len(v))
		for i, e := range v {
			out[i] = renamed(e, f)
		}
		return out
	case string:
		return f(v)
	}
	return v
}
