//! Certificates and badges a learner earns, in the forms they leave the portal in.
//!
//! [`openbadges`] turns one of them into an Open Badges 3.0 credential a learner can keep in a
//! wallet; its `id` is the public verification URL, so the file always leads back to the portal.

pub mod openbadges;
