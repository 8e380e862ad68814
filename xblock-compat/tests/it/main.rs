//! xblock-compat against real Open edX exports from `../shared/olx/`.

mod courseware;
mod olx;
