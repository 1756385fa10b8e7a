-- Deduplicate storage, not metadata: every upload is its own media item (its uploader, file
-- name and texts), and items of the same bytes share the stored files, which live under
-- content-derived keys. So sha256 is no longer unique; it stays indexed, to find the files
-- an upload can reuse and to keep them while an item still references them.

-- +goose Up
ALTER TABLE media DROP CONSTRAINT media_sha256_key;
CREATE INDEX media_sha256 ON media (sha256);

-- +goose Down
DROP INDEX media_sha256;
ALTER TABLE media ADD CONSTRAINT media_sha256_key UNIQUE (sha256);
