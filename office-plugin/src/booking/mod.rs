//! Booking of e-visits (e-wizyta). `slots` is the pure part: which appointment slots are free,
//! computed without the database or HTTP so it can be tested exhaustively, including the clock
//! changes in Europe/Warsaw. Double booking is prevented by the database (`store`), not there.
//!
//! Pages: `admin` (matters, availability, public switch), `public` (the citizen's booking and
//! signed links), `official` (appointments of the office), `stats` (numbers, charts, CSV).

use actix_web::web;

pub mod admin;
pub mod email;
pub mod links;
pub mod official;
pub mod public;
pub mod slots;
pub mod stats;
pub mod store;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$((
            concat!("office/booking/", $name),
            include_str!(concat!("../../templates/office/booking/", $name)),
        )),*]
    };
}

/// Templates of this area, registered by the plugin.
pub const TEMPLATES: &[(&str, &str)] = templates!(
    "matters.html",
    "matter_form.html",
    "availability.html",
    "list.html",
    "detail.html",
    "stats.html",
    "macros.html",
    "public_office.html",
    "public_slots.html",
    "public_form.html",
    "public_booked.html",
    "public_reschedule.html",
    "public_cancel.html",
    "public_call.html",
);

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Office side. Fixed segments before `{id}` ones.
    cfg.route("/biuro/{office}/sprawy", web::get().to(admin::matters))
        .route(
            "/biuro/{office}/sprawy/publiczne",
            web::post().to(admin::set_public),
        )
        .route(
            "/biuro/{office}/sprawy/{id}",
            web::get().to(admin::matter_form),
        )
        .route(
            "/biuro/{office}/sprawy/{id}",
            web::post().to(admin::save_matter),
        )
        .route(
            "/biuro/{office}/sprawy/{id}/aktywna",
            web::post().to(admin::toggle_matter),
        )
        .route(
            "/biuro/{office}/dostepnosc/{official}",
            web::get().to(admin::availability_form),
        )
        .route(
            "/biuro/{office}/dostepnosc/{official}",
            web::post().to(admin::save_availability),
        )
        .route("/biuro/{office}/wizyty", web::get().to(official::list))
        .route(
            "/biuro/{office}/wizyty/{id}",
            web::get().to(official::detail),
        )
        .route(
            "/biuro/{office}/wizyty/{id}/przeloz",
            web::post().to(official::reschedule),
        )
        .route(
            "/biuro/{office}/wizyty/{id}/odwolaj",
            web::post().to(official::cancel),
        )
        .route(
            "/biuro/{office}/wizyty/{id}/odbyta",
            web::post().to(official::done),
        )
        .route(
            "/biuro/{office}/wizyty/{id}/nieobecnosc",
            web::post().to(official::no_show),
        )
        .route("/biuro/{office}/statystyki", web::get().to(stats::page))
        .route(
            "/biuro/{office}/statystyki.csv",
            web::get().to(stats::csv_export),
        );
    // Public side: the signed links (three segments) first.
    cfg.route(
        "/wizyty/potwierdzenie/{id}/{sig}",
        web::get().to(public::booked),
    )
    .route(
        "/wizyty/zmiana/{id}/{sig}",
        web::get().to(public::reschedule_form),
    )
    .route(
        "/wizyty/zmiana/{id}/{sig}",
        web::post().to(public::reschedule),
    )
    .route(
        "/wizyty/odwolanie/{id}/{sig}",
        web::get().to(public::cancel_form),
    )
    .route(
        "/wizyty/odwolanie/{id}/{sig}",
        web::post().to(public::cancel),
    )
    .route("/wizyty/rozmowa/{id}/{sig}", web::get().to(public::call))
    .route("/wizyty/{office}", web::get().to(public::office))
    .route(
        "/wizyty/{office}/{matter}",
        web::get().to(public::matter_slots),
    )
    .route(
        "/wizyty/{office}/{matter}/dane",
        web::get().to(public::details_form),
    )
    .route(
        "/wizyty/{office}/{matter}/dane",
        web::post().to(public::book),
    );
}
