//! Helpers shared by the integration tests.

pub mod fake_graph;
pub mod run;
pub mod spy;
