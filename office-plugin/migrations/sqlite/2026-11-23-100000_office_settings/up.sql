-- Per-organisation switches of the virtual office.
CREATE TABLE office_settings (
    organisation_id TEXT PRIMARY KEY NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    public_booking_enabled BOOLEAN NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
