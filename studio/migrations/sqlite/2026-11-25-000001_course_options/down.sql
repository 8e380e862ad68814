ALTER TABLE courses DROP COLUMN options;
