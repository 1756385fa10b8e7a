-- Read counts per article and UTC day, for "most read this week" and editors' stats.
-- articles.read_count stays the all-time total (it also holds counts imported from a legacy
-- site, which have no days); both are written by the same batched flush.

-- +goose Up
CREATE TABLE article_views_daily (
    article_id uuid   NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day        date   NOT NULL,
    count      bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (article_id, day)
);
-- Rankings read a range of days across all articles.
CREATE INDEX article_views_daily_day ON article_views_daily (day, article_id);

-- +goose Down
DROP TABLE article_views_daily;
