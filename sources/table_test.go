package sources

import (
	"encoding/json"
	"testing"
)

func TestTablesRoundTripAndOldRecordingsStillRead(t *testing.T) {
	t.Run("a typed table survives JSON", func(t *testing.T) {
		in := Table{Name: "top clients", Columns: []Column{{Title: "app", Kind: Name}, {Title: "longest", Kind: Seconds}},
			Rows: []Row{R(Str("server-c\x1b[2J"), Num(27.4)), R(Str("api"), NoValue())}, Highlight: 0}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out Table
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		if out.Rows[0].Plain() != `server-c\x1b[2J|27.4` || out.Rows[1].Plain() != "api|-" || out.Columns[1].Kind != Seconds {
			t.Errorf("got %+v from %s", out, b)
		}
	})
	t.Run("a table recorded as strings reads as text cells", func(t *testing.T) {
		old := `{"Name":"top clients","Columns":["app","conns"],"Rows":[["server-c\u001b]0;x\u0007","180"]],"Highlight":0,"Note":"n\u202e"}`
		var out Table
		if err := json.Unmarshal([]byte(old), &out); err != nil {
			t.Fatal(err)
		}
		if out.Columns[1] != (Column{Title: "conns", Kind: Label}) || out.Rows[0].Plain() != `server-c\x1b]0;x\x07|180` || out.Note.String() != `n\u202e` {
			t.Errorf("got %+v", out)
		}
	})
}
