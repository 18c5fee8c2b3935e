//! The pure core: parsing, the Avro model, and every analysis. No I/O, no terminal, no network.

pub mod canonical;
pub mod catalog;
pub mod codec;
pub mod compat;
pub mod config;
pub mod diff;
pub mod finding;
pub mod format;
pub mod generate;
pub mod glob;
pub mod hashing;
pub mod history;
pub mod json;
pub mod lint;
pub mod load;
pub mod metadata;
pub mod par;
pub mod pathname;
pub mod publish;
pub mod sample;
pub mod samples;
pub mod schema;
pub mod schema_eq;
pub mod source;
