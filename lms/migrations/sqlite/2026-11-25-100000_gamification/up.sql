-- Gamification: a points ledger, activity days for streaks, awarded badges and the opt-in course
-- leaderboard. Learner ids are user ids or anonymous `anon-…` ids (as in learner_blocks), so
-- they carry no foreign key; everything goes with its course.

-- One row per thing that earns points (`unit:ID`, `correct:ID`): the primary key makes every
-- award happen once, also under concurrent submissions (INSERT … ON CONFLICT DO NOTHING).
CREATE TABLE gam_points (
    learner_id TEXT NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    event_key TEXT NOT NULL,
    points INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (learner_id, course_id, event_key)
);
CREATE INDEX gam_points_course ON gam_points (course_id);

-- Days (Polish calendar, YYYY-MM-DD) on which a learner made progress in a course.
CREATE TABLE gam_activity (
    learner_id TEXT NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    PRIMARY KEY (learner_id, course_id, day)
);

-- Awarded badges. `id` is the public 32-hex id of the page /odznaki/{id}; `subject` and
-- `course_title` are copied when awarded, so a badge says what was true then.
CREATE TABLE gam_badges (
    id TEXT PRIMARY KEY NOT NULL,
    learner_id TEXT NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    badge_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    course_title TEXT NOT NULL,
    organisation TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (learner_id, course_id, badge_key)
);

-- Who chose to appear on a course's leaderboard, and under which name.
CREATE TABLE gam_leaderboard (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    pseudonym TEXT NOT NULL,
    show_name BOOLEAN NOT NULL,
    joined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, user_id),
    UNIQUE (course_id, pseudonym)
);
