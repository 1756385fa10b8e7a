-- Import batches refresh article cards once per article on PostgreSQL (see its 00270).
-- SQLite's card triggers stay per row: a multi-row insert compiles them once per statement,
-- and SQLite has no per-transaction setting a trigger could read. Nothing to do here.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
