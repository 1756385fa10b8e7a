-- Tag counts kept on write: see the PostgreSQL migration of the same number. SQLite has no
-- trigger functions, so each event has its own trigger. Here too a hard-deleted article's
-- links cascade after its row is gone, so the article's trigger runs BEFORE DELETE.

-- +goose Up
CREATE TABLE tag_counts (
    tag_id TEXT PRIMARY KEY REFERENCES tags (id) ON DELETE CASCADE,
    live   INTEGER NOT NULL DEFAULT 0
);

-- +goose StatementBegin
CREATE TRIGGER article_tags_tag_count_insert AFTER INSERT ON article_tags
    WHEN EXISTS (SELECT 1 FROM articles a WHERE a.id = NEW.article_id AND a.deleted_at IS NULL
        AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL)
BEGIN
    INSERT INTO tag_counts (tag_id, live) VALUES (NEW.tag_id, 1)
        ON CONFLICT (tag_id) DO UPDATE SET live = live + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_tag_count_delete AFTER DELETE ON article_tags
    WHEN EXISTS (SELECT 1 FROM articles a WHERE a.id = OLD.article_id AND a.deleted_at IS NULL
        AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL)
BEGIN
    UPDATE tag_counts SET live = live - 1 WHERE tag_id = OLD.tag_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_tag_count_update AFTER UPDATE OF article_id, tag_id ON article_tags
    WHEN OLD.article_id IS NOT NEW.article_id OR OLD.tag_id IS NOT NEW.tag_id
BEGIN
    UPDATE tag_counts SET live = live - 1 WHERE tag_id = OLD.tag_id
        AND EXISTS (SELECT 1 FROM articles a WHERE a.id = OLD.article_id AND a.deleted_at IS NULL
            AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL);
    INSERT INTO tag_counts (tag_id, live)
        SELECT NEW.tag_id, 1 WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = NEW.article_id AND a.deleted_at IS NULL
            AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL)
        ON CONFLICT (tag_id) DO UPDATE SET live = live + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_tag_count_delete BEFORE DELETE ON articles
    WHEN OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL
BEGIN
    UPDATE tag_counts SET live = live - 1 WHERE tag_id IN (SELECT at.tag_id FROM article_tags at WHERE at.article_id = OLD.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_tag_count_update AFTER UPDATE OF status, deleted_at, published_at ON articles
    WHEN (OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL)
        <> (NEW.deleted_at IS NULL AND NEW.status IN ('published', 'scheduled') AND NEW.published_at IS NOT NULL)
BEGIN
    UPDATE tag_counts SET live = live - 1
        WHERE OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL
            AND tag_id IN (SELECT at.tag_id FROM article_tags at WHERE at.article_id = OLD.id);
    INSERT INTO tag_counts (tag_id, live)
        SELECT at.tag_id, 1 FROM article_tags at WHERE at.article_id = NEW.id
            AND NEW.deleted_at IS NULL AND NEW.status IN ('published', 'scheduled') AND NEW.published_at IS NOT NULL
        ON CONFLICT (tag_id) DO UPDATE SET live = live + 1;
END;
-- +goose StatementEnd

INSERT INTO tag_counts (tag_id, live)
SELECT at.tag_id, COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
WHERE a.deleted_at IS NULL AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL
GROUP BY at.tag_id;

-- +goose Down
DROP TRIGGER articles_tag_count_update;
DROP TRIGGER articles_tag_count_delete;
DROP TRIGGER article_tags_tag_count_update;
DROP TRIGGER article_tags_tag_count_delete;
DROP TRIGGER article_tags_tag_count_insert;
DROP TABLE tag_counts;
