package store_test

import (
	"context"
	"testing"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/migrations"
)

// TestMigrationSharedMediaFilesLate: a database that applied the later migrations first
// (00051's view reads media) takes 00025 out of order, then the rest. The later ones are
// those that existed when 00025 landed (up to 00060): every build since carries 00025, and
// goose applies pending versions in order, so no database has a later one without it
// (00025 rebuilds media without 00180's focal point; 00340's view reads article_media).
func TestMigrationSharedMediaFilesLate(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, testkit.EmptyURL(t, d))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			p, err := migrations.Provider(db.SQL(), d)
			if err != nil {
				t.Fatal(err)
			}
			sources := p.ListSources()
			for _, src := range sources {
				if src.Version == 25 || src.Version > 60 {
					continue
				}
				if _, err := p.ApplyVersion(ctx, src.Version, true); err != nil {
					t.Fatalf("apply %d: %v", src.Version, err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("00025 after the later migrations: %v", err)
			}
			var n int
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM article_cards`).Scan(&n); err != nil {
				t.Fatalf("article_cards after 00025: %v", err)
			}
		})
	}
}

// TestMigrationSharedMediaFiles: 00025 (items of the same bytes share files) keeps every
// media row, its texts and gallery places, on both dialects (SQLite rebuilds the tables),
// lets a second item of the same bytes in, and deleting an item still cascades.
func TestMigrationSharedMediaFiles(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, testkit.EmptyURL(t, d))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			p, err := migrations.Provider(db.SQL(), d)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 24); err != nil {
				t.Fatal(err)
			}
			const m1, m2, art = "01950f3e-7c1a-7b4e-9d2a-000000000001", "01950f3e-7c1a-7b4e-9d2a-000000000002", "01950f3e-7c1a-7b4e-9d2a-0000000000a1"
			sum := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
			exec := func(q string, args ...any) {
				t.Helper()
				if err := db.Exec(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			insertMedia := func(id string) error {
				return db.Exec(ctx, `INSERT INTO media (id, kind, mime, size, sha256, storage_key, created_at, updated_at)
					VALUES (?, 'image', 'image/jpeg', 10, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, sum, sum+"/original.jpg")
			}
			if err := insertMedia(m1); err != nil {
				t.Fatal(err)
			}
			exec(`INSERT INTO media_translations (media_id, locale, alt) VALUES (?, 'en', 'kept')`, m1)
			exec(`INSERT INTO articles (id, status, version, created_at, updated_at) VALUES (?, 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, art)
			exec(`INSERT INTO article_media (article_id, media_id, position) VALUES (?, ?, 0)`, art, m1)
			if err := insertMedia(m2); err == nil {
				t.Fatal("before 00025 a second item of the same bytes was accepted")
			}

			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var alt string
			var places int
			if err := db.SQL().QueryRowContext(ctx, `SELECT alt FROM media_translations WHERE media_id = '`+m1+`'`).Scan(&alt); err != nil || alt != "kept" {
				t.Fatalf("translation after 00025: %q %v", alt, err)
			}
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM article_media WHERE media_id = '`+m1+`'`).Scan(&places); err != nil || places != 1 {
				t.Fatalf("gallery after 00025: %d %v", places, err)
			}
			if err := insertMedia(m2); err != nil {
				t.Fatalf("a second item of the same bytes: %v", err)
			}
			exec(`DELETE FROM media WHERE id = ?`, m1)
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM media_translations`).Scan(&places); err != nil || places != 0 {
				t.Errorf("translations left after deleting their item: %d %v", places, err)
			}
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM article_media`).Scan(&places); err != nil || places != 0 {
				t.Errorf("gallery places left after deleting their item: %d %v", places, err)
			}
		})
	}
}
