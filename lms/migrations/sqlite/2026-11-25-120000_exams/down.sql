DROP TABLE exam_attempts;
