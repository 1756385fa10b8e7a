-- Stored JSON and bodies compressed with LZ4 (issue 19). Every public read sends the
-- stored cards, details and bodies it selects, which PostgreSQL first decompresses: with
-- its default, pglz, a latest-20 page spent about 30 µs of backend CPU decompressing its
-- cards, with LZ4 about 10 (pgbench at 100,000 articles, the page's cards summed without
-- sending them: 85 -> 72 µs per statement; a statement selecting nothing cost 54–60).
-- Only values written after this are LZ4: cards and details are rewritten whenever their
-- article changes, older ones stay pglz and read as before. A server built without LZ4
-- (or before PostgreSQL 14) keeps pglz.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE articles ALTER COLUMN card SET COMPRESSION lz4, ALTER COLUMN detail SET COMPRESSION lz4;
        ALTER TABLE article_translations ALTER COLUMN body SET COMPRESSION lz4;
        ALTER TABLE categories ALTER COLUMN card SET COMPRESSION lz4;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE articles ALTER COLUMN card SET COMPRESSION default, ALTER COLUMN detail SET COMPRESSION default;
        ALTER TABLE article_translations ALTER COLUMN body SET COMPRESSION default;
        ALTER TABLE categories ALTER COLUMN card SET COMPRESSION default;
    END IF;
END
$$;
-- +goose StatementEnd
