//! Certificates of completion. [`pdf`] renders the printable, verifiable PDF; issuing and the
//! public verification page build on it.

pub mod pdf;
