package catalog

import (
	"fmt"
	"strings"
)

// Markdown is the list as the README's series table.
func (l List) Markdown() string {
	var b strings.Builder
	b.WriteString("| Series | Unit | Kind | Per member | What it is |\n|---|---|---|---|---|\n")
	for _, e := range l {
		per := ""
		if e.PerMember {
			per = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", e.Name, e.Unit, e.Kind, per, e.Description)
	}
	return b.String()
}
