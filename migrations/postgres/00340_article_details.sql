-- Article details (issue 19): what a single article's read shows besides its row, card,
-- category and translations — its tags' times, gallery, media (cover and gallery, with
-- their translations) and byline — as one JSON value stored on the row and kept current by
-- triggers on every table it reads, as cards are (00051). The detail statement aggregated
-- them in four correlated subqueries on every read; reading the stored value is none
-- (pgbench, the detail statement at 100,000 articles: 0.31 -> 0.22 ms). The view
-- article_details is the one definition; testkit checks after every test that no stored
-- detail differs from it. Import batches defer it with the cards (00270) and refresh both
-- once per article.
--
-- The view also keeps tag_ids, the article's tag ids in order, for the related articles'
-- walk: an overlap with the article's own, on the walked row itself, where a probe of
-- article_tags per walked row was a third of the related column's cost (pgbench, the
-- detail statement: 0.27 -> 0.22 ms).

-- +goose Up
ALTER TABLE articles ADD COLUMN detail json;
ALTER TABLE articles ADD COLUMN tag_ids uuid[];

CREATE VIEW article_details AS
SELECT a.id, json_build_object(
        'tag_times', (SELECT json_agg(json_build_object('id', tg.id, 'updated_at', tg.updated_at) ORDER BY tg.id) FROM article_tags atg JOIN tags tg ON tg.id = atg.tag_id WHERE atg.article_id = a.id),
        'gallery', (SELECT json_agg(g.media_id ORDER BY g.position, g.media_id) FROM (SELECT am.media_id, am.position FROM article_media am WHERE am.article_id = a.id ORDER BY am.position, am.media_id LIMIT 100) g),
        'media', (SELECT json_agg(json_build_object('id', m.id, 'kind', m.kind, 'mime', m.mime, 'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename, 'variants', m.variants, 'uploaded_by', m.uploaded_by, 'updated_at', m.updated_at, 'focal_x', m.focal_x, 'focal_y', m.focal_y,
            'translations', (SELECT json_agg(json_build_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale) FROM media_translations mt WHERE mt.media_id = m.id)) ORDER BY m.id)
            FROM media m WHERE m.id IN (SELECT a.cover_media_id UNION SELECT am.media_id FROM article_media am WHERE am.article_id = a.id)),
        'bylines', (SELECT json_agg(json_build_object('id', au.id, 'slug', au.slug, 'name', au.name, 'photo_media_id', au.photo_media_id, 'updated_at', au.updated_at,
            'bios', (SELECT json_agg(json_build_object('locale', bt.locale, 'bio', bt.bio) ORDER BY bt.locale) FROM author_translations bt WHERE bt.author_id = au.id)) ORDER BY aa.position, au.id)
            FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id)) AS detail,
    ARRAY(SELECT at.tag_id FROM article_tags at WHERE at.article_id = a.id ORDER BY at.tag_id) AS tag_ids
FROM articles a;

-- +goose StatementBegin
CREATE FUNCTION article_details_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_TABLE_NAME IN ('articles', 'article_tags', 'article_media', 'article_authors')
        AND current_setting('herald.cards_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    CASE TG_TABLE_NAME
    WHEN 'articles' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d WHERE a.id = r.id AND d.id = a.id;
    WHEN 'article_tags', 'article_media', 'article_authors' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d WHERE a.id = r.article_id AND d.id = a.id;
        IF TG_OP = 'UPDATE' THEN -- a link moved to another article: the one it left too
            IF OLD.article_id <> NEW.article_id THEN
                UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d WHERE a.id = OLD.article_id AND d.id = a.id;
            END IF;
        END IF;
    WHEN 'tags' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d
        WHERE a.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = r.id) AND d.id = a.id;
    WHEN 'media' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d
        WHERE a.id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = r.id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = r.id) AND d.id = a.id;
    WHEN 'media_translations' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d
        WHERE a.id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = r.media_id UNION SELECT am.article_id FROM article_media am WHERE am.media_id = r.media_id) AND d.id = a.id;
    WHEN 'authors' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d
        WHERE a.id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = r.id) AND d.id = a.id;
    WHEN 'author_translations' THEN
        UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d
        WHERE a.id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = r.author_id) AND d.id = a.id;
    END CASE;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- A detail's own update sets only detail: none of these fires again.
CREATE TRIGGER articles_detail_insert AFTER INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER articles_detail_update AFTER UPDATE OF cover_media_id ON articles
    FOR EACH ROW WHEN (OLD.cover_media_id IS DISTINCT FROM NEW.cover_media_id)
    EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER article_tags_detail AFTER INSERT OR UPDATE OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER tags_detail AFTER UPDATE OF updated_at ON tags
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER article_media_detail AFTER INSERT OR UPDATE OR DELETE ON article_media
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER media_detail AFTER UPDATE OR DELETE ON media
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER media_translations_detail AFTER INSERT OR UPDATE OR DELETE ON media_translations
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER article_authors_detail AFTER INSERT OR UPDATE OR DELETE ON article_authors
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER authors_detail AFTER UPDATE ON authors
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();
CREATE TRIGGER author_translations_detail AFTER INSERT OR UPDATE OR DELETE ON author_translations
    FOR EACH ROW EXECUTE FUNCTION article_details_refresh();

UPDATE articles a SET detail = d.detail, tag_ids = d.tag_ids FROM article_details d WHERE d.id = a.id;

-- +goose Down
DROP TRIGGER author_translations_detail ON author_translations;
DROP TRIGGER authors_detail ON authors;
DROP TRIGGER article_authors_detail ON article_authors;
DROP TRIGGER media_translations_detail ON media_translations;
DROP TRIGGER media_detail ON media;
DROP TRIGGER article_media_detail ON article_media;
DROP TRIGGER tags_detail ON tags;
DROP TRIGGER article_tags_detail ON article_tags;
DROP TRIGGER articles_detail_update ON articles;
DROP TRIGGER articles_detail_insert ON articles;
DROP FUNCTION article_details_refresh();
DROP VIEW article_details;
ALTER TABLE articles DROP COLUMN tag_ids;
ALTER TABLE articles DROP COLUMN detail;
