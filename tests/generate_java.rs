//! `schemapipe generate java`: every valid schema of the validity corpus and random valid
//! schemas (a bounded property test) are generated into one source tree, a package each, and
//! compiled together with `javac -Xlint:all -Werror` (Debian's OpenJDK 17, provisioned into
//! target/oracles by tests/support/jdk.rs); random datums of each are built with the generated
//! classes and written through the generated adapter by `java`, and the bytes compared with
//! those the PyPI `avro` package writes (tests/java/avro_bytes.py). One javac and one java run
//! for all of them.

mod support {
    pub mod bin;
    pub mod jdk;
    pub mod oracles;
}
#[path = "java/cases.rs"]
mod cases;

use cases::{report, Case, Datum, Outcome, Rng};
use schemapipe::core::generate::java;
use schemapipe::core::schema::logical::LogicalType;
use schemapipe::core::schema::{SchemaId, SchemaKind, SchemaSet};
use std::collections::BTreeMap;
use std::path::Path;
use support::bin::{copy_dir, repo_root, run};

/// Datums per schema.
const DATUMS: usize = 20;
/// Random schemas in the property test.
const RANDOM_SCHEMAS: usize = 100;

/// A datum as a Java expression built with the generated classes.
fn jexpr(set: &SchemaSet, names: &java::JavaNames, r: &str, id: SchemaId, d: &Datum) -> String {
    let node = set.resolved(id);
    let bytes = |b: &[u8]| {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let chunks: Vec<String> =
            hex.as_bytes().chunks(30_000).map(|c| format!("\"{}\"", String::from_utf8_lossy(c))).collect();
        format!("checks.H.bytes({})", chunks.join(", "))
    };
    let class = || node.named().map(|n| names.classes[&n.full_name].clone()).unwrap_or_default();
    match d {
        Datum::Null => "null".into(),
        Datum::Bool(b) => b.to_string(),
        Datum::Int(i) => match node.logical {
            Some(LogicalType::Date) => format!("java.time.LocalDate.ofEpochDay({i})"),
            Some(LogicalType::TimeMillis) => format!("{r}.timeOfMillis({i})"),
            _ => format!("{i}"),
        },
        Datum::Long(i) => {
            let f = match node.logical {
                Some(LogicalType::TimeMicros) => "timeOfMicros",
                Some(LogicalType::TimestampMillis) => "instantOfMillis",
                Some(LogicalType::TimestampMicros) => "instantOfMicros",
                Some(LogicalType::TimestampNanos) => "instantOfNanos",
                Some(LogicalType::LocalTimestampMillis) => "localOfMillis",
                Some(LogicalType::LocalTimestampMicros) => "localOfMicros",
                Some(LogicalType::LocalTimestampNanos) => "localOfNanos",
                _ => return format!("{i}L"),
            };
            format!("{r}.{f}({i}L)")
        }
        Datum::Float(f) => format!("java.lang.Float.intBitsToFloat({})", f.to_bits() as i32),
        Datum::Double(f) => format!("java.lang.Double.longBitsToDouble({}L)", f.to_bits() as i64),
        Datum::Bytes(b) => bytes(b),
        Datum::Fixed(b) => format!("new {}({})", class(), bytes(b)),
        Datum::Str(s) => java::string_literal(s),
        Datum::Enum(i) => format!("{}.{}", class(), names.enums[&node.named().unwrap().full_name][*i]),
        Datum::Array(xs) => match &node.kind {
            SchemaKind::Array(items) => {
                let parts: Vec<String> = xs.iter().map(|x| jexpr(set, names, r, *items, x)).collect();
                // One element through `one`: a lone `null` would be taken for the array.
                let f = if parts.len() == 1 { "one" } else { "list" };
                format!("checks.H.{f}({})", parts.join(", "))
            }
            _ => unreachable!(),
        },
        Datum::Map(xs) => match &node.kind {
            SchemaKind::Map(values) => {
                let parts: Vec<String> = xs
                    .iter()
                    .map(|(k, x)| format!("{}, {}", java::string_literal(k), jexpr(set, names, r, *values, x)))
                    .collect();
                format!("checks.H.map({})", parts.join(", "))
            }
            _ => unreachable!(),
        },
        Datum::Record(xs) => match &node.kind {
            SchemaKind::Record(rec) => {
                let full = &node.named().unwrap().full_name;
                let mut s = format!("{}.builder()", names.classes[full]);
                for ((f, ident), x) in rec.fields.iter().zip(&names.fields[full]).zip(xs) {
                    s.push_str(&format!("\n            .{ident}({})", jexpr(set, names, r, f.ty, x)));
                }
                s.push_str(".build()");
                s
            }
            _ => unreachable!(),
        },
        Datum::Union(i, x) => match &node.kind {
            SchemaKind::Union(b) => {
                let inner = jexpr(set, names, r, b[*i], x);
                match names.unions.get(&set.deref(id)) {
                    Some((fq, branches)) => match &branches[*i] {
                        Some(bn) => format!("new {fq}.{bn}({inner})"),
                        None => "null".into(),
                    },
                    None => inner,
                }
            }
            _ => unreachable!(),
        },
        Datum::Decimal(v, scale) => {
            format!("new java.math.BigDecimal(new java.math.BigInteger(\"{v}\"), {scale})")
        }
        Datum::Uuid(b) => format!("java.util.UUID.fromString(\"{}\")", cases::uuid_string(b)),
        Datum::Duration(m, dd, ms) => format!("new {r}.Duration({m}L, {dd}L, {ms}L)"),
    }
}

const HELPERS: &str = r#"package checks;

/** Builds lists and maps for the checks. */
public final class H {
    private H() {
    }

    @SafeVarargs
    public static <T> java.util.List<T> list(T... xs) {
        java.util.ArrayList<T> l = new java.util.ArrayList<>();
        for (T x : xs) {
            l.add(x);
        }
        return l;
    }

    public static <T> java.util.List<T> one(T x) {
        java.util.ArrayList<T> l = new java.util.ArrayList<>();
        l.add(x);
        return l;
    }

    @SuppressWarnings("unchecked")
    public static <V> java.util.Map<java.lang.String, V> map(java.lang.Object... kv) {
        java.util.LinkedHashMap<java.lang.String, V> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((java.lang.String) kv[i], (V) kv[i + 1]);
        }
        return m;
    }

    public static byte[] bytes(java.lang.String... hex) {
        java.lang.String h = java.lang.String.join("", hex);
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) java.lang.Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    public static java.lang.String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(java.lang.String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
"#;

/// Datums given instead of random ones, and the Java expression building each from the
/// package's classes (for values the generated code fills in itself, such as defaults).
type Given<'a> = (&'a [Datum], &'a dyn Fn(&str) -> String);

/// Generates, compiles and runs every case; compares with the reference bytes.
fn check(cases: &[Case], rng: &mut Rng, dir: &Path, given: Option<Given>) -> Outcome {
    let jdk = support::jdk::get();
    let src = dir.join("src");
    let mut failures = Vec::new();
    let mut with_datums: Vec<(&Case, Vec<Datum>)> = Vec::new();
    let mut main = String::from("package checks;\n\npublic final class Main {\n    private Main() {\n    }\n\n    public static void main(java.lang.String[] args) {\n        java.util.List<java.lang.String> out = new java.util.ArrayList<>();\n");
    for c in cases {
        let ws = c.write(dir);
        let pkg = c.package();
        let (code, stdout, stderr) =
            run(&ws, &["generate", "java", "--out", src.to_str().unwrap(), "--package", &pkg, "-q"]);
        if code != 0 {
            failures.push(format!("{} ({}): generate exited {code}: {stdout}{stderr}", pkg, c.file));
            continue;
        }
        let names = java::names(&c.model(), &pkg).unwrap();
        let mut datums = given.map(|(d, _)| d.to_vec()).unwrap_or_default();
        for _ in 0..DATUMS * 3 {
            if given.is_some() || datums.len() == DATUMS {
                break;
            }
            if let Some(d) = cases::datum(&c.set, c.root, rng, 0) {
                datums.push(d);
            }
        }
        if datums.is_empty() {
            continue; // no finite value (a record that must contain itself)
        }
        let (adapter, ty) = &names.tops[&c.file];
        let r = format!("{pkg}.SchemapipeRuntime");
        let mut class = format!(
            "package checks;\n\npublic final class C{id:04} {{\n    private C{id:04}() {{\n    }}\n\n    static final {adapter}<java.lang.Object> A = new {adapter}<>(7) {{\n        @Override\n        public {ty} adapt(java.lang.Object source) {{\n            throw new java.lang.UnsupportedOperationException();\n        }}\n    }};\n\n",
            id = c.id
        );
        for (n, d) in datums.iter().enumerate() {
            class.push_str(&format!(
                "    static byte[] d{n}() {{\n        return A.serialize({});\n    }}\n\n",
                match given {
                    Some((_, build)) => build(&pkg),
                    None => jexpr(&c.set, &names, &r, c.root, d),
                }
            ));
        }
        class.push_str("    static void run(java.util.List<java.lang.String> out) {\n");
        for n in 0..datums.len() {
            class.push_str(&format!("        try {{\n            out.add(\"{id} {n} \" + H.hex(d{n}()));\n        }} catch (java.lang.RuntimeException e) {{\n            out.add(\"{id} {n} EXCEPTION \" + e);\n        }}\n", id = c.id));
        }
        class.push_str("    }\n}\n");
        std::fs::create_dir_all(src.join("checks")).unwrap();
        std::fs::write(src.join(format!("checks/C{:04}.java", c.id)), class).unwrap();
        main.push_str(&format!("        C{:04}.run(out);\n", c.id));
        with_datums.push((c, datums));
    }
    main.push_str("        System.out.print(java.lang.String.join(\"\\n\", out) + \"\\n\");\n    }\n}\n");
    std::fs::write(src.join("checks/Main.java"), main).unwrap();
    std::fs::write(src.join("checks/H.java"), HELPERS).unwrap();
    let generated = with_datums.len();

    // Compile everything at once.
    let mut sources = Vec::new();
    collect_java(&src, &mut sources);
    let list = dir.join("sources.txt");
    std::fs::write(&list, sources.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("\n")).unwrap();
    let classes = dir.join("classes");
    let out = jdk
        .javac()
        .args(["-Xlint:all", "-Werror", "-encoding", "UTF-8", "-Xmaxerrs", "50", "-J-Xss8m", "-d"])
        .arg(&classes)
        .arg(format!("@{}", list.display()))
        .output()
        .unwrap();
    if !out.status.success() {
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        failures.push(format!("javac -Xlint:all -Werror failed:\n{}", text.chars().take(8000).collect::<String>()));
        return Outcome { generated, failures };
    }
    let out = jdk.java().arg("-Xss8m").arg("-cp").arg(&classes).arg("checks.Main").output().unwrap();
    assert!(out.status.success(), "java failed: {}", String::from_utf8_lossy(&out.stderr));
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
            let want = expected.get(&(c.id, n)).cloned().unwrap_or_default();
            let have = got.get(&(c.id, n)).cloned().unwrap_or_default();
            // The wire format: magic byte 0, schema id 7 (4 bytes, big-endian), the payload.
            let framed = format!("0000000007{want}");
            if have != framed {
                failures.push(format!(
                    "{} ({}), datum {n}: java wrote {have}, avro wrote {framed}\n    datum: {d:?}",
                    c.package(),
                    c.file
                ));
            }
        }
    }
    Outcome { generated, failures }
}

fn collect_java(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_java(&p, out);
        } else if p.extension().is_some_and(|x| x == "java") {
            out.push(p);
        }
    }
}

#[test]
fn every_valid_corpus_schema_compiles_and_writes_avros_bytes() {
    let cases = cases::corpus_cases();
    let tmp = tempfile::tempdir().unwrap();
    let o = check(&cases, &mut Rng::new(13), tmp.path(), None);
    report("corpus", cases.len(), &o);
}

#[test]
fn random_schemas_compile_and_write_avros_bytes() {
    let (cases, mut rng) = cases::random_cases(RANDOM_SCHEMAS);
    let tmp = tempfile::tempdir().unwrap();
    let o = check(&cases, &mut rng, tmp.path(), None);
    report("random schemas", cases.len(), &o);
}

/// Defaults past what a method's bytecode (64 KB) or a string constant (65,535 bytes) holds
/// are built at run time: the builder of a record with a 10,000-byte `bytes` default and a
/// 70,000-character `string` default writes avro's bytes of the record with them.
#[test]
fn the_builder_fills_in_defaults_too_large_for_a_constant() {
    let (text, filled) = cases::large_defaults();
    let c = Case::new(0, "Large.avsc", &text).expect("a valid schema");
    let build = |pkg: &str| format!("{pkg}.Large.builder().build()");
    let tmp = tempfile::tempdir().unwrap();
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), tmp.path(), Some((&[filled], &build)));
    report("large defaults", 1, &o);
}

/// `generate java` of a schema file `file` under `dir` exits 2 naming the file and `why`, and
/// writes nothing.
fn assert_refused(dir: &Path, file: &str, text: &str, why: &str) {
    let ws = Case::new(0, file, text).expect("a valid schema").write(dir);
    let out = dir.join("out");
    let (code, stdout, stderr) = run(&ws, &["generate", "java", "--out", out.to_str().unwrap(), "--package", "p"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(&format!("`{file}` cannot be generated for java: {why}")), "{stderr}");
    assert!(!out.exists(), "something was written");
}

/// A record of the most fields a Java class holds is written by methods of 100 fields each
/// (one would take more than the 64 KB of bytecode a method holds): its builder writes avro's
/// bytes of its defaults. One field more is refused, naming the file and the record.
#[test]
fn a_record_of_thousands_of_fields_compiles_and_writes_avros_bytes() {
    let max = java::MAX_RECORD_FIELDS;
    let tmp = tempfile::tempdir().unwrap();
    let why = format!("the record `Wide` has {} fields, more than the {max} its Java class can hold", max + 1);
    assert_refused(tmp.path(), "Wide.avsc", &cases::wide_record(max + 1).0, &why);
    let (text, filled) = cases::wide_record(max);
    let c = Case::new(1, "Wide.avsc", &text).expect("a valid schema");
    let build = |pkg: &str| format!("{pkg}.Wide.builder().build()");
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), &tmp.path().join("max"), Some((&[filled], &build)));
    report("wide record", 1, &o);
}

/// An enum of more symbols than javac can build in a class's static initializer is refused
/// before anything is written, naming the file and the enum; one of the most it allows
/// compiles (the corpus check covers one of 3,000 symbols with datums).
#[test]
fn an_enum_of_more_symbols_than_a_java_enum_holds_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let max = java::MAX_ENUM_SYMBOLS;
    let why = format!("the enum `BigEnum` has {} symbols, more than the {max} its Java class can hold", max + 1);
    assert_refused(tmp.path(), "BigEnum.avsc", &cases::large_enum(max + 1), &why);
    let c = Case::new(1, "BigEnum.avsc", &cases::large_enum(max)).expect("a valid schema");
    let o = check(std::slice::from_ref(&c), &mut Rng::new(2), &tmp.path().join("max"), None);
    report("largest enum", 1, &o);
}

#[test]
fn templates_beside_the_config_override_the_built_in_java_ones() {
    let ws = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("tests/fixtures/generate"), ws.path());
    let dir = ws.path().join("templates/java");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("record.java.j2"),
        "// Generated by schemapipe {{ version }}\n// {{ type.kind }} {{ type.extra.package }}.{{ type.class_name }} -> {{ schema.subjects | join(\", \") }}\n{% for f in type.fields[:3] %}\n// {{ f.ident }}: {{ f.type_expr }}{{ \" = \" ~ f.default_expr if f.default_expr is not none else \"\" }}\n{% endfor %}",
    )
    .unwrap();
    let (code, out, err) = run(ws.path(), &["generate", "java"]);
    assert_eq!(code, 0, "{out}{err}");
    let pkg = ws.path().join("generated/java/schemapipe_events");
    let sink = std::fs::read_to_string(pkg.join("com/acme/kitchen/Sink.java")).unwrap();
    assert_eq!(
        sink,
        format!(
            "// Generated by schemapipe {}\n// record schemapipe_events.com.acme.kitchen.Sink -> kitchen.sink-value\n// from: java.lang.String\n// class_: java.lang.Integer = null\n// flag: boolean = false\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    // The other templates were not overridden: a fixed's class, the adapter, the runtime.
    assert!(std::fs::read_to_string(pkg.join("com/acme/kitchen/Hash.java"))
        .unwrap()
        .contains("public static final int SIZE = 4;"));
    assert!(std::fs::read_to_string(pkg.join("com/acme/kitchen/SinkAdapter.java"))
        .unwrap()
        .contains("public abstract schemapipe_events.com.acme.kitchen.Sink adapt(S source);"));
    assert!(std::fs::read_to_string(pkg.join("SchemapipeRuntime.java")).unwrap().contains("frame("));

    // A part the class templates share is overridden alike.
    std::fs::remove_file(dir.join("record.java.j2")).unwrap();
    let macros = include_str!("../templates/java/macros.java.j2")
        .replace("/** The subjects it is published under. */", "/** Published under these subjects. */");
    std::fs::write(dir.join("macros.java.j2"), macros).unwrap();
    assert_eq!(run(ws.path(), &["generate", "java"]).0, 0);
    let sink = std::fs::read_to_string(pkg.join("com/acme/kitchen/Sink.java")).unwrap();
    assert!(sink.contains("    /** Published under these subjects. */\n    public static final java.util.List<java.lang.String> SUBJECTS = java.util.List.of(\"kitchen.sink-value\");\n"), "{sink}");

    std::fs::write(dir.join("enum.java.j2"), "line one\n{{ type.no_such_key }}\n").unwrap();
    let (code, _, err) = run(ws.path(), &["generate", "java"]);
    assert_eq!(code, 2);
    assert!(err.contains("enum.java.j2, line 2"), "{err}");
}

/// javac writes a class file per nested class, named `Outer$Union$Branch.class`: a union's
/// sealed interface and its branches' records get names short enough for that file (255
/// bytes) even in a class of a 200-byte name, with a field of a 200-byte name, holding a
/// record of a 255-byte name; a branch is never named like the class it is declared in; an
/// array of the empty union compiles. Each compiles and writes avro's bytes.
#[test]
fn nested_classes_of_long_names_compile_and_write_avros_bytes() {
    let outer = format!("N{}", "n".repeat(199));
    let long = format!("R{}", "x".repeat(254));
    let field = format!("f{}", "g".repeat(199));
    let other = r#"{"type": "record", "name": "Other", "fields": [{"name": "b", "type": "string"}]}"#;
    let wide = format!(
        r#"{{"type": "record", "name": "{outer}", "namespace": "t", "fields": [
            {{"name": "choice", "type": [{{"type": "record", "name": "{long}", "fields": [{{"name": "a", "type": "int"}}]}}, {other}, "int"]}},
            {{"name": "{field}", "type": ["int", "string", {{"type": "array", "items": ["long", "double", "Other", {{"type": "map", "values": ["boolean", "bytes"]}}]}}]}},
            {{"name": "none", "type": {{"type": "array", "items": []}}}}
        ]}}"#
    );
    let same = format!(
        r#"{{"type": "record", "name": "OfOther", "namespace": "u", "fields": [{{"name": "c", "type": [{other}, "int"]}}, {{"name": "d", "type": ["null", "u.OfOther", "long"], "default": null}}]}}"#
    );
    let cases = [
        Case::new(0, &format!("t/{outer}.avsc"), &wide).expect("a valid schema"),
        Case::new(1, "u/OfOther.avsc", &same).expect("a valid schema"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let o = check(&cases, &mut Rng::new(5), tmp.path(), None);
    report("long nested names", cases.len(), &o);
}

/// A field, an enum symbol or a class named `java` or like the first part of `--package`
/// would hide the package in the generated code's fully qualified names (a variable or type
/// wins over a package in Java): they get `_`. Each compiles and writes avro's bytes.
#[test]
fn names_that_would_hide_a_package_compile_and_write_avros_bytes() {
    // Case `i` is generated into the package `t000i`.
    let fields = r#"{"type": "record", "name": "Hiding", "fields": [
        {"name": "java", "type": "int"},
        {"name": "t0000", "type": "string"},
        {"name": "lang", "type": {"type": "enum", "name": "Lang", "symbols": ["java", "t0000", "kotlin"]}}
    ]}"#;
    let class = r#"{"type": "record", "name": "t0001", "fields": [{"name": "x", "type": "long"}]}"#;
    let runtime = r#"{"type": "record", "name": "R1", "namespace": "SchemapipeRuntime", "fields": [{"name": "x", "type": "int"}]}"#;
    let cases = [
        Case::new(0, "Hiding.avsc", fields).expect("a valid schema"),
        Case::new(1, "t0001.avsc", class).expect("a valid schema"),
        Case::new(2, "SchemapipeRuntime/R1.avsc", runtime).expect("a valid schema"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let o = check(&cases, &mut Rng::new(8), tmp.path(), None);
    report("names hiding a package", cases.len(), &o);
}

/// Defaults are made when a record is built, for the fields not set: a default holding a
/// record of its own type (`{"kids": [{"kids": []}]}`) builds once, not forever.
#[test]
fn a_default_holding_its_own_record_type_builds() {
    let text = r#"{"type": "record", "name": "Tree", "fields": [
        {"name": "kids", "type": {"type": "array", "items": "Tree"}, "default": [{"kids": []}]}
    ]}"#;
    let c = Case::new(0, "Tree.avsc", text).expect("a valid schema");
    let filled = Datum::Record(vec![Datum::Array(vec![Datum::Record(vec![Datum::Array(Vec::new())])])]);
    let build = |pkg: &str| format!("{pkg}.Tree.builder().build()");
    let tmp = tempfile::tempdir().unwrap();
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), tmp.path(), Some((&[filled], &build)));
    report("recursive default", 1, &o);
}

/// A default Java's types cannot hold is left out (the field must be set), never a builder
/// that throws: a time of day outside one day, a timestamp at the long's limit, bytes that
/// are no big-decimal. Random values (every field set) compile and write avro's bytes.
#[test]
fn defaults_java_cannot_hold_are_left_out() {
    let text = r#"{"type": "record", "name": "Odd", "fields": [
        {"name": "t", "type": {"type": "int", "logicalType": "time-millis"}, "default": 86400000},
        {"name": "u", "type": {"type": "long", "logicalType": "time-micros"}, "default": -1},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": -9223372036854775808},
        {"name": "b", "type": {"type": "bytes", "logicalType": "big-decimal"}, "default": "\u00ff"},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}, "default": "not-a-uuid"},
        {"name": "fx", "type": {"type": "fixed", "name": "F4", "size": 4}, "default": "ab"},
        {"name": "inner", "type": {"type": "record", "name": "In", "fields": [
            {"name": "t", "type": {"type": "int", "logicalType": "time-millis"}, "default": -5}
        ]}, "default": {}},
        {"name": "ok", "type": {"type": "int", "logicalType": "time-millis"}, "default": 86399999}
    ]}"#;
    let c = Case::new(0, "Odd.avsc", text).expect("a valid schema");
    let tmp = tempfile::tempdir().unwrap();
    let o = check(std::slice::from_ref(&c), &mut Rng::new(3), tmp.path(), None);
    report("defaults left out", 1, &o);
    let src = std::fs::read_to_string(tmp.path().join("src/t0000/Odd.java")).unwrap();
    // Fields 0-6 (`t`, `u`, `ts`, `b`, a uuid not in its text form, a fixed's default of
    // another size, a record default whose field left out takes a default Java cannot hold)
    // have no default in Java; field 7 keeps its own.
    for i in 0..7 {
        assert!(!src.contains(&format!("if (!this.set$[{i}])")), "field {i} kept its default:\n{src}");
    }
    assert!(
        src.contains("if (!this.set$[7]) {\n                this.ok = t0000.SchemapipeRuntime.timeOfMillis(86399999);"),
        "{src}"
    );
}

/// A default as deep as the types Java generates is kept: an array 70 levels deep takes its
/// default (the shared model once typed defaults to 64 levels only), compiles and writes avro's
/// bytes.
#[test]
fn a_default_70_levels_deep_is_kept() {
    let depth = 70;
    let mut ty = r#""int""#.to_string();
    let mut default = "7".to_string();
    for _ in 0..depth {
        ty = format!(r#"{{"type": "array", "items": {ty}}}"#);
        default = format!("[{default}]");
    }
    let text = format!(
        r#"{{"type": "record", "name": "Deep", "fields": [{{"name": "a", "type": {ty}, "default": {default}}}]}}"#
    );
    let c = Case::new(0, "Deep.avsc", &text).expect("a valid schema");
    let tmp = tempfile::tempdir().unwrap();
    let o = check(std::slice::from_ref(&c), &mut Rng::new(5), tmp.path(), None);
    report("deep default", 1, &o);
    let src = std::fs::read_to_string(tmp.path().join("src/t0000/Deep.java")).unwrap();
    assert!(src.contains("if (!this.set$[0])"), "the field lost its default:\n{src}");
    assert_eq!(src.matches(".add(").count(), depth, "{src}");
}

/// A union's default belongs to the first branch it is a value of (Avro 1.12 takes any
/// branch, as the other targets do): `"hello"` of `["null", "string"]` is the string, not
/// null; `5` of `["string", "long"]` is the long.
#[test]
fn a_union_default_of_a_later_branch_is_that_branch() {
    let text = r#"{"type": "record", "name": "Later", "fields": [
        {"name": "u", "type": ["null", "string"], "default": "hello"},
        {"name": "s", "type": ["string", "long"], "default": 5}
    ]}"#;
    let c = Case::new(0, "Later.avsc", text).expect("a valid schema");
    let filled = Datum::Record(vec![
        Datum::Union(1, Box::new(Datum::Str("hello".into()))),
        Datum::Union(1, Box::new(Datum::Long(5))),
    ]);
    let build = |pkg: &str| format!("{pkg}.Later.builder().build()");
    let tmp = tempfile::tempdir().unwrap();
    let o = check(std::slice::from_ref(&c), &mut Rng::new(1), tmp.path(), Some((&[filled], &build)));
    report("later union branch default", 1, &o);
}

/// A float's default may be `"NaN"`, `"Infinity"` or `"-Infinity"` (Avro 1.12): the builder
/// takes it as Java's constant, and the class compiles and writes avro's bytes.
#[test]
fn float_defaults_of_nan_and_infinities_are_java_constants() {
    let text = r#"{"type": "record", "name": "Floats", "fields": [
        {"name": "f", "type": "float", "default": "NaN"},
        {"name": "d", "type": "double", "default": "Infinity"},
        {"name": "g", "type": "double", "default": "-Infinity"}
    ]}"#;
    let c = Case::new(0, "Floats.avsc", text).expect("a valid schema");
    let tmp = tempfile::tempdir().unwrap();
    let o = check(std::slice::from_ref(&c), &mut Rng::new(2), tmp.path(), None);
    report("float defaults", 1, &o);
    let src = std::fs::read_to_string(tmp.path().join("src/t0000/Floats.java")).unwrap();
    for expr in [
        "this.f = java.lang.Float.NaN;",
        "this.d = java.lang.Double.POSITIVE_INFINITY;",
        "this.g = java.lang.Double.NEGATIVE_INFINITY;",
    ] {
        assert!(src.contains(expr), "{expr} missing:\n{src}");
    }
}
