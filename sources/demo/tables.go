package demo

import "github.com/stormwatch/stormwatch/sources"

// tables are what $currentOp and $collStats show in the scenario: who is
// connected and busy, what is scanning, what is large.
func tables(st State) []sources.Table {
	top := sources.Table{
		Name:      "top clients",
		Columns:   []string{"app", "conns", "active", "longest", "share"},
		Highlight: -1,
	}
	slow := sources.Table{
		Name:      "slow ops",
		Columns:   []string{"ns", "op", "plan", "secs", "app"},
		Highlight: -1,
	}
	if st.ServerCActive {
		top.Rows = [][]string{
			{"server-c", "180", "34", "27s", "71%"},
			{"api-main", "260", "12", "0.4s", "25%"},
			{"webview", "40", "2", "0.1s", "4%"},
		}
		top.Highlight = 0
		slow.Rows = [][]string{
			{"cctv.events", "find", "COLLSCAN", "27", "server-c"},
			{"cctv.events", "find", "COLLSCAN", "19", "server-c"},
			{"cctv.events", "find", "COLLSCAN", "8", "server-c"},
		}
		slow.Highlight = 0
	} else {
		top.Rows = [][]string{
			{"api-main", "90", "3", "0.01s", "75%"},
			{"webview", "25", "1", "0.01s", "25%"},
			{"server-c", "5", "0", "-", "0%"},
		}
		slow.Note = "no operation running longer than 1s"
	}
	colls := sources.Table{
		Name:      "largest collections",
		Columns:   []string{"ns", "docs", "size", "growth/h"},
		Highlight: 0,
		Rows: [][]string{
			{"cctv.events", "3.7M", "41.2GB", "+52k"},
			{"app.sessions", "820k", "2.1GB", "+3k"},
			{"app.users", "96k", "310MB", "+120"},
		},
	}
	return []sources.Table{top, slow, colls}
}
