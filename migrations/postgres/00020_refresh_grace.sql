-- Refresh grace window: a rotated refresh token keeps its successor pair (access and
-- refresh token), sealed with a key derived from the rotated token itself, so the same
-- token presented again within HERALD_REFRESH_GRACE (two tabs refreshing at once) gets the
-- same pair back. Only whoever holds the old token can open it; the database never holds
-- a usable token.

-- +goose Up
ALTER TABLE refresh_tokens ADD COLUMN successor text;

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN successor;
