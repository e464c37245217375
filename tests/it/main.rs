//! The workspace's integration tests, as one test binary (one link, one run):
//! wire and paging tests against wiremock, client-against-emulator tests, the backend
//! lifecycle, the conformance scenario for every group (`scenario/`), reliability under
//! faults and load, spec example round-trips, property tests,
//! and user-declared operations (the trybuild UI cases are the `apim-ui` package,
//! `tests/ui/`). Only the log-capture test, which
//! installs a global subscriber, and the proxy test, which sets process environment
//! variables, are binaries of their own.

mod common;

mod backend_lifecycle;
mod client_emulator;
mod decoding_props;
mod examples;
mod extension;
mod groups;
mod lenient;
mod lro;
mod lro_emulator;
mod models_examples;
mod oracle;
mod paging;
mod path_escaping;
mod reliability;
mod scenario;
mod send_and_page;
mod throttling;
mod user_test;
mod wire;
