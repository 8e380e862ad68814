DROP TABLE gam_leaderboard;
DROP TABLE gam_badges;
DROP TABLE gam_activity;
DROP TABLE gam_points;
