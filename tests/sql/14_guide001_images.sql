-- Guide 001: image manager; add nullable / backfill / set NOT NULL; soft-delete partial index
CREATE TABLE images (
    id SERIAL PRIMARY KEY,
    filename VARCHAR(255) NOT NULL,
    storage_key VARCHAR(512) NOT NULL,
    uploaded_at TIMESTAMP WITH TIME ZONE DEFAULT now()
);
ALTER TABLE images ADD COLUMN checksum VARCHAR(64);
INSERT INTO images (filename, storage_key) VALUES ('a.png', 'k/a'), ('b.png', 'k/b');
UPDATE images SET checksum = md5(storage_key);
ALTER TABLE images ALTER COLUMN checksum SET NOT NULL;
ALTER TABLE images ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_images_active ON images (uploaded_at) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX uq_images_storage_key_live ON images (storage_key) WHERE deleted_at IS NULL;
CREATE TABLE image_tags (
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    tag VARCHAR(64) NOT NULL,
    PRIMARY KEY (image_id, tag)
);
ALTER TABLE images ADD COLUMN width INTEGER, ADD COLUMN height INTEGER;
ALTER TABLE images ADD CONSTRAINT ck_images_dims CHECK (width IS NULL OR width > 0) NOT VALID;
ALTER TABLE images VALIDATE CONSTRAINT ck_images_dims;
