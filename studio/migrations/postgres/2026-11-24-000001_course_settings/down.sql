DROP INDEX courses_visibility;
ALTER TABLE courses DROP COLUMN summary;
ALTER TABLE courses DROP COLUMN language;
ALTER TABLE courses DROP COLUMN visibility;
