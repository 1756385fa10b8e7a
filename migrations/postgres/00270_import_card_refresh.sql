-- Import batches refresh article cards once per article (issue 20). The row triggers of
-- 00051 refresh an article's card after each row of it, six times for an article with
-- three translations and two tags. store.CreateImported inserts a batch's new articles
-- with herald.cards_deferred set to 'on' for the length of its inserts (set_config, local
-- to the transaction), which these triggers skip, then refreshes the batch's cards from the
-- view in one statement: the same cards, computed once. Every other write refreshes as
-- before.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION article_cards_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_TABLE_NAME IN ('articles', 'article_translations', 'article_tags')
        AND current_setting('herald.cards_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION article_cards_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
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
