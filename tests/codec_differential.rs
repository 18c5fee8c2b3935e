//! The codec against the reference: PyPI `avro` (tests/python/codec_oracle.py, one Python
//! process per test, many cases per run).
//!
//! - Every valid schema of the validation corpus, with random datums (from `core::sample`,
//!   seeds varied per run with SCHEMAPIPE_CODEC_SEED): our binary encoding equals avro's,
//!   byte for byte, and decoding it gives the datum back.
//! - Every pair of the compatibility corpus: datums written with the writer and read with the
//!   reader give the same value in ours and in avro, or both refuse them.

#[path = "support/oracles.rs"]
mod oracles;

use schemapipe::core::codec::{binary, json, resolve, Codec, Value as Datum};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::sample::{sample, Rng};
use schemapipe::core::source::SourceMap;
use serde_json::{json as j, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

const PER_SCHEMA: u64 = 12;

fn seed() -> u64 {
    std::env::var("SCHEMAPIPE_CODEC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x00c0_dec0)
}

fn codec_of(name: &str, text: &str) -> Option<Codec> {
    let set = load(vec![Input::new(name, text)], &Limits::default(), &mut SourceMap::new());
    if set.has_errors() {
        return None;
    }
    Codec::compile_set(&set, set.files[0].root?).ok()
}

fn oracle(requests: &[Value]) -> Vec<Value> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/codec_oracle.py");
    let mut child = oracles::python()
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python starts");
    let mut input = String::new();
    for r in requests {
        input.push_str(&r.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let answers: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(answers.len(), requests.len(), "the oracle answered every request");
    answers
}

fn to_json(c: &Codec, id: usize, v: &Datum) -> Value {
    let mut s = String::new();
    json::to_json(c, id, v, &mut s);
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("our JSON encoding is JSON: {e}: {s}"))
}

/// Where PyPI avro is known to be wrong (Java, the reference, agrees with us): path TAB why.
fn known() -> Vec<String> {
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/codec-divergences.tsv"))
        .unwrap_or_default();
    text.lines().filter_map(|l| l.split('\t').next()).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn encoding_matches_avro_on_the_validation_corpus() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let manifest = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let mut requests = Vec::new();
    let mut ours = Vec::new();
    let mut schemas = 0;
    for line in manifest.lines() {
        let mut parts = line.split('\t');
        let (Some(path), Some("valid")) = (parts.next(), parts.next()) else { continue };
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let codec = codec_of(path, &text).unwrap_or_else(|| panic!("{path}: a valid schema compiles"));
        schemas += 1;
        let mut rng = Rng::new(seed() ^ schemas);
        for _ in 0..PER_SCHEMA {
            let Ok(datum) = sample(&codec, codec.root, &mut rng) else { break };
            let mut bytes = Vec::new();
            binary::encode(&codec, codec.root, &datum, &mut bytes).unwrap();
            // Decoding gives the datum back, and its JSON encoding reads back to it too.
            assert_eq!(binary::decode(&codec, &bytes).unwrap(), datum, "{path}");
            let js = to_json(&codec, codec.root, &datum);
            let parsed = schemapipe::core::json::parse(&js.to_string(), &Limits::default()).unwrap();
            assert_eq!(json::from_json(&codec, codec.root, &parsed.root).unwrap(), datum, "{path}: {js}");
            requests.push(j!({"op": "encode", "schema": text, "datum": js}));
            ours.push((path.to_string(), hex(&bytes)));
        }
    }
    assert!(schemas >= 50, "only {schemas} valid schemas");
    let answers = oracle(&requests);
    let mut mismatches = Vec::new();
    let mut unparsed = std::collections::BTreeSet::new();
    let mut compared = 0;
    for ((path, mine), a) in ours.iter().zip(&answers) {
        match a.get("hex").and_then(Value::as_str) {
            Some(h) if h == mine => compared += 1,
            // Java accepts the schema; PyPI avro's parser refuses it (stricter names, orders…).
            _ if a.get("unparsed").is_some() => {
                unparsed.insert(path.as_str());
            }
            _ if known().contains(&path.to_string()) => {}
            _ => mismatches.push(format!("{path}: ours {mine}, avro {a}")),
        }
    }
    assert!(compared >= 1000, "only {compared} datums compared; avro refused {unparsed:?}");
    assert!(unparsed.len() <= 25, "avro refused {} schemas: {unparsed:?}", unparsed.len());
    assert!(mismatches.is_empty(), "{} of {} differ:\n{}", mismatches.len(), ours.len(), mismatches.join("\n"));
}

#[test]
fn resolution_matches_avro_on_the_compatibility_corpus() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    let mut files = Vec::new();
    for group in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
        if group.file_name() == "levels" {
            continue;
        }
        for f in std::fs::read_dir(group.path()).unwrap().flatten() {
            files.push(f.path());
        }
    }
    files.sort();
    let mut requests = Vec::new();
    let mut cases = Vec::new();
    for (k, f) in files.iter().enumerate() {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let (wt, rt) = (case["writer"].to_string(), case["reader"].to_string());
        let (Some(w), Some(r)) = (codec_of("w.avsc", &wt), codec_of("r.avsc", &rt)) else { continue };
        let name = f.strip_prefix(&dir).unwrap().display().to_string();
        let compatible = case["compatible"] == Value::Bool(true);
        let mut rng = Rng::new(seed() ^ k as u64);
        for _ in 0..4 {
            let Ok(datum) = sample(&w, w.root, &mut rng) else { break };
            let mut bytes = Vec::new();
            binary::encode(&w, w.root, &datum, &mut bytes).unwrap();
            let written = binary::decode(&w, &bytes).unwrap();
            match resolve::resolve(&w, w.root, &r, r.root, &written) {
                Ok(read) => {
                    let js = to_json(&r, r.root, &read);
                    requests.push(j!({"op": "resolve", "writer": wt, "reader": rt, "hex": hex(&bytes), "ours": js}));
                    cases.push((name.clone(), compatible, None));
                }
                Err(e) => {
                    requests.push(j!({"op": "resolve", "writer": wt, "reader": rt, "hex": hex(&bytes), "ours": null}));
                    cases.push((name.clone(), compatible, Some(e.message)));
                }
            }
        }
    }
    assert!(cases.len() >= 100, "only {} resolution cases", cases.len());
    let answers = oracle(&requests);
    // PyPI avro resolves less than Java does (no string/bytes promotion, no writer union read
    // by a non-union, no aliases or enum defaults, item types compared eagerly): where it
    // refuses a pair we read, the Java verdict of the corpus decides. Where both read a datum,
    // the values must be equal; where we refuse one, avro must refuse it too.
    let mut mismatches = Vec::new();
    let (mut both, mut avro_narrower) = (0, 0);
    for ((name, compatible, refused), a) in cases.iter().zip(&answers) {
        if a.get("unparsed").is_some() {
            continue;
        }
        let avro_refused = a.get("error").is_some();
        match (refused, avro_refused) {
            (None, false) if a.get("same") == Some(&Value::Bool(true)) => both += 1,
            (None, false) => mismatches.push(format!("{name}: the values differ, avro read {a}")),
            (None, true) => avro_narrower += 1,
            (Some(e), _) if *compatible => {
                mismatches.push(format!("{name}: Java's verdict is compatible but we refused a datum: {e}"))
            }
            (Some(_), true) => {}
            (Some(e), false) => mismatches.push(format!("{name}: we refused ({e}) what avro read: {a}")),
        }
    }
    assert!(both >= 100, "only {both} datums compared with avro ({avro_narrower} avro could not resolve)");
    mismatches.dedup();
    assert!(mismatches.is_empty(), "{} cases differ:\n{}", mismatches.len(), mismatches.join("\n"));
}
