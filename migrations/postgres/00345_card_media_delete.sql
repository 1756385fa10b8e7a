-- Deleting a media item refreshes the cards of the articles it is the cover of: covers have
-- no foreign key (an article keeps the id), and 00051 followed only media updates, so a
-- deleted cover stayed in the cards until the article's next write.

-- +goose Up
DROP TRIGGER media_card ON media;
CREATE TRIGGER media_card AFTER UPDATE OR DELETE ON media
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
UPDATE articles a SET card = c.card FROM article_cards c WHERE c.id = a.id AND a.card::text IS DISTINCT FROM c.card::text;

-- +goose Down
DROP TRIGGER media_card ON media;
CREATE TRIGGER media_card AFTER UPDATE ON media
    FOR EACH ROW EXECUTE FUNCTION article_cards_refresh();
