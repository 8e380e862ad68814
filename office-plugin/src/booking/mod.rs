//! Booking of e-visits (e-wizyta). Only the pure part lives here so far: which appointment slots
//! are free, computed without the database or HTTP so it can be tested exhaustively, including
//! the clock changes in Europe/Warsaw. Double booking is prevented by the database, not here.

pub mod slots;
