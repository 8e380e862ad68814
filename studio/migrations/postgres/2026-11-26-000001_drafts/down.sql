DELETE FROM course_blocks WHERE version_id IN (SELECT id FROM course_versions WHERE state = 'draft');
DELETE FROM course_assets WHERE version_id IN (SELECT id FROM course_versions WHERE state = 'draft');
DELETE FROM course_versions WHERE state = 'draft';
DROP INDEX course_versions_one_draft;
ALTER TABLE course_versions DROP COLUMN state;
