//! CAPA problems as Open edX grades them: the `calc` expression evaluator ([`calc`]),
//! `compare_with_tolerance` ([`tolerance`]), the problem pipeline and response types
//! ([`problem`], [`responses`]), Python's `random2` generator for shuffles ([`random2`]), and the
//! JSON-lines grading contract of `szpon capa grade` ([`contract`]).

pub mod calc;
pub mod contract;
pub mod problem;
pub mod pyutil;
pub mod random2;
pub(crate) mod responses;
pub mod tolerance;
pub mod xml;

pub use contract::grade_json_line;
pub use problem::{
    AnswerValue, Answers, CapaError, Correctness, Grading, InputInfo, InputResult, Problem,
};
