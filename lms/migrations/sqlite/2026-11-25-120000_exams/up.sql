-- Attempts at timed subsections (Open edX's timed exams: a sequential with
-- is_time_limited="true" and default_time_limit_minutes). One attempt per learner and
-- subsection: the clock starts when the learner presses "Start" and never restarts.
-- deadline = min(started_at + limit, due), fixed at the start, so a later change of the course
-- does not move a running clock. ended_at: finished early by the learner (NULL: not finished;
-- the attempt is over anyway once the deadline has passed).
CREATE TABLE exam_attempts (
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL,
    subsection_id TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    deadline TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    PRIMARY KEY (course_id, learner_id, subsection_id)
);
CREATE INDEX exam_attempts_learner ON exam_attempts (learner_id);
