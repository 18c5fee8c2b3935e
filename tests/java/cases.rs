//! Test cases for the generated code of a target, shared by tests/generate_java.rs and
//! tests/generate_rust.rs: the valid schemas of the validity corpus and random valid schemas,
//! each in a workspace of its own, random datums for them (as a tree the target renders as
//! code, and as raw JSON for the reference writer), and the reference bytes written by the PyPI
//! `avro` package (tests/java/avro_bytes.py).

#![allow(dead_code)]

use schemapipe::core::generate::{SetModel, MAX_GENERATED_DEPTH};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::publish::FileInput;
use schemapipe::core::schema::logical::LogicalType;
use schemapipe::core::schema::{Primitive, SchemaId, SchemaKind, SchemaSet};
use schemapipe::core::source::SourceMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A value of a schema, as the generated code builds it. Logical types hold their underlying
/// value (days, milliseconds, ...), except decimals, uuids and durations.
#[derive(Clone, Debug)]
pub enum Datum {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Bytes(Vec<u8>),
    Str(String),
    Fixed(Vec<u8>),
    Enum(usize),
    Array(Vec<Datum>),
    Map(Vec<(String, Datum)>),
    Record(Vec<Datum>),
    Union(usize, Box<Datum>),
    /// Unscaled value and scale.
    Decimal(i128, u32),
    Uuid([u8; 16]),
    Duration(u32, u32, u32),
}

/// One schema in a workspace of its own.
pub struct Case {
    pub id: usize,
    /// The schema file's path under `schemas/`.
    pub file: String,
    pub text: String,
    pub set: SchemaSet,
    pub root: SchemaId,
}

impl Case {
    /// What the generator models of the case's set (types followed as deep as any target
    /// generates them).
    pub fn model(&self) -> SetModel {
        let input = FileInput { index: 0, path: &self.file, text: &self.text };
        SetModel::new(&self.set, &[input], MAX_GENERATED_DEPTH + 1)
    }

    pub fn new(id: usize, file: &str, text: &str) -> Option<Case> {
        let set = load(vec![Input::new(file, text.as_bytes())], &Limits::default(), &mut SourceMap::new());
        if set.has_errors() {
            return None;
        }
        let root = set.files[0].root?;
        Some(Case { id, file: file.to_string(), text: text.to_string(), set, root })
    }

    /// The case's package (`t0042`).
    pub fn package(&self) -> String {
        format!("t{:04}", self.id)
    }

    /// Writes the workspace (schemapipe.yaml and the schema) under `dir`.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let ws = dir.join(format!("ws{:04}", self.id));
        let file = ws.join("schemas").join(&self.file);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &self.text).unwrap();
        std::fs::write(ws.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
        ws
    }

    /// The schema for the reference writer: its Parsing Canonical Form (types defined where
    /// first used, without logical types, which do not change the encoding).
    pub fn schema_json(&self) -> serde_json::Value {
        serde_json::from_str(&schemapipe::core::canonical::parsing_canonical_form(&self.set, self.root)).unwrap()
    }
}

/// The valid schemas of the validity corpus (tests/corpus, verdicts in expected.tsv).
pub fn corpus() -> Vec<(String, String)> {
    if let Some(extra) = std::env::var_os("SCHEMAPIPE_GEN_CORPUS") {
        let mut out = Vec::new();
        let mut stack = vec![PathBuf::from(&extra)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "avsc") {
                    let rel = p.strip_prefix(&extra).unwrap().to_str().unwrap().replace('/', "_");
                    out.push((rel, std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
        out.sort();
        return out;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let tsv = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let mut out = Vec::new();
    for line in tsv.lines() {
        let mut parts = line.split('\t');
        let (Some(path), Some("valid")) = (parts.next(), parts.next()) else { continue };
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        out.push((path.replace('/', "_"), text));
    }
    out
}

/// A string of `n` characters of every width (ASCII, NUL, Latin-1, invisible and
/// bidirectional formatting characters, past U+FFFF).
pub fn long_text(n: usize) -> String {
    let alphabet = [
        'a',
        'Z',
        ' ',
        '"',
        '\\',
        '\n',
        '\0',
        '\u{e9}',
        '\u{ad}',
        '\u{200b}',
        '\u{202e}',
        '\u{2066}',
        '\u{feff}',
        '\u{4e2d}',
        '\u{1f600}',
    ];
    (0..n).map(|i| alphabet[(i * 7 + i / 13) % alphabet.len()]).collect()
}

/// A record whose defaults are large (a `bytes` of 10,000 bytes, a `string` of 70,000
/// characters, past what one constant of a Java class holds), and its value with them.
pub fn large_defaults() -> (String, Datum) {
    let bytes: Vec<u8> = (0..10_000).map(|i| (i * 31 % 256) as u8).collect();
    let text = long_text(70_000);
    let schema = serde_json::json!({"type": "record", "name": "Large", "fields": [
        {"name": "blob", "type": "bytes", "default": bytes.iter().map(|b| char::from(*b)).collect::<String>()},
        {"name": "text", "type": "string", "default": text},
    ]});
    (schema.to_string(), Datum::Record(vec![Datum::Bytes(bytes), Datum::Str(text)]))
}

/// A record of `n` fields, every one with a default (`null` of `["null", "string"]`, `-1` of
/// `int`, by turns), and its value with them.
pub fn wide_record(n: usize) -> (String, Datum) {
    let fields: Vec<serde_json::Value> = (0..n)
        .map(|i| match i % 2 {
            0 => serde_json::json!({"name": format!("f{i}"), "type": ["null", "string"], "default": null}),
            _ => serde_json::json!({"name": format!("f{i}"), "type": "int", "default": -1}),
        })
        .collect();
    let value = (0..n).map(|i| if i % 2 == 0 { Datum::Union(0, Box::new(Datum::Null)) } else { Datum::Int(-1) });
    (
        serde_json::json!({"type": "record", "name": "Wide", "fields": fields}).to_string(),
        Datum::Record(value.collect()),
    )
}

/// An enum of `n` symbols (`S0`, `S1`, ...; `class` and `type` among them).
pub fn large_enum(n: usize) -> String {
    let symbols: Vec<String> = (0..n)
        .map(|i| match i {
            1 => "class".to_string(),
            2 => "type".to_string(),
            _ => format!("S{i}"),
        })
        .collect();
    serde_json::json!({"type": "enum", "name": "BigEnum", "symbols": symbols}).to_string()
}

/// The valid schemas of the validity corpus, a case each (more than 100 of them), and schemas
/// too large to keep there (see [`large_defaults`], [`large_enum`]).
pub fn corpus_cases() -> Vec<Case> {
    let mut all = corpus();
    let own = std::env::var_os("SCHEMAPIPE_GEN_CORPUS").is_none();
    if own {
        all.push(("large-defaults.avsc".into(), large_defaults().0));
        all.push(("large-enum.avsc".into(), large_enum(3_000)));
    }
    let cases: Vec<Case> =
        all.into_iter().enumerate().filter_map(|(i, (file, text))| Case::new(i, &file, &text)).collect();
    assert!(!own || cases.len() > 100, "{} valid corpus schemas", cases.len());
    cases
}

/// `n` random valid schemas, from the seed `SCHEMAPIPE_FUZZ_SEED` (4242 when it is not set),
/// and the generator to draw their datums from after.
pub fn random_cases(n: usize) -> (Vec<Case>, Rng) {
    let mut rng = Rng::new(std::env::var("SCHEMAPIPE_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(4242));
    let mut cases = Vec::new();
    let mut tries = 0;
    while cases.len() < n && tries < n * 20 {
        tries += 1;
        let text = random_schema(&mut rng);
        if let Some(c) = Case::new(cases.len(), "Random.avsc", &text) {
            cases.push(c);
        }
    }
    assert_eq!(cases.len(), n, "random schemas were mostly invalid");
    (cases, rng)
}

/// What checking the generated code of some cases found.
pub struct Outcome {
    /// Cases that had datums to check.
    pub generated: usize,
    pub failures: Vec<String>,
}

/// Fails the test with the first failures, or when fewer than 9 cases in 10 had datums.
pub fn report(what: &str, total: usize, o: &Outcome) {
    assert!(
        o.failures.is_empty(),
        "{what}: {} of {total} schemas failed:\n{}",
        o.failures.len(),
        o.failures.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(o.generated * 10 >= total * 9, "{what}: only {} of {total} schemas had datums", o.generated);
}

const NAMES: &[&str] = &[
    "Order", "ORDER", "order", "class", "type", "match", "record", "String", "Self", "self", "value", "Builder",
    "SCHEMA", "from", "fn", "Value", "x", "Object", "hashCode", "e", "enum", "r#", "crate", "super", "async", "Box",
    "Option", "Vec", "None", "Some", "Ok", "Err", "Result", "default", "list", "a_b", "A_B", "aB", "ab", "_x",
];

fn name(rng: &mut Rng, used: &mut Vec<String>) -> String {
    loop {
        let mut n = rng.pick(NAMES).to_string();
        if n == "r#" {
            n = format!("N{}", rng.below(1000));
        }
        if rng.chance(30) {
            n = format!("{n}{}", rng.below(10));
        }
        if !used.contains(&n) {
            used.push(n.clone());
            return n;
        }
    }
}

/// A random valid schema (as JSON text): records, enums, fixed, arrays, maps, unions, every
/// logical type, recursion, names that are keywords or differ only in case.
pub fn random_schema(rng: &mut Rng) -> String {
    let mut named: Vec<String> = Vec::new();
    let mut records: Vec<String> = Vec::new();
    let top = if rng.chance(70) {
        random_record(rng, &mut named, &mut records, 0)
    } else {
        random_type(rng, &mut named, &mut records, 0)
    };
    top.to_string()
}

fn random_record(rng: &mut Rng, named: &mut Vec<String>, records: &mut Vec<String>, depth: usize) -> serde_json::Value {
    let n = name(rng, named);
    records.push(n.clone());
    let mut fields = Vec::new();
    let mut used = Vec::new();
    for _ in 0..rng.below(5) + 1 {
        let f = name(rng, &mut used);
        let mut ty = random_type(rng, named, records, depth + 1);
        // Sometimes recursion (through a nullable union).
        if depth > 0 && rng.chance(10) {
            ty = serde_json::json!(["null", records[rng.below(records.len() as u64) as usize].clone()]);
            fields.push(serde_json::json!({"name": f, "type": ty, "default": null}));
            continue;
        }
        let mut field = serde_json::json!({"name": f, "type": ty});
        if let Some(d) = simple_default(&field["type"]) {
            if rng.chance(40) {
                field["default"] = d;
            }
        }
        fields.push(field);
    }
    serde_json::json!({"type": "record", "name": n, "fields": fields})
}

fn simple_default(ty: &serde_json::Value) -> Option<serde_json::Value> {
    match ty {
        serde_json::Value::String(s) => match s.as_str() {
            "int" | "long" => Some(serde_json::json!(7)),
            "float" | "double" => Some(serde_json::json!(1.5)),
            "string" => Some(serde_json::json!("dé\"f")),
            "bytes" => Some(serde_json::json!("\u{0}\u{ff}")),
            "boolean" => Some(serde_json::json!(true)),
            _ => None,
        },
        serde_json::Value::Array(b) if b.first() == Some(&serde_json::json!("null")) => Some(serde_json::Value::Null),
        serde_json::Value::Object(o) if o.get("type") == Some(&serde_json::json!("array")) => {
            Some(serde_json::json!([]))
        }
        serde_json::Value::Object(o) if o.get("type") == Some(&serde_json::json!("map")) => Some(serde_json::json!({})),
        _ => None,
    }
}

fn random_type(rng: &mut Rng, named: &mut Vec<String>, records: &mut Vec<String>, depth: usize) -> serde_json::Value {
    let leaf = depth > 3;
    match rng.below(if leaf { 8 } else { 14 }) {
        0 => serde_json::json!(rng.pick(&["int", "long", "string", "boolean", "float", "double", "bytes"])),
        1 => serde_json::json!("string"),
        2 => serde_json::json!("long"),
        3 | 4 => rng
            .pick(&[
                serde_json::json!({"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}),
                serde_json::json!({"type": "string", "logicalType": "uuid"}),
                serde_json::json!({"type": "int", "logicalType": "date"}),
                serde_json::json!({"type": "int", "logicalType": "time-millis"}),
                serde_json::json!({"type": "long", "logicalType": "time-micros"}),
                serde_json::json!({"type": "long", "logicalType": "timestamp-millis"}),
                serde_json::json!({"type": "long", "logicalType": "timestamp-micros"}),
                serde_json::json!({"type": "long", "logicalType": "timestamp-nanos"}),
                serde_json::json!({"type": "long", "logicalType": "local-timestamp-millis"}),
                serde_json::json!({"type": "long", "logicalType": "local-timestamp-micros"}),
                serde_json::json!({"type": "long", "logicalType": "local-timestamp-nanos"}),
            ])
            .clone(),
        5 => {
            let n = name(rng, named);
            rng.pick(&[
                serde_json::json!({"type": "fixed", "name": n, "size": 12, "logicalType": "duration"}),
                serde_json::json!({"type": "fixed", "name": n, "size": 16, "logicalType": "uuid"}),
                serde_json::json!({"type": "fixed", "name": n, "size": 8, "logicalType": "decimal", "precision": 15, "scale": 3}),
                serde_json::json!({"type": "fixed", "name": n, "size": 3}),
            ])
            .clone()
        }
        6 => {
            let n = name(rng, named);
            let mut used = Vec::new();
            let symbols: Vec<String> = (0..rng.below(4) + 1).map(|_| name(rng, &mut used)).collect();
            serde_json::json!({"type": "enum", "name": n, "symbols": symbols})
        }
        7 => serde_json::json!("int"),
        8 | 9 => random_record(rng, named, records, depth + 1),
        10 => serde_json::json!({"type": "array", "items": random_type(rng, named, records, depth + 1)}),
        11 => serde_json::json!({"type": "map", "values": random_type(rng, named, records, depth + 1)}),
        _ => {
            // A union of distinct kinds.
            let mut branches = Vec::new();
            if rng.chance(50) {
                branches.push(serde_json::json!("null"));
            }
            let mut kinds = Vec::new();
            for _ in 0..rng.below(3) + 1 {
                let t = random_type(rng, named, records, depth + 2);
                if t.is_array() {
                    continue;
                }
                let kind = match &t {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Object(o) => match o.get("name") {
                        Some(n) => format!("named:{n}"),
                        None => o["type"].as_str().unwrap_or("").to_string(),
                    },
                    _ => continue,
                };
                if kind == "null" || kinds.contains(&kind) {
                    continue;
                }
                kinds.push(kind);
                branches.push(t);
            }
            if rng.chance(30) && !branches.is_empty() && branches[0] != serde_json::json!("null") {
                branches.push(serde_json::json!("null"));
            }
            serde_json::Value::Array(branches)
        }
    }
}

/// A random datum of a node; None when the schema has no finite value (a record that must
/// contain itself) or nesting runs too deep.
pub fn datum(set: &SchemaSet, id: SchemaId, rng: &mut Rng, depth: usize) -> Option<Datum> {
    if depth > 40 {
        return None;
    }
    let node = set.resolved(id);
    let fixed_size = match &node.kind {
        SchemaKind::Fixed(f) => Some(f.size),
        _ => None,
    };
    match node.logical {
        Some(LogicalType::Decimal { precision, .. }) => {
            let digits = precision.min(30);
            let mut v: i128 = 0;
            for _ in 0..rng.below(digits as u64 + 1) {
                v = v * 10 + rng.below(10) as i128;
            }
            if rng.chance(50) {
                v = -v;
            }
            let scale = match node.logical {
                Some(LogicalType::Decimal { scale, .. }) => scale,
                _ => 0,
            };
            // A fixed must hold it.
            if let Some(size) = fixed_size {
                if twos_complement(v).len() > size as usize {
                    return Some(Datum::Decimal(0, scale));
                }
            }
            return Some(Datum::Decimal(v, scale));
        }
        Some(LogicalType::BigDecimal) => {
            let v = (rng.next() as i64) as i128 >> rng.below(60);
            return Some(Datum::Decimal(v, rng.below(12) as u32));
        }
        Some(LogicalType::Uuid) => {
            let mut b = [0u8; 16];
            for x in &mut b {
                *x = rng.next() as u8;
            }
            return Some(Datum::Uuid(b));
        }
        Some(LogicalType::Duration) if fixed_size == Some(12) => {
            return Some(Datum::Duration(rng.next() as u32, rng.next() as u32, rng.next() as u32))
        }
        Some(LogicalType::Date) => {
            return Some(Datum::Int(rng.next() as i32 / if rng.chance(50) { 1 } else { 10_000 }))
        }
        Some(LogicalType::TimeMillis) => return Some(Datum::Int(rng.below(86_400_000) as i32)),
        Some(LogicalType::TimeMicros) => return Some(Datum::Long(rng.below(86_400_000_000) as i64)),
        Some(LogicalType::TimestampMillis | LogicalType::LocalTimestampMillis) => {
            return Some(Datum::Long((rng.next() as i64) >> 12))
        }
        Some(
            LogicalType::TimestampMicros
            | LogicalType::TimestampNanos
            | LogicalType::LocalTimestampMicros
            | LogicalType::LocalTimestampNanos,
        ) => return Some(Datum::Long(rng.next() as i64 >> rng.below(20))),
        _ => {}
    }
    Some(match &node.kind {
        SchemaKind::Primitive(p) => match p {
            Primitive::Null => Datum::Null,
            Primitive::Boolean => Datum::Bool(rng.chance(50)),
            Primitive::Int => {
                let x = rng.next() as i32;
                Datum::Int(*rng.pick(&[0, 1, -1, 63, 64, -65, i32::MIN, i32::MAX, x, x]))
            }
            Primitive::Long => {
                let x = rng.next() as i64;
                Datum::Long(*rng.pick(&[0, 1, -1, i64::MIN, i64::MAX, 1 << 53, x, x]))
            }
            Primitive::Float => Datum::Float(loop {
                let x = f32::from_bits(rng.next() as u32);
                let f = *rng.pick(&[0.0f32, -0.0, 1.5, f32::MAX, f32::MIN_POSITIVE, 1e-45, x, x]);
                if f.is_finite() {
                    break f;
                }
            }),
            Primitive::Double => Datum::Double(loop {
                let x = f64::from_bits(rng.next());
                let f = *rng.pick(&[0.0f64, -0.0, 0.1, f64::MAX, 5e-324, x, x]);
                if f.is_finite() {
                    break f;
                }
            }),
            Primitive::Bytes => Datum::Bytes((0..rng.below(5)).map(|_| rng.next() as u8).collect()),
            Primitive::String => Datum::Str(random_string(rng)),
        },
        SchemaKind::Fixed(f) => Datum::Fixed((0..f.size).map(|_| rng.next() as u8).collect()),
        SchemaKind::Enum(e) => {
            if e.symbols.is_empty() {
                return None;
            }
            Datum::Enum(rng.below(e.symbols.len() as u64) as usize)
        }
        SchemaKind::Array(items) => {
            let n = if depth > 6 { 0 } else { rng.below(4) };
            let mut xs = Vec::new();
            for _ in 0..n {
                xs.push(datum(set, *items, rng, depth + 1)?);
            }
            Datum::Array(xs)
        }
        SchemaKind::Map(values) => {
            let n = if depth > 6 { 0 } else { rng.below(4) };
            let mut xs: Vec<(String, Datum)> = Vec::new();
            for i in 0..n {
                let k = format!("{}{i}", random_string(rng));
                xs.push((k, datum(set, *values, rng, depth + 1)?));
            }
            Datum::Map(xs)
        }
        SchemaKind::Record(r) => {
            let mut xs = Vec::new();
            for f in &r.fields {
                xs.push(datum(set, f.ty, rng, depth + 1)?);
            }
            Datum::Record(xs)
        }
        SchemaKind::Union(b) => {
            if b.is_empty() {
                return None;
            }
            // Deep down, prefer null (recursive types end there).
            let null = b.iter().position(|x| matches!(set.resolved(*x).kind, SchemaKind::Primitive(Primitive::Null)));
            let mut order: Vec<usize> = (0..b.len()).collect();
            let first = rng.below(b.len() as u64) as usize;
            order.rotate_left(first);
            if depth > 4 {
                if let Some(n) = null {
                    order.retain(|x| *x != n);
                    order.insert(0, n);
                }
            }
            for i in order {
                if let Some(d) = datum(set, b[i], rng, depth + 1) {
                    return Some(Datum::Union(i, Box::new(d)));
                }
            }
            return None;
        }
        _ => return None,
    })
}

fn random_string(rng: &mut Rng) -> String {
    rng.pick(&["", "a", "héllo", "日本語", "😀 x", "quote\" back\\slash", "tab\tnl\n", "$"]).to_string()
}

/// Minimal two's complement big-endian bytes (Java's BigInteger.toByteArray).
pub fn twos_complement(v: i128) -> Vec<u8> {
    let b = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (x, next) = (b[start], b[start + 1]);
        if (x == 0 && next & 0x80 == 0) || (x == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    b[start..].to_vec()
}

fn zigzag(n: i64, out: &mut Vec<u8>) {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    while z & !0x7f != 0 {
        out.push((z as u8 & 0x7f) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

pub fn uuid_string(b: &[u8; 16]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A datum as the reference writer takes it (see tests/java/avro_bytes.py).
pub fn raw(set: &SchemaSet, id: SchemaId, d: &Datum) -> serde_json::Value {
    use serde_json::json;
    let node = set.resolved(id);
    let fixed_size = match &node.kind {
        SchemaKind::Fixed(f) => Some(f.size as usize),
        _ => None,
    };
    match d {
        Datum::Null => json!(null),
        Datum::Bool(b) => json!(b),
        Datum::Int(i) => json!(i),
        Datum::Long(i) => json!(i),
        Datum::Float(f) => json!(*f as f64),
        Datum::Double(f) => json!(f),
        Datum::Bytes(b) | Datum::Fixed(b) => json!({"b": hex(b)}),
        Datum::Str(s) => json!(s),
        Datum::Enum(i) => match &node.kind {
            SchemaKind::Enum(e) => json!({"e": e.symbols[*i].0}),
            _ => json!(null),
        },
        Datum::Array(xs) => match &node.kind {
            SchemaKind::Array(items) => json!(xs.iter().map(|x| raw(set, *items, x)).collect::<Vec<_>>()),
            _ => json!(null),
        },
        Datum::Map(xs) => match &node.kind {
            SchemaKind::Map(values) => {
                json!({"m": xs.iter().map(|(k, x)| json!([k, raw(set, *values, x)])).collect::<Vec<_>>()})
            }
            _ => json!(null),
        },
        Datum::Record(xs) => match &node.kind {
            SchemaKind::Record(r) => {
                let m: serde_json::Map<String, serde_json::Value> =
                    r.fields.iter().zip(xs).map(|(f, x)| (f.name.clone(), raw(set, f.ty, x))).collect();
                json!({ "r": m })
            }
            _ => json!(null),
        },
        Datum::Union(i, x) => match &node.kind {
            SchemaKind::Union(b) => json!({"u": i, "v": raw(set, b[*i], x)}),
            _ => json!(null),
        },
        Datum::Decimal(v, scale) => {
            if node.logical == Some(LogicalType::BigDecimal) {
                let u = twos_complement(*v);
                let mut out = Vec::new();
                zigzag(u.len() as i64, &mut out);
                out.extend(&u);
                zigzag(*scale as i64, &mut out);
                return json!({"b": hex(&out)});
            }
            let mut b = twos_complement(*v);
            if let Some(size) = fixed_size {
                let fill = if *v < 0 { 0xff } else { 0 };
                let mut f = vec![fill; size - b.len()];
                f.extend(b);
                b = f;
            }
            json!({"b": hex(&b)})
        }
        Datum::Uuid(b) => match fixed_size {
            Some(_) => json!({"b": hex(b)}),
            None => json!(uuid_string(b)),
        },
        Datum::Duration(m, dd, ms) => {
            let mut b = Vec::new();
            for x in [m, dd, ms] {
                b.extend(x.to_le_bytes());
            }
            json!({"b": hex(&b)})
        }
    }
}

/// The reference bytes of every case's datums, by (case id, datum index): hex, or the error of
/// the reference writer for the case (key index usize::MAX).
pub fn reference(
    cases: &[(&Case, Vec<Datum>)],
    dir: &Path,
    python: std::process::Command,
) -> BTreeMap<(usize, usize), String> {
    let mut lines = String::new();
    for (c, datums) in cases {
        let raws: Vec<serde_json::Value> = datums.iter().map(|d| raw(&c.set, c.root, d)).collect();
        lines.push_str(&serde_json::json!({"id": c.id, "schema": c.schema_json(), "datums": raws}).to_string());
        lines.push('\n');
    }
    let input = dir.join("cases.jsonl");
    std::fs::write(&input, lines).unwrap();
    let mut python = python;
    let out = python
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/java/avro_bytes.py"))
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "avro_bytes.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut map = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.splitn(3, ' ');
        let (Some(id), Some(n), Some(rest)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let id: usize = id.parse().unwrap();
        let n = if n == "ERROR" { usize::MAX } else { n.parse().unwrap() };
        map.insert((id, n), rest.to_string());
    }
    map
}
