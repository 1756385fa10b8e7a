-- Article cards: see the PostgreSQL migration of the same number. SQLite has no trigger
-- functions, so each table and event has its own trigger; each recomputes from the view
-- article_cards, except a tag's rename, which patches the tags part only.

-- +goose Up
ALTER TABLE articles ADD COLUMN card TEXT;

CREATE VIEW article_cards AS
SELECT a.id, json_object(
        'translations', json((SELECT json_group_array(json_object('locale', t.locale, 'title', t.title, 'slug', t.slug, 'summary', t.summary, 'meta_title', t.meta_title, 'meta_description', t.meta_description, 'reading_minutes', t.reading_minutes) ORDER BY t.locale) FROM article_translations t WHERE t.article_id = a.id)),
        'tags', json((SELECT json_group_array(json_object('id', at.tag_id, 'locale', tt.locale, 'name', tt.name, 'slug', tt.slug) ORDER BY at.position, at.tag_id, tt.locale) FROM article_tags at JOIN tag_translations tt ON tt.tag_id = at.tag_id WHERE at.article_id = a.id)),
        'media', json((SELECT json_group_array(json_object('id', m.id, 'kind', m.kind, 'mime', m.mime, 'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename, 'variants', m.variants, 'uploaded_by', m.uploaded_by, 'translations', json((SELECT json_group_array(json_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale) FROM media_translations mt WHERE mt.media_id = m.id))) ORDER BY m.id) FROM media m WHERE m.id = a.cover_media_id))) AS card
FROM articles a;

-- +goose StatementBegin
CREATE TRIGGER articles_card_insert AFTER INSERT ON articles BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_card_update AFTER UPDATE OF cover_media_id ON articles
    WHEN OLD.cover_media_id IS NOT NEW.cover_media_id BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_translations_card_insert AFTER INSERT ON article_translations BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_card_insert AFTER INSERT ON article_tags BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tag_translations_card_insert AFTER INSERT ON tag_translations BEGIN
    UPDATE articles SET card = json_set(card, '$.tags', json((SELECT json_group_array(json_object('id', at.tag_id, 'locale', tt.locale, 'name', tt.name, 'slug', tt.slug) ORDER BY at.position, at.tag_id, tt.locale) FROM article_tags at JOIN tag_translations tt ON tt.tag_id = at.tag_id WHERE at.article_id = articles.id)))
    WHERE id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = NEW.tag_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_card_insert AFTER INSERT ON media_translations BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE cover_media_id = NEW.media_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_translations_card_update AFTER UPDATE ON article_translations BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_card_update AFTER UPDATE ON article_tags BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tag_translations_card_update AFTER UPDATE ON tag_translations BEGIN
    UPDATE articles SET card = json_set(card, '$.tags', json((SELECT json_group_array(json_object('id', at.tag_id, 'locale', tt.locale, 'name', tt.name, 'slug', tt.slug) ORDER BY at.position, at.tag_id, tt.locale) FROM article_tags at JOIN tag_translations tt ON tt.tag_id = at.tag_id WHERE at.article_id = articles.id)))
    WHERE id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = NEW.tag_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_card_update AFTER UPDATE ON media_translations BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE cover_media_id = NEW.media_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_translations_card_delete AFTER DELETE ON article_translations BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = OLD.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_card_delete AFTER DELETE ON article_tags BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = OLD.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tag_translations_card_delete AFTER DELETE ON tag_translations BEGIN
    UPDATE articles SET card = json_set(card, '$.tags', json((SELECT json_group_array(json_object('id', at.tag_id, 'locale', tt.locale, 'name', tt.name, 'slug', tt.slug) ORDER BY at.position, at.tag_id, tt.locale) FROM article_tags at JOIN tag_translations tt ON tt.tag_id = at.tag_id WHERE at.article_id = articles.id)))
    WHERE id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = OLD.tag_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_card_delete AFTER DELETE ON media_translations BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE cover_media_id = OLD.media_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_card_update AFTER UPDATE ON media BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE cover_media_id = NEW.id;
END;
-- +goose StatementEnd

UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id);

-- +goose Down
DROP TRIGGER articles_card_insert;
DROP TRIGGER articles_card_update;
DROP TRIGGER media_card_update;
DROP TRIGGER article_translations_card_insert;
DROP TRIGGER article_tags_card_insert;
DROP TRIGGER tag_translations_card_insert;
DROP TRIGGER media_translations_card_insert;
DROP TRIGGER article_translations_card_update;
DROP TRIGGER article_tags_card_update;
DROP TRIGGER tag_translations_card_update;
DROP TRIGGER media_translations_card_update;
DROP TRIGGER article_translations_card_delete;
DROP TRIGGER article_tags_card_delete;
DROP TRIGGER tag_translations_card_delete;
DROP TRIGGER media_translations_card_delete;
DROP VIEW article_cards;
ALTER TABLE articles DROP COLUMN card;
