-- Related walk (issue 19): a detail's related articles are the newest live articles that
-- share its category or a tag, each shown by its related card (00355) in the served locale.
-- The walk went down the articles' publication order and joined each match's card, an
-- index probe per related article (a fifth of the detail statement's backend CPU,
-- pgbench at 100,000 articles). Now each related card also carries what the walk tests —
-- its article's publication time, whether it is live, its category and tag ids — and the
-- walk goes down the served locale's cards themselves (article_related_cards_walk). The
-- view article_related_card_view defines these columns as it does the card, the same
-- triggers keep them, and testkit compares them with the view after every test.

-- +goose Up
ALTER TABLE article_related_cards ADD COLUMN published_at timestamptz, ADD COLUMN live boolean NOT NULL DEFAULT false,
    ADD COLUMN category_id uuid, ADD COLUMN tag_ids uuid[];

CREATE OR REPLACE VIEW article_related_card_view AS
SELECT t.article_id, t.locale, json_build_object('id', a.id, 'published_at', a.published_at, 'cover_media_id', a.cover_media_id,
        'locale', t.locale, 'title', t.title, 'slug', t.slug, 'summary', t.summary, 'reading_minutes', t.reading_minutes,
        'cover', CASE WHEN a.cover_media_id IS NULL THEN NULL ELSE (SELECT json_build_object('id', m.id, 'kind', m.kind, 'mime', m.mime,
            'size', m.size, 'width', m.width, 'height', m.height, 'sha256', m.sha256, 'key', m.storage_key, 'filename', m.filename,
            'variants', m.variants, 'uploaded_by', m.uploaded_by, 'updated_at', m.updated_at, 'focal_x', m.focal_x, 'focal_y', m.focal_y,
            'translations', (SELECT json_agg(json_build_object('locale', mt.locale, 'alt', mt.alt, 'caption', mt.caption, 'credit', mt.credit) ORDER BY mt.locale)
                FROM media_translations mt WHERE mt.media_id = m.id))
            FROM media m WHERE m.id = a.cover_media_id) END) AS card,
    a.published_at, (a.deleted_at IS NULL AND a.status IN ('published', 'scheduled')) AS live, a.category_id, a.tag_ids
FROM article_translations t JOIN articles a ON a.id = t.article_id;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION article_related_cards_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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
            INSERT INTO article_related_cards (article_id, locale, card, published_at, live, category_id, tag_ids)
            SELECT v.article_id, v.locale, v.card, v.published_at, v.live, v.category_id, v.tag_ids
            FROM article_related_card_view v WHERE v.article_id = NEW.article_id AND v.locale = NEW.locale
            ON CONFLICT (article_id, locale) DO UPDATE SET card = EXCLUDED.card, published_at = EXCLUDED.published_at,
                live = EXCLUDED.live, category_id = EXCLUDED.category_id, tag_ids = EXCLUDED.tag_ids;
        END IF;
    WHEN 'articles' THEN
        UPDATE article_related_cards c SET card = v.card, published_at = v.published_at, live = v.live, category_id = v.category_id, tag_ids = v.tag_ids
        FROM article_related_card_view v WHERE c.article_id = r.id AND v.article_id = c.article_id AND v.locale = c.locale;
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

DROP TRIGGER articles_related_card ON articles;
CREATE TRIGGER articles_related_card AFTER UPDATE OF published_at, cover_media_id, status, deleted_at, category_id, tag_ids ON articles
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.cover_media_id IS DISTINCT FROM NEW.cover_media_id
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
        OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.tag_ids IS DISTINCT FROM NEW.tag_ids)
    EXECUTE FUNCTION article_related_cards_refresh();

UPDATE article_related_cards c SET published_at = a.published_at, live = (a.deleted_at IS NULL AND a.status IN ('published', 'scheduled')),
    category_id = a.category_id, tag_ids = a.tag_ids
FROM articles a WHERE a.id = c.article_id;

CREATE INDEX article_related_cards_walk ON article_related_cards (locale, published_at DESC, article_id DESC) WHERE live;

-- +goose Down
DROP INDEX article_related_cards_walk;
DROP TRIGGER articles_related_card ON articles;
CREATE TRIGGER articles_related_card AFTER UPDATE OF published_at, cover_media_id ON articles
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.cover_media_id IS DISTINCT FROM NEW.cover_media_id)
    EXECUTE FUNCTION article_related_cards_refresh();

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION article_related_cards_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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

DROP VIEW article_related_card_view;
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

ALTER TABLE article_related_cards DROP COLUMN published_at, DROP COLUMN live, DROP COLUMN category_id, DROP COLUMN tag_ids;
