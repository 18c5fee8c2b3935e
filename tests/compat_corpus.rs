//! The compatibility corpus: `tests/compat/<group>/*.json`, each with the verdict and the
//! incompatibility types Java's `SchemaCompatibility` gives (derived from the Java source; see
//! tests/compat/README.md). Every verdict and every type list must match.

use schemapipe::core::compat::level::{check_level, Level, Version};
use schemapipe::core::compat::{check, NodeRef, SetView};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::schema::SchemaSet;
use schemapipe::core::source::SourceMap;
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    let mut out = Vec::new();
    for group in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for f in std::fs::read_dir(group.path()).unwrap().flatten() {
            let name = format!("{}/{}", group.file_name().to_string_lossy(), f.file_name().to_string_lossy());
            let v: Value = serde_json::from_str(&std::fs::read_to_string(f.path()).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            out.push((name, v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn schema(name: &str, v: &Value) -> SchemaSet {
    let set = load(vec![Input::new(name, v.to_string())], &Limits::default(), &mut SourceMap::new());
    assert!(!set.has_errors(), "{name}: invalid schema in the corpus: {:?}", set.findings);
    set
}

fn root(s: &SchemaSet) -> NodeRef {
    NodeRef { unit: 0, id: s.files[0].root.unwrap() }
}

#[test]
fn pair_verdicts_match_java() {
    let mut failures = Vec::new();
    let mut pairs = 0;
    for (name, case) in corpus().iter().filter(|(n, _)| !n.starts_with("levels/")) {
        pairs += 1;
        let r = schema(name, &case["reader"]);
        let w = schema(name, &case["writer"]);
        let found = check(&SetView(&r), root(&r), &SetView(&w), root(&w));
        let mut kinds: Vec<&str> = found
            .iter()
            .map(|i| match i.kind.code() {
                "ambiguous-field-alias" => "java-exception",
                c => c,
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        let expected: Vec<&str> =
            case["incompatibilities"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let compatible = case["compatible"].as_bool().unwrap();
        if found.is_empty() != compatible || kinds != expected {
            failures.push(format!("{name}: expected {expected:?}, got {kinds:?} ({})", case["why"]));
        }
        for i in &found {
            assert!(i.location.is_empty() || i.location.starts_with('/'), "{name}: {}", i.location);
        }
    }
    assert!(pairs >= 250, "only {pairs} pair cases");
    assert!(failures.is_empty(), "{} of {pairs} differ from Java:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn level_sequences_match_confluent() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, case) in corpus().iter().filter(|(n, _)| n.starts_with("levels/")) {
        n += 1;
        let level = Level::parse(case["level"].as_str().unwrap()).unwrap();
        let new_set = schema(name, &case["new"]);
        let prev_sets: Vec<SchemaSet> = case["previous"].as_array().unwrap().iter().map(|p| schema(name, p)).collect();
        let new_view = SetView(&new_set);
        let prev_views: Vec<SetView> = prev_sets.iter().map(SetView).collect();
        let previous: Vec<Version> =
            prev_views.iter().zip(&prev_sets).map(|(v, s)| Version { view: v, root: root(s) }).collect();
        let checks = check_level(level, &Version { view: &new_view, root: root(&new_set) }, &previous);
        let compatible = checks.iter().all(|c| c.compatible());
        if compatible != case["compatible"].as_bool().unwrap() {
            failures.push(format!(
                "{name}: expected compatible={}, got {compatible} ({})",
                case["compatible"], case["why"]
            ));
        }
    }
    assert!(n >= 40, "only {n} level cases");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n"));
}
