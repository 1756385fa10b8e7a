-- Related cards (issue 19): what a detail shows of each related article — its id, dates,
-- cover id, and one translation's title, slug, summary and reading time, with its cover and
-- the cover's translations — stored per translation and kept current by triggers on every
-- table it reads, as cards (00051) and details (00340) are. The detail statement built each
-- related article's object, and looked up its cover, on every read; now its walk joins the
-- stored card of the served locale (pgbench, the detail statement at 100,000 articles:
-- 186–196 -> 163–176 µs of backend CPU). The view article_related_card_view is the one
-- definition; testkit checks after every test that no stored card differs from it and none
-- is missing. A translation's own card is refreshed per row, imports included: there is
-- one per translation and it reads only its article and cover. SQLite's 00355 does the same.

-- +goose Up
CREATE TABLE article_related_cards (
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale     text NOT NULL,
    card       json NOT NULL,
    PRIMARY KEY (article_id, locale)
);

CREATE VIEW article_related_card_view AS
SELECT t.article_id, t.locale, json_build_object('id', a.id, 'published_at', a.published_at, 'cover_media_id', a.cover_media_id,
        'locale', t.locale, 'title', t.title, 'slug', t.slug, 'summary', t.summary, 'reading_minutes', t.reading_minutes,
        'cover', CASE WHEN a.cover_media_id IS NULL THEN NULL ELSE (SELECT json_build_object('id', m.id, 'kind', m.kind, 'mime', m.mime,
            'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename,
            'variants', m.variants, 'uploaded_by', m.uploaded_by, 'updated_at', m.updated_at, 'focal_x', m.focal_x, 'focal_y', m.focal_y,
            'translations', (SELECT json_agg(json_build_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale)
                FROM media_translations mt WHERE mt.media_id = m.id))
            FROM media m WHERE m.id = a.cover_media_id) END) AS card
FROM article_translations t JOIN articles a ON a.id = t.article_id;

-- +goose StatementBegin
CREATE FUNCTION article_related_cards_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    CASE TG_TABLE_NAME
    WHEN 'article_translations' THEN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM article_related_cards c WHERE c.article_id = OLD.article_id AND c.locale = OLD.locale;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO article_related_cards (article_id, locale, card)
            SELECT v.article_id, v.locale, v.card FROM article_related_card_view v WHERE v.article_id = NEW.article_id AND v.locale = NEW.locale
            ON CONFLICT (article_id, locale) DO UPDATE SET card = EXCLUDED.card;
        END IF;
    WHEN 'articles' THEN
        UPDATE article_related_cards c SET card = v.card FROM article_related_card_view v
        WHERE c.article_id = r.id AND v.article_id = c.article_id AND v.locale = c.locale;
    WHEN 'media' THEN
        UPDATE article_related_cards c SET card = v.card FROM article_related_card_view v
        WHERE c.article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = r.id) AND v.article_id = c.article_id AND v.locale = c.locale;
    WHEN 'media_translations' THEN
        UPDATE article_related_cards c SET card = v.card FROM article_related_card_view v
        WHERE c.article_id IN (SELECT x.id FROM articles x WHERE x.cover_media_id = r.media_id) AND v.article_id = c.article_id AND v.locale = c.locale;
    END CASE;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER article_translations_related_card AFTER INSERT OR DELETE OR UPDATE OF article_id, locale, title, slug, summary, reading_minutes
    ON article_translations FOR EACH ROW EXECUTE FUNCTION article_related_cards_refresh();
CREATE TRIGGER articles_related_card AFTER UPDATE OF published_at, cover_media_id ON articles
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.cover_media_id IS DISTINCT FROM NEW.cover_media_id)
    EXECUTE FUNCTION article_related_cards_refresh();
CREATE TRIGGER media_related_card AFTER UPDATE OR DELETE ON media
    FOR EACH ROW EXECUTE FUNCTION article_related_cards_refresh();
CREATE TRIGGER media_translations_related_card AFTER INSERT OR UPDATE OR DELETE ON media_translations
    FOR EACH ROW EXECUTE FUNCTION article_related_cards_refresh();

INSERT INTO article_related_cards (article_id, locale, card) SELECT article_id, locale, card FROM article_related_card_view;

-- +goose Down
DROP TRIGGER media_translations_related_card ON media_translations;
DROP TRIGGER media_related_card ON media;
DROP TRIGGER articles_related_card ON articles;
DROP TRIGGER article_translations_related_card ON article_translations;
DROP FUNCTION article_related_cards_refresh();
DROP VIEW article_related_card_view;
DROP TABLE article_related_cards;
