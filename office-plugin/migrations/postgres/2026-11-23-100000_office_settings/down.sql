DROP TABLE office_settings;
