//! HTTP-level tests of the emulator, with a plain reqwest client (no apim-client).

mod common;

mod actions;
mod all_actions;
mod auth;
mod built_in;
mod computed;
mod example_shapes;
mod example_sources;
mod faults;
mod links;
mod load;
mod log;
mod lro;
mod lro_description;
mod paging;
mod parents;
mod reconnect;
mod required_query;
mod resources;
mod secrets;
mod server;
mod service;
mod throttle;
mod top_level;
mod validation;
