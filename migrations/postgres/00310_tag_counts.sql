-- Tag counts kept on write, as 00250 keeps category counts: GET /tags counted each tag's
-- visible articles with a correlated COUNT(*) over article_tags joined to articles, every
-- tag's whole range on every uncached request (about 1 s at 100,000 articles), a cost any
-- client could multiply. tag_counts holds, per tag, its live articles (not deleted,
-- published or scheduled, with a publication time), maintained by triggers in the writing
-- transaction whatever wrote: on article_tags when a link comes or goes, on articles when
-- an article's liveness flips. A scheduled article counts once it is due: the read
-- subtracts, once for all tags, the live articles whose publication is still ahead (the
-- schedule, a short range of the live index). testkit checks after every test that the
-- stored counts equal a recount.
--
-- A hard-deleted article: its links go by ON DELETE CASCADE after the article row is gone,
-- so the link trigger no longer sees a live article and leaves the count alone; the
-- article's own trigger therefore runs BEFORE DELETE, while its links are still there.

-- +goose Up
CREATE TABLE tag_counts (
    tag_id uuid PRIMARY KEY REFERENCES tags (id) ON DELETE CASCADE,
    live   bigint NOT NULL DEFAULT 0
);

-- +goose StatementBegin
CREATE FUNCTION tag_counts_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM articles a WHERE a.id = OLD.article_id AND a.deleted_at IS NULL
        AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL) THEN
        UPDATE tag_counts SET live = live - 1 WHERE tag_id = OLD.tag_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (SELECT 1 FROM articles a WHERE a.id = NEW.article_id AND a.deleted_at IS NULL
        AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL) THEN
        INSERT INTO tag_counts (tag_id, live) VALUES (NEW.tag_id, 1)
            ON CONFLICT (tag_id) DO UPDATE SET live = tag_counts.live + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION tag_counts_article() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL THEN
        -- Locked in tag order first: an UPDATE takes its rows' locks in whatever order it
        -- finds them, and writers sharing tags must take them in one order.
        PERFORM 1 FROM tag_counts n WHERE n.tag_id IN (SELECT at.tag_id FROM article_tags at WHERE at.article_id = OLD.id)
            ORDER BY n.tag_id FOR UPDATE;
        UPDATE tag_counts n SET live = n.live - 1 FROM article_tags at WHERE at.article_id = OLD.id AND n.tag_id = at.tag_id;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.deleted_at IS NULL AND NEW.status IN ('published', 'scheduled') AND NEW.published_at IS NOT NULL THEN
        -- In tag order, so that writers sharing tags take the rows' locks in one order.
        INSERT INTO tag_counts (tag_id, live) SELECT at.tag_id, 1 FROM article_tags at WHERE at.article_id = NEW.id ORDER BY at.tag_id
            ON CONFLICT (tag_id) DO UPDATE SET live = tag_counts.live + 1;
    END IF;
    RETURN OLD; -- lets the BEFORE DELETE proceed; ignored after an UPDATE
END
$$;
-- +goose StatementEnd

CREATE TRIGGER article_tags_tag_count AFTER INSERT OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION tag_counts_link();
CREATE TRIGGER article_tags_tag_count_update AFTER UPDATE OF article_id, tag_id ON article_tags
    FOR EACH ROW WHEN (OLD.article_id <> NEW.article_id OR OLD.tag_id <> NEW.tag_id)
    EXECUTE FUNCTION tag_counts_link();
CREATE TRIGGER articles_tag_count_delete BEFORE DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION tag_counts_article();
-- Only when liveness flips: every save rewrites status and the dates.
CREATE TRIGGER articles_tag_count_update AFTER UPDATE OF status, deleted_at, published_at ON articles
    FOR EACH ROW WHEN ((OLD.deleted_at IS NULL AND OLD.status IN ('published', 'scheduled') AND OLD.published_at IS NOT NULL)
        <> (NEW.deleted_at IS NULL AND NEW.status IN ('published', 'scheduled') AND NEW.published_at IS NOT NULL))
    EXECUTE FUNCTION tag_counts_article();

INSERT INTO tag_counts (tag_id, live)
SELECT at.tag_id, COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
WHERE a.deleted_at IS NULL AND a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL
GROUP BY at.tag_id;

-- +goose Down
DROP TRIGGER articles_tag_count_update ON articles;
DROP TRIGGER articles_tag_count_delete ON articles;
DROP TRIGGER article_tags_tag_count_update ON article_tags;
DROP TRIGGER article_tags_tag_count ON article_tags;
DROP FUNCTION tag_counts_article();
DROP FUNCTION tag_counts_link();
DROP TABLE tag_counts;
