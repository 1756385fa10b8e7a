-- A tag named by slug in a filter (?tag= on lists and search) is looked up by slug in any
-- locale, and the unique key leads with the locale: PostgreSQL read all of tag_translations
-- for every such list, and tags grow with the archive (a newsroom tags every person and
-- place it writes about). SQLite already skips through the key's few locales; the index
-- serves both alike.

-- +goose Up
CREATE INDEX tag_translations_slug_any ON tag_translations (slug);

-- +goose Down
DROP INDEX tag_translations_slug_any;
