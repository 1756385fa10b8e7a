package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldcms/herald/internal/errs"
)

// deliveryWorker sends one delivery per job. A retry is a snooze: Herald, not River's
// attempt count, decides when to give up (RetryFor), and a snooze can honour Retry-After.
type deliveryWorker struct {
	river.WorkerDefaults[DeliveryArgs]
	s *Service
}

// Timeout bounds a job: one attempt and the bookkeeping around it.
func (w *deliveryWorker) Timeout(*river.Job[DeliveryArgs]) time.Duration {
	return w.s.cfg.jobTimeout()
}

// Work sends the delivery once, records the attempt, and schedules the next one if the
// failure is worth retrying.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[DeliveryArgs]) error {
	s := w.s
	d, err := s.store.DeliveryByID(ctx, job.Args.Delivery)
	if errs.CodeOf(err) == errs.NotFound {
		return nil // its endpoint was deleted
	}
	if err != nil {
		return err
	}
	if d.State != Pending {
		return nil // a duplicate job of a delivery already done
	}
	e, err := s.store.EndpointByID(ctx, d.EndpointID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	// Delivery runs on the wall clock, as River does; s.cfg.Clock is content's (visibility).
	now := time.Now().UTC()
	if !e.Enabled {
		d.State, d.CompletedAt, d.NextAttemptAt, d.LastError = Failed, &now, nil, "not sent: endpoint disabled"
		return s.store.UpdateDelivery(ctx, d)
	}
	// One article's events reach an endpoint in the order they were written: wait for an
	// earlier one still being retried.
	next, earlier, err := s.store.EarlierPending(ctx, d)
	if err != nil {
		return err
	}
	if earlier {
		wait := s.cfg.PollInterval
		if next != nil && next.Sub(now) > wait {
			wait = next.Sub(now) + s.cfg.PollInterval
		}
		return river.JobSnooze(wait)
	}

	res := s.send(ctx, e, d)
	a := res.attempt(d.Attempts + 1)
	d.Attempts++
	d.LastStatus, d.LastError = a.Status, a.Error
	if d.FirstAttemptAt == nil {
		d.FirstAttemptAt = &a.At
	}
	var snooze time.Duration
	switch {
	case res.ok():
		d.State, d.CompletedAt, d.NextAttemptAt = Succeeded, &a.At, nil
		s.cfg.Observe("succeeded")
	case !res.retryable():
		d.State, d.CompletedAt, d.NextAttemptAt = Failed, &a.At, nil
		s.cfg.Observe("rejected")
	case a.At.Sub(*d.FirstAttemptAt) >= s.cfg.RetryFor:
		d.State, d.CompletedAt, d.NextAttemptAt = Failed, &a.At, nil
		d.LastError = fmt.Sprintf("gave up after %d attempts over %s: %s", d.Attempts, s.cfg.RetryFor, a.Error)
		s.cfg.Observe("failed")
	default:
		snooze = s.backoff(d.Attempts, res.retryAfter)
		at := a.At.Add(snooze)
		d.NextAttemptAt = &at
		s.cfg.Observe("retry")
	}
	if err := s.store.RecordAttempt(ctx, d, a); err != nil {
		return err
	}
	if err := s.endpointHealth(ctx, e, res.ok(), a); err != nil {
		return err
	}
	if snooze > 0 {
		return river.JobSnooze(snooze)
	}
	return nil
}

// endpointHealth clears an endpoint's failing mark on success; after a failure it disables
// the endpoint once it has failed for DisableAfter without a success.
func (s *Service) endpointHealth(ctx context.Context, e Endpoint, ok bool, a Attempt) error {
	if ok {
		if e.FailingSince == nil {
			return nil
		}
		return s.store.EndpointSucceeded(ctx, e.ID)
	}
	since, err := s.store.EndpointFailed(ctx, e.ID, a.At)
	if err != nil {
		return err
	}
	if a.At.Sub(since) < s.cfg.DisableAfter {
		return nil
	}
	reason := fmt.Sprintf("disabled by Herald at %s: every delivery failed since %s; last: %s",
		a.At.Format(time.RFC3339), since.Format(time.RFC3339), a.describe())
	s.cfg.Log.Warn("webhooks: endpoint disabled", "endpoint", e.ID, "url", e.URL, "reason", reason)
	return s.store.DisableEndpoint(ctx, e.ID, reason, a.At)
}

// backoff is the delay before attempt n+1: RetryBase doubled per attempt up to RetryMax,
// between half and all of it (jitter), or what the receiver asked for with Retry-After.
func (s *Service) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, 24*time.Hour)
	}
	d := s.cfg.RetryBase
	for i := 1; i < n && d < s.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, s.cfg.RetryMax)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// result is the outcome of one HTTP attempt.
type result struct {
	at         time.Time
	status     int
	err        error
	latency    time.Duration
	body       string
	retryAfter time.Duration
}

func (r result) ok() bool { return r.err == nil && r.status >= 200 && r.status < 300 }

// retryable: network errors, timeouts, 5xx and 429 are retried; other answers are final.
// A refused private address is final too: it will not become public by waiting.
func (r result) retryable() bool {
	if r.err != nil {
		return !errors.Is(r.err, ErrPrivateTarget)
	}
	return r.status >= 500 || r.status == http.StatusTooManyRequests
}

func (r result) attempt(n int) Attempt {
	a := Attempt{Attempt: n, At: r.at, Status: r.status, Latency: r.latency, Response: r.body}
	if r.err != nil {
		a.Error = r.err.Error()
	} else if !r.ok() {
		a.Error = "HTTP " + strconv.Itoa(r.status)
	}
	return a
}

func (a Attempt) describe() string {
	if a.Status != 0 {
		return "HTTP " + strconv.Itoa(a.Status)
	}
	return a.Error
}

// send makes one signed POST of d to e, within AttemptTimeout.
func (s *Service) send(ctx context.Context, e Endpoint, d Delivery) result {
	res := result{at: time.Now().UTC().Truncate(time.Microsecond)}
	wh, err := standardwebhooks.NewWebhook(e.Secret)
	if err != nil {
		res.err = fmt.Errorf("signing secret: %w", err)
		return res
	}
	ts := time.Now()
	sig, err := wh.Sign(d.ID, ts, d.Payload)
	if err != nil {
		res.err = err
		return res
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(d.Payload))
	if err != nil {
		res.err = err
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Herald-Webhooks/1")
	req.Header.Set("webhook-id", d.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	start := time.Now()
	resp, err := s.http.Do(req)
	if err != nil {
		res.latency = time.Since(start)
		res.err = cleanErr(err)
		return res
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxResponseExcerpt+utf8.UTFMax))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // keep the connection reusable
	_ = resp.Body.Close()
	res.latency = time.Since(start)
	res.status = resp.StatusCode
	res.body = excerpt(body)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		res.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return res
}

// cleanErr names a refused address plainly rather than as a dial error chain.
func cleanErr(err error) error {
	if errors.Is(err, ErrPrivateTarget) {
		return ErrPrivateTarget
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("timed out: " + err.Error())
	}
	return err
}

// excerpt is the start of a response body as valid UTF-8, at most MaxResponseExcerpt bytes.
func excerpt(b []byte) string {
	if len(b) > MaxResponseExcerpt {
		b = b[:MaxResponseExcerpt]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// parseRetryAfter reads seconds or an HTTP date; 0 when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
