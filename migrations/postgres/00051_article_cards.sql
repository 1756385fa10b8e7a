-- Article cards: what a public list shows of an article besides its own columns and its
-- category (its translations without bodies, its tags with their translations, its cover
-- with its texts), kept as one JSON value on the article row. A list page is then an index
-- scan that reads 20 rows instead of running 20 × 3 correlated aggregations (issue 19).
--
-- The database keeps cards current, not the Go code: triggers on every table a card reads
-- recompute the cards that changed, in the writing transaction, whatever wrote. The view
-- article_cards is the one definition; internal/store reads it, and testkit checks after
-- every test that no stored card differs from it. A tag's rename patches only the tags part
-- of its articles' cards. Categories are not in cards: one category serves thousands of
-- articles, and its lookup per row costs little. A later migration that rebuilds one of
-- these tables must re-create its trigger.

-- +goose Up
ALTER TABLE articles ADD COLUMN card json;

CREATE VIEW article_cards AS
SELECT a.id, json_build_object(
        'translations', (SELECT json_agg(json_build_object('locale', t.locale, 'title', t.title, 'slug', t.slug, 'summary', t.summary, 'meta_title', t.meta_title, 'meta_description', t.meta_description, 'reading_minutes', t.reading_minutes) ORDER BY t.locale) FROM article_translations t WHERE t.article_id = a.id),
        'tags', (SELECT json_agg(json_build_object('id', at.tag_id, 'locale', tt.locale, 'name', tt.name, 'slug', tt.slug) ORDER BY at.position, at.tag_id, tt.locale) FROM article_tags at JOIN tag_translations tt ON tt.tag_id = at.tag_id WHERE at.article_id = a.id),
        'media', (SELECT json_agg(json_build_object('id', m.id, 'kind', m.kind, 'mime', m.mime, 'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename, 'variants', m.variants, 'uploaded_by', m.uploaded_by, 'translations', (SELECT json_agg(json_build_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale) FROM media_translations mt WHERE mt.media_id = m.id)) ORDER BY m.id) FROM media m WHERE m.id = a.cover_media_id)) AS card
FROM articles a;

-- +goose StatementBegin
CREATE FUNCTION article_cards_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    CASE TG_TABLE_NAME
    WHEN 'articles' THEN
        UPDATE articles a SET card = c.card FROM article_cards c WHERE a.id = r.id AND c.id = a.id;
    WHEN 'article_translations', 'article_tags' THEN
        UPDATE articles a SET card = c.card FROM article_cards c WHERE a.id = r.article_id AND c.id = a.id;
    WHEN 'tag_translations' THEN
        UPDATE articles a SET card = json_build_object('translations', a.card->'translations',
            'tags', (SELECT json_agg(json_build_object('id', at.tag_id, 'locale', tt.locale, 'name', tt.name, 'slug', tt.slug) ORDER BY at.position, at.tag_id, tt.locale) FROM article_tags at JOIN tag_translations tt ON tt.tag_id = at.tag_id WHERE at.article_id = a.id),
            'media', a.card->'media')
        WHERE a.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = r.tag_id);
    WHEN 'media' THEN
        UPDATE articles a SET card = c.card FROM article_cards c WHERE a.cover_media_id = r.id AND c.id = a.id;
    WHEN 'media_translations' THEN
        UPDATE articles a SET card = c.card FROM article_cards c WHERE a.cover_media_id = r.media_id AND c.id = a.id;
    END CASE;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER articles_card_insert AFTER INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
CREATE TRIGGER articles_card_update AFTER UPDATE OF cover_media_id ON articles
    FOR EACH ROW WHEN (OLD.cover_media_id IS DISTINCT FROM NEW.cover_media_id)
    EXECUTE FUNCTION article_cards_refresh();
CREATE TRIGGER article_translations_card AFTER INSERT OR UPDATE OR DELETE ON article_translations
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
CREATE TRIGGER article_tags_card AFTER INSERT OR UPDATE OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
CREATE TRIGGER tag_translations_card AFTER INSERT OR UPDATE OR DELETE ON tag_translations
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
CREATE TRIGGER media_card AFTER UPDATE ON media
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
CREATE TRIGGER media_translations_card AFTER INSERT OR UPDATE OR DELETE ON media_translations
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();

UPDATE articles a SET card = c.card FROM article_cards c WHERE c.id = a.id;

-- +goose Down
DROP TRIGGER media_translations_card ON media_translations;
DROP TRIGGER media_card ON media;
DROP TRIGGER tag_translations_card ON tag_translations;
DROP TRIGGER article_tags_card ON article_tags;
DROP TRIGGER article_translations_card ON article_translations;
DROP TRIGGER articles_card_update ON articles;
DROP TRIGGER articles_card_insert ON articles;
DROP FUNCTION article_cards_refresh();
DROP VIEW article_cards;
ALTER TABLE articles DROP COLUMN card;
