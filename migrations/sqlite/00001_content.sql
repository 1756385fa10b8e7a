-- Content: articles with per-locale translations, translated categories and tags, site settings.

-- +goose Up
CREATE TABLE categories (
    id         TEXT PRIMARY KEY,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE category_translations (
    category_id TEXT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    locale      TEXT NOT NULL,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (category_id, locale),
    CONSTRAINT category_translations_slug UNIQUE (locale, slug)
);

CREATE TABLE tags (
    id         TEXT PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE tag_translations (
    tag_id TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    name   TEXT NOT NULL,
    slug   TEXT NOT NULL,
    PRIMARY KEY (tag_id, locale),
    CONSTRAINT tag_translations_slug UNIQUE (locale, slug)
);

CREATE TABLE articles (
    id             TEXT PRIMARY KEY,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    published_at   DATETIME,
    author_id      TEXT,
    category_id    TEXT REFERENCES categories (id) ON DELETE RESTRICT,
    cover_media_id TEXT,
    featured       BOOLEAN NOT NULL DEFAULT 0,
    read_count     INTEGER NOT NULL DEFAULT 0 CHECK (read_count >= 0),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    deleted_at     DATETIME
);

-- The public lists read only live articles; partial indexes keep them small.
CREATE INDEX articles_live_published ON articles (published_at DESC, id DESC)
    WHERE deleted_at IS NULL AND status IN ('published', 'scheduled');
CREATE INDEX articles_live_read_count ON articles (read_count DESC, id DESC)
    WHERE deleted_at IS NULL AND status IN ('published', 'scheduled');
CREATE INDEX articles_category ON articles (category_id, published_at DESC, id DESC);
CREATE INDEX articles_updated ON articles (updated_at, id);

CREATE TABLE article_translations (
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale           TEXT NOT NULL,
    title            TEXT NOT NULL,
    slug             TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL DEFAULT '',
    meta_title       TEXT NOT NULL DEFAULT '',
    meta_description TEXT NOT NULL DEFAULT '',
    reading_minutes  INTEGER NOT NULL DEFAULT 0,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    PRIMARY KEY (article_id, locale),
    CONSTRAINT article_translations_slug UNIQUE (locale, slug)
);
CREATE INDEX article_translations_slug_any ON article_translations (slug);

CREATE TABLE article_tags (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

-- Site settings; locale '' holds a value shared by every locale (a phone number).
CREATE TABLE settings (
    key        TEXT NOT NULL,
    locale     TEXT NOT NULL DEFAULT '',
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (key, locale)
);

-- +goose Down
DROP TABLE settings;
DROP TABLE article_tags;
DROP TABLE article_translations;
DROP TABLE articles;
DROP TABLE tag_translations;
DROP TABLE tags;
DROP TABLE category_translations;
DROP TABLE categories;
