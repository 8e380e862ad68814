ALTER TABLE organisations DROP COLUMN logo_type;
ALTER TABLE organisations DROP COLUMN logo_sha256;
