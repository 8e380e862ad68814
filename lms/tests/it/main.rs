//! The portal's integration tests: one binary (fast to link), every database test on both
//! SQLite and PostgreSQL.

mod accounts;
mod browser;
mod certificates;
mod cli;
mod database;
mod drafts;
mod exams;
mod gamification;
mod helpers;
mod learning;
#[cfg(feature = "office")]
mod office_booking;
#[cfg(feature = "office")]
mod office_calendar;
#[cfg(feature = "office")]
mod office_tasks;
mod olx_import;
mod olx_validation;
mod organisations;
mod security;
mod studio_assets;
mod studio_authoring;
mod studio_components;
mod studio_outline;
mod studio_publish;
mod studio_schedule;
mod studio_team;
mod studio_upload;
mod surveys;
mod ui;
