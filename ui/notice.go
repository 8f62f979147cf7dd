package ui

import tea "charm.land/bubbletea/v2"

// Notice is a message that shows text on the status line for a while, as
// an action's answer does; a server sends it to tell one viewer something
// ("your terminal is larger than this server draws").
func Notice(text string) tea.Msg { return actionMsg{text} }
