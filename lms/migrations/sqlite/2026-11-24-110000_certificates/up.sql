-- Certificates (Open edX's GeneratedCertificate): one per person and course. The public
-- verification page is /certificates/{verify_uuid}. Name, course title and organisation are
-- copied at issue time, so a certificate says what was true when it was issued.
CREATE TABLE certificates (
    verify_uuid TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    organisation TEXT NOT NULL,
    grade TEXT NOT NULL,
    status TEXT NOT NULL,
    revoke_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, course_id)
);
CREATE INDEX certificates_course ON certificates (course_id);
