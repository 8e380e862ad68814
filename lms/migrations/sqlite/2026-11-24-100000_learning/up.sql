-- Learner state. A learner is a signed-in user (learner_id = users.id) or an anonymous visitor
-- learning without an account (learner_id = 'anon-' + random, from a signed cookie). Anonymous
-- rows move to the user's id when that person signs in (see lms::learning::learner::merge).

-- Signed-in learners who enrolled (or started a public course).
CREATE TABLE enrollments (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, learner_id)
);
CREATE INDEX enrollments_learner ON enrollments (learner_id);

-- One row per learner and block with state (Open edX's StudentModule): problem answers and
-- attempts, completion. Scores are raw (earned/possible before weighting), as Open edX keeps them.
CREATE TABLE learner_blocks (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL,
    block_key TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    earned DOUBLE,
    possible DOUBLE,
    completed BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, learner_id, block_key)
);
CREATE INDEX learner_blocks_learner ON learner_blocks (learner_id);

-- Per learner and course: where to resume and the grade computed at the last submission.
CREATE TABLE learner_courses (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL,
    last_unit TEXT,
    percent DOUBLE NOT NULL,
    letter TEXT,
    passed BOOLEAN NOT NULL,
    grade TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, learner_id)
);
CREATE INDEX learner_courses_learner ON learner_courses (learner_id);
