-- Deleting a media item refreshes the cards of the articles it is the cover of: see the
-- PostgreSQL migration of the same number.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER media_card_delete AFTER DELETE ON media BEGIN
    UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE cover_media_id = OLD.id;
END;
-- +goose StatementEnd
UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id)
WHERE card IS NOT (SELECT c.card FROM article_cards c WHERE c.id = articles.id);

-- +goose Down
DROP TRIGGER media_card_delete;
