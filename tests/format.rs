//! `fmt` keeps meaning: over every valid schema of the test corpora and the bundled schemas,
//! formatting preserves the JSON value exactly (every default and custom property), the Parsing
//! Canonical Form, and is idempotent.

use schemapipe::core::canonical::parsing_canonical_form;
use schemapipe::core::format::format;
use schemapipe::core::json::{parse, same_value, Limits};
use schemapipe::core::load::{load, Input};
use schemapipe::core::source::SourceMap;
use std::path::{Path, PathBuf};

fn avsc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            avsc_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "avsc") {
            out.push(p);
        }
    }
}

fn pcf(text: &str) -> Option<String> {
    let set = load(vec![Input::new("x.avsc", text)], &Limits::default(), &mut SourceMap::new());
    if set.has_errors() {
        return None;
    }
    Some(parsing_canonical_form(&set, set.files[0].root?))
}

fn check(text: &str, what: &str) -> bool {
    let limits = Limits::default();
    let Ok(formatted) = format(text, &limits) else { return false };
    let before = parse(text, &limits).unwrap().root;
    let after =
        parse(&formatted, &limits).unwrap_or_else(|e| panic!("{what}: formatted text does not parse: {e:?}")).root;
    assert!(same_value(&before, &after), "{what}: formatting changed a value");
    assert_eq!(format(&formatted, &limits).unwrap(), formatted, "{what}: not idempotent");
    assert_eq!(pcf(text), pcf(&formatted), "{what}: canonical form changed");
    assert!(formatted.ends_with('\n') && !formatted.ends_with("\n\n"), "{what}");
    true
}

#[test]
fn formatting_preserves_meaning_on_every_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["tests/corpus", "schemas", "examples"] {
        avsc_files(&root.join(d), &mut files);
    }
    let mut formatted = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(text) = String::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes).to_vec()) else {
            continue;
        };
        if check(&text, &f.display().to_string()) {
            formatted += 1;
        }
    }
    // Every schema of the compatibility corpus, written compactly.
    for group in std::fs::read_dir(root.join("tests/compat")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for f in std::fs::read_dir(group.path()).unwrap().flatten() {
            let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f.path()).unwrap()).unwrap();
            for key in ["reader", "writer", "new"] {
                if let Some(s) = case.get(key) {
                    assert!(check(&s.to_string(), &format!("{}:{key}", f.path().display())));
                    formatted += 1;
                }
            }
        }
    }
    assert!(formatted > 800, "only {formatted} schemas formatted");
}
