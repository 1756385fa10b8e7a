-- Related cards: see the PostgreSQL migration of the same number. SQLite has no trigger
-- functions, so each table and event has its own trigger. The card is JSON text: the
-- detail statement joins the texts (arrayOf).

-- +goose Up
CREATE TABLE article_related_cards (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale     TEXT NOT NULL,
    card       TEXT NOT NULL,
    PRIMARY KEY (article_id, locale)
) WITHOUT ROWID;

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
CREATE TRIGGER article_translations_related_card_delete AFTER DELETE ON article_translations BEGIN
    DELETE FROM article_related_cards WHERE article_id = OLD.article_id AND locale = OLD.locale;
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
-- +goose StatementBegin
CREATE TRIGGER media_related_card_update AFTER UPDATE ON media BEGIN
    UPDATE article_related_cards SET card = (SELECT v.card FROM article_related_card_view v
        WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id IN (OLD.id, NEW.id));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_related_card_delete AFTER DELETE ON media BEGIN
    UPDATE article_related_cards SET card = (SELECT v.card FROM article_related_card_view v
        WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = OLD.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_related_card_insert AFTER INSERT ON media_translations BEGIN
    UPDATE article_related_cards SET card = (SELECT v.card FROM article_related_card_view v
        WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = NEW.media_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_related_card_update AFTER UPDATE ON media_translations BEGIN
    UPDATE article_related_cards SET card = (SELECT v.card FROM article_related_card_view v
        WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id IN (OLD.media_id, NEW.media_id));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_related_card_delete AFTER DELETE ON media_translations BEGIN
    UPDATE article_related_cards SET card = (SELECT v.card FROM article_related_card_view v
        WHERE v.article_id = article_related_cards.article_id AND v.locale = article_related_cards.locale)
    WHERE article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = OLD.media_id);
END;
-- +goose StatementEnd

INSERT INTO article_related_cards (article_id, locale, card) SELECT article_id, locale, card FROM article_related_card_view;

-- +goose Down
DROP TRIGGER media_translations_related_card_delete;
DROP TRIGGER media_translations_related_card_update;
DROP TRIGGER media_translations_related_card_insert;
DROP TRIGGER media_related_card_delete;
DROP TRIGGER media_related_card_update;
DROP TRIGGER articles_related_card;
DROP TRIGGER article_translations_related_card_delete;
DROP TRIGGER article_translations_related_card_update;
DROP TRIGGER article_translations_related_card_insert;
DROP VIEW article_related_card_view;
DROP TABLE article_related_cards;
