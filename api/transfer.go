package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"
)

// Media uploads and downloads are the transfers a slow link can make long: 25 MB at 80 KB/s
// takes five minutes. Every other request keeps the server's tight totals (the whole request
// read in RequestTimeout, the answer written in RequestTimeout); these instead get progress
// deadlines. Each read of the body and each write of the file must happen within the idle
// timeout of the previous one, and the transfer must keep an average of at least the
// minimum rate after a grace period as long as the idle timeout: a slow link that keeps
// moving finishes, a stalled or trickling client (slowloris) is cut.

// Defaults of the transfer limits.
const (
	DefaultTransferIdle    = 30 * time.Second
	DefaultTransferMinRate = 8 << 10 // bytes per second
)

// pace computes the deadline of the next read or write of a transfer.
type pace struct {
	idle  time.Duration
	rate  int64 // bytes per second
	start time.Time
	n     int64 // bytes moved so far
}

// deadline is when next more bytes must have moved: within idle of now (plus the time next
// bytes take at the minimum rate: a write hands over up to 32 KiB at once), and no later
// than the minimum rate allows for everything so far, after a grace of idle.
func (p *pace) deadline(now time.Time, next int) time.Time {
	if p.start.IsZero() {
		p.start = now
	}
	at := func(n int64) time.Duration { return time.Duration(float64(n) / float64(p.rate) * float64(time.Second)) }
	byRate := p.start.Add(p.idle + at(p.n+int64(next)))
	if byIdle := now.Add(p.idle + at(int64(next))); byIdle.Before(byRate) {
		return byIdle
	}
	return byRate
}

// paceBody is a request body read under progress deadlines. Once it is read to the end (or
// fails), the answer gets the server's usual total to be written.
type paceBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	pace  pace
	total time.Duration
}

func (b *paceBody) Read(p []byte) (int, error) {
	_ = b.rc.SetReadDeadline(b.pace.deadline(time.Now(), 0))
	n, err := b.ReadCloser.Read(p)
	b.pace.n += int64(n)
	if err != nil { // the end, or a failure the handler answers
		_ = b.rc.SetWriteDeadline(time.Now().Add(b.total))
	}
	return n, err
}

// paceWriter is a response written under progress deadlines.
type paceWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	pace pace
}

func (w *paceWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(w.pace.deadline(time.Now(), len(p)))
	n, err := w.ResponseWriter.Write(p)
	w.pace.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *paceWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// isMediaTransfer reports whether the request is a media upload or file download, which run
// under progress deadlines instead of the totals.
func isMediaTransfer(c echo.Context) bool {
	return isMediaUpload(c) || isImport(c) || c.Path() == "/media/:hash/:file"
}

// transferDeadlines replaces the server's total read and write timeouts of media transfers
// with progress deadlines (see pace). Errors setting deadlines are ignored: a writer that
// cannot have them (a test recorder) has no timeouts to replace either.
func (s *Server) transferDeadlines(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !isMediaTransfer(c) {
			return next(c)
		}
		res, r := c.Response(), c.Request()
		rc := http.NewResponseController(res.Writer)
		lim := pace{idle: s.transferIdle, rate: s.transferRate}
		if r.Body != nil && r.Body != http.NoBody && r.Method == http.MethodPost {
			_ = rc.SetWriteDeadline(time.Time{}) // until the body is read, see paceBody
			r.Body = &paceBody{ReadCloser: r.Body, rc: rc, pace: lim, total: s.requestTimeout}
		} else {
			// No body to wait for: the read deadline would only cancel the request's context
			// (the server's background read) in the middle of a long download.
			_ = rc.SetReadDeadline(time.Time{})
		}
		res.Writer = &paceWriter{ResponseWriter: res.Writer, rc: rc, pace: lim}
		return next(c)
	}
}

// transferTooSlow is the answer to an upload cut by its progress deadline.
func (s *Server) transferTooSlow() *Problem {
	p := newProblem(http.StatusRequestTimeout, fmt.Sprintf("the upload stalled for %s or fell below %d bytes per second; retry on a better link",
		s.transferIdle, s.transferRate))
	return p
}

// isDeadline reports whether err is a read or write that hit its deadline.
func isDeadline(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
