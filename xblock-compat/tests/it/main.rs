//! xblock-compat against real Open edX exports from `../shared/olx/`.

mod capa_render;
mod courseware;
mod olx;
