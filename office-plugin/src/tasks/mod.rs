//! Delegated tasks of an office (`/biuro/{office}/zadania`) and personal to-do items
//! (`/biuro/notatki`).
//!
//! `store` owns every change (with its history and notices), `recurrence` the repeat rules,
//! `pages` the office's task pages, `todo` the private notes.

use actix_web::web;

pub mod pages;
pub mod recurrence;
pub mod store;
pub mod todo;

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "office/tasks/list.html",
        include_str!("../../templates/office/tasks/list.html"),
    ),
    (
        "office/tasks/form.html",
        include_str!("../../templates/office/tasks/form.html"),
    ),
    (
        "office/tasks/task.html",
        include_str!("../../templates/office/tasks/task.html"),
    ),
    (
        "office/tasks/todo.html",
        include_str!("../../templates/office/tasks/todo.html"),
    ),
];

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Fixed paths before the office's: `/biuro/notatki` is no office.
    todo::routes(cfg);
    pages::routes(cfg);
}
