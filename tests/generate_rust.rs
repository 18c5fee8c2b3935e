//! `schemapipe generate rust`: every valid schema of the validity corpus and random valid
//! schemas (a bounded property test) are generated as crates, a package each, in one cargo
//! workspace under the target dir; `cargo clippy -- -D warnings` must be clean on them (serde
//! is their only dependency; the workspace builds offline from cargo's cache of it), and a
//! checks crate builds random datums of each with the generated types, serializes them and
//! prints the bytes, which are compared with those the PyPI `avro` package writes
//! (tests/java/avro_bytes.py). One clippy and one build for all of them.

mod support {
    pub mod bin;
    pub mod oracles;
}
#[path = "java/cases.rs"]
mod cases;

use cases::{report, Case, Datum, Outcome, Rng};
use schemapipe::core::generate::rust;
use schemapipe::core::schema::logical::LogicalType;
use schemapipe::core::schema::{Primitive, SchemaId, SchemaKind, SchemaSet};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::bin::run;

const DATUMS: usize = 20;
const RANDOM_SCHEMAS: usize = 40;

/// Maps in key order, as the generated BTreeMaps hold them.
fn sorted(d: Datum) -> Datum {
    match d {
        Datum::Map(mut xs) => {
            xs.sort_by(|a, b| a.0.cmp(&b.0));
            Datum::Map(xs.into_iter().map(|(k, x)| (k, sorted(x))).collect())
        }
        Datum::Array(xs) => Datum::Array(xs.into_iter().map(sorted).collect()),
        Datum::Record(xs) => Datum::Record(xs.into_iter().map(sorted).collect()),
        Datum::Union(i, x) => Datum::Union(i, Box::new(sorted(*x))),
        d => d,
    }
}

/// A datum as a Rust expression built with the generated types of crate `krate`.
fn rexpr(set: &SchemaSet, names: &rust::RustNames, krate: &str, id: SchemaId, d: &Datum, boxed: bool) -> String {
    let node = set.resolved(id);
    let path = |p: &str| p.replacen("crate::", &format!("{krate}::"), 1);
    let r = format!("{krate}::runtime");
    let bytes = |b: &[u8]| format!("crate::b({:?})", b.iter().map(|x| format!("{x:02x}")).collect::<String>());
    let class = || path(&names.types[&node.named().unwrap().full_name]);
    let boxed_record = |inner: String, bid: SchemaId| {
        if matches!(set.resolved(bid).kind, SchemaKind::Record(_)) {
            format!("::std::boxed::Box::new({inner})")
        } else {
            inner
        }
    };
    let e = match d {
        Datum::Null => "()".into(),
        Datum::Bool(b) => b.to_string(),
        Datum::Int(i) => match node.logical {
            Some(LogicalType::Date) => format!("{r}::Date({i})"),
            Some(LogicalType::TimeMillis) => format!("{r}::TimeMillis({i})"),
            _ => format!("{i}i32"),
        },
        Datum::Long(i) => match node.logical {
            Some(LogicalType::TimeMicros) => format!("{r}::TimeMicros({i})"),
            Some(LogicalType::TimestampMillis) => format!("{r}::TimestampMillis({i})"),
            Some(LogicalType::TimestampMicros) => format!("{r}::TimestampMicros({i})"),
            Some(LogicalType::TimestampNanos) => format!("{r}::TimestampNanos({i})"),
            Some(LogicalType::LocalTimestampMillis) => format!("{r}::LocalTimestampMillis({i})"),
            Some(LogicalType::LocalTimestampMicros) => format!("{r}::LocalTimestampMicros({i})"),
            Some(LogicalType::LocalTimestampNanos) => format!("{r}::LocalTimestampNanos({i})"),
            _ => format!("{i}i64"),
        },
        Datum::Float(f) => format!("f32::from_bits({}u32)", f.to_bits()),
        Datum::Double(f) => format!("f64::from_bits({}u64)", f.to_bits()),
        Datum::Bytes(b) => bytes(b),
        Datum::Fixed(b) => format!("{}({})", class(), bytes(b)),
        Datum::Str(s) => format!("{s:?}.to_string()"),
        Datum::Enum(i) => format!("{}::{}", class(), names.variants[&node.named().unwrap().full_name][*i]),
        Datum::Array(xs) => match &node.kind {
            SchemaKind::Array(items) => {
                let parts: Vec<String> = xs.iter().map(|x| rexpr(set, names, krate, *items, x, false)).collect();
                format!("::std::vec![{}]", parts.join(", "))
            }
            _ => unreachable!(),
        },
        Datum::Map(xs) => match &node.kind {
            SchemaKind::Map(values) => {
                let parts: Vec<String> = xs
                    .iter()
                    .map(|(k, x)| format!("({k:?}.to_string(), {})", rexpr(set, names, krate, *values, x, false)))
                    .collect();
                format!("::std::collections::BTreeMap::from([{}])", parts.join(", "))
            }
            _ => unreachable!(),
        },
        Datum::Record(xs) => match &node.kind {
            SchemaKind::Record(rec) => {
                let full = &node.named().unwrap().full_name;
                let fields: Vec<String> = rec
                    .fields
                    .iter()
                    .zip(&names.fields[full])
                    .zip(xs)
                    .enumerate()
                    .map(|(i, ((f, ident), x))| {
                        let boxed = names.boxed.contains(&(full.clone(), i));
                        format!("{ident}: {}", rexpr(set, names, krate, f.ty, x, boxed))
                    })
                    .collect();
                format!("{} {{ {} }}", class(), fields.join(", "))
            }
            _ => unreachable!(),
        },
        Datum::Union(i, x) => match &node.kind {
            SchemaKind::Union(b) => {
                let is_null = matches!(set.resolved(b[*i]).kind, SchemaKind::Primitive(Primitive::Null));
                if let Some((ty, variants)) = names.unions.get(&set.deref(id)) {
                    let ty = path(ty);
                    if is_null {
                        format!("{ty}::{}", variants[*i])
                    } else {
                        let inner = rexpr(set, names, krate, b[*i], x, false);
                        format!("{ty}::{}({})", variants[*i], boxed_record(inner, b[*i]))
                    }
                } else {
                    let non_null = b
                        .iter()
                        .filter(|x| !matches!(set.resolved(**x).kind, SchemaKind::Primitive(Primitive::Null)))
                        .count();
                    if non_null == 0 {
                        "()".into()
                    } else if is_null {
                        "::std::option::Option::None".into()
                    } else {
                        let inner = rexpr(set, names, krate, b[*i], x, false);
                        let inner = if boxed { boxed_record(inner, b[*i]) } else { inner };
                        return format!("::std::option::Option::Some({inner})");
                    }
                }
            }
            _ => unreachable!(),
        },
        Datum::Decimal(v, scale) => format!("{r}::Decimal::new({v}i128, {scale})"),
        Datum::Uuid(b) => format!("{r}::Uuid({}u128)", u128::from_be_bytes(*b)),
        Datum::Duration(m, dd, ms) => format!("{r}::Duration {{ months: {m}, days: {dd}, millis: {ms} }}"),
    };
    if boxed && !matches!(d, Datum::Union(..)) && matches!(node.kind, SchemaKind::Record(_)) {
        format!("::std::boxed::Box::new({e})")
    } else {
        e
    }
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // A target dir of its own, kept between runs (serde is built once).
    c.env("CARGO_TARGET_DIR", support::oracles::target_dir().join("rustgen"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER");
    c
}

/// Cargo offline when serde is in its cache, else online.
fn cargo_run(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = cargo().current_dir(dir).arg(args[0]).arg("--offline").args(&args[1..]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && (text.contains("offline") || text.contains("no matching package")) {
        return cargo().current_dir(dir).args(args).output().unwrap();
    }
    out
}

/// Given datums and how the checks build them (from the crate's name) instead of random ones.
type Given<'a> = (&'a [Datum], &'a dyn Fn(&str) -> String);

fn check(cases: &[Case], rng: &mut Rng, dir: &Path, given: Option<Given>) -> Outcome {
    let gen = dir.join("gen");
    let mut failures = Vec::new();
    let mut with_datums: Vec<(&Case, Vec<Datum>)> = Vec::new();
    let mut members = Vec::new();
    let mut deps = String::new();
    let mut main = String::from("#![allow(clippy::all, unused)]\n\npub fn b(hex: &str) -> ::std::vec::Vec<u8> {\n    (0..hex.len() / 2).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect()\n}\n\nfn hex(b: &[u8]) -> String {\n    b.iter().map(|x| format!(\"{x:02x}\")).collect()\n}\n\nfn main() {\n    let mut out: Vec<String> = Vec::new();\n");
    let mut fns = String::new();
    let schemas = tempfile::tempdir().unwrap();
    for c in cases {
        let ws = c.write(schemas.path());
        let pkg = c.package();
        let (code, stdout, stderr) =
            run(&ws, &["generate", "rust", "--out", gen.to_str().unwrap(), "--package", &pkg, "-q"]);
        if code != 0 {
            failures.push(format!("{} ({}): generate exited {code}: {stdout}{stderr}", pkg, c.file));
            continue;
        }
        members.push(format!("\"gen/{pkg}\""));
        deps.push_str(&format!("{pkg} = {{ path = \"../gen/{pkg}\" }}\n"));
        let names = rust::names(&c.model());
        let mut datums = Vec::new();
        if let Some((d, _)) = given {
            datums = d.iter().cloned().map(sorted).collect();
        }
        for _ in 0..DATUMS * 3 {
            if given.is_some() {
                break;
            }
            if datums.len() == DATUMS {
                break;
            }
            if let Some(d) = cases::datum(&c.set, c.root, rng, 0) {
                datums.push(sorted(d));
            }
        }
        if datums.is_empty() {
            continue;
        }
        let module = names.modules[&c.file].replacen("crate::", &format!("{pkg}::"), 1);
        fns.push_str(&format!("fn c{:04}(out: &mut Vec<String>) {{\n", c.id));
        for (n, d) in datums.iter().enumerate() {
            fns.push_str(&format!(
                "    let v = {};\n    out.push(match {module}::serialize(7, &v) {{\n        Ok(b) => format!(\"{id} {n} {{}}\", hex(&b)),\n        Err(e) => format!(\"{id} {n} ERROR {{e}}\"),\n    }});\n",
                match given {
                    Some((_, build)) => build(&pkg),
                    None => rexpr(&c.set, &names, &pkg, c.root, d, false),
                },
                id = c.id
            ));
        }
        fns.push_str("}\n\n");
        main.push_str(&format!("    c{:04}(&mut out);\n", c.id));
        with_datums.push((c, datums));
    }
    main.push_str("    println!(\"{}\", out.join(\"\\n\"));\n}\n\n");
    main.push_str(&fns);
    let checks = dir.join("checks");
    std::fs::create_dir_all(checks.join("src")).unwrap();
    std::fs::write(
        checks.join("Cargo.toml"),
        format!("[package]\nname = \"checks\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}"),
    )
    .unwrap();
    std::fs::write(checks.join("src/main.rs"), main).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"checks\", {}]\n", members.join(", ")),
    )
    .unwrap();
    let generated = with_datums.len();
    let out =
        cargo_run(dir, &["clippy", "-q", "--keep-going", "--workspace", "--exclude", "checks", "--", "-D", "warnings"]);
    if !out.status.success() {
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        failures.push(format!("cargo clippy -- -D warnings failed:\n{}", text.chars().take(8000).collect::<String>()));
        return Outcome { generated, failures };
    }
    let out = cargo_run(dir, &["run", "-q", "-p", "checks"]);
    if !out.status.success() {
        let text = String::from_utf8_lossy(&out.stderr);
        failures
            .push(format!("building or running the checks failed:\n{}", text.chars().take(8000).collect::<String>()));
        return Outcome { generated, failures };
    }
    let mut got: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.splitn(3, ' ');
        let (Some(id), Some(n), Some(rest)) = (parts.next(), parts.next(), parts.next()) else { continue };
        got.insert((id.parse().unwrap(), n.parse().unwrap()), rest.to_string());
    }
    let expected = cases::reference(&with_datums, dir, support::oracles::python());
    for (c, datums) in &with_datums {
        if let Some(e) = expected.get(&(c.id, usize::MAX)) {
            failures.push(format!("{} ({}): the reference writer failed: {e}", c.package(), c.file));
            continue;
        }
        for (n, d) in datums.iter().enumerate() {
            let want = format!("0000000007{}", expected.get(&(c.id, n)).cloned().unwrap_or_default());
            let have = got.get(&(c.id, n)).cloned().unwrap_or_default();
            if have != want {
                failures.push(format!(
                    "{} ({}), datum {n}: rust wrote {have}, avro wrote {want}\n    datum: {d:?}",
                    c.package(),
                    c.file
                ));
            }
        }
    }
    Outcome { generated, failures }
}

/// A workspace directory under the target dir (cargo keeps its lock file and build there).
fn workspace(name: &str) -> std::path::PathBuf {
    let dir = support::oracles::target_dir().join("rustgen-work").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_valid_corpus_schema_builds_clippy_clean_and_writes_avros_bytes() {
    let cases = cases::corpus_cases();
    let dir = workspace("corpus");
    let o = check(&cases, &mut Rng::new(13), &dir, None);
    report("corpus", cases.len(), &o);
}

#[test]
fn random_schemas_build_clippy_clean_and_write_avros_bytes() {
    let (cases, mut rng) = cases::random_cases(RANDOM_SCHEMAS);
    let dir = workspace("random");
    let o = check(&cases, &mut rng, &dir, None);
    report("random schemas", cases.len(), &o);
}

/// A record with a default of every kind, built by `new` with only its fields without a default,
/// writes the bytes avro writes for the record with the defaults filled in.
#[test]
fn new_fills_the_schemas_defaults_of_every_kind() {
    let text = r#"{"type": "record", "name": "Defaults", "namespace": "com.acme", "fields": [
      {"name": "id", "type": "long"},
      {"name": "label", "type": "string"},
      {"name": "nothing", "type": "null", "default": null},
      {"name": "flag", "type": "boolean", "default": true},
      {"name": "count", "type": "int", "default": -7},
      {"name": "total", "type": "long", "default": 9007199254740993},
      {"name": "ratio", "type": "float", "default": 1.5},
      {"name": "big", "type": "double", "default": 1e300},
      {"name": "name", "type": "string", "default": "caf\u00e9 \"q\" \\ \n"},
      {"name": "raw", "type": "bytes", "default": "\u0000\u00ff\u00e9A"},
      {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "type"]}, "default": "type"},
      {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 3}, "default": "\u0001\u0002\u00ff"},
      {"name": "tags", "type": {"type": "array", "items": "string"}, "default": ["a", "b"]},
      {"name": "empty", "type": {"type": "array", "items": "int"}, "default": []},
      {"name": "attrs", "type": {"type": "map", "values": "long"}, "default": {"z": 1, "a": 2}},
      {"name": "line", "type": {"type": "record", "name": "Line", "fields": [
          {"name": "sku", "type": "string"},
          {"name": "qty", "type": "int", "default": 1}]}, "default": {"sku": "x"}},
      {"name": "maybe", "type": ["null", "string"], "default": null},
      {"name": "first", "type": ["string", "null"], "default": "s"},
      {"name": "either", "type": ["int", "string", "Line"], "default": 3},
      {"name": "nested", "type": {"type": "array", "items": {"type": "map", "values": ["null", "Status"]}}, "default": [{"k": null}]},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}, "default": 19000},
      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 1700000000000},
      {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}, "default": "\u00ff\u0085"},
      {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}, "default": "123e4567-e89b-12d3-a456-426614174000"},
      {"name": "small", "type": "float", "default": 0.1},
      {"name": "next", "type": ["null", "Defaults"], "default": null}
    ]}"#;
    let c = Case::new(0, "com/acme/Defaults.avsc", text).expect("a valid schema");
    let s = |x: &str| Datum::Str(x.to_string());
    let null = || Box::new(Datum::Null);
    let filled = Datum::Record(vec![
        Datum::Long(5),
        s("l"),
        Datum::Null,
        Datum::Bool(true),
        Datum::Int(-7),
        Datum::Long(9007199254740993),
        Datum::Float(1.5),
        Datum::Double(1e300),
        s("caf\u{e9} \"q\" \\ \n"),
        Datum::Bytes(vec![0, 255, 233, 65]),
        Datum::Enum(2),
        Datum::Fixed(vec![1, 2, 255]),
        Datum::Array(vec![s("a"), s("b")]),
        Datum::Array(vec![]),
        Datum::Map(vec![("z".into(), Datum::Long(1)), ("a".into(), Datum::Long(2))]),
        Datum::Record(vec![s("x"), Datum::Int(1)]),
        Datum::Union(0, null()),
        Datum::Union(0, Box::new(s("s"))),
        Datum::Union(0, Box::new(Datum::Int(3))),
        Datum::Array(vec![Datum::Map(vec![("k".into(), Datum::Union(0, null()))])]),
        Datum::Int(19000),
        Datum::Long(1_700_000_000_000),
        Datum::Decimal(-123, 2),
        Datum::Uuid(0x123e4567_e89b_12d3_a456_426614174000_u128.to_be_bytes()),
        Datum::Float(0.1),
        Datum::Union(0, null()),
    ]);
    let ty = rust::names(&c.model()).types["com.acme.Defaults"].clone();
    let build = move |pkg: &str| {
        format!("{}::new(5_i64, ::std::string::String::from(\"l\"))", ty.replacen("crate::", &format!("{pkg}::"), 1))
    };
    let dir = workspace("defaults");
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), &dir, Some((&[filled], &build)));
    report("defaults", 1, &o);
}

/// Field names clippy would refuse as arguments of `new` — its placeholder names (`foo`, `baz`,
/// `quux`) and a name that differs from another only by a leading `_` — come from the schema:
/// the crate still builds clippy clean and writes avro's bytes.
#[test]
fn field_names_clippy_dislikes_still_build_clippy_clean() {
    let text = r#"{"type": "record", "name": "Odd", "namespace": "com.acme", "fields": [
      {"name": "foo", "type": "int"}, {"name": "baz", "type": "string"}, {"name": "quux", "type": "long"},
      {"name": "x", "type": "int"}, {"name": "_x", "type": "int"}, {"name": "_1", "type": "int"},
      {"name": "__", "type": "int"}, {"name": "_", "type": ["null", "int"], "default": null}
    ]}"#;
    one_schema_builds_and_writes_avros_bytes("clippy names", "com/acme/Odd.avsc", text, 5);
}

/// Types named like the prelude's `Ok`, `Err`, `Some` and `None` (and `Option`, `Result`,
/// `Box`, `Vec`, `String`) hide nothing the generated code uses: it writes those by full path.
#[test]
fn types_named_like_the_prelude_hide_nothing() {
    let text = r#"{"type": "record", "name": "Ok", "namespace": "com.acme", "fields": [
      {"name": "e", "type": {"type": "fixed", "name": "Err", "size": 2}},
      {"name": "one", "type": ["Err"]},
      {"name": "maybe", "type": ["null", {"type": "enum", "name": "Some", "symbols": ["None", "Some"]}], "default": null},
      {"name": "none", "type": {"type": "record", "name": "None", "fields": [
          {"name": "o", "type": {"type": "record", "name": "Option", "fields": [{"name": "x", "type": "int"}]}},
          {"name": "r", "type": {"type": "enum", "name": "Result", "symbols": ["A"]}},
          {"name": "b", "type": {"type": "fixed", "name": "Box", "size": 1}},
          {"name": "v", "type": {"type": "record", "name": "Vec", "fields": []}},
          {"name": "s", "type": {"type": "record", "name": "String", "fields": [{"name": "t", "type": "string"}]}}]}},
      {"name": "many", "type": {"type": "array", "items": ["null", "Err", "Some", "string"]}},
      {"name": "nothing", "type": {"type": "array", "items": []}}
    ]}"#;
    one_schema_builds_and_writes_avros_bytes("prelude names", "com/acme/Ok.avsc", text, 3);
}

/// One schema file's crate builds clippy clean, and random datums (from `seed`) encoded by it
/// are avro's bytes; `what` names the case in a failure and its workspace.
fn one_schema_builds_and_writes_avros_bytes(what: &str, file: &str, text: &str, seed: u64) {
    let c = Case::new(0, file, text).expect("a valid schema");
    let dir = workspace(&what.replace(' ', "_"));
    let o = check(std::slice::from_ref(&c), &mut Rng::new(seed), &dir, None);
    report(what, 1, &o);
}

/// An array or map of the empty union holds no element: the crate builds clippy clean (the
/// loop over elements that can only fail is no warning) and writes avro's bytes of empty ones.
#[test]
fn collections_of_the_empty_union_build_clippy_clean() {
    let text = r#"{"type": "record", "name": "Nothing", "namespace": "com.acme", "fields": [
      {"name": "arr", "type": {"type": "array", "items": []}},
      {"name": "m", "type": {"type": "map", "values": []}}
    ]}"#;
    let c = Case::new(0, "com/acme/Nothing.avsc", text).expect("a valid schema");
    let build =
        |pkg: &str| format!("{pkg}::com_acme_nothing::Nothing::new(vec![], ::std::collections::BTreeMap::new())");
    let filled = Datum::Record(vec![Datum::Array(vec![]), Datum::Map(vec![])]);
    let dir = workspace("empty_union");
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), &dir, Some((&[filled], &build)));
    report("empty union collections", 1, &o);
}

/// A default Rust's types cannot hold makes its field an argument of `new`, as Java makes it
/// required: a fixed's default of another size (which would fail to encode), a uuid not in its
/// text form, a big-decimal, a record default whose field left out has such a default; a
/// default that fits is kept. Random values (every field set) build clippy-clean and write
/// avro's bytes.
#[test]
fn defaults_rust_cannot_hold_are_arguments_of_new() {
    let text = r#"{"type": "record", "name": "Odd", "fields": [
        {"name": "fx", "type": {"type": "fixed", "name": "F4", "size": 4}, "default": "ab"},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}, "default": "not-a-uuid"},
        {"name": "b", "type": {"type": "bytes", "logicalType": "big-decimal"}, "default": "\u0000"},
        {"name": "inner", "type": {"type": "record", "name": "In", "fields": [
            {"name": "g", "type": "F4", "default": "abcdef"}
        ]}, "default": {}},
        {"name": "ok", "type": "F4", "default": "abcd"}
    ]}"#;
    let c = Case::new(0, "Odd.avsc", text).expect("a valid schema");
    let dir = workspace("odd_defaults");
    let o = check(std::slice::from_ref(&c), &mut Rng::new(3), &dir, None);
    report("defaults left out", 1, &o);
    let module = std::fs::read_to_string(dir.join("gen/t0000/odd.rs")).unwrap();
    assert!(
        module.contains("pub fn new(fx: crate::odd::F4, id: crate::runtime::Uuid, b: crate::runtime::Decimal, inner: crate::odd::In) -> Self"),
        "{module}"
    );
    assert!(module.contains("ok: crate::odd::F4(::std::vec![97_u8, 98_u8, 99_u8, 100_u8]),"), "{module}");
}

/// Large defaults (a 10,000-byte `bytes`, a 70,000-character `string` holding invisible and
/// bidirectional characters, which clippy and rustc refuse unescaped in a literal) are filled
/// in by `new` as avro writes them.
#[test]
fn new_fills_in_large_defaults_with_invisible_characters() {
    let (text, filled) = cases::large_defaults();
    let c = Case::new(0, "Large.avsc", &text).expect("a valid schema");
    let build = |pkg: &str| format!("{pkg}::large::Large::new()");
    let dir = workspace("large");
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), &dir, Some((&[filled], &build)));
    report("large defaults", 1, &o);
}

/// `SUBJECTS` holds what `publish` registers the file's schema under: the topic's subject for a
/// named top level the config maps to a topic, nothing for a file whose top level is not a
/// named type (publish names subjects after a top-level type, and registers no such file).
#[test]
fn subjects_are_publishs_and_empty_for_a_top_level_that_is_not_named() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::create_dir_all(root.join("schemas/com/acme")).unwrap();
    std::fs::write(
        root.join("schemapipe.yaml"),
        "version: 1\nschemas:\n  root: schemas\nregistry:\n  url: http://localhost:8081\n  subject_strategy: TopicNameStrategy\n  topics:\n    orders: {value: com.acme.Order, key: com.acme.OrderKey}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("schemas/com/acme/Order.avsc"),
        r#"{"type": "record", "name": "Order", "namespace": "com.acme", "fields": [{"name": "id", "type": "long"}]}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("schemas/com/acme/OrderKey.avsc"),
        r#"{"type": "record", "name": "OrderKey", "namespace": "com.acme", "fields": [{"name": "id", "type": "long"}]}"#,
    )
    .unwrap();
    std::fs::write(root.join("schemas/com/acme/order-ids.avsc"), r#"{"type": "array", "items": "long"}"#).unwrap();
    let out = root.join("gen");
    let (code, stdout, stderr) =
        run(root, &["generate", "rust", "--out", out.to_str().unwrap(), "--package", "p", "-q"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let module = |name: &str| std::fs::read_to_string(out.join("p").join(name)).unwrap();
    assert!(module("com_acme_order.rs").contains("pub const SUBJECTS: &[&str] = &[\"orders-value\"];"));
    assert!(module("com_acme_order_key.rs").contains("pub const SUBJECTS: &[&str] = &[\"orders-key\"];"));
    assert!(module("com_acme_orderu2dids.rs").contains("pub const SUBJECTS: &[&str] = &[];"));
}

/// Float defaults JSON numbers cannot write (the reference writer's input is JSON) are the
/// constants of Rust's float types.
#[test]
fn new_writes_nan_and_infinities_as_constants() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::create_dir_all(root.join("schemas")).unwrap();
    std::fs::write(root.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
    std::fs::write(
        root.join("schemas/Floats.avsc"),
        r#"{"type": "record", "name": "Floats", "fields": [
          {"name": "a", "type": "double", "default": "NaN"},
          {"name": "b", "type": "float", "default": "-Infinity"},
          {"name": "c", "type": "double", "default": "Infinity"}]}"#,
    )
    .unwrap();
    let out = root.join("gen");
    let (code, stdout, stderr) =
        run(root, &["generate", "rust", "--out", out.to_str().unwrap(), "--package", "p", "-q"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let text = std::fs::read_to_string(out.join("p/floats.rs")).unwrap();
    for line in [
        "a: f64::NAN,",
        "b: f32::NEG_INFINITY,",
        "c: f64::INFINITY,",
        "pub fn new() -> Self",
        "impl ::std::default::Default for Floats",
    ] {
        assert!(text.contains(line), "{line} missing in:\n{text}");
    }
}

/// A module template beside the config (`templates/rust/module.rs.j2`) replaces the built-in
/// one, with the Rust names, types, defaults and union enums of the model; the templates it
/// does not override (`lib.rs.j2`, `runtime.rs.j2`) stay built in.
#[test]
fn a_module_template_beside_the_config_overrides_the_built_in_one() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::create_dir_all(root.join("schemas")).unwrap();
    std::fs::create_dir_all(root.join("templates/rust")).unwrap();
    std::fs::write(root.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
    std::fs::write(
        root.join("schemas/Order.avsc"),
        r#"{"type": "record", "name": "Order", "namespace": "com.acme", "fields": [
          {"name": "type", "type": "long", "default": 7},
          {"name": "either", "type": ["int", "string", "null"]}]}"#,
    )
    .unwrap();
    // The built-in template with one change: a line of the overrider's own.
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/rust/module.rs.j2")).unwrap();
    let custom = builtin.replace(
        "#[allow(unused_imports)]",
        "// {{ schema.adapter_name }}:{% for t in schema.types %}{% for f in t.fields %} {{ f.ident }}: {{ f.type_expr }} = {{ f.default_expr }};{% endfor %}{% endfor %}{% for u in schema.unions %} enum {{ u.class_name }}{% endfor %}.\n#[allow(unused_imports)]",
    );
    assert_ne!(custom, builtin);
    std::fs::write(root.join("templates/rust/module.rs.j2"), &custom).unwrap();
    let out = root.join("gen");
    let (code, stdout, stderr) =
        run(root, &["generate", "rust", "--out", out.to_str().unwrap(), "--package", "p", "-q"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let module = std::fs::read_to_string(out.join("p/com_acme_order.rs")).unwrap();
    assert!(
        module.contains(
            "// OrderAdapter: type_: i64 = 7_i64; either: crate::com_acme_order::OrderEither = None; enum OrderEither.\n"
        ),
        "{module}"
    );
    assert!(module.contains("pub struct Order {"), "{module}");
    assert!(std::fs::read_to_string(out.join("p/lib.rs")).unwrap().contains("pub mod com_acme_order;"));
    assert!(std::fs::read_to_string(out.join("p/runtime.rs")).unwrap().contains("pub fn frame("));

    // An override that names what the model does not have fails, naming the template's line.
    std::fs::write(root.join("templates/rust/module.rs.j2"), "// Generated by schemapipe\n{{ schema.no_such_key }}\n")
        .unwrap();
    let (code, _, stderr) = run(root, &["generate", "rust", "--out", out.to_str().unwrap(), "--package", "p"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("module.rs.j2, line 2"), "{stderr}");
}

/// Generating for some schema files only writes their modules, and `lib.rs` still declares
/// every schema file's module (the others' files are there from earlier runs).
#[test]
fn lib_rs_declares_every_module_when_generating_for_some_files() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::create_dir_all(root.join("schemas/a")).unwrap();
    std::fs::create_dir_all(root.join("schemas/b")).unwrap();
    std::fs::write(root.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
    let record =
        |name: &str| format!(r#"{{"type": "record", "name": "{name}", "fields": [{{"name": "id", "type": "long"}}]}}"#);
    std::fs::write(root.join("schemas/b/Zeta.avsc"), record("Zeta")).unwrap();
    std::fs::write(root.join("schemas/a/Alpha.avsc"), record("Alpha")).unwrap();
    let out = root.join("gen");
    let (code, stdout, stderr) =
        run(root, &["generate", "rust", "--out", out.to_str().unwrap(), "--package", "p", "-q", "schemas/b"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(out.join("p/zeta.rs").is_file());
    assert!(!out.join("p/alpha.rs").exists());
    let lib = std::fs::read_to_string(out.join("p/lib.rs")).unwrap();
    assert!(lib.ends_with("pub mod runtime;\npub mod alpha;\npub mod zeta;\n"), "{lib}");
}

/// Schemas whose names Cargo or rustc give a meaning: a record `Main` (the module `main` is
/// refused by rustc's `special_module_name`), a record `Build` (`build.rs` beside
/// `Cargo.toml` would be a build script), a record `FooAdapter` inside `Foo.avsc` (the name of
/// the file's adapter trait). Each crate builds clippy clean and writes avro's bytes.
#[test]
fn names_cargo_and_rustc_give_a_meaning_build_clippy_clean() {
    let cases = [
        Case::new(0, "Main.avsc", r#"{"type": "record", "name": "Main", "fields": [{"name": "x", "type": "int"}]}"#),
        Case::new(1, "Build.avsc", r#"{"type": "record", "name": "Build", "fields": [{"name": "x", "type": "int"}]}"#),
        Case::new(
            2,
            "Foo.avsc",
            r#"{"type": "record", "name": "Foo", "fields": [
              {"name": "a", "type": {"type": "record", "name": "FooAdapter", "fields": []}},
              {"name": "adapter", "type": ["int", "string", "FooAdapter"]}]}"#,
        ),
    ]
    .map(|c| c.expect("a valid schema"));
    let dir = workspace("special_names");
    let o = check(&cases, &mut Rng::new(4), &dir, None);
    report("special names", cases.len(), &o);
}
