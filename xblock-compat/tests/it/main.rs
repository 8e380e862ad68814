//! xblock-compat against real Open edX exports from `../shared/olx/` and Open edX's CAPA
//! expectations from `../shared/capa/`.

mod capa;
mod capa_render;
mod courseware;
mod differential;
mod markdown;
mod olx;
mod publish;
