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

/// Whether an object key is an attribute the Avro specification defines (the rest are custom
/// properties). Written out here, not taken from `fmt`, so a key `fmt` forgets fails the test.
fn known(key: &str, field: bool) -> bool {
    if field {
        ["name", "type", "default", "order", "doc", "aliases"].contains(&key)
    } else {
        [
            "type",
            "name",
            "namespace",
            "doc",
            "aliases",
            "fields",
            "symbols",
            "default",
            "size",
            "items",
            "values",
            "logicalType",
            "precision",
            "scale",
        ]
        .contains(&key)
    }
}

/// Shuffles the keys of every schema and field object (not of data: defaults and custom
/// property values keep their order), keeping custom properties in their relative order.
fn permute(v: &mut serde_json::Value, field: bool, rng: &mut u64) {
    use serde_json::Value;
    let mut next = || {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        *rng
    };
    match v {
        Value::Array(items) => {
            for i in items {
                permute(i, false, rng);
            }
        }
        Value::Object(m) => {
            let entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            let (mut known_keys, custom): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, _)| known(k, field));
            for i in (1..known_keys.len()).rev() {
                let j = (next() % (i as u64 + 1)) as usize;
                known_keys.swap(i, j);
            }
            // Custom properties go in at random places, in their order.
            let mut out: Vec<(String, Value)> = known_keys;
            for c in custom {
                let at = (next() % (out.len() as u64 + 1)) as usize;
                let at = out.iter().rposition(|(k, _)| !known(k, field)).map_or(at, |last| at.max(last + 1));
                out.insert(at, c);
            }
            for (k, mut val) in out {
                match (field, k.as_str()) {
                    (false, "items" | "values") => permute(&mut val, false, rng),
                    (false, "type") if !val.is_string() => permute(&mut val, false, rng),
                    (false, "fields") => {
                        if let Value::Array(fs) = &mut val {
                            for f in fs {
                                permute(f, true, rng);
                            }
                        }
                    }
                    (true, "type") => permute(&mut val, false, rng),
                    _ => {}
                }
                m.insert(k, val);
            }
        }
        _ => {}
    }
}

/// Every valid, formattable schema of the corpora (read once).
fn valid_schemas() -> &'static [String] {
    static ALL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for d in ["tests/corpus", "schemas", "examples"] {
            avsc_files(&root.join(d), &mut files);
        }
        files.sort();
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .filter(|t| serde_json::from_str::<serde_json::Value>(t).is_ok())
            .filter(|t| pcf(t).is_some() && format(t, &Limits::default()).is_ok())
            .collect()
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Whatever order a registry returns the keys in, `fmt` writes the same text, and the
    /// canonical form is the original's.
    #[test]
    fn any_key_order_formats_the_same(seed in 1u64.., pick in 0usize..10_000) {
        let limits = Limits::default();
        let candidates = valid_schemas();
        proptest::prop_assert!(candidates.len() > 100);
        let text = &candidates[pick % candidates.len()];
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        let baseline = format(&original.to_string(), &limits).unwrap();
        let mut rng = seed;
        for _ in 0..4 {
            let mut shuffled = original.clone();
            permute(&mut shuffled, false, &mut rng);
            let out = format(&shuffled.to_string(), &limits).unwrap();
            proptest::prop_assert_eq!(&out, &baseline, "from {}", shuffled);
            proptest::prop_assert_eq!(pcf(&out), pcf(text));
        }
    }
}
