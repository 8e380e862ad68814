//! CAPA numerics shared by the response types: the `calc` expression evaluator Open edX uses for
//! numerical and formula answers ([`calc`]) and `compare_with_tolerance` ([`tolerance`]); the
//! accessible HTML renderer of a problem body ([`render`]).

pub mod calc;
pub mod render;
pub mod tolerance;
