-- Per-course options that are SZPoN's own, not Open edX course policy (certificates on pass or on
-- completion, grade on the certificate, points): one JSON document, read through
-- studio::store::CourseOptions, so a new option needs no migration.
ALTER TABLE courses ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
