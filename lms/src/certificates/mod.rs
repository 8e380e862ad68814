//! Certificates and badges a learner earns, in the forms they leave the portal in: [`pdf`]
//! renders the printable certificate with a QR code of its public verification URL;
//! [`openbadges`] turns a certificate or badge into an Open Badges 3.0 credential a learner can
//! keep in a wallet, whose `id` is the same verification URL. Issuing and the verification page
//! build on these.

pub mod award;
pub mod openbadges;
pub mod pdf;
pub mod store;
pub mod web;
