//! `schemapipe diff` over real git repositories built in temp dirs: the rendered review (human
//! and Markdown, snapshotted), the JSON document, shared types, renames, moves, additions and
//! removals, merge-base semantics, the index, invalid files and formats it refuses.

mod support {
    pub mod bin;
    pub mod git_repo;
}

use serde_json::Value;
use std::path::Path;
use support::bin::run;
use support::git_repo::Repo;

const CONFIG: &str = "version: 1\nschemas:\n  root: schemas\ncompatibility:\n  level: BACKWARD\n  subjects:\n    com.acme.audit.**: FULL\n";

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = run(dir, &all);
    (code, serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}")))
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["schemas"].as_array().unwrap().iter().find(|s| s["schema"] == name).unwrap_or_else(|| panic!("{name}: {doc}"))
}

fn kinds(entry: &Value) -> Vec<String> {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let breaks: Vec<&str> = c["breaks"].as_array().unwrap().iter().map(|b| b.as_str().unwrap()).collect();
            format!("{} {} {}", c["kind"].as_str().unwrap(), c["path"].as_str().unwrap(), breaks.join(","))
                .trim_end()
                .to_string()
        })
        .collect()
}

const MONEY: &str = r#"{
  "type": "record",
  "name": "Money",
  "namespace": "com.acme.common",
  "doc": "An amount.",
  "fields": [
    {"name": "units", "type": "long", "doc": "Whole units."},
    {"name": "currency", "type": "string", "doc": "ISO 4217."}
  ]
}
"#;

const PAYMENT: &str = r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "doc": "Id."},
    {"name": "amount", "type": "com.acme.common.Money", "doc": "What was captured."},
    {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["OK", "PENDING", "FAILED"]}, "doc": "State."},
    {"name": "attempts", "type": "int", "default": 1, "doc": "Tries."}
  ]
}
"#;

/// main: Money and PaymentCaptured; the feature branch changes both.
fn reviewed_change() -> Repo {
    let r = Repo::with_config(CONFIG);
    r.write("schemas/com/acme/common/Money.avsc", MONEY);
    r.write("schemas/com/acme/payments/PaymentCaptured.avsc", PAYMENT);
    r.commit("v1");
    r.branch("feature");
    r.write(
        "schemas/com/acme/common/Money.avsc",
        &MONEY.replace(
            r#"{"name": "currency""#,
            r#"{"name": "note", "type": ["null", "string"], "default": null, "doc": "Free text."},
    {"name": "currency""#,
        ),
    );
    r.write(
        "schemas/com/acme/payments/PaymentCaptured.avsc",
        &PAYMENT
            .replace(
                r#""symbols": ["OK", "PENDING", "FAILED"]"#,
                r#""symbols": ["OK", "PENDING", "FAILED", "REFUNDED"]"#,
            )
            .replace(r#""type": "int", "default": 1"#, r#""type": "long""#)
            .replace(
                r#"{"name": "payment_id""#,
                r#"{"name": "merchant_id", "type": "string", "doc": "Who."},
    {"name": "payment_id""#,
            ),
    );
    r
}

#[test]
fn a_review_shows_every_change_and_what_it_breaks() {
    let r = reviewed_change();
    let (code, doc) = json(r.path(), &["diff"]);
    assert_eq!(code, 0, "{doc}");
    assert!(doc["base"].as_str().unwrap().starts_with("main ("), "{}", doc["base"]);
    assert_eq!(doc["source"], "working tree");
    let money = schema(&doc, "com.acme.common.Money");
    assert_eq!(money["status"], "modified");
    assert_eq!(kinds(money), ["field-added note"]);
    assert_eq!(money["compatibility"]["allowed"], true);
    assert_eq!(money["changes"][0]["new"]["line"], 8);

    let pay = schema(&doc, "com.acme.payments.PaymentCaptured");
    assert_eq!(pay["via"], serde_json::json!(["com.acme.common.Money"]));
    assert_eq!(
        kinds(pay),
        [
            "field-added merchant_id backward",
            "field-added amount.note",
            "symbol-added status forward",
            "default-removed attempts",
            "type-changed attempts forward",
        ]
    );
    assert_eq!(pay["compatibility"], serde_json::json!({"backward": false, "forward": false, "allowed": false}));
    let types: Vec<&str> =
        pay["incompatibilities"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert!(
        types.contains(&"READER_FIELD_MISSING_DEFAULT_VALUE") && types.contains(&"MISSING_ENUM_SYMBOLS"),
        "{types:?}"
    );
    assert!(pay["text"].as_str().unwrap().contains("+    {\"name\": \"merchant_id\""));

    let (code, human, _) = run(r.path(), &["diff"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("review_human", human);
    let (_, md, _) = run(r.path(), &["diff", "--format", "markdown"]);
    insta::assert_snapshot!("review_markdown", md);
    // `text` is the human format's other name.
    assert_eq!(run(r.path(), &["diff", "--format", "text"]).1, human);
}

#[test]
fn additions_removals_renames_and_moves() {
    let r = Repo::with_config(CONFIG);
    let rec = |ns: &str, name: &str, extra: &str| {
        format!(
            r#"{{"type": "record", "name": "{name}", "namespace": "{ns}",{extra} "fields": [{{"name": "id", "type": "string"}}]}}"#
        )
    };
    r.write("schemas/com/acme/a/Old.avsc", &rec("com.acme.a", "Old", ""));
    r.write("schemas/com/acme/b/Keep.avsc", &rec("com.acme.b", "Keep", ""));
    r.write("schemas/com/acme/c/Gone.avsc", &rec("com.acme.c", "Gone", ""));
    r.commit("v1");
    r.branch("feature");
    r.remove("schemas/com/acme/a/Old.avsc");
    r.write("schemas/com/acme/a/New.avsc", &rec("com.acme.a", "New", r#" "aliases": ["com.acme.a.Old"],"#));
    r.remove("schemas/com/acme/b/Keep.avsc");
    r.write("schemas/com/acme/other/Keep.avsc", &rec("com.acme.b", "Keep", ""));
    r.remove("schemas/com/acme/c/Gone.avsc");
    r.write("schemas/com/acme/d/Fresh.avsc", &rec("com.acme.d", "Fresh", ""));
    let (code, doc) = json(r.path(), &["diff"]);
    assert_eq!(code, 0, "{doc}");
    let statuses: Vec<(String, String)> = doc["schemas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["schema"].as_str().unwrap().to_string(), s["status"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("com.acme.a.New".to_string(), "renamed".to_string()),
            ("com.acme.b.Keep".into(), "moved".into()),
            ("com.acme.c.Gone".into(), "removed".into()),
            ("com.acme.d.Fresh".into(), "added".into()),
        ]
    );
    let renamed = schema(&doc, "com.acme.a.New");
    assert_eq!(renamed["old_schema"], "com.acme.a.Old");
    // Java compares record names unqualified and ignores writer aliases: old readers break.
    assert_eq!(kinds(renamed), ["type-renamed  forward", "aliases-changed"]);
    assert_eq!(renamed["compatibility"], serde_json::json!({"backward": true, "forward": false, "allowed": true}));
    let moved = schema(&doc, "com.acme.b.Keep");
    assert_eq!(moved["old_file"], "schemas/com/acme/b/Keep.avsc");
    assert_eq!(moved["file"], "schemas/com/acme/other/Keep.avsc");
    assert!(kinds(moved).is_empty());
    assert!(moved.get("text").is_none(), "the same text in another file");
    let added = schema(&doc, "com.acme.d.Fresh");
    assert!(added["compatibility"].is_null() && added["old_file"].is_null());
    assert!(added["text"].as_str().unwrap().lines().filter(|l| !l.starts_with("+++")).any(|l| l.starts_with("+{")));
    let removed = schema(&doc, "com.acme.c.Gone");
    assert!(removed["file"].is_null());
    assert!(removed["text"].as_str().unwrap().contains("\n-{"));
}

#[test]
fn the_base_is_the_merge_base_as_in_a_pull_request() {
    let r = reviewed_change();
    r.commit("feature work");
    // main moves on after the branch started: that is not the branch's change.
    r.switch("main");
    r.write("schemas/com/acme/common/Money.avsc", &MONEY.replace("An amount.", "An amount of money."));
    r.commit("main: doc");
    r.switch("feature");
    let (code, doc) = json(r.path(), &["diff", "--against", "main", "--no-text"]);
    assert_eq!(code, 0, "{doc}");
    assert!(doc["base"].as_str().unwrap().starts_with("merge-base with main ("), "{}", doc["base"]);
    let money = schema(&doc, "com.acme.common.Money");
    assert_eq!(kinds(money), ["field-added note"], "main's doc change is not the branch's");
    assert!(doc["schemas"].as_array().unwrap().iter().all(|s| s.get("text").is_none()));
    // Against main itself, main's newer doc shows up as reverted.
    let (_, doc) = json(r.path(), &["diff", "--against", "HEAD"]);
    assert!(doc["schemas"].as_array().unwrap().is_empty(), "{doc}");
}

#[test]
fn staged_reviews_the_index() {
    let r = reviewed_change();
    r.stage("schemas/com/acme/common/Money.avsc");
    let (_, doc) = json(r.path(), &["diff", "--staged"]);
    assert_eq!(doc["source"], "index");
    let names: Vec<&str> = doc["schemas"].as_array().unwrap().iter().map(|s| s["schema"].as_str().unwrap()).collect();
    // PaymentCaptured changes through Money in the index; its own edit is not staged.
    assert_eq!(names, ["com.acme.common.Money", "com.acme.payments.PaymentCaptured"]);
    assert_eq!(kinds(schema(&doc, "com.acme.payments.PaymentCaptured")), ["field-added amount.note"]);
}

#[test]
fn an_invalid_file_is_reported_and_the_rest_still_diffed() {
    let r = reviewed_change();
    r.write(
        "schemas/com/acme/common/Money.avsc",
        "{\"type\": \"record\", \"name\": \"Money\", \"fields\": [\n  {\"name\": \"units\", \"type\": \"long\",}\n]}\n",
    );
    let (code, doc) = json(r.path(), &["diff"]);
    assert_eq!(code, 1, "{doc}");
    let f = &doc["findings"][0];
    assert_eq!(f["file"], "schemas/com/acme/common/Money.avsc");
    assert_eq!((f["line"].as_u64(), f["severity"].as_str()), (Some(2), Some("error")));
    assert!(doc["schemas"].as_array().unwrap().iter().all(|s| s["schema"] != "com.acme.common.Money"));
    let (code, human, _) = run(r.path(), &["diff"]);
    assert_eq!(code, 1);
    assert!(human.contains("error[") && human.contains("Money.avsc:2:"), "{human}");
    // An unknown type is an error too: the file is not compared.
    r.write("schemas/com/acme/common/Money.avsc", &MONEY.replace("\"type\": \"long\"", "\"type\": \"nosuch\""));
    let (code, doc) = json(r.path(), &["diff"]);
    assert_eq!(code, 1, "{doc}");
    assert!(doc["schemas"].as_array().unwrap().iter().all(|s| s["schema"] != "com.acme.common.Money"), "{doc}");
    // Quiet: the findings only.
    let (_, quiet, _) = run(r.path(), &["diff", "-q"]);
    assert!(quiet.contains("undefined-name") && !quiet.contains("schemas changed"), "{quiet}");
}

#[test]
fn no_changes_formats_and_paths() {
    let r = Repo::with_config(CONFIG);
    r.write("schemas/com/acme/common/Money.avsc", MONEY);
    r.commit("v1");
    let (code, out, _) = run(r.path(), &["diff"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("no schema changes in the working tree against main ("), "{out}");
    let (_, md, _) = run(r.path(), &["diff", "--format", "markdown"]);
    assert!(md.contains("No schema changes against `main ("), "{md}");
    let (code, _, err) = run(r.path(), &["diff", "--format", "junit"]);
    assert_eq!(code, 2);
    assert!(err.contains("markdown"), "{err}");
    let (code, _, err) = run(r.path(), &["diff", "--against", "no-such-ref"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-ref"), "{err}");

    let r = reviewed_change();
    let (_, doc) = json(r.path(), &["diff", "schemas/com/acme/payments"]);
    let names: Vec<&str> = doc["schemas"].as_array().unwrap().iter().map(|s| s["schema"].as_str().unwrap()).collect();
    assert_eq!(names, ["com.acme.payments.PaymentCaptured"]);
}

#[test]
fn a_record_of_thousands_of_fields_renamed_is_diffed() {
    let r = Repo::with_config(CONFIG);
    let wide = |prefix: &str| {
        let f: Vec<String> =
            (0..5000).map(|i| format!(r#"{{"name": "{prefix}{i}", "type": "int", "default": 0}}"#)).collect();
        format!(r#"{{"type": "record", "name": "Wide", "namespace": "com.acme", "fields": [{}]}}"#, f.join(", "))
    };
    r.write("schemas/com/acme/Wide.avsc", &wide("f"));
    r.commit("v1");
    let text = wide("g");
    r.write("schemas/com/acme/Wide.avsc", &text);
    let (code, doc) = json(r.path(), &["diff", "--no-text"]);
    assert_eq!(code, 0);
    let wide = schema(&doc, "com.acme.Wide");
    let changes = wide["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 10_000);
    assert_eq!(changes[0]["kind"], "field-added");
    assert_eq!(changes[9_999]["kind"], "field-removed");
    // Every field has a default: nothing breaks either way.
    assert_eq!(wide["compatibility"], serde_json::json!({"backward": true, "forward": true, "allowed": true}));
    // Places on the one long line are exact.
    let column = text.find("\"g4999\"").unwrap() + 1;
    assert_eq!(
        (changes[4_999]["new"]["line"].as_u64(), changes[4_999]["new"]["column"].as_u64()),
        (Some(1), Some(column as u64))
    );
}

#[test]
fn an_unreadable_base_version_is_not_shown_as_an_added_schema() {
    let r = Repo::with_config(CONFIG);
    r.write("schemas/com/acme/common/Money.avsc", "{\"type\": \"record\", <<<<<<< HEAD\n");
    r.commit("a broken merge");
    r.write("schemas/com/acme/common/Money.avsc", MONEY);
    let (code, doc) = json(r.path(), &["diff"]);
    assert_eq!(code, 0, "{doc}");
    assert!(doc["schemas"].as_array().unwrap().iter().all(|s| s["status"] != "added"), "{doc}");
    let f = &doc["findings"][0];
    assert_eq!((f["code"].as_str(), f["severity"].as_str()), (Some("unreadable-version"), Some("warning")), "{doc}");
    assert!(f["message"].as_str().unwrap().contains("Money.avsc"), "{f}");
}

/// A new schema whose aliases name several removed ones is paired with the same one on every
/// run (the first by name); the others stay removed.
#[test]
fn a_rename_with_several_candidates_pairs_the_same_way_every_time() {
    let r = Repo::with_config(CONFIG);
    let rec = |name: &str, extra: &str| {
        format!(
            r#"{{"type": "record", "name": "{name}", "namespace": "com.acme",{extra} "fields": [{{"name": "id", "type": "string"}}]}}"#
        )
    };
    let old = ["Delta", "Alpha", "Echo", "Charlie", "Bravo"];
    for n in old {
        r.write(&format!("schemas/com/acme/{n}.avsc"), &rec(n, ""));
    }
    r.commit("v1");
    r.branch("feature");
    for n in old {
        r.remove(&format!("schemas/com/acme/{n}.avsc"));
    }
    let aliases = old.iter().map(|n| format!("\"com.acme.{n}\"")).collect::<Vec<_>>().join(", ");
    r.write("schemas/com/acme/New.avsc", &rec("New", &format!(r#" "aliases": [{aliases}],"#)));
    let mut first = None;
    for _ in 0..4 {
        let (code, doc) = json(r.path(), &["diff"]);
        assert_eq!(code, 0, "{doc}");
        assert_eq!(schema(&doc, "com.acme.New")["old_schema"], "com.acme.Alpha", "{doc}");
        for n in ["Bravo", "Charlie", "Delta", "Echo"] {
            assert_eq!(schema(&doc, &format!("com.acme.{n}"))["status"], "removed", "{doc}");
        }
        match &first {
            None => first = Some(doc),
            Some(d) => assert_eq!(d, &doc),
        }
    }
}
