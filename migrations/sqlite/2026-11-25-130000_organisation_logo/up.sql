-- An office's logo (PNG or JPEG in the blob store, by SHA-256), shown on its certificates and
-- their public verification pages.
ALTER TABLE organisations ADD COLUMN logo_sha256 TEXT;
ALTER TABLE organisations ADD COLUMN logo_type TEXT;
