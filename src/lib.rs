//! schemapipe: validate, lint, compatibility-check and publish Avro schemas kept in git.
//!
//! The pure [`core`] (no I/O) holds the model and every analysis; [`app`] holds the use cases,
//! where [`workspace`], [`git`], [`registry`] and the templates meet the core; [`cli`] parses
//! arguments and renders results with [`report`]. See docs/architecture.md.

pub mod app;
pub mod cli;
pub mod core;
pub mod fsguard;
pub mod git;
pub mod registry;
pub mod report;
pub mod workspace;
