DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE user_roles;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE organisations;
