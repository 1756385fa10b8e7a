-- Related walk: see the PostgreSQL migration of the same number. SQLite's walk tests a
-- card's tags by probing article_tags; its cards carry the tag ids (JSON, as articles.tag_ids)
-- so both databases keep the same columns.

-- +goose Up
ALTER TABLE article_related_cards ADD COLUMN published_at DATETIME;
ALTER TABLE article_related_cards ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_related_cards ADD COLUMN category_id TEXT;
ALTER TABLE article_related_cards ADD COLUMN tag_ids TEXT;

DROP VIEW article_related_card_view;
CREATE VIEW article_related_card_view AS
SELECT t.article_id, t.locale, json_object('id', a.id, 'published_at', a.published_at, 'cover_media_id', a.cover_media_id,
        'locale', t.locale, 'title', t.title, 'slug', t.slug, 'summary', t.summary, 'reading_minutes', t.reading_minutes,
        'cover', CASE WHEN a.cover_media_id IS NULL THEN NULL ELSE json((SELECT json_object('id', m.id, 'kind', m.kind, 'mime', m.mime,
            'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename,
            'variants', m.variants, 'uploaded_by', m.uploaded_by, 'updated_at', m.updated_at, 'focal_x', m.focal_x, 'focal_y', m.focal_y,
            'translations', json((SELECT json_group_array(json_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale)
                FROM media_translations mt WHERE mt.media_id = m.id)))
            FROM media m WHERE m.id = a.cover_media_id)) END) AS card,
    a.published_at, (a.deleted_at IS NULL AND a.status IN ('published', 'scheduled')) AS live, a.category_id, a.tag_ids
FROM article_translations t JOIN articles a ON a.id = t.article_id;

DROP TRIGGER article_translations_related_card_insert;
DROP TRIGGER article_translations_related_card_update;
DROP TRIGGER articles_related_card;
-- +goose StatementBegin
CREATE TRIGGER article_translations_related_card_insert AFTER INSERT ON article_translations BEGIN
    INSERT OR REPLACE INTO article_related_cards (article_id, locale, card, published_at, live, category_id, tag_ids)
    SELECT v.article_id, v.locale, v.card, v.published_at, v.live, v.category_id, v.tag_ids
    FROM article_related_card_view v WHERE v.article_id = NEW.article_id AND v.locale = NEW.locale;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_translations_related_card_update AFTER UPDATE OF article_id, locale, title, slug, summary, reading_minutes ON article_translations BEGIN
    DELETE FROM article_related_cards WHERE article_id = OLD.article_id AND locale = OLD.locale;
    INSERT OR REPLACE INTO article_related_cards (article_id, locale, card, published_at, live, category_id, tag_ids)
    SELECT v.article_id, v.locale, v.card, v.published_at, v.live, v.category_id, v.tag_ids
    FROM article_related_card_view v WHERE v.article_id = NEW.article_id AND v.locale = NEW.locale;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_related_card AFTER UPDATE OF published_at, cover_media_id, status, deleted_at, category_id, tag_ids ON articles
    WHEN OLD.published_at IS NOT NEW.published_at OR OLD.cover_media_id IS NOT NEW.cover_media_id OR OLD.status IS NOT NEW.status
        OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.category_id IS NOT NEW.category_id OR OLD.tag_ids IS NOT NEW.tag_ids BEGIN
    UPDATE article_related_cards SET (card, published_at, live, category_id, tag_ids) = (SELECT v.card, v.published_at, v.live, v.category_id, v.tag_ids
        FROM article_related_card_view v WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id = NEW.id;
END;
-- +goose StatementEnd

UPDATE article_related_cards SET (published_at, live, category_id, tag_ids) = (SELECT a.published_at,
    (a.deleted_at IS NULL AND a.status IN ('published', 'scheduled')), a.category_id, a.tag_ids FROM articles a WHERE a.id = article_related_cards.article_id);

CREATE INDEX article_related_cards_walk ON article_related_cards (locale, published_at DESC, article_id DESC) WHERE live;

-- +goose Down
DROP INDEX article_related_cards_walk;
DROP TRIGGER article_translations_related_card_insert;
DROP TRIGGER article_translations_related_card_update;
DROP TRIGGER articles_related_card;
-- +goose StatementBegin
CREATE TRIGGER article_translations_related_card_insert AFTER INSERT ON article_translations BEGIN
    INSERT OR REPLACE INTO article_related_cards (article_id, locale, card)
    SELECT v.article_id, v.locale, v.card FROM article_related_card_view v WHERE v.article_id = NEW.article_id AND v.locale = NEW.locale;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_translations_related_card_update AFTER UPDATE OF article_id, locale, title, slug, summary, reading_minutes ON article_translations BEGIN
    DELETE FROM article_related_cards WHERE article_id = OLD.article_id AND locale = OLD.locale;
    INSERT OR REPLACE INTO article_related_cards (article_id, locale, card)
    SELECT v.article_id, v.locale, v.card FROM article_related_card_view v WHERE v.article_id = NEW.article_id AND v.locale = NEW.locale;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_related_card AFTER UPDATE OF published_at, cover_media_id ON articles
    WHEN OLD.published_at IS NOT NEW.published_at OR OLD.cover_media_id IS NOT NEW.cover_media_id BEGIN
    UPDATE article_related_cards SET card = (SELECT v.card FROM article_related_card_view v
        WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id = NEW.id;
END;
-- +goose StatementEnd

DROP VIEW article_related_card_view;
CREATE VIEW article_related_card_view AS
SELECT t.article_id, t.locale, json_object('id', a.id, 'published_at', a.published_at, 'cover_media_id', a.cover_media_id,
        'locale', t.locale, 'title', t.title, 'slug', t.slug, 'summary', t.summary, 'reading_minutes', t.reading_minutes,
        'cover', CASE WHEN a.cover_media_id IS NULL THEN NULL ELSE json((SELECT json_object('id', m.id, 'kind', m.kind, 'mime', m.mime,
            'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename,
            'variants', m.variants, 'uploaded_by', m.uploaded_by, 'updated_at', m.updated_at, 'focal_x', m.focal_x, 'focal_y', m.focal_y,
            'translations', json((SELECT json_group_array(json_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale)
                FROM media_translations mt WHERE mt.media_id = m.id)))
            FROM media m WHERE m.id = a.cover_media_id)) END) AS card
FROM article_translations t JOIN articles a ON a.id = t.article_id;

ALTER TABLE article_related_cards DROP COLUMN tag_ids;
ALTER TABLE article_related_cards DROP COLUMN category_id;
ALTER TABLE article_related_cards DROP COLUMN live;
ALTER TABLE article_related_cards DROP COLUMN published_at;
