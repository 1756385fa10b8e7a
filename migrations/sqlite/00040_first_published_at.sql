-- When an article first became public (or was first scheduled to). Unpublishing keeps it,
-- so republishing can keep the article's date; a schedule cancelled before it fell due
-- clears it.

-- +goose Up
ALTER TABLE articles ADD COLUMN first_published_at DATETIME;
UPDATE articles SET first_published_at = published_at
    WHERE published_at IS NOT NULL AND status IN ('published', 'scheduled', 'archived');

-- +goose Down
ALTER TABLE articles DROP COLUMN first_published_at;
