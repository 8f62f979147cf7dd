package config

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/catalog"
	"github.com/stormwatch/stormwatch/text"
)

// problems collects validation problems, each at its key's line.
type problems struct {
	c  *Config
	ps []Problem
}

func (p *problems) bad(key, format string, args ...any) {
	p.ps = append(p.ps, Problem{Line: p.c.lines.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// validate checks values the YAML decoder cannot: enums, ranges, references
// and names. It returns every problem it finds.
func (c *Config) validate() []Problem {
	p := &problems{c: c}
	bad := p.bad
	if c.Version != 0 && c.Version != 1 {
		bad("version", "version %d is not supported: use 1", c.Version)
	}
	oneOf(bad, "ui.color", c.UI.Color, "auto", "always", "never")
	oneOf(bad, "ui.theme", c.UI.Theme, "auto", "dark", "light")
	oneOf(bad, "ui.palette", c.UI.Palette, "default", "colorblind")
	oneOf(bad, "ui.clock", c.UI.Clock, "utc", "local")
	oneOf(bad, "alerts.bell", c.Alerts.Bell, "off", "critical", "all")
	for i, p := range c.Alerts.BellAlarms {
		if _, err := path.Match(p, ""); err != nil {
			bad(fmt.Sprintf("alerts.bell_alarms[%d]", i), "%q is not a glob pattern (use * and ? like prod-*)", p)
		}
	}
	if c.UI.Range < 0 {
		bad("ui.range", "must be positive, like 15m")
	}
	if keeps := series.DefaultLayout.Keeps(); c.UI.Range > keeps {
		bad("ui.range", "%s is longer than the %s of history stormwatch keeps", human.Duration(c.UI.Range), human.Duration(keeps))
	}
	known := c.knownSeries()
	c.validatePanels(bad, known)
	names := map[string]string{}
	c.validateMongo(bad, names)
	c.validateCloudWatch(bad, names)
	hooks := c.validateHooks(bad)
	c.validateRules(bad, known, hooks)
	c.validateVerdict(bad, known)
	c.validatePlainText(bad)
	if c.Record.MaxSize != "" {
		if _, err := human.ParseSize(c.Record.MaxSize); err != nil {
			bad("record.max_size", "%s", err)
		}
	}
	if c.Serve.MaxSessions < 0 {
		bad("serve.max_sessions", "must be positive, like 16 (0 or none means the default)")
	}
	if c.Serve.IdleTimeout < 0 {
		bad("serve.idle_timeout", "must be positive, like 8h (0 or none means the default)")
	}
	return p.ps
}

// validatePlainText refuses a control or invisible character (an escape
// sequence, a bidi override, a zero-width space) in the config's own
// words: they reach the terminal, the timeline and the hooks as written.
func (c *Config) validatePlainText(bad badFunc) {
	check := func(key, s string) {
		if !text.Plain(s) {
			bad(key, "%q holds a control or invisible character: use plain text", s)
		}
	}
	check("ui.who", c.UI.Who)
	for i, p := range c.Panels {
		check(fmt.Sprintf("panels[%d].title", i), p.Title)
		check(fmt.Sprintf("panels[%d].unit", i), p.Unit)
	}
	for i, m := range c.Sources.Mongo {
		check(fmt.Sprintf("sources.mongo[%d].name", i), m.Name)
		for _, host := range slices.Sorted(maps.Keys(m.Aliases)) {
			check(fmt.Sprintf("sources.mongo[%d].aliases", i), host)
			check(fmt.Sprintf("sources.mongo[%d].aliases", i), m.Aliases[host])
		}
	}
	for i, cw := range c.Sources.CloudWatch {
		check(fmt.Sprintf("sources.cloudwatch[%d].name", i), cw.Name)
		check(fmt.Sprintf("sources.cloudwatch[%d].alarm_prefix", i), cw.AlarmPrefix)
	}
	for i, r := range c.Alerts.Rules {
		check(fmt.Sprintf("alerts.rules[%d].name", i), r.Name)
		check(fmt.Sprintf("alerts.rules[%d].runbook", i), r.Runbook)
	}
	for i, h := range c.Alerts.Hooks {
		check(fmt.Sprintf("alerts.hooks[%d].name", i), h.Name)
	}
}

type badFunc = func(key, format string, args ...any)

func (c *Config) validatePanels(bad badFunc, known func(string) bool) {
	for i, p := range c.Panels {
		k := fmt.Sprintf("panels[%d]", i)
		if len(p.Series) == 0 {
			bad(k+".series", "a panel needs at least one series, like [db.cpu]")
		}
		for j, s := range p.Series {
			if s != "" && !known(s) {
				bad(fmt.Sprintf("%s.series[%d]", k, j), "no source emits series %q (see the README for the series each source emits)", s)
			}
		}
		oneOf(bad, k+".color", p.Color, "blue", "red", "green", "yellow", "magenta", "cyan")
	}
}

func (c *Config) validateMongo(bad badFunc, names map[string]string) {
	for i, m := range c.Sources.Mongo {
		k := fmt.Sprintf("sources.mongo[%d]", i)
		switch {
		case m.URI == "" && m.URIEnv == "":
			bad(k, "set uri_env (the name of an environment variable holding the connection string) or uri")
		case m.URI != "" && m.URIEnv != "":
			bad(k+".uri", "set either uri or uri_env, not both")
		case m.URI != "" && !strings.HasPrefix(m.URI, "mongodb://") && !strings.HasPrefix(m.URI, "mongodb+srv://"):
			bad(k+".uri", "must start with mongodb:// or mongodb+srv://")
		case m.URI != "" && hasPassword(m.URI):
			bad(k+".uri", "holds a password: put the URI in an environment variable and name it with uri_env")
		case m.URI != "" && credentialOption(m.URI) != "":
			bad(k+".uri", "option %s carries a credential: put the URI in an environment variable and name it with uri_env", credentialOption(m.URI))
		}
		durations(bad, k, map[string]time.Duration{"interval": m.Interval, "timeout": m.Timeout, "repl_interval": m.ReplInterval})
		if m.Timeout > 0 && m.Interval > 0 && m.Timeout >= m.Interval {
			bad(k+".timeout", "must be shorter than interval (%s), so polls never pile up", m.Interval)
		}
		unique(bad, names, k+".name", nameOr(m.Name, catalog.MongoPrefix))
	}
}

func (c *Config) validateCloudWatch(bad badFunc, names map[string]string) {
	for i, cw := range c.Sources.CloudWatch {
		k := fmt.Sprintf("sources.cloudwatch[%d]", i)
		durations(bad, k, map[string]time.Duration{"interval": cw.Interval, "alarms_interval": cw.AlarmsInterval})
		for _, inst := range []struct {
			key string
			in  *Instance
		}{{"main", cw.Main}, {"db", cw.DB}} {
			if inst.in != nil && count(inst.in.ID != "", inst.in.Name != "", inst.in.ASG != "") != 1 {
				bad(k+"."+inst.key, "set exactly one of instance (i-...), name_tag or asg (an Auto Scaling group name)")
			}
			if inst.in != nil && inst.in.ID != "" && !strings.HasPrefix(inst.in.ID, "i-") {
				bad(k+"."+inst.key+".instance", "%q is not an EC2 instance id (i-...)", inst.in.ID)
			}
		}
		for j, m := range cw.Metrics {
			validateMetric(bad, fmt.Sprintf("%s.metrics[%d]", k, j), m)
		}
		unique(bad, names, k+".name", nameOr(cw.Name, "aws"))
	}
}

func validateMetric(bad badFunc, mk string, m Metric) {
	if m.Series == "" {
		bad(mk+".series", "name the series this metric becomes, like main.requests")
	} else if !seriesName.MatchString(m.Series) {
		bad(mk+".series", "%q: use lower-case words joined by dots, like main.requests", m.Series)
	}
	if (m.Expression == "") == (m.Namespace == "" || m.Metric == "") {
		bad(mk, "set namespace and metric, or expression (not both)")
	}
	if p := m.Period; p != 0 && !(p%time.Minute == 0 || p == time.Second || p == 5*time.Second ||
		p == 10*time.Second || p == 20*time.Second || p == 30*time.Second) {
		bad(mk+".period", "%s: CloudWatch periods are 1s, 5s, 10s, 20s, 30s or a multiple of 60s", p)
	}
}

// validateHooks returns the names of the hooks, for rules to refer to.
func (c *Config) validateHooks(bad badFunc) map[string]bool {
	hooks := map[string]bool{}
	for i, h := range c.Alerts.Hooks {
		k := fmt.Sprintf("alerts.hooks[%d]", i)
		n := 0
		for _, set := range []bool{len(h.Command) > 0, h.URL != "", h.URLEnv != ""} {
			if set {
				n++
			}
		}
		if n != 1 {
			bad(k, "set exactly one of command (an argv list), webhook or webhook_env")
		}
		if h.Name == "" {
			bad(k+".name", "every hook needs a name (rules refer to hooks by name)")
		} else if hooks[h.Name] {
			bad(k+".name", "hook name %q is used twice", h.Name)
		}
		for j, on := range h.On {
			oneOf(bad, fmt.Sprintf("%s.on[%d]", k, j), on, "firing", "resolved", "pending", "nodata")
		}
		if h.Name != "" {
			hooks[h.Name] = true
		}
	}
	return hooks
}

func (c *Config) validateRules(bad badFunc, known func(string) bool, hooks map[string]bool) {
	defaults := map[string]bool{}
	for _, d := range DefaultRules() {
		defaults[d.Name] = true
	}
	for i, r := range c.Alerts.Rules {
		k := fmt.Sprintf("alerts.rules[%d]", i)
		if r.Disabled && defaults[r.Name] {
			continue // switching a built-in rule off needs nothing else
		}
		_, errs := r.toRule()
		for _, err := range errs {
			bad(k+"."+err.key, "%s", err.msg)
		}
		if r.Series != "" && !known(r.Series) {
			bad(k+".series", "unknown series %q (see the README for the series each source emits)", r.Series)
		}
		for j, h := range r.Hooks {
			if !hooks[h] {
				bad(fmt.Sprintf("%s.hooks[%d]", k, j), "no hook named %q in alerts.hooks", h)
			}
		}
	}
}

var seriesName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)

// credentialOptions are URI options whose value is, or holds, a secret.
var credentialOptions = []string{"password", "authmechanismproperties", "tlscertificatekeyfilepassword",
	"sslpemkeypassword", "secret", "token", "aws_session_token", "aws_secret_access_key"}

// credentialOption names the first option in the URI's query that carries
// a credential (MONGODB-AWS's AWS_SESSION_TOKEN in authMechanismProperties,
// a key file's password), or "". The option's value is never returned.
func credentialOption(uri string) string {
	_, query, ok := strings.Cut(uri, "?")
	if !ok {
		return ""
	}
	for _, kv := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' }) {
		key, val, _ := strings.Cut(kv, "=")
		lk := strings.ToLower(key)
		secret := slices.Contains(credentialOptions, lk) || strings.Contains(lk, "password") || strings.Contains(lk, "secret") || strings.Contains(lk, "token")
		if secret && (lk != "authmechanismproperties" || credentialProperty(val)) {
			return key
		}
	}
	return ""
}

// credentialProperty: authMechanismProperties is fine with SERVICE_NAME
// or ENVIRONMENT, not with a session token or key.
func credentialProperty(val string) bool {
	v := strings.ToUpper(val)
	return strings.Contains(v, "AWS_SESSION_TOKEN") || strings.Contains(v, "AWS_SECRET_ACCESS_KEY") || strings.Contains(v, "SECRET") || strings.Contains(v, "TOKEN") || strings.Contains(v, "PASSWORD")
}

func hasPassword(uri string) bool {
	rest := uri[strings.Index(uri, "://")+3:]
	at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@")
	return at >= 0 && strings.Contains(rest[:at], ":")
}

func oneOf(bad func(string, string, ...any), key, v string, allowed ...string) {
	if v == "" {
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	bad(key, "%q: use one of %s", v, strings.Join(allowed, ", "))
}

func durations(bad func(string, string, ...any), prefix string, ds map[string]time.Duration) {
	for k, d := range ds {
		switch {
		case d < 0:
			bad(prefix+"."+k, "%s: must be positive", d)
		case d > 0 && d < MinInterval && strings.HasSuffix(k, "interval"):
			bad(prefix+"."+k, "%s: the shortest interval is %s (0s or none means the default)", d, MinInterval)
		}
	}
}

func unique(bad func(string, string, ...any), seen map[string]string, key, name string) {
	if prev, ok := seen[name]; ok {
		bad(key, "source name %q is already used by %s: names prefix series, so they must differ", name, prev)
	}
	seen[name] = key
}

func nameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

type ruleError struct{ key, msg string }

// toRule converts a rule as written into an alert.Rule with the defaults
// filled in: 1 of 1 datapoints, warning, no data shown as NO DATA. It
// lists every problem, each naming its key; the rule is usable only when
// there are none.
func (r Rule) toRule() (alert.Rule, []ruleError) {
	out := alert.Rule{Name: r.Name, Series: r.Series, Op: alert.Op(r.Op), Clear: r.Clear, For: r.For,
		Severity: alert.Severity(r.Severity), NoData: alert.NoData(r.NoData), Runbook: r.Runbook}
	var errs []ruleError
	if r.Name == "" {
		errs = append(errs, ruleError{"name", "every rule needs a name"})
	}
	if r.Series == "" {
		errs = append(errs, ruleError{"series", "name the series to watch, like db.cpu"})
	}
	if r.Threshold == nil {
		errs = append(errs, ruleError{"threshold", "set the threshold, like 80"})
	} else {
		out.Threshold = *r.Threshold
	}
	if out.Op == "" {
		errs = append(errs, ruleError{"op", `set op to one of ">", ">=", "<", "<="`})
	}
	if out.Severity == "" {
		out.Severity = alert.Warning
	}
	if out.NoData == "" {
		out.NoData = alert.NoDataState
	}
	if r.Datapoints != "" {
		m, n, ok := parseMofN(r.Datapoints)
		if !ok {
			errs = append(errs, ruleError{"datapoints", fmt.Sprintf("%q: write it as M of N, like \"3 of 3\"", r.Datapoints)})
		}
		out.M, out.N = m, n
	}
	for _, p := range out.Problems() {
		switch {
		case p.Field == "op" && r.Op == "": // already asked for above
		case p.Field == "clear" && r.Threshold == nil: // nothing to compare with
		default:
			errs = append(errs, ruleError{p.Field, p.Msg})
		}
	}
	return out, errs
}

func parseMofN(s string) (int, int, bool) {
	f := strings.Fields(s)
	if len(f) != 3 || f[1] != "of" {
		return 0, 0, false
	}
	m, err1 := strconv.Atoi(f[0])
	n, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || m < 1 || n < 1 || m > n || n > 100 {
		return 0, 0, false
	}
	return m, n, true
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func (c *Config) validateVerdict(bad badFunc, known func(string) bool) {
	v := c.Verdict
	if v.Requests != "" && !known(v.Requests) {
		bad("verdict.requests", "no source emits series %q: add a CloudWatch metric with that series (an ALB's RequestCount, stat Sum)", v.Requests)
	}
	if v.Baseline < 0 || v.Window < 0 {
		bad("verdict", "baseline and window must be positive, like 10m and 1m")
	}
	if v.Baseline > 0 && v.Window > 0 && v.Window >= v.Baseline {
		bad("verdict.window", "%s is not shorter than the baseline (%s): the recent window must be the shorter", v.Window, v.Baseline)
	}
}
