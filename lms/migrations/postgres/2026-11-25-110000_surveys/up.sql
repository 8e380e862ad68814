-- Course surveys authored by the course's staff (not the OLX poll/survey blocks, which keep
-- their votes in learner_blocks).
CREATE TABLE surveys (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    -- Anonymous: answers carry no learner id and no time (see survey_respondents).
    anonymous BOOLEAN NOT NULL,
    is_open BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX surveys_course ON surveys (course_id);

-- kind: single | multiple | scale | text. options: JSON array of labels; for a scale its two end
-- labels (1 and 5). Answers refer to options by index, so questions are frozen once a survey has
-- responses.
CREATE TABLE survey_questions (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    options TEXT NOT NULL,
    required BOOLEAN NOT NULL
);
CREATE INDEX survey_questions_survey ON survey_questions (survey_id, position);

-- Who has answered, for the once-only check; nothing here points at a response.
CREATE TABLE survey_respondents (
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL,
    PRIMARY KEY (survey_id, learner_id)
);

-- learner_id and submitted_at are NULL in anonymous surveys. Random ids.
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    learner_id TEXT,
    submitted_at TIMESTAMP
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id);

-- choice: the option index (single, multiple: one row per option ticked), the value 1–5 (scale),
-- 0 (text, in `text`).
CREATE TABLE survey_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
    choice INTEGER NOT NULL,
    text TEXT,
    PRIMARY KEY (response_id, question_id, choice)
);
CREATE INDEX survey_answers_question ON survey_answers (question_id);
