DROP TABLE learner_courses;
DROP TABLE learner_blocks;
DROP TABLE enrollments;
