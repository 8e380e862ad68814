//! Gamification: points, levels, streaks, badges and an opt-in course leaderboard.
//!
//! - [`award`] turns a learner's progress into points (per unit completed, per problem answered
//!   fully right, as the course's options set them) and badges (chapter completed, N-day streak,
//!   all problems right first time, course completed). It runs from the learner event hooks in
//!   the transaction that stored the progress; the ledger's keys make every award happen once.
//! - [`streaks`] and [`levels`] are pure functions of activity days and point totals.
//! - [`store`] holds the ledger, days, badges and leaderboard memberships, and moves an
//!   anonymous learner's share into an account when their progress merges.
//! - [`web`]: the dashboard `/panel`, the public badge page `/odznaki/{id}` with its image and
//!   Open Badges 3.0 credential, and the course leaderboard `/kursy/{key}/ranking`.
//!
//! Privacy: the leaderboard shows only learners who joined it, under a random pseudonym unless
//! they chose to show their name; badge pages exist only for badges of account holders.

pub mod award;
pub mod levels;
pub mod pseudonym;
pub mod store;
pub mod streaks;
pub mod web;
