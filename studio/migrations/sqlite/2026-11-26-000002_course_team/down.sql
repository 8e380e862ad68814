DROP TABLE course_team;
