//! `check` with sample events beside the schemas (docs/samples.md).

mod support {
    pub mod bin;
    #[allow(dead_code)] // `stage` is for other test crates
    pub mod git_repo;
}

use support::bin::run;
use support::git_repo::Repo;

const V1: &str = r#"{"type": "record", "name": "Payment", "namespace": "com.acme", "doc": "A payment.", "fields": [
  {"name": "id", "type": "string", "doc": "Id."},
  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "doc": "When."},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}, "doc": "How much."},
  {"name": "method", "type": {"type": "enum", "name": "Method", "symbols": ["CARD", "SEPA"]}, "doc": "How."}
]}
"#;

const SAMPLES: &str = "// card payment\n{\"id\": \"p-1\", \"at\": 1700000000000, \"amount\": \"\\u0004\\u00d2\", \"method\": \"CARD\"}\n\n{\"id\": \"p-2\", \"at\": 1700000000001, \"amount\": \"\\u0000\", \"method\": \"SEPA\"}\n";

fn repo(level: &str) -> Repo {
    let r = Repo::with_config(&format!("version: 1\nschemas:\n  root: schemas\ncompatibility:\n  level: {level}\n"));
    r.write("schemas/com/acme/Payment.avsc", V1);
    r.write("schemas/com/acme/Payment.examples.jsonl", SAMPLES);
    r.commit("v1");
    r.branch("change");
    r.switch("change");
    r
}

fn findings(out: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v["findings"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_logical_type_change_the_type_rules_accept_is_refused_with_the_sample_and_field() {
    let r = repo("BACKWARD");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("timestamp-millis", "timestamp-micros"));
    let (code, out, err) = run(r.path(), &["check", "--no-lint", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let f = findings(&out);
    let codes: Vec<&str> = f.iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["sample-meaning-changed", "sample-meaning-changed"], "{out}");
    let text = f[0]["message"].as_str().unwrap();
    assert!(text.contains("sample `card payment`") && text.contains("field `.at`"), "{text}");
    assert!(text.contains("timestamp-millis to timestamp-micros"), "{text}");
    // Without samples the same change passes: the registry's rules ignore logical types.
    r.remove("schemas/com/acme/Payment.examples.jsonl");
    r.commit("drop samples");
    let (code, out, _) = run(r.path(), &["check", "--no-lint", "--against", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_decimal_scale_change_is_refused_in_human_output() {
    let r = repo("FULL");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("\"scale\": 2", "\"scale\": 3"));
    let (code, out, _) = run(r.path(), &["check", "--no-lint"]);
    assert_eq!(code, 1, "{out}");
    // Backward (the earlier sample) and forward (the current sample, read by v1).
    assert!(out.contains("written with `schemas/com/acme/Payment.avsc` @"), "{out}");
    assert!(out.contains("written with the new schema, read with"), "{out}");
    assert!(out.contains("decimal(10,2) to decimal(10,3)"), "{out}");
    assert!(out.contains("12.34"), "{out}");
}

#[test]
fn an_invalid_sample_is_located_with_the_schema_path() {
    let r = repo("BACKWARD");
    r.write(
        "schemas/com/acme/Payment.examples.jsonl",
        "{\"id\": \"p-1\", \"at\": 1700000000000, \"amount\": \"\\u0004\", \"method\": \"CASH\"}\n",
    );
    let (code, out, _) = run(r.path(), &["check", "--no-lint"]);
    assert_eq!(code, 1, "{out}");
    let out = out.lines().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!("invalid_sample", out.split("\n\n").next().unwrap());
}

#[test]
fn a_removed_enum_symbol_breaks_real_events_even_under_none() {
    let r = repo("NONE");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("[\"CARD\", \"SEPA\"]", "[\"CARD\"]"));
    r.write("schemas/com/acme/Payment.examples.jsonl", SAMPLES.lines().take(2).collect::<Vec<_>>().join("\n").as_str());
    let (code, out, _) = run(r.path(), &["check", "--no-lint", "--format", "json"]);
    // NONE: reported, but as a warning.
    assert_eq!(code, 0, "{out}");
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["code"], "sample-unreadable");
    assert_eq!(f[0]["severity"], "warning");
    assert!(f[0]["message"].as_str().unwrap().contains("symbol `SEPA`"), "{out}");
}

#[test]
fn compatible_changes_with_samples_pass() {
    let r = repo("FULL_TRANSITIVE");
    let v2 = V1.replace(
        "\"doc\": \"How.\"}",
        "\"doc\": \"How.\"},\n  {\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null, \"doc\": \"Note.\"}",
    );
    r.write("schemas/com/acme/Payment.avsc", &v2);
    r.write(
        "schemas/com/acme/Payment.examples.jsonl",
        "{\"id\": \"p-3\", \"at\": 1, \"amount\": \"\\u0001\", \"method\": \"CARD\", \"note\": {\"string\": \"hi\"}}\n",
    );
    let (code, out, err) = run(r.path(), &["check", "--no-lint"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn failing_samples_make_the_summary_say_incompatible() {
    // A changed schema the type rules accept, whose samples change meaning.
    let r = repo("BACKWARD");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("timestamp-millis", "timestamp-micros"));
    let (code, out, _) = run(r.path(), &["check", "--no-lint"]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("all compatible"), "{out}");
    assert!(out.contains("1 changed schema checked against") && out.contains(": 1 incompatible"), "{out}");
    let (_, out, _) = run(r.path(), &["check", "--no-lint", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["checked"][0]["compatible"], false, "{out}");

    // An unchanged schema with an invalid sample.
    let r = repo("BACKWARD");
    r.write(
        "schemas/com/acme/Payment.examples.jsonl",
        "{\"id\": \"p-1\", \"at\": 1700000000000, \"amount\": \"\\u0004\", \"method\": \"CASH\"}\n",
    );
    let (code, out, _) = run(r.path(), &["check", "--no-lint"]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("all compatible"), "{out}");
    assert!(out.contains("samples of 1 unchanged schema fail"), "{out}");

    // Warnings (NONE) do not fail the verdict.
    let r = repo("NONE");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("[\"CARD\", \"SEPA\"]", "[\"CARD\"]"));
    r.write("schemas/com/acme/Payment.examples.jsonl", SAMPLES.lines().take(2).collect::<Vec<_>>().join("\n").as_str());
    let (code, out, _) = run(r.path(), &["check", "--no-lint"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("all compatible"), "{out}");
}

#[test]
fn staged_checks_read_the_staged_samples_not_the_working_tree() {
    let r = repo("BACKWARD");
    let v2 = V1.replace(
        "\"doc\": \"How.\"}",
        "\"doc\": \"How.\"},\n  {\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null, \"doc\": \"Note.\"}",
    );
    let good = "{\"id\": \"p-3\", \"at\": 1, \"amount\": \"\\u0001\", \"method\": \"CARD\", \"note\": null}\n";
    let bad = "{\"id\": \"p-4\", \"at\": 1, \"amount\": \"\\u0001\", \"method\": \"CASH\", \"note\": null}\n";
    r.write("schemas/com/acme/Payment.avsc", &v2);
    r.stage("schemas/com/acme/Payment.avsc");

    // Good samples staged, a bad edit not staged: the commit is fine.
    r.write("schemas/com/acme/Payment.examples.jsonl", good);
    r.stage("schemas/com/acme/Payment.examples.jsonl");
    r.write("schemas/com/acme/Payment.examples.jsonl", bad);
    let (code, out, err) = run(r.path(), &["check", "--staged", "--no-lint", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(findings(&out).is_empty(), "{out}");
    // The working tree itself is refused.
    let (code, out, _) = run(r.path(), &["check", "--no-lint", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(findings(&out)[0]["code"], "invalid-sample", "{out}");

    // Bad samples staged, fixed only in the working tree: the commit is refused, and the
    // finding quotes the staged line.
    r.stage("schemas/com/acme/Payment.examples.jsonl");
    r.write("schemas/com/acme/Payment.examples.jsonl", good);
    let (code, out, _) = run(r.path(), &["check", "--staged", "--no-lint", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["code"], "invalid-sample", "{out}");
    assert!(f[0]["message"].as_str().unwrap().contains("CASH"), "{out}");
}

#[test]
fn staged_samples_alone_are_checked() {
    let r = repo("BACKWARD");
    // Only the samples change: an invalid event is staged, the working tree is fixed after.
    r.write(
        "schemas/com/acme/Payment.examples.jsonl",
        "{\"id\": \"p-9\", \"at\": 1, \"amount\": \"\\u0001\", \"method\": \"CASH\"}\n",
    );
    r.stage("schemas/com/acme/Payment.examples.jsonl");
    r.write("schemas/com/acme/Payment.examples.jsonl", SAMPLES);
    let (code, out, err) = run(r.path(), &["check", "--staged", "--no-lint", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["code"], "invalid-sample", "{out}");
    // Staging the fix passes.
    r.stage("schemas/com/acme/Payment.examples.jsonl");
    let (code, out, _) = run(r.path(), &["check", "--staged", "--no-lint"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn samples_deleted_from_the_working_tree_still_count_from_history() {
    // Events written under v1 exist whether or not the samples file is still beside the
    // schema: they are read from the commit and must still fit the new schema.
    let r = repo("BACKWARD");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("[\"CARD\", \"SEPA\"]", "[\"CARD\"]"));
    r.remove("schemas/com/acme/Payment.examples.jsonl");
    let (code, out, _) = run(r.path(), &["check", "--no-lint", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let f = findings(&out);
    let unreadable: Vec<_> = f.iter().filter(|f| f["code"] == "sample-unreadable").collect();
    assert_eq!(unreadable.len(), 1, "{out}");
    assert_eq!(unreadable[0]["severity"], "error");
    assert!(unreadable[0]["message"].as_str().unwrap().contains("symbol `SEPA`"), "{out}");
}

#[test]
fn samples_deleted_in_a_later_commit_are_read_from_the_version_that_had_them() {
    let r = repo("BACKWARD");
    r.remove("schemas/com/acme/Payment.examples.jsonl");
    r.write(
        "schemas/com/acme/Payment.avsc",
        &V1.replace("\"doc\": \"A payment.\"", "\"doc\": \"A card or SEPA payment.\""),
    );
    r.commit("samples moved elsewhere");
    r.write("schemas/com/acme/Payment.avsc", &V1.replace("[\"CARD\", \"SEPA\"]", "[\"CARD\"]"));
    let (code, out, _) = run(
        r.path(),
        &["check", "--no-lint", "--against", "HEAD", "--level", "BACKWARD_TRANSITIVE", "--format", "json"],
    );
    assert_eq!(code, 1, "{out}");
    let f = findings(&out);
    let unreadable: Vec<_> = f.iter().filter(|f| f["code"] == "sample-unreadable").collect();
    // v1 had the samples (at its own commit); the version after it has none.
    assert_eq!(unreadable.len(), 1, "{out}");
    assert!(unreadable[0]["message"].as_str().unwrap().contains("symbol `SEPA`"), "{out}");
}

/// Invalid samples of several schemas come in the same order on every run (each samples file
/// read is numbered in subject order), in every format.
#[test]
fn sample_findings_of_several_schemas_come_in_one_order() {
    let r = repo("BACKWARD");
    let bad = "{\"id\": \"p-1\", \"at\": 1700000000000, \"amount\": \"\\u0004\", \"method\": \"CASH\"}\n";
    for n in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"] {
        r.write(
            &format!("schemas/com/acme/{n}.avsc"),
            &V1.replace("\"Payment\"", &format!("\"{n}\"")).replace("\"Method\"", &format!("\"{n}Method\"")),
        );
        r.write(&format!("schemas/com/acme/{n}.examples.jsonl"), bad);
    }
    let mut first: Option<(String, String)> = None;
    for _ in 0..4 {
        let (code, out, err) = run(r.path(), &["check", "--no-lint", "--format", "json"]);
        assert_eq!(code, 1, "{out}{err}");
        let files: Vec<String> = findings(&out).iter().map(|f| f["file"].as_str().unwrap_or("").to_string()).collect();
        let mut sorted = files.clone();
        sorted.sort();
        assert_eq!(files, sorted, "{out}");
        assert_eq!(files.len(), 5, "{out}");
        let (_, junit, _) = run(r.path(), &["check", "--no-lint", "--format", "junit"]);
        match &first {
            None => first = Some((out, junit)),
            Some((o, j)) => {
                assert_eq!(o, &out);
                assert_eq!(j, &junit);
            }
        }
    }
}
