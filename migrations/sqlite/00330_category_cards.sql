-- Category cards: see the PostgreSQL migration of the same number. SQLite has no trigger
-- functions, so each table and event has its own trigger.

-- +goose Up
ALTER TABLE categories ADD COLUMN card TEXT;

CREATE VIEW category_cards AS
SELECT c.id, (SELECT json_group_array(json_object('id', c.id, 'locale', ct.locale, 'name', ct.name, 'slug', ct.slug, 'description', ct.description, 'updated_at', c.updated_at) ORDER BY ct.locale)
        FROM category_translations ct WHERE ct.category_id = c.id) AS card
FROM categories c;

-- A card's own update sets only card: these do not fire again.
-- +goose StatementBegin
CREATE TRIGGER categories_card_insert AFTER INSERT ON categories BEGIN
    UPDATE categories SET card = (SELECT v.card FROM category_cards v WHERE v.id = categories.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER categories_card_update AFTER UPDATE OF updated_at ON categories BEGIN
    UPDATE categories SET card = (SELECT v.card FROM category_cards v WHERE v.id = categories.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER category_translations_card_insert AFTER INSERT ON category_translations BEGIN
    UPDATE categories SET card = (SELECT v.card FROM category_cards v WHERE v.id = categories.id) WHERE id = NEW.category_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER category_translations_card_update AFTER UPDATE ON category_translations BEGIN
    UPDATE categories SET card = (SELECT v.card FROM category_cards v WHERE v.id = categories.id) WHERE id IN (OLD.category_id, NEW.category_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER category_translations_card_delete AFTER DELETE ON category_translations BEGIN
    UPDATE categories SET card = (SELECT v.card FROM category_cards v WHERE v.id = categories.id) WHERE id = OLD.category_id;
END;
-- +goose StatementEnd

UPDATE categories SET card = (SELECT v.card FROM category_cards v WHERE v.id = categories.id);

-- +goose Down
DROP TRIGGER category_translations_card_delete;
DROP TRIGGER category_translations_card_update;
DROP TRIGGER category_translations_card_insert;
DROP TRIGGER categories_card_update;
DROP TRIGGER categories_card_insert;
DROP VIEW category_cards;
ALTER TABLE categories DROP COLUMN card;
