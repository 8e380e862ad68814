DROP TABLE course_assets;
DROP TABLE course_blocks;
DROP TABLE course_versions;
DROP TABLE courses;
