//! Differential test against the PyPI `avro` package's `avro.compatibility` (a port of Java's
//! checker), run through `tests/python/compat_oracle.py`.
//!
//! Over the corpus, every divergence must be one listed in `tests/compat-divergences.tsv` with the
//! Java behaviour that justifies schemapipe's verdict. Over randomly generated schema evolutions
//! (proptest strategies, deterministic seed; no aliases, where the port is known to differ),
//! the verdicts must agree exactly. The pinned `avro` is installed into `target/oracles` on the
//! first run (tests/support/oracles.rs); when it cannot be, this test fails rather than skipping.

mod support {
    pub mod evolutions;
    pub mod oracles;
}

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use schemapipe::core::compat::{check, NodeRef, SetView};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::source::SourceMap;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use support::{evolutions, oracles};

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Python's verdict (compatible?) for each (reader, writer) pair.
fn python(pairs: &[(Value, Value)]) -> Vec<bool> {
    let items: Vec<Value> =
        pairs.iter().enumerate().map(|(i, (r, w))| json!({"id": i, "reader": r, "writer": w})).collect();
    let mut child = oracles::python()
        .args(["-W", "ignore"])
        .arg(tests_dir().join("python/compat_oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the oracles' python runs");
    child.stdin.take().unwrap().write_all(Value::Array(items).to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("oracle output is JSON");
    results
        .iter()
        .map(|r| {
            assert!(r["error"].is_null(), "the Python oracle failed: {}", r["error"]);
            r["compatible"].as_bool().unwrap()
        })
        .collect()
}

fn ours(reader: &Value, writer: &Value) -> bool {
    let r = load(vec![Input::new("r.avsc", reader.to_string())], &Limits::default(), &mut SourceMap::new());
    let w = load(vec![Input::new("w.avsc", writer.to_string())], &Limits::default(), &mut SourceMap::new());
    assert!(
        !r.has_errors() && !w.has_errors(),
        "generated an invalid schema: {reader} / {writer}: {:?} {:?}",
        r.findings,
        w.findings
    );
    let root = |s: &schemapipe::core::schema::SchemaSet| NodeRef { unit: 0, id: s.files[0].root.unwrap() };
    check(&SetView(&r), root(&r), &SetView(&w), root(&w)).is_empty()
}

#[test]
fn corpus_divergences_are_all_explained() {
    let mut names = Vec::new();
    let mut pairs = Vec::new();
    for group in std::fs::read_dir(tests_dir().join("compat")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        if group.file_name() == "levels" {
            continue;
        }
        for f in std::fs::read_dir(group.path()).unwrap().flatten() {
            let case: Value = serde_json::from_str(&std::fs::read_to_string(f.path()).unwrap()).unwrap();
            names.push(format!("{}/{}", group.file_name().to_string_lossy(), f.file_name().to_string_lossy()));
            pairs.push((case["reader"].clone(), case["writer"].clone()));
        }
    }
    let theirs = python(&pairs);
    let mut found = BTreeMap::new();
    for ((name, (r, w)), t) in names.iter().zip(&pairs).zip(theirs) {
        let o = ours(r, w);
        if o != t {
            found.insert(name.clone(), (o, t));
        }
    }
    let listed: BTreeMap<String, String> = std::fs::read_to_string(tests_dir().join("compat-divergences.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (p, why) = l.split_once('\t').unwrap();
            (p.to_string(), why.to_string())
        })
        .collect();
    let unexplained: Vec<String> = found
        .iter()
        .filter(|(p, _)| !listed.contains_key(*p))
        .map(|(p, (o, t))| format!("{p}\tschemapipe compatible={o} / python compatible={t}"))
        .collect();
    let stale: Vec<&String> = listed.keys().filter(|p| !found.contains_key(*p)).collect();
    assert!(unexplained.is_empty(), "unexplained divergences from avro.compatibility:\n{}", unexplained.join("\n"));
    assert!(stale.is_empty(), "listed divergences that no longer happen: {stale:?}");
}

#[test]
fn random_evolutions_agree_with_avro_compatibility() {
    let mut runner =
        TestRunner::new(Config { rng_seed: proptest::test_runner::RngSeed::Fixed(20261126), ..Config::default() });
    let strategy = evolutions::pairs();
    let mut pairs = Vec::new();
    while pairs.len() < 1500 {
        let (old, new) = strategy.new_tree(&mut runner).unwrap().current();
        pairs.push((new.clone(), old.clone()));
        pairs.push((old, new));
    }
    let theirs = python(&pairs);
    let mut disagreements = Vec::new();
    let mut incompatible = 0;
    for ((r, w), t) in pairs.iter().zip(theirs) {
        let o = ours(r, w);
        incompatible += usize::from(!o);
        if o != t {
            disagreements.push(format!("reader {r}\nwriter {w}\nschemapipe compatible={o}, python compatible={t}"));
        }
    }
    // The generator must exercise both outcomes, or the comparison proves little.
    assert!(incompatible > 200 && incompatible < pairs.len() - 200, "{incompatible} of {} incompatible", pairs.len());
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.iter().take(5).cloned().collect::<Vec<_>>().join("\n\n")
    );
}
