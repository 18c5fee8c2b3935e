//! Fuzz target: arbitrary bytes as a Schema Registry response body, read as the registry
//! client reads it (JSON or a plain string; a version, a subject or version list, an error),
//! and a version's schema through what `pull` does with it (load, format, compare). The body
//! is `targets::registry`, which `tests/fuzz_props.rs` also runs on stable Rust.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::registry(data));
