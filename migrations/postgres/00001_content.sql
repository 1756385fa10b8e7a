-- Content: articles with per-locale translations, translated categories and tags, site settings.

-- +goose Up
CREATE TABLE categories (
    id         uuid PRIMARY KEY,
    position   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE category_translations (
    category_id uuid NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    locale      text NOT NULL,
    name        text NOT NULL,
    slug        text NOT NULL,
    description text NOT NULL DEFAULT '',
    PRIMARY KEY (category_id, locale),
    CONSTRAINT category_translations_slug UNIQUE (locale, slug)
);

CREATE TABLE tags (
    id         uuid PRIMARY KEY,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE tag_translations (
    tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    locale text NOT NULL,
    name   text NOT NULL,
    slug   text NOT NULL,
    PRIMARY KEY (tag_id, locale),
    CONSTRAINT tag_translations_slug UNIQUE (locale, slug)
);

CREATE TABLE articles (
    id             uuid PRIMARY KEY,
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    published_at   timestamptz,
    author_id      uuid,
    category_id    uuid REFERENCES categories (id) ON DELETE RESTRICT,
    cover_media_id uuid,
    featured       boolean NOT NULL DEFAULT false,
    read_count     bigint NOT NULL DEFAULT 0 CHECK (read_count >= 0),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    deleted_at     timestamptz
);

-- The public lists read only live articles; partial indexes keep them small.
CREATE INDEX articles_live_published ON articles (published_at DESC, id DESC)
    WHERE deleted_at IS NULL AND status IN ('published', 'scheduled');
CREATE INDEX articles_live_read_count ON articles (read_count DESC, id DESC)
    WHERE deleted_at IS NULL AND status IN ('published', 'scheduled');
CREATE INDEX articles_category ON articles (category_id, published_at DESC, id DESC);
CREATE INDEX articles_updated ON articles (updated_at, id);

CREATE TABLE article_translations (
    article_id       uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale           text NOT NULL,
    title            text NOT NULL,
    slug             text NOT NULL,
    summary          text NOT NULL DEFAULT '',
    body             text NOT NULL DEFAULT '',
    meta_title       text NOT NULL DEFAULT '',
    meta_description text NOT NULL DEFAULT '',
    reading_minutes  integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (article_id, locale),
    CONSTRAINT article_translations_slug UNIQUE (locale, slug)
);
CREATE INDEX article_translations_slug_any ON article_translations (slug);

CREATE TABLE article_tags (
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

-- Site settings; locale '' holds a value shared by every locale (a phone number).
CREATE TABLE settings (
    key        text NOT NULL,
    locale     text NOT NULL DEFAULT '',
    value      text NOT NULL,
    updated_at timestamptz NOT NULL,
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
