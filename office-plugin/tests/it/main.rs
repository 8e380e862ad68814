//! office-plugin's integration tests: one binary, one module per area.

mod ical;
