//! CAPA numerics shared by the response types: the `calc` expression evaluator Open edX uses for
//! numerical and formula answers ([`calc`]) and `compare_with_tolerance` ([`tolerance`]).

pub mod calc;
pub mod tolerance;
