-- A focal point per media item (issue 18): the point of the image that crops
-- (fit=cover renditions) keep in frame, as fractions of width and height; NULL is the centre.

-- +goose Up
ALTER TABLE media ADD COLUMN focal_x REAL CHECK (focal_x BETWEEN 0 AND 1);
ALTER TABLE media ADD COLUMN focal_y REAL CHECK (focal_y BETWEEN 0 AND 1);

-- +goose Down
ALTER TABLE media DROP COLUMN focal_y;
ALTER TABLE media DROP COLUMN focal_x;
