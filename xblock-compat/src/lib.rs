//! Open edX compatibility: OLX reading and writing, the course tree, Open edX opaque keys and
//! CAPA grading. Pure functions only: this crate knows nothing of databases, HTTP or templates
//! (checked in `.ci/run`), so it can be tested and fuzzed on its own.

pub mod archive;
pub mod capa;
pub mod courseware;
pub mod grading;
pub mod keys;
pub mod olx;
