//! Every target on every valid schema: each schema of the validity corpus (tests/corpus) and
//! random valid schemas (tests/python/random_schemas.py, a property test over fixed seeds, or
//! `SCHEMAPIPE_GEN_SEED`) is generated for `python`, `javascript` and `typescript`; the
//! generated code is imported (Python), loaded (Node.js) or checked with `tsc --strict
//! --noEmit` and compiled (TypeScript); then random values of each schema, encoded by the
//! generated runtime, must be byte for byte what the PyPI `avro` package writes for the same
//! union branches, and avro reads them back. `SCHEMAPIPE_GEN_CORPUS=<dir>` adds the `.avsc`
//! files under a directory to the corpus check (a workspace each, 20 values each). The oracles (Python with avro, Node.js, the pinned
//! TypeScript) are installed into `target/oracles` on first use; a test fails, never skips,
//! when they cannot be.

mod support {
    pub mod bin;
    pub mod oracles;
    pub mod typescript;
}

use std::path::Path;
use std::process::{Command, Stdio};
use support::bin::{repo_root, run};
use support::{oracles, typescript};

const TARGETS: [&str; 3] = ["python", "javascript", "typescript"];
const CONFIG: &str = "version: 1\nschemas:\n  root: schemas\n";

/// Runs a command with `input` on stdin; its stdout (it must succeed).
fn pipe(mut program: Command, args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = program
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program:?} could not start: {e}"));
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{program:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

fn script(dir: &str, name: &str) -> String {
    repo_root().join("tests").join(dir).join(name).to_str().unwrap().to_string()
}

fn report(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// What a check found: modules and values checked, and what failed.
struct Checked {
    modules: u64,
    values: u64,
    failures: Vec<String>,
}

impl Checked {
    fn of(r: serde_json::Value) -> Checked {
        let failures = r["failures"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
        Checked { modules: r["modules"].as_u64().unwrap(), values: r["values"].as_u64().unwrap(), failures }
    }

    /// (modules, values), asserting that nothing failed.
    fn passed(self, what: &str) -> (u64, u64) {
        assert!(self.failures.is_empty(), "{what}:\n{}", self.failures.join("\n"));
        (self.modules, self.values)
    }
}

/// Python: every module imports; samples encode to avro's bytes.
fn check_python(out: &Path, samples: usize) -> Checked {
    Checked::of(report(&pipe(
        oracles::python(),
        &[&script("python", "check_generated.py"), out.to_str().unwrap(), &samples.to_string()],
        "",
    )))
}

/// JavaScript modules under `out` (generated, or compiled from TypeScript with `mode` "ts").
fn check_js(out: &Path, samples: usize, mode: &str) -> Checked {
    let out = out.to_str().unwrap();
    let schemas = pipe(oracles::node(), &[&script("js", "dump_schemas.mjs"), out], "");
    let values =
        pipe(oracles::python(), &[&script("python", "js_samples.py"), &samples.to_string(), "logical"], &schemas);
    let mut checked =
        Checked::of(report(&pipe(oracles::node(), &[&script("js", "check_samples.mjs"), out, mode], &values)));
    checked.failures.iter_mut().for_each(|f| *f = format!("{mode}: {f}"));
    checked
}

/// TypeScript under `dir`: `tsc --strict --noEmit` reports nothing, then it is compiled into
/// `<dir>/../tsout` (an ES module package) and its samples checked.
fn check_ts(dir: &Path, samples: usize) -> Checked {
    let tsconfig = serde_json::json!({
        "compilerOptions": {"strict": true, "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
                            "lib": ["ES2022", "DOM"], "outDir": "../tsout", "rootDir": "."},
        "include": ["**/*.ts"]
    });
    std::fs::write(dir.join("tsconfig.json"), tsconfig.to_string()).unwrap();
    let ts = typescript::get();
    let project = dir.to_str().unwrap();
    let out = ts.tsc().args(["-p", project, "--strict", "--noEmit", "--pretty", "false"]).output().unwrap();
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let mut failures = Vec::new();
    if !out.status.success() || !shown.trim().is_empty() {
        failures.push(format!("tsc --strict --noEmit reported:\n{shown}"));
    }
    // Compiled even when tsc reports errors (it still emits), so that the samples are checked.
    let _ = ts.tsc().args(["-p", project, "--pretty", "false"]).output().unwrap();
    let compiled = dir.parent().unwrap().join("tsout");
    std::fs::write(compiled.join("package.json"), "{\"type\": \"module\"}\n").unwrap();
    let mut checked = check_js(&compiled, samples, "ts");
    failures.append(&mut checked.failures);
    checked.failures = failures;
    checked
}

/// Generates every target for the workspace `ws` into `<gen>/<target>` with `--package`; what
/// failed.
fn try_generate_all(ws: &Path, gen: &Path, package: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for target in TARGETS {
        let out = gen.join(target);
        let (code, stdout, err) =
            run(ws, &["generate", target, "--out", out.to_str().unwrap(), "--package", package, "-q"]);
        if code != 0 {
            failures.push(format!("generate {target} in {}:\n{stdout}{err}", ws.display()));
        }
    }
    failures
}

fn generate_all(ws: &Path, gen: &Path, package: &str) {
    let failures = try_generate_all(ws, gen, package);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The valid schemas of the corpus: (path under tests/corpus, text).
fn valid_corpus() -> Vec<(String, String)> {
    let dir = repo_root().join("tests/corpus");
    let tsv = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    tsv.lines()
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let (path, verdict) = (parts.next()?, parts.next()?);
            (verdict == "valid").then(|| (path.to_string(), std::fs::read_to_string(dir.join(path)).unwrap()))
        })
        .collect()
}

/// The simple names (lower case) of the named types a schema defines.
fn type_names(v: &serde_json::Value, out: &mut std::collections::HashSet<String>) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|x| type_names(x, out)),
        serde_json::Value::Object(m) => {
            let named = m
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| ["record", "error", "enum", "fixed"].contains(&t));
            if let (true, Some(name)) = (named, m.get("name").and_then(|n| n.as_str())) {
                out.insert(name.rsplit('.').next().unwrap_or(name).to_lowercase());
            }
            m.values().for_each(|x| type_names(x, out));
        }
        _ => {}
    }
}

/// The `.avsc` files under the directory `SCHEMAPIPE_GEN_CORPUS` names, when it is set: (path
/// under it, text). Valid schemas from elsewhere, checked like the corpus.
fn extra_corpus() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "avsc") {
                let rel = p.strip_prefix(root).unwrap().to_str().unwrap().to_string();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    if let Some(dir) = std::env::var_os("SCHEMAPIPE_GEN_CORPUS") {
        let dir = Path::new(&dir);
        assert!(dir.is_dir(), "SCHEMAPIPE_GEN_CORPUS={} is no directory", dir.display());
        walk(dir, dir, &mut out);
        assert!(!out.is_empty(), "no .avsc file under SCHEMAPIPE_GEN_CORPUS={}", dir.display());
    }
    out
}

#[test]
fn every_valid_schema_of_the_corpus_generates_and_encodes_as_avro_does_in_every_target() {
    let corpus = valid_corpus();
    assert!(corpus.len() >= 150, "{} valid schemas", corpus.len());
    let tmp = tempfile::tempdir().unwrap();
    let gen = tmp.path().join("gen");
    // The corpus repeats names: schemas go into workspaces where no two define a type of the
    // same simple name (ignoring case), a package each in one output directory per target, so
    // that each check runs once for all of them.
    let mut groups: Vec<(std::collections::HashSet<String>, Vec<usize>)> = Vec::new();
    for (i, (_, text)) in corpus.iter().enumerate() {
        let names = serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}')).ok().map(|v| {
            let mut names = std::collections::HashSet::new();
            type_names(&v, &mut names);
            names
        });
        let free = names.as_ref().and_then(|n| groups.iter_mut().find(|(g, _)| !g.contains("*") && g.is_disjoint(n)));
        match (free, names) {
            (Some((g, members)), Some(n)) => {
                g.extend(n);
                members.push(i);
            }
            // JSON with comments, which serde reads not: a workspace of its own.
            (_, n) => groups.push((n.unwrap_or_else(|| ["*".to_string()].into()), vec![i])),
        }
    }
    assert!(groups.len() < corpus.len() / 3, "{} workspaces", groups.len());
    // SCHEMAPIPE_GEN_CORPUS: more schemas, a workspace each (so that one that fails to
    // generate takes no other with it), and 20 values each.
    let extra = extra_corpus();
    let samples = if extra.is_empty() { 8 } else { 20 };
    let corpus: Vec<(String, String)> =
        corpus.into_iter().chain(extra.into_iter().map(|(p, t)| (format!("extra/{p}"), t))).collect();
    let first_extra = groups.iter().map(|(_, m)| m.len()).sum::<usize>();
    groups.extend((first_extra..corpus.len()).map(|i| (Default::default(), vec![i])));
    let mut failures = Vec::new();
    for (g, (_, members)) in groups.iter().enumerate() {
        let ws = tmp.path().join(format!("w{g}"));
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::write(ws.join("schemapipe.yaml"), CONFIG).unwrap();
        for &i in members {
            let (path, text) = &corpus[i];
            let file = ws.join("schemas").join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        for f in try_generate_all(&ws, &gen, &format!("c{g}")) {
            let files: Vec<&str> = members.iter().map(|&i| corpus[i].0.as_str()).collect();
            failures.push(format!("{files:?}: {f}"));
        }
    }
    let n = corpus.len() as u64;
    let python = check_python(&gen.join("python"), samples);
    let js = check_js(&gen.join("javascript"), samples, "js");
    let ts = check_ts(&gen.join("typescript"), samples);
    for checked in [&python, &js, &ts] {
        failures.extend(checked.failures.iter().cloned());
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(python.modules, n);
    assert!(python.values > n * (samples as u64 - 2), "{} values", python.values);
    assert_eq!(js.modules, n);
    assert_eq!(ts.modules, n);
}

#[test]
fn random_valid_schemas_generate_and_encode_as_avro_does_in_every_target() {
    let seeds: Vec<u64> = match std::env::var("SCHEMAPIPE_GEN_SEED") {
        Ok(s) => vec![s.parse().expect("SCHEMAPIPE_GEN_SEED is a number")],
        Err(_) => vec![1, 2, 3],
    };
    // All seeds in one workspace (a directory each), so each target is checked once.
    let count = 80;
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("schemapipe.yaml"), CONFIG).unwrap();
    for seed in &seeds {
        let dir = ws.join("schemas").join(format!("r{seed}"));
        pipe(
            oracles::python(),
            &[&script("python", "random_schemas.py"), &seed.to_string(), &count.to_string(), dir.to_str().unwrap()],
            "",
        );
    }
    let gen = tmp.path().join("gen");
    generate_all(&ws, &gen, "events");
    let n = (count * seeds.len()) as u64;
    assert_eq!(check_python(&gen.join("python"), 10).passed("python").0, n, "seeds {seeds:?}");
    assert_eq!(check_js(&gen.join("javascript"), 10, "js").passed("javascript").0, n, "seeds {seeds:?}");
    assert_eq!(check_ts(&gen.join("typescript"), 10).passed("typescript").0, n, "seeds {seeds:?}");
}

/// A workspace of the given schema files; generates `target` into `gen`.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("schemas")).unwrap();
    std::fs::write(tmp.path().join("schemapipe.yaml"), CONFIG).unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join("schemas").join(name), text).unwrap();
    }
    tmp
}

#[test]
fn a_float_goes_to_double_and_a_long_past_2_53_must_be_a_bigint() {
    let ws = workspace(&[("F.avsc", r#"["float", "double", "long", "null"]"#), ("L.avsc", r#""long""#)]);
    let gen = ws.path().join("gen");
    generate_all(ws.path(), &gen, "events");
    // Python: 0.1 is written as the double (index 1) it is, not rounded to a float.
    let code = "import sys; sys.path.insert(0, sys.argv[1]); from events.f import SCHEMA; \
                print(SCHEMA.encode(0.1).hex(), SCHEMA.encode(2**60).hex())";
    let py = pipe(oracles::python(), &["-c", code, gen.join("python").to_str().unwrap()], "");
    assert_eq!(py.trim(), format!("02{} 04{}", hex_le(0.1f64.to_le_bytes()), zigzag(1 << 60)));
    let js = gen.join("javascript/events/F.js");
    let code = format!(
        "const m = await import({:?}); const hex = (b) => Buffer.from(b).toString('hex'); \
         console.log(hex(m.SCHEMA.encode(0.1)), hex(m.SCHEMA.encode(2n ** 60n))); \
         const l = await import({:?}); \
         try {{ l.SCHEMA.encode(2 ** 60); console.log('accepted'); }} catch (e) {{ console.log(e.name); }} \
         console.log(hex(l.SCHEMA.encode(2n ** 60n)), hex(m.SCHEMA.encode(2 ** 60)));",
        url(&js),
        url(&gen.join("javascript/events/L.js"))
    );
    let out = pipe(oracles::node(), &["--input-type=module", "-e", &code], "");
    // A Number past 2^53 is no long (it has lost digits); in a union with `double` it is the
    // double it is.
    let double = hex_le((2f64).powi(60).to_le_bytes());
    assert_eq!(
        out,
        format!(
            "02{} 04{}\nEncodeError\n{} 02{double}\n",
            hex_le(0.1f64.to_le_bytes()),
            zigzag(1 << 60),
            zigzag(1 << 60)
        )
    );
}

#[test]
fn a_string_goes_to_the_string_branch_before_a_uuid_or_decimal_fixed() {
    let ws = workspace(&[(
        "U.avsc",
        r#"["null", {"type": "fixed", "name": "Id", "size": 16, "logicalType": "uuid"},
            {"type": "fixed", "name": "Amount", "size": 8, "logicalType": "decimal", "precision": 10, "scale": 0},
            "string"]"#,
    )]);
    let gen = ws.path().join("gen");
    generate_all(ws.path(), &gen, "events");
    let uuid = "123e4567-e89b-12d3-a456-426614174000";
    let js = gen.join("javascript/events/U.js");
    let code = format!(
        "const m = await import({:?}); const r = await import({:?}); \
         const hex = (b) => Buffer.from(b).toString('hex'); \
         console.log(hex(m.SCHEMA.encode({uuid:?})), hex(m.SCHEMA.encode('12')), \
         hex(m.SCHEMA.encode(r.branch('Id', {uuid:?}))));",
        url(&js),
        url(&gen.join("javascript/events/schemapipe_runtime.js"))
    );
    let out = pipe(oracles::node(), &["--input-type=module", "-e", &code], "");
    // As avro (and Java, for a String) writes them: branch 3, the string, for both strings;
    // the uuid fixed only when asked for by name.
    let string =
        |s: &str| format!("06{}{}", zigzag(s.len() as i64), s.bytes().map(|b| format!("{b:02x}")).collect::<String>());
    assert_eq!(out, format!("{} {} 02{}\n", string(uuid), string("12"), uuid.replace('-', "")));
}

fn url(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn hex_le(b: [u8; 8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn zigzag(n: i64) -> String {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    let mut out = String::new();
    while z > 0x7f {
        out.push_str(&format!("{:02x}", (z & 0x7f) | 0x80));
        z >>= 7;
    }
    out.push_str(&format!("{z:02x}"));
    out
}

#[test]
fn typescript_modules_check_strictly_and_the_adapter_writes_the_wire_format() {
    let ws = workspace(&[]);
    support::bin::copy_dir(&repo_root().join("tests/fixtures/generate/schemas"), &ws.path().join("schemas"));
    std::fs::copy(repo_root().join("tests/fixtures/generate/schemapipe.yaml"), ws.path().join("schemapipe.yaml"))
        .unwrap();
    let (code, out, err) = run(ws.path(), &["generate", "typescript", "--out", "gen"]);
    assert_eq!(code, 0, "{out}{err}");
    let pkg = ws.path().join("gen/schemapipe_events");
    assert!(pkg.join("tsconfig.json").is_file() && pkg.join("package.json").is_file());
    // The package's own tsconfig.json checks cleanly.
    let ts = typescript::get();
    let o = ts.tsc().args(["-p", pkg.to_str().unwrap(), "--noEmit", "--pretty", "false"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    // An adapter as a team writes it, type-checked with the modules and run.
    std::fs::write(
        pkg.join("use.ts"),
        r#"import { SinkAdapter, Sink } from "./com/acme/kitchen/Sink.js";
interface Row { id: string; cents: number }
class Orders extends SinkAdapter<Row> {
  adapt(row: Row): Sink {
    return {
      from: row.id, small: row.cents, ratio: 0.5, hash: new Uint8Array(4), day: new Date(0), at: 1n,
      local_at: 2, clock: 3, fine_clock: 4n, id: "8c1c5a1e-0000-4000-8000-000000000000",
      amount: { value: "12.345", exact: 1n },
      payload: { branch: "com.acme.kitchen.Refund", value: { reason: "late", kind: "CREDIT" } },
      status: "OK",
    };
  }
}
const bytes = new Orders(7).toBytes({ id: "a", cents: 12 });
console.log(Array.from(bytes.slice(0, 5)).join(","));
"#,
    )
    .unwrap();
    let o = ts.tsc().args(["-p", pkg.to_str().unwrap(), "--pretty", "false"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::write(pkg.join("dist/package.json"), "{\"type\": \"module\"}\n").unwrap();
    let out = pipe(oracles::node(), &[pkg.join("dist/use.js").to_str().unwrap()], "");
    assert_eq!(out, "0,0,0,0,7\n");
    // A value of the wrong branch is a type error.
    std::fs::write(pkg.join("use.ts"), "import { Sink } from \"./com/acme/kitchen/Sink.js\";\nexport const p: Sink[\"payload\"] = { branch: \"int\", value: 1 };\n").unwrap();
    let o = ts.tsc().args(["-p", pkg.to_str().unwrap(), "--noEmit", "--pretty", "false"]).output().unwrap();
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stdout).contains("use.ts"), "{o:?}");
    std::fs::remove_file(pkg.join("use.ts")).unwrap();
    std::fs::remove_dir_all(pkg.join("dist")).unwrap();
    let (code, out, _) = run(ws.path(), &["generate", "typescript", "--out", "gen", "--check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn logical_types_take_their_language_values_in_every_target() {
    let schema = r#"{"type": "record", "name": "L", "fields": [
        {"name": "dur", "type": {"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}},
        {"name": "bd", "type": {"type": "bytes", "logicalType": "big-decimal"}},
        {"name": "uf", "type": {"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"}},
        {"name": "lt", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "tn", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
        {"name": "dec", "type": ["null", {"type": "fixed", "name": "M", "size": 4, "logicalType": "decimal", "precision": 9, "scale": 2}]}
    ]}"#;
    let ws = workspace(&[("L.avsc", schema)]);
    let gen = ws.path().join("gen");
    generate_all(ws.path(), &gen, "events");
    // duration 1/2/3; -12.345 as Java's BigDecimal conversion writes it (unscaled bytes cfc7,
    // scale 3, inside bytes); the uuid's 16 bytes; 1,001,000 µs; 10^9 ns; 1.50 as 150 in 4 bytes.
    let expected = format!(
        "010000000200000003000000{}{}{}{}{}",
        "0804cfc706",
        "00112233445566778899aabbccddeeff",
        zigzag(1_001_000),
        zigzag(1_000_000_000),
        "0200000096"
    );
    let code = "import sys, datetime, decimal, uuid; sys.path.insert(0, sys.argv[1]); from events.l import SCHEMA; \
                print(SCHEMA.encode({'dur': (1, 2, 3), 'bd': decimal.Decimal('-12.345'), \
                'uf': uuid.UUID('00112233-4455-6677-8899-aabbccddeeff'), \
                'lt': datetime.datetime(1970, 1, 1, 0, 0, 1, 1000), \
                'tn': datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.timezone.utc), \
                'dec': decimal.Decimal('1.50')}).hex())";
    let py = pipe(oracles::python(), &["-c", code, gen.join("python").to_str().unwrap()], "");
    assert_eq!(py.trim(), expected, "python");
    let value = "{ dur: { months: 1, days: 2, milliseconds: 3 }, bd: \"-12.345\", \
                 uf: \"00112233-4455-6677-8899-aabbccddeeff\", lt: new Date(1001), tn: new Date(1000), dec: \"1.50\" }";
    let code = format!(
        "const m = await import({:?}); console.log(Buffer.from(m.SCHEMA.encode({value})).toString('hex'));",
        url(&gen.join("javascript/events/L.js"))
    );
    assert_eq!(pipe(oracles::node(), &["--input-type=module", "-e", &code], "").trim(), expected, "javascript");
    // TypeScript: the same values, type-checked against the module's types, compiled and run.
    let dir = gen.join("typescript/events");
    std::fs::write(
        dir.join("use.ts"),
        format!("import {{ SCHEMA, L }} from \"./L.js\";\nconst v: L = {value};\nconsole.log(Array.from(SCHEMA.encode(v), (b) => b.toString(16).padStart(2, \"0\")).join(\"\"));\n"),
    )
    .unwrap();
    let ts = typescript::get();
    let o = ts.tsc().args(["-p", dir.to_str().unwrap(), "--pretty", "false"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::write(dir.join("dist/package.json"), "{\"type\": \"module\"}\n").unwrap();
    assert_eq!(pipe(oracles::node(), &[dir.join("dist/use.js").to_str().unwrap()], "").trim(), expected, "typescript");
}

#[test]
fn a_dict_goes_to_the_record_with_the_most_of_its_fields() {
    let ws = workspace(&[(
        "ab.avsc",
        r#"[{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":1}]},
            {"type":"record","name":"B","fields":[{"name":"x","type":"int","default":1},{"name":"y","type":"int","default":2}]}]"#,
    )]);
    let gen = ws.path().join("gen");
    generate_all(ws.path(), &gen, "events");
    let code = "import sys; sys.path.insert(0, sys.argv[1]); from events.ab import SCHEMA; \
                print(SCHEMA.encode({'x': 3}).hex(), SCHEMA.encode({'x': 3, 'y': 4}).hex(), SCHEMA.encode({}).hex())";
    let py = pipe(oracles::python(), &["-c", code, gen.join("python").to_str().unwrap()], "");
    assert_eq!(py, "0006 020608 0002\n");
    let code = format!(
        "const m = await import({:?}); const h = (b) => Buffer.from(b).toString('hex'); \
         console.log(h(m.SCHEMA.encode({{x: 3}})), h(m.SCHEMA.encode({{x: 3, y: 4}})), h(m.SCHEMA.encode({{}})));",
        url(&gen.join("javascript/events/Ab.js"))
    );
    assert_eq!(pipe(oracles::node(), &["--input-type=module", "-e", &code], ""), "0006 020608 0002\n");
}

#[test]
fn a_bytes_default_longer_than_a_call_takes_arguments_loads_and_is_written() {
    // 70,000 bytes: more than the 65,535 arguments a JavaScript call takes.
    let schema = format!(
        r#"{{"type": "record", "name": "Blob", "fields": [{{"name": "data", "type": "bytes", "default": "{}"}}]}}"#,
        "a".repeat(70_000)
    );
    let ws = workspace(&[("Blob.avsc", &schema)]);
    let gen = ws.path().join("gen");
    generate_all(ws.path(), &gen, "events");
    let expected = format!("{}{}\n", zigzag(70_000), "61".repeat(70_000));
    let code = |module: &Path| {
        format!(
            "const m = await import({:?}); console.log(Buffer.from(m.SCHEMA.encode({{}})).toString('hex'));",
            url(module)
        )
    };
    let js = code(&gen.join("javascript/events/Blob.js"));
    assert!(pipe(oracles::node(), &["--input-type=module", "-e", &js], "") == expected, "javascript");
    let dir = gen.join("typescript/events");
    let ts = typescript::get();
    let o = ts.tsc().args(["-p", dir.to_str().unwrap(), "--pretty", "false"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::write(dir.join("dist/package.json"), "{\"type\": \"module\"}\n").unwrap();
    let ts = code(&dir.join("dist/Blob.js"));
    assert!(pipe(oracles::node(), &["--input-type=module", "-e", &ts], "") == expected, "typescript");
    let py =
        "import sys; sys.path.insert(0, sys.argv[1]); from events.blob import SCHEMA; print(SCHEMA.encode({}).hex())";
    assert!(pipe(oracles::python(), &["-c", py, gen.join("python").to_str().unwrap()], "") == expected, "python");
}

/// An enum symbol `__proto__` is a property of the TypeScript (and JavaScript) symbols
/// object, not its prototype: `Sym.__proto__` is the symbol and writes as index 0.
#[test]
fn an_enum_symbol_named_proto_is_a_symbol_in_typescript() {
    let ws = workspace(&[("Sym.avsc", r#"{"type": "enum", "name": "Sym", "symbols": ["__proto__", "A"]}"#)]);
    let (code, out, err) = run(ws.path(), &["generate", "typescript", "--out", "gen"]);
    assert_eq!(code, 0, "{out}{err}");
    let pkg = ws.path().join("gen/schemapipe_events");
    std::fs::write(
        pkg.join("use.ts"),
        "import { Sym, SCHEMA } from \"./Sym.js\";\nconst s: Sym = Sym.__proto__;\nconsole.log(JSON.stringify(Object.keys(Sym)), s, Array.from(SCHEMA.encode(s)).join(\",\"));\n",
    )
    .unwrap();
    let o = typescript::get().tsc().args(["-p", pkg.to_str().unwrap(), "--pretty", "false"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::write(pkg.join("dist/package.json"), "{\"type\": \"module\"}\n").unwrap();
    let out = pipe(oracles::node(), &[pkg.join("dist/use.js").to_str().unwrap()], "");
    assert_eq!(out, "[\"__proto__\",\"A\"] __proto__ 0\n");
}

/// A field left out of a dict (Python) or plain object (JavaScript, TypeScript) takes its
/// default: a union's default as the first branch it fits (Avro 1.12 takes any branch), a
/// fixed's from its string, a double's `"NaN"` as NaN. The bytes are avro's.
#[test]
fn a_field_left_out_takes_its_default_of_any_union_branch() {
    let schema = r#"{"type": "record", "name": "D", "fields": [
        {"name": "u", "type": ["null", "string"], "default": "hi"},
        {"name": "f", "type": ["null", {"type": "fixed", "name": "F2", "size": 2}], "default": "ab"},
        {"name": "n", "type": "double", "default": "NaN"},
        {"name": "l", "type": ["string", "long"], "default": 5}
    ]}"#;
    let ws = workspace(&[("D.avsc", schema)]);
    let gen = ws.path().join("gen");
    generate_all(ws.path(), &gen, "events");
    let want = "02046869026162000000000000f87f020a";
    let code =
        "import sys; sys.path.insert(0, sys.argv[1]); from events.d import SCHEMA; print(SCHEMA.encode({}).hex())";
    let py = pipe(oracles::python(), &["-c", code, gen.join("python").to_str().unwrap()], "");
    assert_eq!(py.trim(), want);
    let code = format!(
        "const m = await import({:?}); console.log(Buffer.from(m.SCHEMA.encode({{}})).toString('hex'));",
        url(&gen.join("javascript/events/D.js"))
    );
    let js = pipe(oracles::node(), &["--input-type=module", "-e", &code], "");
    assert_eq!(js.trim(), want);
    // avro reads the bytes back as the defaults.
    let code = "import avro.schema, avro.io, io, sys, math\n\
                s = avro.schema.parse(sys.argv[1])\n\
                d = avro.io.DatumReader(s).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(sys.argv[2]))))\n\
                print(d['u'], d['f'], math.isnan(d['n']), d['l'])";
    let read = pipe(oracles::python(), &["-c", code, schema, want], "");
    assert_eq!(read.trim(), "hi b'ab' True 5");
}
