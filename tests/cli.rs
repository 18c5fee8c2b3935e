//! Tests of the real binary: every exit code, both formats, the documented errors.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary with a cleared environment, in `dir`, at a fixed width and without colour.
fn sp(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("schemapipe").unwrap();
    c.env_clear().env("COLUMNS", "80").env("NO_COLOR", "1").current_dir(dir);
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = sp(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", r.stdout))
}

fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

macro_rules! snap {
    ($name:expr, $run:expr, $tmp:expr) => {{
        let r = &$run;
        let mut settings = insta::Settings::clone_current();
        settings.add_filter(&regex_escape(&$tmp.to_string_lossy()), "[TMP]");
        settings.bind(|| {
            insta::assert_snapshot!(
                $name,
                format!("exit: {}\n--- stdout\n{}--- stderr\n{}", r.code, r.stdout, r.stderr)
            );
        });
    }};
}

fn regex_escape(s: &str) -> String {
    s.chars().fold(String::new(), |mut o, c| {
        if "\\.+*?()|[]{}^$".contains(c) {
            o.push('\\');
        }
        o.push(c);
        o
    })
}

#[test]
fn bundled_schemas_are_valid() {
    let r = run(&repo_root(), &["validate"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no problems"), "{}", r.stdout);
    let r = run(&repo_root(), &["validate", "--format", "json"]);
    let doc = json(&r);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    assert!(doc["summary"]["files"].as_u64().unwrap() >= 20);
}

#[test]
fn mistakes_example_reports_every_planted_mistake() {
    let dir = repo_root().join("examples/mistakes");
    let r = run(&dir, &["validate"]);
    assert_eq!(r.code, 1);
    snap!("mistakes_human", r, dir);
    let r = run(&dir, &["validate", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    let mut c = codes(&doc);
    c.sort();
    assert_eq!(
        c,
        [
            "duplicate-field",
            "invalid-default",
            "invalid-enum-default",
            "invalid-logical-type",
            "redefined-name",
            "undefined-name"
        ]
    );
    for f in doc["findings"].as_array().unwrap() {
        assert!(f["line"].as_u64().unwrap() > 0 && f["column"].as_u64().unwrap() > 0, "{f}");
        assert!(f["file"].as_str().unwrap().starts_with("schemas/com/example/shop/"), "{f}");
        assert_eq!(f["kind"], "spec");
    }
    insta::assert_json_snapshot!("mistakes_json", doc);
}

#[test]
fn single_file_outside_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Ping.avsc", r#"{"type": "record", "name": "Ping", "fields": [{"name": "at", "type": "long"}]}"#);
    let r = run(tmp.path(), &["validate", "Ping.avsc"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("1 file checked: no problems"));
}

#[test]
fn malformed_json_is_a_finding_with_a_position() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "bad.avsc", "{\n  \"type\": \"record\",\n  \"name\": \"X\",\n  \"fields\": [],\n}\n");
    let r = run(tmp.path(), &["validate", "bad.avsc", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    let f = &doc["findings"][0];
    assert_eq!(f["code"], "invalid-json");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(5), Some(1)));
    assert_eq!(f["file"], "bad.avsc");
    let r = run(tmp.path(), &["validate", "bad.avsc"]);
    snap!("malformed_json_human", r, tmp.path());
}

#[test]
fn cross_file_names_resolve_when_one_path_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "schemapipe.yaml", "version: 1\nschemas:\n  root: avro\n");
    write(tmp.path(), "avro/c/Money.avsc", r#"{"type": "record", "name": "Money", "namespace": "c", "fields": []}"#);
    write(
        tmp.path(),
        "avro/p/Pay.avsc",
        r#"{"type": "record", "name": "Pay", "namespace": "p", "fields": [{"name": "m", "type": "c.Money"}]}"#,
    );
    write(tmp.path(), "avro/p/Broken.avsc", r#"{"type": "record", "name": "Broken", "namespace": "p"}"#);
    let r = run(tmp.path(), &["validate", "avro/p/Pay.avsc", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["summary"]["files"], 1);
    // From a subdirectory the config is found by walking up.
    let r = run(&tmp.path().join("avro/p"), &["validate", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(codes(&json(&r)), ["missing-fields"]);
    assert_eq!(json(&r)["findings"][0]["file"], "Broken.avsc");
}

#[test]
fn exclude_globs_skip_files() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "schemapipe.yaml", "schemas:\n  root: schemas\n  exclude: [\"legacy/**\"]\n");
    write(tmp.path(), "schemas/ok/A.avsc", r#""int""#);
    write(tmp.path(), "schemas/legacy/B.avsc", r#"{"#);
    assert_eq!(run(tmp.path(), &["validate"]).code, 0);
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(tmp.path(), &["validate"]);
    assert_eq!(r.code, 2);
    snap!("no_schemas", r, tmp.path());
    let r = run(tmp.path(), &["validate", "missing.avsc"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    assert_eq!(run(tmp.path(), &["validate", "--config", "nope.yaml", "x"]).code, 2);
    assert_eq!(run(tmp.path(), &["validate", "--format", "xml"]).code, 2);
    assert_eq!(run(tmp.path(), &["frobnicate"]).code, 2);
    assert_eq!(run(tmp.path(), &[]).code, 2);
    assert_eq!(run(tmp.path(), &["--help"]).code, 0);
    assert_eq!(run(tmp.path(), &["--version"]).code, 0);
}

#[test]
fn config_errors_point_into_the_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "schemapipe.yaml", "version: 1\nschemas:\n  roots: schemas\n");
    write(tmp.path(), "schemas/A.avsc", r#""int""#);
    let r = run(tmp.path(), &["validate"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `root`?"), "{}", r.stderr);
    snap!("config_unknown_key", r, tmp.path());
    write(tmp.path(), "schemapipe.yaml", "schemas:\n  root: nowhere\n");
    let r = run(tmp.path(), &["validate"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a directory"), "{}", r.stderr);
}

#[test]
fn fingerprint_command() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "foo.avsc", r#"{"fields":[], "type":"record", "name":"foo", "namespace":"x.y", "doc": "d"}"#);
    let r = run(tmp.path(), &["fingerprint", "foo.avsc", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let doc = json(&r);
    assert_eq!(doc["canonical_form"], r#"{"name":"x.y.foo","type":"record","fields":[]}"#);
    assert_eq!(doc["fingerprints"]["rabin_i64"], 5916914534497305771i64);
    assert_eq!(doc["name"], "x.y.foo");
    let r = run(tmp.path(), &["fingerprint", "foo.avsc"]);
    snap!("fingerprint_human", r, tmp.path());
    write(tmp.path(), "bad.avsc", r#"{"type": "fixed", "name": "F"}"#);
    let r = run(tmp.path(), &["fingerprint", "bad.avsc", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(codes(&json(&r)), ["invalid-size"]);
    assert_eq!(run(tmp.path(), &["fingerprint", "."]).code, 2);
}

#[test]
fn warnings_do_not_fail_and_quiet_hides_them() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "d.avsc", r#"{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3}"#);
    let r = run(tmp.path(), &["validate", "d.avsc"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("warning[invalid-logical-type]"), "{}", r.stdout);
    let r = run(tmp.path(), &["validate", "d.avsc", "-q"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

/// Hostile input: each is answered with a finding (or accepted) in bounded time and memory.
#[test]
fn hostile_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "deep-array.avsc", "[".repeat(100_000));
    write(d, "deep-object.avsc", "{\"type\":".repeat(100_000));
    let deep_schema = format!("{}\"int\"{}", "{\"type\":\"array\",\"items\":".repeat(100_000), "}".repeat(100_000));
    write(d, "deep-schema.avsc", deep_schema);
    let fields: Vec<String> = (0..50_000).map(|i| format!("{{\"name\":\"f{i}\",\"type\":\"int\"}}")).collect();
    write(
        d,
        "many-fields.avsc",
        format!("{{\"type\":\"record\",\"name\":\"Wide\",\"fields\":[{}]}}", fields.join(",")),
    );
    let dup: Vec<String> = (0..50_000).map(|_| "{\"name\":\"f\",\"type\":\"int\"}".to_string()).collect();
    write(
        d,
        "many-dup-fields.avsc",
        format!("{{\"type\":\"record\",\"name\":\"Dup\",\"fields\":[{}]}}", dup.join(",")),
    );
    write(
        d,
        "huge-name.avsc",
        format!("{{\"type\":\"record\",\"name\":\"N{}\",\"fields\":[]}}", "a".repeat(1_000_000)),
    );
    write(
        d,
        "huge-bad-name.avsc",
        format!("{{\"type\":\"record\",\"name\":\"N{}-\",\"fields\":[]}}", "a".repeat(1_000_000)),
    );
    write(d, "huge-unknown-ref.avsc", format!("{{\"type\":\"array\",\"items\":\"N{}\"}}", "b".repeat(1_000_000)));
    write(d, "latin1.avsc", b"{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"CAF\xC9\"]}".as_slice());
    write(d, "nul.avsc", b"{\"type\":\"int\"\x00}".as_slice());
    write(d, "binary.avsc", (0u8..=255).cycle().take(4096).collect::<Vec<u8>>());
    write(d, "utf16.avsc", b"\xFF\xFE\"\x00i\x00n\x00t\x00\"\x00".as_slice());
    write(d, "empty.avsc", "");
    let r = run(d, &["validate", ".", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    let by_file = |name: &str| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == name)
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by_file("deep-array.avsc"), ["nesting-too-deep"]);
    assert_eq!(by_file("deep-object.avsc"), ["nesting-too-deep"]);
    assert_eq!(by_file("deep-schema.avsc"), ["nesting-too-deep"]);
    assert!(by_file("many-fields.avsc").is_empty());
    assert_eq!(by_file("many-dup-fields.avsc").len(), 49_999);
    assert!(by_file("huge-name.avsc").is_empty());
    assert_eq!(by_file("huge-bad-name.avsc"), ["invalid-name"]);
    assert_eq!(by_file("huge-unknown-ref.avsc"), ["undefined-name"]);
    assert_eq!(by_file("latin1.avsc"), ["invalid-utf8"]);
    assert_eq!(by_file("nul.avsc"), ["invalid-json"]);
    assert_eq!(by_file("binary.avsc"), ["invalid-utf8"]);
    assert_eq!(by_file("utf16.avsc"), ["unsupported-encoding"]);
    assert_eq!(by_file("empty.avsc"), ["invalid-json"]);
    for f in doc["findings"].as_array().unwrap() {
        assert!(f["line"].as_u64().is_some() && f["column"].as_u64().is_some(), "{f}");
        assert!(f["message"].as_str().unwrap().len() < 600, "message too long: {f}");
    }
    // Human output of the same run stays bounded too.
    let r = run(d, &["validate", "."]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.len() < 2_000_000, "{}", r.stdout.len());
    assert!(r.stdout.contains("more findings not shown in full"), "a flood is summarised");
    assert!(r.stdout.contains("error[duplicate-field]"), "and counted by code");
}

#[test]
fn oversized_files_are_refused_before_reading_them_whole() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "schemapipe.yaml", "limits:\n  max_file_bytes: 100\n");
    write(tmp.path(), "schemas/Big.avsc", format!("\"{}\"", "x".repeat(500)));
    let r = run(tmp.path(), &["validate", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(codes(&json(&r)), ["file-too-large"]);
}

#[test]
fn ci_formats_for_jenkins_github_and_code_scanning() {
    let dir = repo_root().join("examples/mistakes");
    let r = run(&dir, &["validate", "--format", "junit"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("<?xml"), "{}", r.stdout);
    assert!(r.stdout.contains("tests=\"6\" failures=\"4\""), "{}", r.stdout);
    insta::assert_snapshot!("mistakes_junit", r.stdout);
    let r = run(&dir, &["validate", "--format", "github"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().filter(|l| l.starts_with("::error file=")).count(), 5);
    assert_eq!(r.stdout.lines().filter(|l| l.starts_with("::warning file=")).count(), 1);
    insta::assert_snapshot!("mistakes_github", r.stdout);
    let r = run(&dir, &["validate", "--format", "sarif"]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 6);
    assert_eq!(doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 21);
    // A clean run is a passing JUnit suite.
    let r = run(&repo_root(), &["validate", "--format", "junit"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("failures=\"0\""), "{}", r.stdout);
}

#[test]
fn rules_are_listed_and_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(tmp.path(), &["rules", "--format", "json"]);
    assert_eq!(r.code, 0);
    let doc = json(&r);
    let rules = doc["rules"].as_array().unwrap();
    assert!(rules.len() >= 30, "{} rules", rules.len());
    for rule in rules {
        let docs = rule["docs"].as_str().unwrap();
        assert!(
            docs.contains("## What it does") && docs.contains("## Why is this bad?") && docs.contains("Use instead:"),
            "{rule}"
        );
        for key in ["code", "category", "default_severity", "preset", "summary"] {
            assert!(rule[key].is_string(), "{key} in {rule}");
        }
    }
    let r = run(tmp.path(), &["rules"]);
    assert!(r.stdout.starts_with("CODE"), "{}", r.stdout);
    insta::assert_snapshot!("rules_table", r.stdout);
    let r = run(tmp.path(), &["rules", "float-for-money"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("# float-for-money"), "{}", r.stdout);
    let r = run(tmp.path(), &["rules", "float-for-mony"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `float-for-money`?"), "{}", r.stderr);
}

#[test]
fn lint_reports_planted_problems_and_nothing_on_governed_schemas() {
    // The bundled schemas are well governed: no finding at all.
    let r = run(&repo_root(), &["lint", "schemas", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["findings"].as_array().unwrap().len(), 0, "{}", r.stdout);
    // Problems planted in a copy of one of them, linted with no config.
    let tmp = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(repo_root().join("schemas/com/acme/users/UserSignedUp.avsc")).unwrap();
    let planted = good.replacen("\"name\": \"user_id\"", "\"name\": \"userId\"", 1);
    assert_ne!(planted, good);
    write(tmp.path(), "schemas/com/acme/users/UserSignedUp.avsc", &planted);
    for dep in ["common/EventHeader", "common/DeviceInfo", "common/Address", "common/Money", "common/CurrencyCode"] {
        let p = format!("schemas/com/acme/{dep}.avsc");
        write(tmp.path(), &p, std::fs::read(repo_root().join(&p)).unwrap());
    }
    let r = run(tmp.path(), &["lint", "schemas", "--format", "json"]);
    let doc = json(&r);
    assert_eq!(codes(&doc), ["field-name-wrong-case"], "{}", r.stdout);
    assert_eq!(r.code, 0, "a warning does not fail the run");
    assert_eq!(doc["findings"][0]["kind"], "lint");
    assert!(doc["findings"][0]["line"].as_u64().unwrap() > 1);
    let r = run(tmp.path(), &["lint", "schemas"]);
    snap!("lint_human", r, tmp.path());
}

#[test]
fn lint_config_errors_and_settings() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "schemas/Pay.avsc",
        r#"{"type": "record", "name": "Pay", "fields": [{"name": "amount", "type": "double"}]}"#,
    );
    write(tmp.path(), "schemapipe.yaml", "lint:\n  rules:\n    float-for-mony: off\n");
    let r = run(tmp.path(), &["lint"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `float-for-money`?") && r.stderr.contains("schemapipe.yaml:3:5"),
        "{}",
        r.stderr
    );
    write(tmp.path(), "schemapipe.yaml", "lint:\n  preset: minimal\n");
    let r = run(tmp.path(), &["lint", "--format", "json"]);
    assert_eq!((r.code, codes(&json(&r))), (1, vec!["float-for-money".to_string()]));
    write(tmp.path(), "schemapipe.yaml", "lint:\n  preset: minimal\n  rules:\n    types: off\n");
    assert_eq!(run(tmp.path(), &["lint"]).code, 0);
    write(
        tmp.path(),
        "schemapipe.yaml",
        "lint:\n  preset: minimal\n  overrides:\n    - paths: [\"*.avsc\"]\n      rules: {float-for-money: warn}\n",
    );
    let r = run(tmp.path(), &["lint", "--format", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(json(&r)["findings"][0]["severity"], "warning");
}

#[test]
fn rules_doc_is_current() {
    let text = std::fs::read_to_string(repo_root().join("docs/rules.md")).unwrap_or_default();
    let generated = schemapipe::core::lint::rules_markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(repo_root().join("docs/rules.md"), &generated).unwrap();
        return;
    }
    assert!(
        text == generated,
        "docs/rules.md is out of date: run `UPDATE_RULES_DOC=1 cargo test --test cli rules_doc_is_current`"
    );
}

#[test]
fn fmt_rewrites_atomically_and_check_lists_what_would_change() {
    let tmp = tempfile::tempdir().unwrap();
    let messy = r#"{"fields":[{"type":"string","name":"id","doc":"Id."}],"name":"Ping","namespace":"com.acme","type":"record","doc":"A ping."}"#;
    write(tmp.path(), "schemas/com/acme/Ping.avsc", messy);
    write(tmp.path(), "schemas/com/acme/Broken.avsc", "{\"type\": \"int\", \"type\": \"long\"}");
    let r = run(tmp.path(), &["fmt", "--check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("would reformat schemas/com/acme/Ping.avsc"), "{}", r.stdout);
    assert!(r.stdout.contains("duplicate-json-key"), "{}", r.stdout);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("schemas/com/acme/Ping.avsc")).unwrap(),
        messy,
        "--check writes nothing"
    );
    std::fs::remove_file(tmp.path().join("schemas/com/acme/Broken.avsc")).unwrap();
    let r = run(tmp.path(), &["fmt"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let out = std::fs::read_to_string(tmp.path().join("schemas/com/acme/Ping.avsc")).unwrap();
    insta::assert_snapshot!("fmt_output", out);
    assert!(out.starts_with("{\n  \"type\": \"record\",\n  \"name\": \"Ping\""), "{out}");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("schemas/com/acme"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let r = run(tmp.path(), &["fmt", "--check", "--format", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(json(&r)["changed"].as_array().unwrap().len(), 0);
    // The bundled schemas are formatted.
    assert_eq!(run(&repo_root(), &["fmt", "--check"]).code, 0);
}

#[test]
fn compat_command_exit_codes_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "v1.avsc",
        r#"{"type":"record","name":"Pay","namespace":"p","fields":[{"name":"id","type":"string"},{"name":"amount","type":"int"}]}"#,
    );
    write(d, "v2.avsc", r#"{"type":"record","name":"Pay","namespace":"p","fields":[{"name":"id","type":"string"}]}"#);
    write(
        d,
        "v3.avsc",
        r#"{"type":"record","name":"Pay","namespace":"p","fields":[{"name":"id","type":"string"},{"name":"amount","type":"string","default":""}]}"#,
    );
    // Removing a field: BACKWARD compatible, FORWARD not (the old reader needs `amount`).
    let r = run(d, &["compat", "v2.avsc", "--against", "v1.avsc", "--level", "backward", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["compatible"], true);
    let r = run(d, &["compat", "v2.avsc", "--against", "v1.avsc", "--level", "FORWARD", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    assert_eq!(doc["compatible"], false);
    assert_eq!(codes(&doc), ["reader-field-missing-default-value"]);
    assert_eq!(doc["findings"][0]["details"]["java_type"], "READER_FIELD_MISSING_DEFAULT_VALUE");
    // Versions oldest first: v3 reads v2 (latest) but not v1 (amount was an int).
    assert_eq!(
        run(d, &["compat", "v3.avsc", "--against", "v1.avsc", "--against", "v2.avsc", "--level", "BACKWARD"]).code,
        0
    );
    let r = run(
        d,
        &["compat", "v3.avsc", "--against", "v1.avsc", "--against", "v2.avsc", "--level", "BACKWARD_TRANSITIVE"],
    );
    assert_eq!(r.code, 1);
    snap!("compat_transitive_human", r, d);
    assert_eq!(run(d, &["compat", "v2.avsc", "--against", "v1.avsc", "--level", "NONE"]).code, 0);
    assert_eq!(run(d, &["compat", "v2.avsc", "--against", "v1.avsc", "--level", "SIDEWAYS"]).code, 2);
    write(d, "bad.avsc", "{");
    assert_eq!(run(d, &["compat", "bad.avsc", "--against", "v1.avsc"]).code, 1);
}

/// A schema with no previous version (a new subject) is compatible at every level, as Java's
/// checker with no existing schemas and the registry for a new subject say.
#[test]
fn compat_without_previous_versions_is_compatible_at_every_level() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "v1.avsc", r#"{"type":"record","name":"Pay","namespace":"p","fields":[{"name":"id","type":"string"}]}"#);
    let levels =
        ["BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE", "NONE"];
    for level in levels {
        // No --against at all, --against with no value, and an empty path (a script with no history).
        for against in [&[][..], &["--against"][..], &["--against", ""][..]] {
            let mut args = vec!["compat", "v1.avsc", "--level", level];
            args.extend_from_slice(against);
            let r = run(d, &args);
            assert_eq!(r.code, 0, "{level} {against:?}: {}{}", r.stdout, r.stderr);
            assert_eq!(r.stdout, format!("v1.avsc is {level} compatible: no previous versions to check against\n"));
            assert_eq!(r.stderr, "");
            args.extend_from_slice(&["--format", "json"]);
            let r = run(d, &args);
            assert_eq!(r.code, 0, "{level} {against:?}: {}", r.stdout);
            let doc = json(&r);
            assert_eq!(doc["compatible"], true, "{level}");
            assert_eq!(doc["level"], level);
            assert_eq!(doc["new"], "v1.avsc");
            assert_eq!(doc["previous"], serde_json::json!([]));
            assert_eq!(doc["checks"], serde_json::json!([]));
            assert_eq!(doc["findings"], serde_json::json!([]));
            assert_eq!(doc["summary"]["errors"], 0);
        }
    }
    // The default level too, and still no verdict for a broken schema.
    let r = run(d, &["compat", "v1.avsc"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "v1.avsc is BACKWARD compatible: no previous versions to check against\n")
    );
    write(d, "bad.avsc", "{");
    let r = run(d, &["compat", "bad.avsc"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("no verdict"), "{}", r.stdout);
}

#[test]
fn files_outside_the_schema_root_are_checked_on_their_own() {
    // Run from this repository (which has a schema root), a file elsewhere that happens to
    // define one of the repository's names is not a redefinition.
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "Money.avsc",
        r#"{"type": "record", "name": "Money", "namespace": "com.acme.common", "fields": []}"#,
    );
    let file = tmp.path().join("Money.avsc");
    let r = run(&repo_root(), &["validate", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["summary"]["files"], 1);
}
