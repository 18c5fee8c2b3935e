//! The validation corpus: `tests/corpus/<spec section>/*.avsc`, each with the verdict of the Java
//! reference parser (Avro 1.12) in `tests/corpus/expected.tsv`. Every file must get the same
//! verdict, every invalid file an error with a position, and the rendered diagnostics of each
//! section are snapshotted.

use schemapipe::core::finding::Severity;
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::source::SourceMap;
use schemapipe::report::human::{Renderer, Style};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

struct Case {
    path: String,
    valid: bool,
    reason: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '\t');
            let path = parts.next().unwrap().to_string();
            let verdict = parts.next().unwrap_or_else(|| panic!("no verdict: {l}"));
            assert!(verdict == "valid" || verdict == "invalid", "bad verdict in: {l}");
            Case { path, valid: verdict == "valid", reason: parts.next().unwrap_or("").to_string() }
        })
        .collect()
}

#[test]
fn manifest_lists_every_corpus_file() {
    let listed: std::collections::BTreeSet<String> = cases().into_iter().map(|c| c.path).collect();
    let mut on_disk = std::collections::BTreeSet::new();
    for section in std::fs::read_dir(corpus_dir()).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for f in std::fs::read_dir(section.path()).unwrap().flatten() {
            on_disk.insert(format!("{}/{}", section.file_name().to_string_lossy(), f.file_name().to_string_lossy()));
        }
    }
    assert_eq!(listed, on_disk);
    assert!(listed.len() >= 150, "the corpus has {} cases", listed.len());
}

#[test]
fn verdicts_match_the_java_parser() {
    let mut mismatches = Vec::new();
    let mut by_section: BTreeMap<String, String> = BTreeMap::new();
    for case in cases() {
        let bytes = std::fs::read(corpus_dir().join(&case.path)).unwrap();
        let mut sources = SourceMap::new();
        let set = load(vec![Input::new(case.path.clone(), bytes)], &Limits::default(), &mut sources);
        let errors: Vec<_> = set.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        if errors.is_empty() != case.valid {
            let got: Vec<&str> = errors.iter().map(|f| f.code).collect();
            mismatches.push(format!(
                "{}: expected {} ({}), got {:?}",
                case.path,
                if case.valid { "valid" } else { "invalid" },
                case.reason,
                got
            ));
        }
        for e in &errors {
            assert!(e.file.is_some() && e.span.is_some(), "{}: error without a position: {e:?}", case.path);
        }
        let renderer = Renderer::new(&sources, Style { color: false, width: 80 });
        let section = case.path.split('/').next().unwrap().to_string();
        let out = by_section.entry(section).or_default();
        out.push_str(&format!("=== {} ({})\n", case.path, if case.valid { "valid" } else { "invalid" }));
        let mut findings: Vec<_> = set.findings.iter().collect();
        findings.sort_by_key(|f| (f.span.map(|s| s.start), f.code));
        for f in findings {
            out.push_str(&renderer.render(f));
        }
    }
    assert!(mismatches.is_empty(), "{} verdicts differ from Java:\n{}", mismatches.len(), mismatches.join("\n"));
    for (section, text) in by_section {
        insta::assert_snapshot!(format!("corpus_{section}"), text);
    }
}
