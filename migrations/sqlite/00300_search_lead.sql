-- Search speed (#14): PostgreSQL indexes the title's and summary's terms apart, to rank only
-- the matches that can score above 0 (see postgres/00300). SQLite ranks as before; nothing
-- changes here.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
