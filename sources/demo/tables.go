package demo

import (
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// tables are what $currentOp and $collStats show in the scenario: who is
// connected and busy, what is scanning, what is large.
func tables(st State) []sources.Table {
	s, n := sources.Str, sources.Num
	top := sources.Table{
		Name: "top clients",
		Columns: []sources.Column{{Title: "app", Kind: sources.Name}, {Title: "conns", Kind: sources.Count},
			{Title: "active", Kind: sources.Count}, {Title: "longest", Kind: sources.Seconds}, {Title: "share", Kind: sources.Percent}},
		Highlight: -1,
	}
	slow := sources.Table{
		Name: "slow ops",
		Columns: []sources.Column{{Title: "ns", Kind: sources.Name}, {Title: "op", Kind: sources.Label},
			{Title: "plan", Kind: sources.Label}, {Title: "secs", Kind: sources.Seconds}, {Title: "app", Kind: sources.Name}},
		Highlight: -1,
	}
	if st.ServerCActive {
		top.Rows = []sources.Row{
			sources.R(s("server-c"), n(180), n(34), n(27), n(71)),
			sources.R(s("api-main"), n(260), n(12), n(0.4), n(25)),
			sources.R(s("webview"), n(40), n(2), n(0.1), n(4)),
		}
		top.Highlight = 0
		slow.Rows = []sources.Row{
			sources.R(s("cctv.events"), s("find"), s("COLLSCAN"), n(27), s("server-c")),
			sources.R(s("cctv.events"), s("find"), s("COLLSCAN"), n(19), s("server-c")),
			sources.R(s("cctv.events"), s("find"), s("COLLSCAN"), n(8), s("server-c")),
		}
		slow.Highlight = 0
	} else {
		top.Rows = []sources.Row{
			sources.R(s("api-main"), n(90), n(3), n(0.01), n(75)),
			sources.R(s("webview"), n(25), n(1), n(0.01), n(25)),
			sources.R(s("server-c"), n(5), n(0), sources.NoValue(), n(0)),
		}
		slow.Note = text.Clean("no operation running longer than 1s")
	}
	colls := sources.Table{
		Name: "largest collections",
		Columns: []sources.Column{{Title: "ns", Kind: sources.Name}, {Title: "docs", Kind: sources.Count},
			{Title: "size", Kind: sources.Bytes}, {Title: "growth/h", Kind: sources.PerHour}},
		Highlight: 0,
		Rows: []sources.Row{
			sources.R(s("cctv.events"), n(3.7e6), n(41.2e9), n(52e3)),
			sources.R(s("app.sessions"), n(820e3), n(2.1e9), n(3e3)),
			sources.R(s("app.users"), n(96e3), n(310e6), n(120)),
		},
	}
	return []sources.Table{top, slow, colls}
}
