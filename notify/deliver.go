package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/sources"
)

// permanent marks a failure that retrying cannot fix (a 404 webhook, a
// program that does not exist).
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// deliver runs one job with retries. It never panics out: a bug in a hook
// path must not take the dashboard down in the middle of an incident.
func (n *notifier) deliver(j job) {
	what := fmt.Sprintf("%s %s %s", j.alert.State, j.alert.Rule, j.alert.Series)
	defer func() {
		if r := recover(); r != nil {
			n.warn(fmt.Sprintf("hook %s: %s: internal error: %v", j.hook.Name, what, r))
		}
	}()
	attempts := n.retries + 1
	var err error
	for i := range attempts {
		if i > 0 && !n.sleep(n.delay(i, err)) {
			n.log.printf("hook %s: %s: gave up retrying at shutdown: %v", j.hook.Name, what, err)
			return
		}
		if !n.acquire() {
			n.log.printf("hook %s: %s: not run: shutting down", j.hook.Name, what)
			return
		}
		err = n.attemptHeld(j)
		if err == nil {
			n.log.printf("hook %s: %s: delivered", j.hook.Name, what)
			return
		}
		n.log.printf("hook %s: %s: attempt %d of %d failed: %v", j.hook.Name, what, i+1, attempts, err)
		var p permanent
		if errors.As(err, &p) {
			attempts = i + 1
			break
		}
	}
	n.warn(fmt.Sprintf("hook %s failed for %s after %d attempt(s): %v", j.hook.Name, what, attempts, err))
}

// acquire takes a concurrency slot, or reports false once Run is stopping.
func (n *notifier) acquire() bool {
	if n.ctx.Err() != nil {
		return false
	}
	select {
	case n.sem <- struct{}{}:
		return true
	case <-n.ctx.Done():
		return false
	}
}

// delay is the wait before retry i (1-based): Backoff·2^(i-1), capped, ±50%,
// or longer if the receiver asked for it with Retry-After.
func (n *notifier) delay(i int, last error) time.Duration {
	d := sources.Jitter(sources.Backoff(n.backoff, maxBackoff, i), 0.5)
	var ra retryAfter
	if errors.As(last, &ra) && ra.wait > d {
		d = min(ra.wait, maxBackoff)
	}
	return d
}

// retryAfter is a failure whose receiver said when to come back.
type retryAfter struct {
	error
	wait time.Duration
}

func (r retryAfter) Unwrap() error { return r.error }

// attemptHeld runs one attempt in a concurrency slot the caller acquired, and
// gives the slot back even if the attempt panics.
func (n *notifier) attemptHeld(j job) (err error) {
	defer func() {
		<-n.sem
		if r := recover(); r != nil {
			err = permanent{fmt.Errorf("internal error: %v", r)}
		}
	}()
	return n.attempt(j)
}

func (n *notifier) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-n.ctx.Done():
		return false
	}
}

// attempt runs the hook once. Its context outlives Run's on purpose: an
// attempt that has started finishes or times out, it is not cut off halfway
// through a page because the user quit.
func (n *notifier) attempt(j job) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(n.ctx), j.hook.Timeout)
	defer cancel()
	var err error
	if len(j.hook.Command) > 0 {
		err = n.runCommand(ctx, j)
	} else {
		err = n.post(ctx, j)
	}
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timed out after %s: %w", j.hook.Timeout, err)
	}
	return err
}

// Environment variables a command hook receives on top of stormwatch's own.
const (
	EnvRule        = "STORMWATCH_RULE"
	EnvSeries      = "STORMWATCH_SERIES"
	EnvState       = "STORMWATCH_STATE"
	EnvSeverity    = "STORMWATCH_SEVERITY"
	EnvValue       = "STORMWATCH_VALUE"
	EnvAt          = "STORMWATCH_AT"
	EnvDescription = "STORMWATCH_DESCRIPTION"
	EnvRunbook     = "STORMWATCH_RUNBOOK"
)

// Env is the alert as environment variables, in a fixed order.
func (a Alert) Env() []string {
	return []string{
		EnvRule + "=" + a.Rule,
		EnvSeries + "=" + a.Series,
		EnvState + "=" + a.State,
		EnvSeverity + "=" + a.Severity,
		EnvValue + "=" + strconv.FormatFloat(a.Value, 'f', -1, 64),
		EnvAt + "=" + a.At.UTC().Format(time.RFC3339),
		EnvDescription + "=" + a.Description,
		EnvRunbook + "=" + a.Runbook,
	}
}

// environ is this process's environment less the secrets.
func (n *notifier) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !n.secret[k] {
			env = append(env, kv)
		}
	}
	return env
}

const maxOutput = 64 << 10

func (n *notifier) runCommand(ctx context.Context, j job) error {
	argv := j.hook.Command
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(n.environ(), j.alert.Env()...)
	var out capped
	cmd.Stdout, cmd.Stderr = &out, &out // the same writer: one goroutine, lines in order
	// A grandchild that keeps the pipes open must not hold us past the kill.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	for _, line := range strings.Split(strings.TrimRight(out.b.String(), "\n"), "\n") {
		if line != "" {
			n.log.printf("hook %s: %s", j.hook.Name, line)
		}
	}
	if out.dropped > 0 {
		n.log.printf("hook %s: (%d more bytes of output dropped)", j.hook.Name, out.dropped)
	}
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
		return permanent{fmt.Errorf("run %s: %w", argv[0], err)}
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", argv[0], err)
	}
	return nil
}

// capped keeps the first maxOutput bytes: a chatty hook must not eat memory.
type capped struct {
	b       bytes.Buffer
	dropped int
}

func (c *capped) Write(p []byte) (int, error) {
	keep := min(len(p), max(maxOutput-c.b.Len(), 0))
	c.b.Write(p[:keep])
	c.dropped += len(p) - keep
	return len(p), nil
}

func (n *notifier) post(ctx context.Context, j job) error {
	body, err := SlackPayload(j.alert)
	if err != nil {
		return permanent{err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.hook.URL, bytes.NewReader(body))
	if err != nil {
		return permanent{fmt.Errorf("webhook request: %w", scrubURL(err))}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "stormwatch")
	resp, err := n.client.Do(req)
	if err != nil {
		return fmt.Errorf("post webhook: %w", scrubURL(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	if resp.StatusCode/100 == 2 {
		return nil
	}
	err = fmt.Errorf("webhook answered %s: %s", resp.Status, strings.TrimSpace(string(snippet)))
	if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
		return permanent{err}
	}
	if secs, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && secs > 0 {
		return retryAfter{err, time.Duration(secs) * time.Second}
	}
	return err
}

// scrubURL drops the URL from an HTTP client error: a Slack webhook URL is a
// secret in its path, which Redact (userinfo only) would not catch.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}
