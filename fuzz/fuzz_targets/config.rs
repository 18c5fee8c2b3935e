//! Fuzz target: arbitrary bytes as schemapipe.yaml (`core::config::parse`). No panic, overflow
//! or hang; an error has a message, and its line and column are inside the text. The body is
//! `targets::config`, which `tests/fuzz_props.rs` also runs on stable Rust.
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::config(data));
