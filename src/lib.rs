//! schemapipe: validate, lint, compatibility-check and publish Avro schemas kept in git.
//!
//! The pure [`core`] (no I/O) holds the model and every analysis; [`workspace`], [`report`]
//! and [`cli`] are the edges around it.

pub mod cli;
pub mod core;
pub mod fsguard;
pub mod git;
pub mod registry;
pub mod report;
pub mod workspace;
