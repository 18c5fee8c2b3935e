//! The pure core: parsing, the Avro model, and every analysis. No I/O, no terminal, no network.

pub mod json;
pub mod source;
pub mod finding;
pub mod schema;
pub mod load;
pub mod config;
pub mod canonical;
