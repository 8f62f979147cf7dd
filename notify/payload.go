package notify

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Payload is the JSON body a webhook receives. It is a Slack incoming-webhook
// message (Slack reads "text" and "blocks" and ignores the rest), and
// "stormwatch" carries the fields for any other receiver.
type Payload struct {
	Text       string  `json:"text"`
	Blocks     []Block `json:"blocks,omitempty"`
	Stormwatch Fields  `json:"stormwatch"`
}

// Block is a Slack section block with mrkdwn text.
type Block struct {
	Type string    `json:"type"`
	Text BlockText `json:"text"`
}

// BlockText is the text of a Block.
type BlockText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Fields is the alert in machine-readable form. Value is null when it is not
// a finite number (JSON has no NaN).
type Fields struct {
	Rule        string   `json:"rule"`
	Series      string   `json:"series"`
	State       string   `json:"state"`
	Severity    string   `json:"severity"`
	Value       *float64 `json:"value"`
	At          string   `json:"at"` // RFC 3339, UTC
	Description string   `json:"description"`
	Runbook     string   `json:"runbook"`
}

// SlackPayload renders the webhook body for a.
func SlackPayload(a Alert) ([]byte, error) {
	f := Fields{
		Rule: a.Rule, Series: a.Series, State: a.State, Severity: a.Severity,
		At: a.At.UTC().Format(time.RFC3339), Description: a.Description, Runbook: a.Runbook,
	}
	if !math.IsNaN(a.Value) && !math.IsInf(a.Value, 0) {
		v := a.Value
		f.Value = &v
	}
	detail := fmt.Sprintf("*%s* %s `%s` on `%s`\nvalue %s at %s UTC: %s",
		slackEscape(a.State), slackEscape(a.Severity), slackEscape(a.Rule), slackEscape(a.Series),
		formatValue(a.Value), a.At.UTC().Format("2006-01-02 15:04:05"), slackEscape(a.Description))
	if a.Runbook != "" {
		detail += "\nrunbook: " + slackEscape(a.Runbook)
	}
	p := Payload{
		Text:       slackEscape(Summary(a)),
		Blocks:     []Block{{Type: "section", Text: BlockText{Type: "mrkdwn", Text: detail}}},
		Stormwatch: f,
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode webhook body for %s: %w", a.Rule, err)
	}
	return b, nil
}

// Summary is the alert as one plain line, for "text" and for logs.
func Summary(a Alert) string {
	s := fmt.Sprintf("[%s] %s %s on %s = %s (%s)", a.State, a.Severity, a.Rule, a.Series, formatValue(a.Value), a.Description)
	if a.Runbook != "" {
		s += " runbook: " + a.Runbook
	}
	return strings.Join(strings.Fields(s), " ")
}

func formatValue(v float64) string {
	return fmt.Sprintf("%.4g", v)
}

// slackEscaper escapes the three characters Slack treats as markup.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackEscape(s string) string { return slackEscaper.Replace(s) }
