-- Article details: see the PostgreSQL migration of the same number. SQLite has no trigger
-- functions, so each table and event has its own trigger; imports are not deferred here
-- (as cards are not: 00270 is PostgreSQL's).

-- +goose Up
ALTER TABLE articles ADD COLUMN detail TEXT;
ALTER TABLE articles ADD COLUMN tag_ids TEXT;

CREATE VIEW article_details AS
SELECT a.id, json_object(
        'tag_times', json((SELECT json_group_array(json_object('id', tg.id, 'updated_at', tg.updated_at) ORDER BY tg.id) FROM article_tags atg JOIN tags tg ON tg.id = atg.tag_id WHERE atg.article_id = a.id)),
        'gallery', json((SELECT json_group_array(g.media_id ORDER BY g.position, g.media_id) FROM (SELECT am.media_id, am.position FROM article_media am WHERE am.article_id = a.id ORDER BY am.position, am.media_id LIMIT 100) g)),
        'media', json((SELECT json_group_array(json_object('id', m.id, 'kind', m.kind, 'mime', m.mime, 'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename, 'variants', m.variants, 'uploaded_by', m.uploaded_by, 'updated_at', m.updated_at, 'focal_x', m.focal_x, 'focal_y', m.focal_y,
            'translations', json((SELECT json_group_array(json_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale) FROM media_translations mt WHERE mt.media_id = m.id))) ORDER BY m.id)
            FROM media m WHERE m.id IN (SELECT a.cover_media_id UNION SELECT am.media_id FROM article_media am WHERE am.article_id = a.id))),
        'bylines', json((SELECT json_group_array(json_object('id', au.id, 'slug', au.slug, 'name', au.name, 'photo_media_id', au.photo_media_id, 'updated_at', au.updated_at,
            'bios', json((SELECT json_group_array(json_object('locale', bt.locale, 'bio', bt.bio) ORDER BY bt.locale) FROM author_translations bt WHERE bt.author_id = au.id))) ORDER BY aa.position, au.id)
            FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id))) AS detail,
    (SELECT json_group_array(at.tag_id ORDER BY at.tag_id) FROM article_tags at WHERE at.article_id = a.id) AS tag_ids
FROM articles a;

-- A detail's own update sets only detail: none of these fires again.
-- +goose StatementBegin
CREATE TRIGGER articles_detail_insert AFTER INSERT ON articles BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER articles_detail_update AFTER UPDATE OF cover_media_id ON articles
    WHEN OLD.cover_media_id IS NOT NEW.cover_media_id BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_detail_insert AFTER INSERT ON article_tags BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_detail_update AFTER UPDATE ON article_tags BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (OLD.article_id, NEW.article_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_tags_detail_delete AFTER DELETE ON article_tags BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = OLD.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_media_detail_insert AFTER INSERT ON article_media BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_media_detail_update AFTER UPDATE ON article_media BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (OLD.article_id, NEW.article_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_media_detail_delete AFTER DELETE ON article_media BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = OLD.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_authors_detail_insert AFTER INSERT ON article_authors BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = NEW.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_authors_detail_update AFTER UPDATE ON article_authors BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (OLD.article_id, NEW.article_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER article_authors_detail_delete AFTER DELETE ON article_authors BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id = OLD.article_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tags_detail_update AFTER UPDATE OF updated_at ON tags BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_detail_update AFTER UPDATE ON media BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = NEW.id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_detail_delete AFTER DELETE ON media BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = OLD.id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = OLD.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_detail_insert AFTER INSERT ON media_translations BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = NEW.media_id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = NEW.media_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_detail_update AFTER UPDATE ON media_translations BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = NEW.media_id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = NEW.media_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER media_translations_detail_delete AFTER DELETE ON media_translations BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = OLD.media_id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = OLD.media_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER authors_detail_update AFTER UPDATE ON authors BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER author_translations_detail_insert AFTER INSERT ON author_translations BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = NEW.author_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER author_translations_detail_update AFTER UPDATE ON author_translations BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = NEW.author_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER author_translations_detail_delete AFTER DELETE ON author_translations BEGIN
    UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id) WHERE id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = OLD.author_id);
END;
-- +goose StatementEnd

UPDATE articles SET (detail, tag_ids) = (SELECT d.detail, d.tag_ids FROM article_details d WHERE d.id = articles.id);

-- +goose Down
DROP TRIGGER author_translations_detail_delete;
DROP TRIGGER author_translations_detail_update;
DROP TRIGGER author_translations_detail_insert;
DROP TRIGGER authors_detail_update;
DROP TRIGGER media_translations_detail_delete;
DROP TRIGGER media_translations_detail_update;
DROP TRIGGER media_translations_detail_insert;
DROP TRIGGER media_detail_delete;
DROP TRIGGER media_detail_update;
DROP TRIGGER tags_detail_update;
DROP TRIGGER article_authors_detail_delete;
DROP TRIGGER article_authors_detail_update;
DROP TRIGGER article_authors_detail_insert;
DROP TRIGGER article_media_detail_delete;
DROP TRIGGER article_media_detail_update;
DROP TRIGGER article_media_detail_insert;
DROP TRIGGER article_tags_detail_delete;
DROP TRIGGER article_tags_detail_update;
DROP TRIGGER article_tags_detail_insert;
DROP TRIGGER articles_detail_update;
DROP TRIGGER articles_detail_insert;
DROP VIEW article_details;
ALTER TABLE articles DROP COLUMN tag_ids;
ALTER TABLE articles DROP COLUMN detail;
