-- Drafts (issue 6): one mutable draft per course, stored like a version but with state 'draft'
-- and number 0, so it never counts among the published versions (numbered from 1) and is never
-- a course's current version. Its blocks are replaced whenever the draft is saved.
ALTER TABLE course_versions ADD COLUMN state TEXT NOT NULL DEFAULT 'published';
CREATE UNIQUE INDEX course_versions_one_draft ON course_versions (course_id) WHERE state = 'draft';
