//! The fuzz targets of `fuzz/` run as property tests on stable Rust (cargo-fuzz needs
//! nightly): the same bodies (`fuzz/targets.rs`), fed by structured generators that produce
//! near-valid inputs (schema JSON, schemapipe.yaml, registry answers) and by byte mutations of
//! the seeds in `fuzz/seeds/<target>/`. A fixed number of cases per property keeps the run to a
//! few seconds. Any panic is a bug; errors must say where they are.

#[path = "../fuzz/targets.rs"]
mod targets;

use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Cases per property in the normal test run; `SCHEMAPIPE_FUZZ_CASES` asks for a longer
/// (still bounded) run, as `.ci/run` does.
const CASES: u32 = 256;

/// The inputs come from a fixed seed, so that a run (and CI) is reproducible; exploring other
/// inputs is asked for with `SCHEMAPIPE_FUZZ_SEED=<u64>` (or `random`).
const SEED: u64 = 0x5c4e_3a91_d00d_f00d;

fn config() -> ProptestConfig {
    let env = |k: &str| std::env::var(k).ok();
    let cases = env("SCHEMAPIPE_FUZZ_CASES").and_then(|v| v.parse().ok()).unwrap_or(CASES);
    let rng_seed = match env("SCHEMAPIPE_FUZZ_SEED").as_deref() {
        Some("random") => proptest::test_runner::RngSeed::Random,
        Some(v) => proptest::test_runner::RngSeed::Fixed(v.parse().unwrap_or(SEED)),
        None => proptest::test_runner::RngSeed::Fixed(SEED),
    };
    ProptestConfig { cases, rng_seed, failure_persistence: None, ..ProptestConfig::default() }
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    let out: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(out.len() >= 5, "{}: too few seeds", dir.display());
    out
}

/// Tokens that tend to matter to JSON and YAML readers.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "-1e999",
    "1e400",
    "0.0",
    "9223372036854775808",
    "\"type\"",
    "\"name\"",
    "\"fields\"",
    "\"record\"",
    "\"enum\"",
    "\"symbols\"",
    "\"default\"",
    "\"logicalType\"",
    "\"decimal\"",
    "\n",
    "\t",
    "\n  - ",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!binary ",
    "? ",
    "---\n",
    "...\n",
    "#",
    "//",
    "/*",
    "\u{feff}",
    "\u{2028}",
    "é",
    "\u{0}",
    "~",
    "|\n",
    ">-\n",
    "<<: *a\n",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Token(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(i, t)| Mutation::Token(i, t)),
        (any::<usize>(), 1usize..16).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut data: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = data.len();
        let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
        match *m {
            Mutation::Flip(i, b) if len > 0 => data[i % len] ^= b | 1,
            Mutation::Flip(..) => {}
            Mutation::Insert(i, b) => data.insert(at(i), b),
            Mutation::Token(i, t) => {
                let p = at(i);
                data.splice(p..p, TOKENS[t].bytes());
            }
            Mutation::Delete(i, n) => {
                let p = at(i);
                let end = (p + n).min(len);
                data.drain(p..end);
            }
            Mutation::Duplicate(i, n) => {
                let p = at(i);
                let end = (p + n).min(len);
                let copy = data[p..end].to_vec();
                data.splice(p..p, copy);
            }
            Mutation::Truncate(i) => data.truncate(at(i)),
        }
    }
    data
}

/// Mutated seeds of a target.
fn mutated(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let all = seeds(target);
    (0..all.len(), prop::collection::vec(mutation(), 1..6)).prop_map(move |(i, muts)| mutate(all[i].clone(), &muts))
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[A-Z][a-zA-Z0-9_]{0,8}",
        1 => Just(String::new()),
        1 => Just("..".to_string()),
        1 => Just("com.acme.X".to_string()),
        1 => Just("1bad".to_string()),
        1 => Just("a-b".to_string()),
        1 => Just("int".to_string()),
    ]
}

fn namespace() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        3 => "[a-z]{1,5}(\\.[a-z]{1,5}){0,2}".prop_map(Some),
        1 => Just(Some(String::new())),
        1 => Just(Some("..".to_string())),
        1 => Just(Some("a..b".to_string())),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-zA-Z\\u{0}-\\u{ff}]{0,6}".prop_map(Value::String),
        Just(json!([])),
        Just(json!({})),
    ]
}

const PRIMITIVES: &[&str] = &["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

/// Schema JSON that is usually valid and often nearly so: every kind of schema, names that are
/// sometimes wrong, defaults of any type, logical types with odd attributes.
fn schema_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        4 => (0..PRIMITIVES.len()).prop_map(|i| json!(PRIMITIVES[i])),
        1 => name().prop_map(Value::String),
        1 => (0..PRIMITIVES.len(), prop_oneof![Just("decimal"), Just("uuid"), Just("date"), Just("timestamp-millis"), Just("bogus")], any::<i8>(), any::<i8>())
            .prop_map(|(p, l, prec, scale)| json!({"type": PRIMITIVES[p], "logicalType": l, "precision": prec, "scale": scale})),
        1 => (name(), namespace(), -2i64..20).prop_map(|(n, ns, size)| {
            let mut o = json!({"type": "fixed", "name": n, "size": size});
            if let Some(ns) = ns { o["namespace"] = json!(ns); }
            o
        }),
        1 => (name(), prop::collection::vec("[A-Z_][A-Z0-9_]{0,3}", 0..4), prop::option::of("[A-Z]{1,2}")).prop_map(|(n, symbols, d)| {
            let mut o = json!({"type": "enum", "name": n, "symbols": symbols});
            if let Some(d) = d { o["default"] = json!(d); }
            o
        }),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            inner.clone().prop_map(|i| json!({"type": "array", "items": i})),
            inner.clone().prop_map(|i| json!({"type": "map", "values": i})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            (
                name(),
                namespace(),
                prop::collection::vec(
                    ("[a-z_][a-z0-9_]{0,5}", inner, prop::option::of(scalar()), prop::option::of("[ -~]{0,8}")),
                    0..5
                ),
                any::<bool>(),
            )
                .prop_map(|(n, ns, fields, error)| {
                    let fields: Vec<Value> = fields
                        .into_iter()
                        .map(|(f, t, d, doc)| {
                            let mut o = json!({"name": f, "type": t});
                            if let Some(d) = d {
                                o["default"] = d;
                            }
                            if let Some(doc) = doc {
                                o["doc"] = json!(doc);
                            }
                            o
                        })
                        .collect();
                    let mut o = json!({"type": if error { "error" } else { "record" }, "name": n, "fields": fields});
                    if let Some(ns) = ns {
                        o["namespace"] = json!(ns);
                    }
                    o
                }),
        ]
    })
}

/// A schemapipe.yaml-shaped tree: the known keys with values of the right and wrong types.
fn config_tree() -> impl Strategy<Value = Value> {
    let level = prop_oneof![
        Just(json!("BACKWARD")),
        Just(json!("FULL_TRANSITIVE")),
        Just(json!("NONE")),
        Just(json!("backward")),
        Just(json!(3)),
    ];
    let anything = prop_oneof![scalar(), level.clone(), Just(json!(["a", 1])), Just(json!({"x": null}))];
    (
        prop_oneof![Just(json!(1)), Just(json!(2)), Just(json!("1")), Just(Value::Null)],
        prop::option::of(("[a-z/]{0,8}", prop::collection::vec("[*a-z/.]{0,8}", 0..3))),
        prop::option::of((level.clone(), prop::collection::btree_map("[a-z.*]{1,10}", level, 0..3))),
        prop::option::of((
            prop_oneof![
                Just("RecordNameStrategy"),
                Just("TopicNameStrategy"),
                Just("TopicRecordNameStrategy"),
                Just("Bogus")
            ],
            prop_oneof![Just("inline"), Just("subjects"), Just("other")],
            prop::option::of("[a-z.]{0,6}"),
        )),
        prop::option::of((0u64..100_000_000, 0u32..20_000)),
        prop::collection::btree_map("[a-z_]{1,8}", anything, 0..3),
    )
        .prop_map(|(version, schemas, compat, registry, limits, extra)| {
            let mut o = serde_json::Map::new();
            o.insert("version".into(), version);
            if let Some((root, exclude)) = schemas {
                o.insert("schemas".into(), json!({"root": root, "exclude": exclude}));
            }
            if let Some((level, subjects)) = compat {
                o.insert("compatibility".into(), json!({"level": level, "subjects": subjects}));
            }
            if let Some((strategy, refs, context)) = registry {
                let mut r = json!({"subject_strategy": strategy, "references": refs});
                if let Some(c) = context {
                    r["context"] = json!(c);
                }
                o.insert("registry".into(), r);
            }
            if let Some((bytes, depth)) = limits {
                o.insert("limits".into(), json!({"max_file_bytes": bytes, "max_nesting_depth": depth}));
            }
            for (k, v) in extra {
                o.insert(k, v);
            }
            Value::Object(o)
        })
}

/// YAML in block style (maps and lists on their own lines), scalars as JSON (which is YAML).
fn yaml(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, val) in m {
                out.push_str(&format!("{pad}{}:", serde_json::to_string(k).unwrap()));
                match val {
                    Value::Object(x) if !x.is_empty() => {
                        out.push('\n');
                        yaml(val, indent + 2, out);
                    }
                    Value::Array(x) if !x.is_empty() => {
                        out.push('\n');
                        yaml(val, indent + 2, out);
                    }
                    _ => out.push_str(&format!(" {val}\n")),
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for i in items {
                match i {
                    Value::Object(x) if !x.is_empty() => {
                        out.push_str(&format!("{pad}-\n"));
                        yaml(i, indent + 2, out);
                    }
                    _ => out.push_str(&format!("{pad}- {i}\n")),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{v}\n")),
    }
}

fn config_text() -> impl Strategy<Value = String> {
    (config_tree(), any::<bool>()).prop_map(|(tree, flow)| {
        if flow {
            tree.to_string()
        } else {
            let mut s = String::new();
            yaml(&tree, 0, &mut s);
            s
        }
    })
}

/// A registry answer: a version (with the schema as a string), a list, an error, or junk.
fn registry_answer() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => (schema_json(), "[a-z.:-]{0,12}", any::<i64>(), prop_oneof![Just(json!(1)), Just(json!("1")), Just(Value::Null)], any::<bool>())
            .prop_map(|(schema, subject, id, version, refs)| {
                let mut o = json!({"subject": subject, "id": id, "version": version, "schema": schema.to_string()});
                if refs {
                    o["references"] = json!([{"name": "com.acme.Money", "subject": "money", "version": 1}]);
                }
                o.to_string().into_bytes()
            }),
        1 => prop::collection::vec("[a-z.:-]{0,8}", 0..4).prop_map(|s| json!(s).to_string().into_bytes()),
        1 => (any::<i64>(), "[ -~]{0,20}").prop_map(|(c, m)| json!({"error_code": c, "message": m}).to_string().into_bytes()),
        1 => schema_json().prop_map(|s| json!({"id": 1, "schema": s}).to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validate_structured(schema in schema_json(), other in schema_json()) {
        targets::validate(schema.to_string().as_bytes());
        let mut two = schema.to_string().into_bytes();
        two.push(0xFF);
        two.extend(other.to_string().bytes());
        targets::validate(&two);
    }

    #[test]
    fn validate_mutated(data in mutated("validate")) {
        targets::validate(&data);
    }

    #[test]
    fn config_structured(text in config_text()) {
        targets::config(text.as_bytes());
    }

    #[test]
    fn config_mutated(data in mutated("config")) {
        targets::config(&data);
    }

    /// A config that is not YAML at all (an unclosed flow sequence at some line) is refused
    /// with the line the problem is on.
    #[test]
    fn config_syntax_errors_have_a_line(text in config_text(), at in any::<usize>()) {
        let lines: Vec<&str> = text.lines().collect();
        let at = at % (lines.len() + 1);
        let mut broken = lines[..at].join("\n");
        if !broken.is_empty() {
            broken.push('\n');
        }
        broken.push_str("broken: [unclosed, \"\n");
        let e = schemapipe::core::config::parse(&broken).expect_err("not YAML");
        prop_assert!(e.line.is_some(), "no line: {} in\n{}", e.message, broken);
        targets::config(broken.as_bytes());
    }

    #[test]
    fn registry_structured(data in registry_answer()) {
        targets::registry(&data);
    }

    #[test]
    fn registry_mutated(data in mutated("registry")) {
        targets::registry(&data);
    }
}

#[test]
fn every_seed_runs_clean() {
    for s in seeds("validate") {
        targets::validate(&s);
    }
    for s in seeds("config") {
        targets::config(&s);
    }
    for s in seeds("registry") {
        targets::registry(&s);
    }
    // The seeds are meant to be near-valid: the repository's own config parses.
    let repo =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/config/full.yaml")).unwrap();
    schemapipe::core::config::parse(&repo).unwrap();
}

/// The generators reach both sides: many generated schemas are valid (so the canonical form
/// and `fmt` are exercised), many are not (so the error paths are).
#[test]
fn the_schema_generator_makes_valid_and_invalid_schemas() {
    use proptest::strategy::ValueTree;
    use schemapipe::core::json::Limits;
    use schemapipe::core::load::{load, Input};
    use schemapipe::core::source::SourceMap;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = schema_json();
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..300 {
        let text = strategy.new_tree(&mut runner).unwrap().current().to_string();
        let set = load(vec![Input::new("x.avsc", &text)], &Limits::default(), &mut SourceMap::new());
        if set.has_errors() {
            invalid += 1;
        } else {
            valid += 1;
        }
    }
    assert!(valid >= 60 && invalid >= 60, "{valid} valid, {invalid} invalid");
}
