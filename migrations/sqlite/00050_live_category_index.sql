-- Live articles by category: the per-category counts of GET /categories and the category
-- filter of the public list read only this index (on PostgreSQL without touching the table).

-- +goose Up
CREATE INDEX articles_live_category ON articles (category_id, published_at DESC, id DESC)
    WHERE deleted_at IS NULL AND status IN ('published', 'scheduled');

-- +goose Down
DROP INDEX articles_live_category;
