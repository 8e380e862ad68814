//! CAPA problems as Open edX grades them: the `calc` expression evaluator ([`calc`]),
//! `compare_with_tolerance` ([`tolerance`]), the problem pipeline and response types
//! ([`problem`], [`responses`]), Python's `random2` generator for shuffles ([`random2`]), the
//! JSON-lines grading contract of `szpon capa grade` ([`contract`]), Studio's markdown problem
//! syntax → OLX ([`markdown`]), and the accessible HTML renderer of a problem body ([`render`]).

pub mod calc;
pub mod contract;
pub mod markdown;
pub mod problem;
pub mod pyutil;
pub mod random2;
pub mod render;
pub(crate) mod responses;
pub mod tolerance;
pub mod xml;

pub use contract::grade_json_line;
pub use problem::{
    AnswerValue, Answers, CapaError, Correctness, Grading, InputInfo, InputResult, Problem,
};
