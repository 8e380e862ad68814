//! SZPoN kernel: configuration, database, people, organisations, roles, authentication, sessions,
//! mail, internationalisation, templating, and the plugin trait every other crate builds on.
//!
//! `platform` depends on no other SZPoN crate. It is the only crate that reads environment
//! variables (in [`config`]) and the only one that defines the database schema of the kernel.

pub mod access;
pub mod config;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod models;
pub mod password;
pub mod plugin;
pub mod storage;
pub mod theme;
pub mod web;

pub use diesel;
pub use diesel_migrations;
pub use tera;
