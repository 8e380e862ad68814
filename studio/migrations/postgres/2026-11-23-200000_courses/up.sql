-- Courses and content libraries, stored as immutable versions: an import over an existing course
-- adds a version and moves `current_version_id` in the same transaction.
CREATE TABLE courses (
    id TEXT PRIMARY KEY NOT NULL,
    course_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    current_version_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX courses_organisation ON courses (organisation_id);

CREATE TABLE course_versions (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,
    meta TEXT NOT NULL,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (course_id, number)
);

-- One row per block; `seq` is the block's index in the version's tree, `parent_seq` and
-- `position` give the order of children.
CREATE TABLE course_blocks (
    version_id TEXT NOT NULL REFERENCES course_versions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    block_type TEXT NOT NULL,
    block_id TEXT NOT NULL,
    parent_seq INTEGER,
    position INTEGER NOT NULL,
    draft BOOLEAN NOT NULL,
    inline_def BOOLEAN NOT NULL,
    attrs TEXT NOT NULL,
    policy TEXT NOT NULL,
    xml TEXT NOT NULL,
    body TEXT,
    extra_xml TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_line INTEGER NOT NULL,
    PRIMARY KEY (version_id, seq)
);
CREATE INDEX course_blocks_by_id ON course_blocks (version_id, block_type, block_id);

CREATE TABLE course_assets (
    version_id TEXT NOT NULL REFERENCES course_versions(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    PRIMARY KEY (version_id, path)
);
CREATE INDEX course_assets_sha ON course_assets (sha256);
