//! Fuzz target: arbitrary bytes as one schema file, and (split at the first 0xFF byte, which
//! never occurs in UTF-8) as two files that may reference each other's named types. Whenever a
//! set loads without errors, the Parsing Canonical Form of every file root is computed too.
//! Any panic, overflow or hang is a bug: `load` must turn every problem into findings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemapipe::core::canonical::parsing_canonical_form;
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::source::SourceMap;

fn check(inputs: Vec<Input>) {
    let limits = Limits::default();
    let mut sources = SourceMap::new();
    let set = load(inputs, &limits, &mut sources);
    if set.has_errors() {
        return;
    }
    for file in &set.files {
        if let Some(root) = file.root {
            let pcf = parsing_canonical_form(&set, root);
            assert!(!pcf.is_empty(), "empty canonical form");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(vec![Input::new("fuzz/one.avsc", data)]);
    if let Some(i) = data.iter().position(|&b| b == 0xFF) {
        check(vec![Input::new("fuzz/a.avsc", &data[..i]), Input::new("fuzz/b.avsc", &data[i + 1..])]);
    }
});
