package views

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
)

// A spool keeps the batches a flush could not write, in a local append-only file, so that
// neither a long database outage nor a crash during one loses more than the hits of the
// current flush interval. Each record is one batch with its id, written whole and synced
// before the counter lets go of it; replaying the file adds every batch the database has not
// seen (the ids make that idempotent), then empties it. The file is bounded: past MaxBytes
// new batches wait in memory, where a crash would lose them.
type spool struct {
	path string
	max  int64
	f    *os.File
	size int64
}

// spoolRecord is one line of the file.
type spoolRecord struct {
	ID     uuid.UUID    `json:"id"`
	Deltas []spoolDelta `json:"deltas"`
}

type spoolDelta struct {
	Article uuid.UUID `json:"a"`
	Day     string    `json:"d"` // YYYY-MM-DD, UTC
	Count   int64     `json:"n"`
}

const spoolDay = "2006-01-02"

func openSpool(path string, max int64) (*spool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("views spool: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("views spool: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("views spool: %w", err)
	}
	return &spool{path: path, max: max, f: f, size: st.Size()}, nil
}

// errSpoolFull says a batch did not fit under the spool's bound.
var errSpoolFull = errors.New("views spool is full")

// append writes b as one record and syncs it.
func (s *spool) append(b Batch) error {
	rec := spoolRecord{ID: b.ID, Deltas: make([]spoolDelta, len(b.Deltas))}
	for i, d := range b.Deltas {
		rec.Deltas[i] = spoolDelta{Article: d.ArticleID, Day: d.Day.UTC().Format(spoolDay), Count: d.Count}
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if s.size+int64(len(line)) > s.max {
		return errSpoolFull
	}
	n, err := s.f.Write(line)
	s.size += int64(n)
	if err != nil {
		return fmt.Errorf("views spool: %w", err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("views spool: %w", err)
	}
	return nil
}

// batches reads every complete record; a torn last line (a crash during a write, before its
// sync returned and so before the batch left memory) is skipped.
func (s *spool) batches() ([]Batch, int64, error) {
	if s.size == 0 {
		return nil, 0, nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return nil, 0, fmt.Errorf("views spool: %w", err)
	}
	var out []Batch
	var counts int64
	r := bufio.NewReader(bytes.NewReader(data))
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			break // no newline: torn
		}
		var rec spoolRecord
		if json.Unmarshal(line, &rec) != nil {
			continue
		}
		b := Batch{ID: rec.ID, Deltas: make([]Delta, 0, len(rec.Deltas))}
		for _, d := range rec.Deltas {
			day, err := time.Parse(spoolDay, d.Day)
			if err != nil || d.Count <= 0 {
				continue
			}
			b.Deltas = append(b.Deltas, Delta{ArticleID: d.Article, Day: day, Count: d.Count})
			counts += d.Count
		}
		out = append(out, b)
	}
	return out, counts, nil
}

// clear empties the file once its batches are in the database.
func (s *spool) clear() error {
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("views spool: %w", err)
	}
	s.size = 0
	return s.f.Sync()
}

func (s *spool) close() error { return s.f.Close() }
