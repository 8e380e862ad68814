-- Course teams: per-course roles (admin, author, staff) for members of the course's office, on top
-- of the office roles. Read by studio::team (one lookup by primary key per Studio request when
-- the office role does not already allow it; the learner side keeps a course's team in its cache).
CREATE TABLE course_team (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    added_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_team_user ON course_team (user_id);
