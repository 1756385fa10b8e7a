-- PostgreSQL's 00350 compresses stored JSON and bodies with LZ4. SQLite stores them
-- uncompressed: nothing to do here.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
