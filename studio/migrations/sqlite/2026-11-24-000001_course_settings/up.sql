-- Who may learn a course and what the catalog shows without loading the course tree.
-- visibility: 'public' (anyone, also without an account), 'enrolled' (signed-in learners who
-- enrol), 'organisation' (members of the course's organisation).
ALTER TABLE courses ADD COLUMN visibility TEXT NOT NULL DEFAULT 'enrolled';
ALTER TABLE courses ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE courses ADD COLUMN summary TEXT NOT NULL DEFAULT '';
CREATE INDEX courses_visibility ON courses (visibility);
