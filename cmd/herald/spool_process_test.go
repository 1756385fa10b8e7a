package main

import (
	"context"
	"net/url"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// crashDuringOutage takes hits with the database up and then away, SIGKILLs the process
// during the outage, brings the database back, starts a new process with the same env and
// returns how many acknowledged reads never reached the database.
func crashDuringOutage(t *testing.T, bin string, env ...string) (acked, lost int64) {
	t.Helper()
	dbURL := testkit.URL(t, "postgres")
	// A fresh database per run: both runs load the demo and count on the same articles.
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	link := newFlakyLink(t, u.Host)
	u.Host = link.addr
	env = append(env, "HERALD_VIEWS_FLUSH_INTERVAL=200ms", "HERALD_CACHE_BYTES=0")
	p := startHerald(t, bin, u.String(), env...)
	arts := p.articles(3)
	ids := []string{arts[0].ID, arts[1].ID, arts[2].ID}
	const before, during = 200, 400
	sendHits(t, []*heraldProc{p}, ids, before)
	time.Sleep(600 * time.Millisecond)
	link.down()
	sendHits(t, []*heraldProc{p}, ids, during)
	time.Sleep(time.Second) // several flush intervals: what a crash may lose is older than one
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	link.up()
	p2 := startHerald(t, bin, u.String(), env...)
	time.Sleep(time.Second)
	p2.stop(syscall.SIGTERM)

	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, id := range ids {
		var got int64
		if err := db.Gorm().Raw("SELECT read_count FROM articles WHERE id = ?", id).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		acked += before + during
		lost += arts[i].ReadCount + before + during - got
	}
	return acked, lost
}

// TestReadsSurviveSIGKILLDuringAnOutage (issue 11 item 8): after a database outage a SIGKILL
// lost every buffered read (49,354 in the report). With HERALD_VIEWS_SPOOL the reads of the
// outage wait in a synced file and reach the database after the restart, so a crash loses at
// most the last flush interval's reads (here none: the kill comes a second after the last).
func TestReadsSurviveSIGKILLDuringAnOutage(t *testing.T) {
	testkit.URL(t, "postgres") // skips without PostgreSQL, fails with CI=true
	bin := buildHerald(t)
	ackedOff, lostOff := crashDuringOutage(t, bin)
	t.Logf("without a spool: %d of %d acknowledged reads lost", lostOff, ackedOff)
	if lostOff == 0 {
		t.Error("without a spool the crash lost nothing: the outage did not happen")
	}
	acked, lost := crashDuringOutage(t, bin, "HERALD_VIEWS_SPOOL="+filepath.Join(t.TempDir(), "views.spool"))
	t.Logf("with HERALD_VIEWS_SPOOL: %d of %d acknowledged reads lost", lost, acked)
	if lost != 0 {
		t.Errorf("with a spool, %d of %d reads acknowledged more than a flush interval before the kill were lost", lost, acked)
	}
}
