//! Fuzz target: arbitrary bytes as one schema file, and (split at the first 0xFF byte, which
//! never occurs in UTF-8) as two files that may reference each other's named types. Whenever a
//! set loads without errors, the Parsing Canonical Form of every file root is computed too;
//! errors must point into their file; `fmt` must be idempotent and keep the schema. The body
//! is `targets::validate`, which `tests/fuzz_props.rs` also runs on stable Rust.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::validate(data));
