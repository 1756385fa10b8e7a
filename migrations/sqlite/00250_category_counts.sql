-- Category counts kept on write: see the PostgreSQL migration of the same number. SQLite
-- has no trigger functions, so each event has its own trigger.

-- +goose Up
CREATE TABLE category_counts (
    category_id TEXT PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
    live        INTEGER NOT NULL DEFAULT 0
);

-- +goose StatementBegin
CREATE TRIGGER articles_category_count_insert AFTER INSERT ON articles
    WHEN NEW.category_id IS NOT NULL AND NEW.deleted_at IS NULL AND NEW.status IN ('published', 'scheduled') AND NEW.published_at IS NOT NULL
BEGIN
    INSERT INTO category_counts (category_id, live) VALUES (NEW.category_id, 1)
        ON CONFLICT (category_id) DO UPDATE SET live = live + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_category_count_delete AFTER DELETE ON articles
    WHEN OLD.category_id IS NOT NULL AND OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL
BEGIN
    UPDATE category_counts SET live = live - 1 WHERE category_id = OLD.category_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_category_count_update AFTER UPDATE OF category_id, status, deleted_at, published_at ON articles
    WHEN OLD.category_id IS NOT NEW.category_id OR OLD.status IS NOT NEW.status
        OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR (OLD.published_at IS NULL) <> (NEW.published_at IS NULL)
BEGIN
    UPDATE category_counts SET live = live - 1 WHERE category_id = OLD.category_id
        AND OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL;
    INSERT INTO category_counts (category_id, live)
        SELECT NEW.category_id, 1 WHERE NEW.category_id IS NOT NULL AND NEW.deleted_at IS NULL
            AND NEW.status IN ('published', 'scheduled') AND NEW.published_at IS NOT NULL
        ON CONFLICT (category_id) DO UPDATE SET live = live + 1;
END;
-- +goose StatementEnd

INSERT INTO category_counts (category_id, live)
SELECT c.id, (SELECT COUNT(*) FROM articles a WHERE a.category_id = c.id AND a.deleted_at IS NULL
    AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL)
FROM categories c;

-- +goose Down
DROP TRIGGER articles_category_count_update;
DROP TRIGGER articles_category_count_delete;
DROP TRIGGER articles_category_count_insert;
DROP TABLE category_counts;
