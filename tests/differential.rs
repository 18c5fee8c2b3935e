//! Differential test against the Rust `apache-avro` crate's parser over the validation corpus.
//!
//! apache-avro is not the reference (Java is; see tests/corpus.rs), so this test does not ask
//! for agreement: it pins down *where* the two disagree. Every divergence must be listed in
//! `tests/differential-divergences.tsv` with the Java behaviour that justifies schemapipe's
//! verdict; a new, unexplained divergence fails the test, and so does a listed one that no
//! longer happens.

use schemapipe::core::finding::Severity;
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::source::SourceMap;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn ours(path: &str, bytes: &[u8]) -> bool {
    let set = load(vec![Input::new(path, bytes)], &Limits::default(), &mut SourceMap::new());
    !set.findings.iter().any(|f| f.severity == Severity::Error)
}

fn theirs(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else { return false };
    // The crate may panic on some inputs; a panic counts as a rejection.
    let text = text.to_string();
    std::panic::catch_unwind(move || apache_avro::Schema::parse_str(&text).is_ok()).unwrap_or(false)
}

#[test]
fn divergences_from_apache_avro_are_all_explained() {
    let manifest = std::fs::read_to_string(root().join("corpus/expected.tsv")).unwrap();
    let mut found: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    std::panic::set_hook(Box::new(|_| {}));
    for line in manifest.lines().filter(|l| !l.is_empty()) {
        let path = line.split('\t').next().unwrap();
        let bytes = std::fs::read(root().join("corpus").join(path)).unwrap();
        let (a, b) = (ours(path, &bytes), theirs(&bytes));
        if a != b {
            found.insert(path.to_string(), (a, b));
        }
    }
    let _ = std::panic::take_hook();
    let listed_text = std::fs::read_to_string(root().join("differential-divergences.tsv")).unwrap();
    let listed: BTreeMap<String, String> = listed_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (p, why) = l.split_once('\t').unwrap_or_else(|| panic!("no justification: {l}"));
            assert!(why.trim().len() > 10, "justification too short: {l}");
            (p.to_string(), why.to_string())
        })
        .collect();
    let unexplained: Vec<String> = found
        .iter()
        .filter(|(p, _)| !listed.contains_key(*p))
        .map(|(p, (a, b))| format!("{p}\tschemapipe {} / apache-avro {}", verdict(*a), verdict(*b)))
        .collect();
    let stale: Vec<&String> = listed.keys().filter(|p| !found.contains_key(*p)).collect();
    assert!(unexplained.is_empty(), "unexplained divergences:\n{}", unexplained.join("\n"));
    assert!(stale.is_empty(), "listed divergences that no longer happen: {stale:?}");
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "valid"
    } else {
        "invalid"
    }
}
