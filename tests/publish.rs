//! publish, pull and check --registry against a local fake registry that speaks the
//! documented API (tests/support/fake_registry.rs), with injected faults.

mod support {
    pub mod bin;
    pub mod fake_registry;
    pub mod tls_proxy;
}

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use support::bin::{copy_dir, repo_root};
use support::fake_registry::{FakeRegistry, Fault, Targeted};

const PASSWORD: &str = "s3cr3t-Pa55word-do-not-print";

/// A required field, new: incompatible with every earlier version.
const REQUIRED: &str = r#"{"name": "required_now", "type": "string", "doc": "New."}"#;
/// An optional field, new: a compatible change.
const NOTE: &str = r#"{"name": "note", "type": ["null", "string"], "default": null, "doc": "Free text."}"#;

/// Puts a field first in a schema file; returns the text the file had.
fn add_field(file: &Path, field: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(file, text.replacen("\"fields\": [", &format!("\"fields\": [\n    {field},"), 1)).unwrap();
    text
}

/// A copy of the bundled schemas with a config pointing at the registry.
fn workspace(url: &str, extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("schemas"), &tmp.path().join("schemas"));
    std::fs::write(
        tmp.path().join("schemapipe.yaml"),
        format!("version: 1\nschemas:\n  root: schemas\nregistry:\n  url: {url}\n  timeout_seconds: 2\n  retries: 3\n{extra}"),
    )
    .unwrap();
    tmp
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = Command::cargo_bin("schemapipe").unwrap();
    c.env_clear().env("NO_COLOR", "1").env("COLUMNS", "100").current_dir(dir).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !r.stdout.contains(PASSWORD) && !r.stderr.contains(PASSWORD),
        "a secret was printed:\n{}\n{}",
        r.stdout,
        r.stderr
    );
    r
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr))
}

fn actions(doc: &Value) -> Vec<(String, String)> {
    doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["subject"].as_str().unwrap().to_string(), s["action"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn publish_from_empty_then_again_is_a_no_op() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let plan = actions(&doc);
    assert_eq!(plan.len(), 23);
    assert!(plan.iter().all(|(_, a)| a == "create"), "{plan:?}");
    // Shared types come before the schemas that use them.
    let pos = |s: &str| plan.iter().position(|(x, _)| x == s).unwrap();
    assert!(pos("com.acme.common.CurrencyCode") < pos("com.acme.common.Money"));
    assert!(pos("com.acme.common.Money") < pos("com.acme.payments.PaymentCaptured"));
    assert!(reg.state.lock().unwrap().subject_names().is_empty(), "a dry run changes nothing");

    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.subject_names().len(), 23);
    let refs = st.references("com.acme.payments.PaymentCaptured");
    let names: Vec<&str> = refs.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"com.acme.common.Money"), "{refs:?}");
    assert_eq!(refs.iter().find(|r| r["name"] == "com.acme.common.Money").unwrap()["subject"], "com.acme.common.Money");
    drop(st);

    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("(nothing to do)"), "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    assert!(st.subject_names().iter().all(|s| st.versions(s) == [1]), "no duplicate versions");
}

#[test]
fn changes_cascade_and_incompatible_ones_are_refused_with_reasons() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    // A compatible change to a shared type: Money and everything using it get new versions.
    let money = ws.path().join("schemas/com/acme/common/Money.avsc");
    let text = add_field(&money, NOTE);
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    let doc = json(&r);
    let plan = actions(&doc);
    let get = |s: &str| plan.iter().find(|(x, _)| x == s).unwrap().1.clone();
    assert_eq!(get("com.acme.common.Money"), "new-version");
    assert_eq!(get("com.acme.payments.PaymentCaptured"), "new-version");
    assert_eq!(get("com.acme.users.UserSignedUp"), "unchanged");
    let cascaded =
        doc["plan"].as_array().unwrap().iter().find(|s| s["subject"] == "com.acme.payments.PaymentCaptured").unwrap();
    assert_eq!(cascaded["cascade"], true);
    let r = run(ws.path(), &["publish", "--dry-run", "--fail-on-changes"], &[]);
    assert_eq!(r.code, 1, "drift is exit 1 with --fail-on-changes");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    {
        let st = reg.state.lock().unwrap();
        assert_eq!(st.versions("com.acme.common.Money"), [1, 2]);
        assert_eq!(st.versions("com.acme.payments.PaymentCaptured"), [1, 2]);
        let r = st.references("com.acme.payments.PaymentCaptured");
        assert_eq!(r.iter().find(|x| x["name"] == "com.acme.common.Money").unwrap()["version"], 2);
    }
    // An incompatible change: refused with the registry's reasons, exit 1.
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    let t = add_field(&p, REQUIRED);
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("READER_FIELD_MISSING_DEFAULT_VALUE"), "{}", r.stdout);
    assert_eq!(reg.state.lock().unwrap().versions("com.acme.users.UserDeleted"), [1]);
    // Going back to an older registered version is a rollback, refused.
    std::fs::write(&p, &t).unwrap();
    std::fs::write(&money, &text).unwrap();
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 1);
    let plan = actions(&json(&r));
    assert_eq!(plan.iter().find(|(s, _)| s == "com.acme.common.Money").unwrap().1, "rollback");
}

#[test]
fn subject_levels_are_set_before_registering() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "compatibility:\n  level: FULL\n  subjects:\n    com.acme.cdc.**: NONE\n");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.config("com.acme.users.UserSignedUp").as_deref(), Some("FULL"));
    assert_eq!(st.config("com.acme.cdc.mysql.shop.OrdersEnvelope").as_deref(), Some("NONE"));
    let first_put = st.requests.iter().position(|r| r.starts_with("PUT /config/com.acme.users.UserSignedUp")).unwrap();
    let first_post =
        st.requests.iter().position(|r| r.starts_with("POST /subjects/com.acme.users.UserSignedUp/versions")).unwrap();
    assert!(first_put < first_post);
    drop(st);
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert!(actions(&json(&r)).iter().all(|(_, a)| a == "unchanged"));
}

#[test]
fn a_registry_going_down_half_way_is_reported_and_a_rerun_completes() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    reg.state.lock().unwrap().down_after = Some(60);
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    let doc = json(&r);
    let outcomes: Vec<String> =
        doc["plan"].as_array().unwrap().iter().map(|s| s["outcome"].as_str().unwrap_or("").to_string()).collect();
    // Up to the first failure, before planning finished or during apply: either way, exit 3 and a report.
    assert!(doc["findings"].as_array().unwrap().iter().any(|f| f["code"] == "registry-unavailable"));
    let registered_before = reg.state.lock().unwrap().subject_names().len();
    assert!(
        outcomes.iter().all(|o| o.is_empty() || o.starts_with("registered") || o.starts_with("not reached")),
        "{outcomes:?}"
    );
    reg.state.lock().unwrap().down_after = None;
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.subject_names().len(), 23);
    assert!(registered_before < 23);
    assert!(st.subject_names().iter().all(|s| st.versions(s) == [1]), "no duplicate version");
}

#[test]
fn transient_faults_are_retried() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    // Five faults in a row reach one request: allow enough attempts.
    let cfg = std::fs::read_to_string(ws.path().join("schemapipe.yaml")).unwrap().replace("retries: 3", "retries: 6");
    std::fs::write(ws.path().join("schemapipe.yaml"), cfg).unwrap();
    {
        let mut st = reg.state.lock().unwrap();
        st.faults.push_back(Fault::Status(503, 50001));
        st.faults.push_back(Fault::Status(429, 429));
        st.faults.push_back(Fault::Drop);
        st.faults.push_back(Fault::Delay(std::time::Duration::from_secs(3)));
        st.faults.push_back(Fault::Status(500, 50002));
    }
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(reg.state.lock().unwrap().subject_names().len(), 23);
}

#[test]
fn credentials_come_from_the_environment_and_never_show() {
    let reg = FakeRegistry::start();
    reg.state.lock().unwrap().auth = Some(("ci-bot".into(), PASSWORD.into()));
    let ws = workspace(&reg.url, "");
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("authentication failed"), "{}", r.stdout);
    let creds = [("SCHEMAPIPE_REGISTRY_USERNAME", "ci-bot"), ("SCHEMAPIPE_REGISTRY_PASSWORD", PASSWORD)];
    for args in [
        &["publish", "--dry-run"][..],
        &["publish", "--dry-run", "--format", "json"],
        &["publish", "--dry-run", "--format", "markdown"],
        &["publish"],
        &["publish", "-v"],
        &["pull", "--format", "json"],
        &["check", "--registry"],
        &["validate"],
        &["lint"],
    ] {
        run(ws.path(), args, &creds);
    }
    // Credentials written into the URL are masked too.
    let url = reg.url.replace("http://", &format!("http://ci-bot:{PASSWORD}@"));
    let r = run(ws.path(), &["publish", "--dry-run", "--registry-url", &url], &[]);
    assert!(r.stdout.contains("***@"), "{}", r.stdout);
    // A secret in the config file itself is refused.
    std::fs::write(
        ws.path().join("schemapipe.yaml"),
        format!("registry:\n  url: {}\n  password_env: \"{PASSWORD}\"\n", reg.url),
    )
    .unwrap();
    assert_eq!(run(ws.path(), &["publish", "--dry-run"], &[]).code, 2);
}

#[test]
fn inline_references_register_self_contained_schemas() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "  references: inline\n");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    assert!(st.references("com.acme.payments.PaymentCaptured").is_empty());
    assert_eq!(st.subject_names().len(), 23);
}

#[test]
fn topic_name_strategy_uses_topics_and_skips_unmapped_schemas() {
    let reg = FakeRegistry::start();
    let ws = workspace(
        &reg.url,
        "  subject_strategy: TopicNameStrategy\n  topics:\n    payments.captured:\n      value: com.acme.payments.PaymentCaptured\n    \"shop/orders\":\n      value: com.acme.orders.OrderPlaced\n",
    );
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    let names = st.subject_names();
    assert!(names.contains(&"payments.captured-value".to_string()), "{names:?}");
    assert!(names.contains(&"shop/orders-value".to_string()), "{names:?}");
    assert!(names.contains(&"com.acme.common.Money".to_string()), "shared types get their own subjects: {names:?}");
    assert!(!names.contains(&"com.acme.users.UserSignedUp".to_string()));
    assert!(!json(&r)["skipped"].as_array().unwrap().is_empty());
}

/// A topic carrying several event types: its schema is a union of references to records of
/// other files, and the file's top level is not a named type. `registry.topics` names it by
/// its path under the schema root.
#[test]
fn a_union_file_is_published_under_its_topic_with_references_to_its_event_types() {
    let reg = FakeRegistry::start();
    let ws = workspace(
        &reg.url,
        "  subject_strategy: TopicNameStrategy\n  topics:\n    orders:\n      value: com/acme/orders/order-events.avsc\n",
    );
    std::fs::write(
        ws.path().join("schemas/com/acme/orders/order-events.avsc"),
        "[\"com.acme.orders.OrderPlaced\", \"com.acme.orders.OrderShipped\"]\n",
    )
    .unwrap();
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let st = reg.state.lock().unwrap();
    let names = st.subject_names();
    assert!(names.contains(&"orders-value".to_string()), "{names:?}");
    // Each event type is registered under its own subject first, and referenced from there.
    assert!(names.contains(&"com.acme.orders.OrderPlaced".to_string()), "{names:?}");
    assert!(names.contains(&"com.acme.orders.OrderShipped".to_string()), "{names:?}");
    let refs: Vec<(String, String)> = st
        .references("orders-value")
        .iter()
        .map(|r| (r["name"].as_str().unwrap().to_string(), r["subject"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        refs,
        [
            ("com.acme.orders.OrderPlaced".to_string(), "com.acme.orders.OrderPlaced".to_string()),
            ("com.acme.orders.OrderShipped".to_string(), "com.acme.orders.OrderShipped".to_string()),
        ]
    );
    let plan = json(&r);
    let order: Vec<String> = actions(&plan).into_iter().map(|(s, _)| s).collect();
    let pos = |s: &str| order.iter().position(|x| x == s).unwrap();
    assert!(pos("com.acme.orders.OrderPlaced") < pos("orders-value"), "referenced subjects first: {order:?}");
    drop(st);

    // With the record name strategy no subject is named after a union: the file is listed as
    // skipped, with what to do, until registry.subjects names one for it.
    std::fs::write(
        ws.path().join("schemapipe.yaml"),
        format!("version: 1\nschemas:\n  root: schemas\nregistry:\n  url: {}\n", reg.url),
    )
    .unwrap();
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let skipped = json(&r)["skipped"].clone();
    assert_eq!(skipped[0]["schema"], "com/acme/orders/order-events.avsc", "{skipped:#}");
    assert!(skipped[0]["reason"].as_str().unwrap().contains("registry.subjects"), "{skipped:#}");
    let human = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert!(human.stdout.contains("its top level is not a named type"), "{}", human.stdout);
    std::fs::write(
        ws.path().join("schemapipe.yaml"),
        format!("version: 1\nschemas:\n  root: schemas\nregistry:\n  url: {}\n  subjects:\n    com/acme/orders/order-events.avsc: order-events\n", reg.url),
    )
    .unwrap();
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(json(&r)["skipped"], serde_json::json!([]));
    assert!(reg.state.lock().unwrap().subject_names().contains(&"order-events".to_string()));
}

/// A record defined inside a union file has no subject of its own to be referenced from.
#[test]
fn a_type_defined_inside_a_union_file_cannot_be_referenced_and_says_so() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "  subjects:\n    com/acme/orders/order-events.avsc: order-events\n");
    std::fs::write(
        ws.path().join("schemas/com/acme/orders/order-events.avsc"),
        r#"[{"type": "record", "name": "OrderCancelled", "namespace": "com.acme.orders", "fields": [{"name": "id", "type": "string"}]}]"#,
    )
    .unwrap();
    std::fs::write(
        ws.path().join("schemas/com/acme/orders/Audit.avsc"),
        r#"{"type": "record", "name": "Audit", "namespace": "com.acme.orders", "fields": [{"name": "what", "type": "OrderCancelled"}]}"#,
    )
    .unwrap();
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("move `com.acme.orders.OrderCancelled` into a file of its own"), "{}", r.stderr);
    assert!(reg.state.lock().unwrap().subject_names().is_empty());
}

#[test]
fn pull_bootstraps_a_repository_and_never_overwrites_without_force() {
    let reg = FakeRegistry::start();
    {
        let mut st = reg.state.lock().unwrap();
        st.put("mysql.shop.customers-value", r#"{"type":"record","name":"Envelope","namespace":"mysql.shop.customers","fields":[{"name":"id","type":"long"}]}"#);
        st.put("other-value", r#"{"type":"enum","name":"Kind","namespace":"x.y","symbols":["A"]}"#);
        st.put(":.staging:mysql.shop.items-value", r#"{"type":"fixed","name":"Hash","namespace":"z","size":16}"#);
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("schemas")).unwrap();
    std::fs::write(tmp.path().join("schemapipe.yaml"), format!("registry:\n  url: {}\n", reg.url)).unwrap();
    let r = run(tmp.path(), &["pull", "--subject", "^mysql\\."], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let written = tmp.path().join("schemas/mysql/shop/customers/Envelope.avsc");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.starts_with("{\n  \"type\": \"record\",\n  \"name\": \"Envelope\""), "{text}");
    assert!(!tmp.path().join("schemas/x/y/Kind.avsc").exists());
    std::fs::write(
        &written,
        "{\"type\": \"record\", \"name\": \"Envelope\", \"namespace\": \"mysql.shop.customers\", \"fields\": []}\n",
    )
    .unwrap();
    let r = run(tmp.path(), &["pull"], &[]);
    assert_eq!(r.code, 1, "a differing local file is a finding");
    assert!(r.stdout.contains("--force"), "{}", r.stdout);
    assert!(tmp.path().join("schemas/x/y/Kind.avsc").exists());
    let r = run(tmp.path(), &["pull", "--force"], &[]);
    assert_eq!(r.code, 0);
    assert_eq!(std::fs::read_to_string(&written).unwrap(), text);
    assert!(!tmp.path().join("schemas/z/Hash.avsc").exists(), "other contexts are left alone");

    // With `registry.context`, only that context's subjects are pulled, matched without the prefix.
    let cfg = format!("registry:\n  url: {}\n  context: staging\n", reg.url);
    std::fs::write(tmp.path().join("schemapipe.yaml"), cfg).unwrap();
    let r = run(tmp.path(), &["pull", "--subject", "^mysql\\.shop\\.items"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(tmp.path().join("schemas/z/Hash.avsc").exists(), "{}", r.stdout);
    assert!(r.stdout.contains(":.staging:mysql.shop.items-value"), "{}", r.stdout);
}

#[test]
fn check_against_the_registry_uses_the_registered_versions() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    assert_eq!(run(ws.path(), &["check", "--registry"], &[]).code, 0);
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    add_field(&p, REQUIRED);
    let r = run(ws.path(), &["check", "--registry", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc = json(&r);
    assert!(
        doc["findings"].as_array().unwrap().iter().any(|f| f["code"] == "reader-field-missing-default-value"),
        "{doc}"
    );
}

#[test]
fn registry_refusals_at_registration_are_reported_per_subject() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    reg.state.lock().unwrap().targeted = vec![
        Targeted {
            prefix: "POST /subjects/com.acme.users.UserDeleted/versions".into(),
            status: 422,
            code: 42201,
            message: "Invalid schema: the registry says no".into(),
        },
        Targeted {
            prefix: "POST /subjects/com.acme.sessions.SessionEnded/versions".into(),
            status: 409,
            code: 409,
            message: "Schema being registered is incompatible with an earlier schema".into(),
        },
        // Apicurio's refusal: HTTP 409 with its own code.
        Targeted {
            prefix: "POST /subjects/com.acme.users.UserSignedUp/versions".into(),
            status: 409,
            code: 42203,
            message: "Incompatible artifact: rule violated".into(),
        },
    ];
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "refused, not a remote failure: {}", r.stdout);
    let doc = json(&r);
    let step = |s: &str| doc["plan"].as_array().unwrap().iter().find(|x| x["subject"] == s).unwrap().clone();
    assert_eq!(step("com.acme.users.UserDeleted")["action"], "incompatible");
    assert!(step("com.acme.users.UserDeleted")["reasons"][0].as_str().unwrap().contains("the registry says no"));
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["details"]["subject"] == "com.acme.users.UserDeleted")
        .unwrap();
    assert!(f["help"].as_str().unwrap().contains("cannot parse"), "{f}");
    assert_eq!(step("com.acme.sessions.SessionEnded")["outcome"], "refused");
    assert_eq!(step("com.acme.users.UserSignedUp")["outcome"], "refused");
    let st = reg.state.lock().unwrap();
    assert_eq!(st.subject_names().len(), 20, "everything else was registered");
}

#[test]
fn contexts_and_topic_record_names_build_subjects() {
    let reg = FakeRegistry::start();
    let ws = workspace(
        &reg.url,
        "  subject_strategy: TopicRecordNameStrategy\n  context: staging\n  topics:\n    payments:\n      value: [com.acme.payments.PaymentCaptured, com.acme.payments.PaymentRefunded]\n",
    );
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let names = reg.state.lock().unwrap().subject_names();
    assert!(names.contains(&":.staging:payments-com.acme.payments.PaymentCaptured".to_string()), "{names:?}");
    assert!(names.contains(&":.staging:payments-com.acme.payments.PaymentRefunded".to_string()), "{names:?}");
    assert!(names.contains(&":.staging:com.acme.common.Money".to_string()), "{names:?}");
    let reqs = reg.state.lock().unwrap().requests.clone();
    assert!(
        reqs.iter().any(|r| r.contains("%3A.staging%3Apayments-com.acme.payments.PaymentCaptured")),
        "subjects are percent-encoded"
    );
}

#[test]
fn a_refused_shared_type_does_not_break_the_plan_of_its_users() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let money = ws.path().join("schemas/com/acme/common/Money.avsc");
    add_field(&money, REQUIRED);
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "refused, not a remote failure: {}", r.stdout);
    let plan = actions(&json(&r));
    assert_eq!(plan.iter().find(|(s, _)| s == "com.acme.common.Money").unwrap().1, "incompatible");
    // Its users are skipped: they stay on the version of Money they reference.
    assert_eq!(plan.iter().find(|(s, _)| s == "com.acme.payments.PaymentCaptured").unwrap().1, "skipped");
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 1);
    assert_eq!(reg.state.lock().unwrap().versions("com.acme.common.Money"), [1]);
}

#[test]
fn a_level_change_alone_is_a_config_change() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let cfg = std::fs::read_to_string(ws.path().join("schemapipe.yaml")).unwrap();
    std::fs::write(ws.path().join("schemapipe.yaml"), format!("{cfg}compatibility:\n  level: FULL_TRANSITIVE\n"))
        .unwrap();
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("config change") && r.stdout.contains("compatibility (global) -> FULL_TRANSITIVE"),
        "{}",
        r.stdout
    );
    assert_eq!(run(ws.path(), &["publish", "--dry-run", "--fail-on-changes"], &[]).code, 1);
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.config("com.acme.users.UserSignedUp").as_deref(), Some("FULL_TRANSITIVE"));
    assert!(st.subject_names().iter().all(|s| st.versions(s) == [1]), "no new versions");
    drop(st);
    assert_eq!(run(ws.path(), &["publish", "--dry-run", "--fail-on-changes"], &[]).code, 0);
}

#[test]
fn a_read_only_registry_is_reported_before_any_write() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    reg.state.lock().unwrap().mode = Some("READONLY".into());
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.stdout.contains("READONLY"), "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    assert!(st.subject_names().is_empty());
    assert!(
        !st.requests.iter().any(|r| r.starts_with("POST /subjects/") && r.contains("/versions")),
        "no registration attempted"
    );
}

#[test]
fn soft_deleted_version_numbers_are_never_planned_again() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let subject = "com.acme.users.UserSignedUp";
    let file = ws.path().join("schemas/com/acme/users/UserSignedUp.avsc");
    add_field(&file, NOTE);
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    reg.state.lock().unwrap().soft_delete(subject, 2);

    let planned = |ws: &Path| {
        let r = run(ws, &["publish", "--dry-run", "--format", "json"], &[]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let doc = json(&r);
        let step = doc["plan"].as_array().unwrap().iter().find(|s| s["subject"] == subject).unwrap().clone();
        (step["action"].as_str().unwrap().to_string(), step["version"].as_i64().unwrap())
    };
    assert_eq!(planned(ws.path()), ("new-version".to_string(), 3), "version 2 was soft-deleted");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    assert_eq!(reg.state.lock().unwrap().versions(subject), [1, 3]);

    // A subject with every version soft-deleted is created again after its highest number.
    {
        let mut st = reg.state.lock().unwrap();
        st.soft_delete(subject, 1);
        st.soft_delete(subject, 3);
    }
    assert_eq!(planned(ws.path()), ("create".to_string(), 4));
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    assert_eq!(reg.state.lock().unwrap().versions(subject), [4]);
}

#[test]
fn normalize_is_sent_on_every_lookup_check_and_registration_so_reruns_stay_no_ops() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "  normalize: true\n");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("(nothing to do)"), "a normalized schema is found again: {}", r.stdout);
    let st = reg.state.lock().unwrap();
    let posts: Vec<&String> = st.requests.iter().filter(|r| r.starts_with("POST ")).collect();
    assert!(!posts.is_empty());
    assert!(posts.iter().all(|r| r.contains("normalize=true")), "{posts:?}");
    assert!(st.subject_names().iter().all(|s| st.versions(s) == [1]), "no duplicate versions");
}

#[test]
fn https_with_a_custom_ca_and_a_client_certificate() {
    use support::tls_proxy::{fixture, start};
    let reg = FakeRegistry::start();
    let url = start(&reg.url, true);
    let path = |n: &str| fixture(n).display().to_string();

    // The system roots do not trust the test CA: a clear remote error, nothing registered.
    let ws = workspace(&url, "");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("registry-unavailable"), "{}", r.stdout);
    assert!(r.stdout.contains("registry.ca_cert"), "the hint names the setting: {}", r.stdout);
    assert!(r.stdout.contains("no plan: the registry could not be read"), "{}", r.stdout);
    assert!(reg.state.lock().unwrap().subject_names().is_empty());

    // Trusting the CA is not enough when the registry asks for a client certificate.
    let ca = format!("  ca_cert: {}\n", path("ca.pem"));
    let ws = workspace(&url, &ca);
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("registry.client_cert"), "{}", r.stdout);
    assert!(reg.state.lock().unwrap().subject_names().is_empty());

    // With both, publishing goes through TLS with mTLS.
    let mtls = format!("{ca}  client_cert: {}\n  client_key: {}\n", path("client.pem"), path("client-key.pem"));
    let ws = workspace(&url, &mtls);
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(reg.state.lock().unwrap().subject_names().len(), 23);
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("(nothing to do)"), "{}", r.stdout);
}

#[test]
fn subjects_the_repository_no_longer_has_are_shown_and_pruned_only_when_asked() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    std::fs::remove_file(ws.path().join("schemas/com/acme/users/UserDeleted.avsc")).unwrap();
    {
        // A chain the repository never had: the user must go before the type it references.
        let mut st = reg.state.lock().unwrap();
        st.put("legacy.Base", r#"{"type":"fixed","name":"Base","namespace":"legacy","size":4}"#);
        st.put_with_refs(
            "legacy-user-value",
            r#"{"type":"record","name":"User","namespace":"legacy","fields":[{"name":"b","type":"legacy.Base"}]}"#,
            vec![serde_json::json!({"name": "legacy.Base", "subject": "legacy.Base", "version": 1})],
        );
        st.put(":.other:kept-value", r#"{"type":"string"}"#);
    }
    let unmanaged = ["com.acme.users.UserDeleted", "legacy-user-value", "legacy.Base"];

    // Without --prune: listed, never deleted, and not drift.
    let r = run(ws.path(), &["publish", "--dry-run", "--fail-on-changes"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("3 registry subjects are not in the repository"), "{}", r.stdout);
    assert!(r.stdout.contains("publish --prune"), "{}", r.stdout);
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(unmanaged.iter().all(|s| !reg.state.lock().unwrap().versions(s).is_empty()));

    // A dry run with --prune shows the deletes and counts them as drift.
    let r = run(ws.path(), &["publish", "--dry-run", "--prune", "--fail-on-changes", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    assert_eq!(doc["unmanaged"], serde_json::json!(unmanaged), "other contexts are not this repository's");
    assert_eq!(doc["deleted"], serde_json::json!([]));
    assert!(unmanaged.iter().all(|s| !reg.state.lock().unwrap().versions(s).is_empty()), "a dry run deletes nothing");
    let r = run(ws.path(), &["publish", "--dry-run", "--prune", "--format", "markdown"], &[]);
    assert!(r.stdout.contains("| `legacy.Base` | delete | not in the repository |"), "{}", r.stdout);

    let r = run(ws.path(), &["publish", "--prune", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut deleted: Vec<String> =
        json(&r)["deleted"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
    deleted.sort();
    assert_eq!(deleted, unmanaged);
    let st = reg.state.lock().unwrap();
    assert!(unmanaged.iter().all(|s| st.versions(s).is_empty()), "soft-deleted");
    assert_eq!(st.versions(":.other:kept-value"), [1]);
    assert_eq!(st.versions("com.acme.users.UserSignedUp"), [1], "managed subjects are untouched");
    drop(st);
    let r = run(ws.path(), &["publish", "--prune"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("(nothing to do)"), "{}", r.stdout);
}

#[test]
fn a_subject_still_referenced_elsewhere_is_kept_and_reported_by_prune() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    {
        // Another context (not this repository's) uses the unmanaged type.
        let mut st = reg.state.lock().unwrap();
        st.put("legacy.Base", r#"{"type":"fixed","name":"Base","namespace":"legacy","size":4}"#);
        st.put_with_refs(
            ":.other:user-value",
            r#"{"type":"record","name":"User","namespace":"legacy","fields":[{"name":"b","type":"legacy.Base"}]}"#,
            vec![serde_json::json!({"name": "legacy.Base", "subject": "legacy.Base", "version": 1})],
        );
    }
    let r = run(ws.path(), &["publish", "--prune"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("prune-refused"), "{}", r.stdout);
    assert!(r.stdout.contains("legacy.Base"), "{}", r.stdout);
    assert!(r.stdout.contains("not in the repository: not deleted"), "{}", r.stdout);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.versions("legacy.Base"), [1], "kept");
    assert_eq!(st.versions(":.other:user-value"), [1]);
}

#[test]
fn prune_waits_until_every_subject_is_published() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    std::fs::remove_file(ws.path().join("schemas/com/acme/users/UserDeleted.avsc")).unwrap();
    // A required field without a default: BACKWARD refuses it.
    let file = ws.path().join("schemas/com/acme/users/UserSignedUp.avsc");
    add_field(&file, r#"{"name": "tier", "type": "string", "doc": "Tier."}"#);
    let r = run(ws.path(), &["publish", "--prune"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("publish-incompatible"), "{}", r.stdout);
    assert!(r.stdout.contains("prune-skipped"), "{}", r.stdout);
    assert_eq!(reg.state.lock().unwrap().versions("com.acme.users.UserDeleted"), [1], "nothing deleted");
}

#[test]
fn an_unlistable_registry_still_publishes_but_does_not_prune() {
    let reg = FakeRegistry::start();
    reg.state.lock().unwrap().targeted = vec![Targeted {
        prefix: "GET /subjects$".into(),
        status: 403,
        code: 40301,
        message: "User cannot access the resource.".into(),
    }];
    let ws = workspace(&reg.url, "");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("registry-subjects-unlisted"), "{}", r.stdout);
    assert_eq!(reg.state.lock().unwrap().subject_names().len(), 23);
    let r = run(ws.path(), &["publish", "--prune"], &[]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("not authorized"), "{}", r.stdout);
}

#[test]
fn registries_without_the_subject_wide_check_are_asked_version_by_version() {
    // Karapace answers 404 to `POST /compatibility/subjects/{s}/versions`.
    let reg = FakeRegistry::start();
    reg.state.lock().unwrap().per_version_compat_only = true;
    let ws = workspace(&reg.url, "compatibility:\n  level: BACKWARD_TRANSITIVE\n");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    let t = std::fs::read_to_string(&p).unwrap();
    let field = |default: &str| {
        t.replacen(
            "\"fields\": [",
            &format!(
                "\"fields\": [\n    {{\"name\": \"channel\", \"type\": \"string\"{default}, \"doc\": \"Where.\"}},"
            ),
            1,
        )
    };
    std::fs::write(&p, field(", \"default\": \"app\"")).unwrap();
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Without the default, version 2 is still readable but version 1 is not: the configured
    // BACKWARD_TRANSITIVE level must check both.
    std::fs::write(&p, field("")).unwrap();
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let step = doc["plan"].as_array().unwrap().iter().find(|s| s["subject"] == "com.acme.users.UserDeleted").unwrap();
    assert_eq!(step["action"], "incompatible", "{step}");
    // At a transitive level the answer does not say which version breaks: schemapipe's engine does.
    let reasons = step["reasons"].to_string();
    assert!(
        reasons.contains("one of versions 1–2") && reasons.contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        "{reasons}"
    );
    assert!(reasons.contains("version 1 breaks") && !reasons.contains("version 2 breaks"), "{reasons}");
    let st = reg.state.lock().unwrap();
    assert_eq!(st.versions("com.acme.users.UserDeleted"), [1, 2]);
    for v in [1, 2] {
        let asked = format!("POST /compatibility/subjects/com.acme.users.UserDeleted/versions/{v}");
        assert!(st.requests.iter().any(|r| r.starts_with(&asked)), "{asked} was not asked");
    }
}

#[test]
fn a_level_lowered_in_the_config_applies_before_the_check() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "compatibility:\n  level: BACKWARD\n");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    // Incompatible at BACKWARD, but the repository lowers the subject to NONE with it.
    let cfg = ws.path().join("schemapipe.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("level: BACKWARD\n", "level: BACKWARD\n  subjects:\n    com.acme.users.UserDeleted: NONE\n"),
    )
    .unwrap();
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    add_field(&p, REQUIRED);
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let step = doc["plan"].as_array().unwrap().iter().find(|s| s["subject"] == "com.acme.users.UserDeleted").unwrap();
    assert_eq!(step["action"], "new-version", "{step}");
    assert!(step["reasons"][0].as_str().unwrap().contains("sets NONE first"), "{step}");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.config("com.acme.users.UserDeleted").as_deref(), Some("NONE"));
    assert_eq!(st.versions("com.acme.users.UserDeleted"), [1, 2]);
}

#[test]
fn registries_that_keep_levels_only_for_existing_subjects_get_them_after_the_first_version() {
    // Apicurio answers 40401 to `PUT /config/{subject}` before the subject exists.
    let reg = FakeRegistry::start();
    reg.state.lock().unwrap().levels_need_subject = true;
    let ws = workspace(&reg.url, "compatibility:\n  level: FULL\n");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.subject_names().len(), 23);
    assert!(st.subject_names().iter().all(|s| st.config(s).as_deref() == Some("FULL")));
    drop(st);
    let r = run(ws.path(), &["publish"], &[]);
    assert!(r.stdout.contains("(nothing to do)"), "{}", r.stdout);
}

#[test]
fn a_lookup_the_registry_cannot_parse_is_not_retried_as_an_outage() {
    // Redpanda answers HTTP 500 to a lookup of a schema it cannot parse (Confluent: 422).
    let reg = FakeRegistry::start();
    reg.state.lock().unwrap().targeted = vec![Targeted {
        prefix: "POST /subjects/com.acme.users.UserDeleted$".into(),
        status: 500,
        code: 500,
        message: "Error while looking up schema under subject com.acme.users.UserDeleted".into(),
    }];
    let ws = workspace(&reg.url, "");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let st = reg.state.lock().unwrap();
    assert_eq!(st.versions("com.acme.users.UserDeleted"), [1]);
    let lookups = st.requests.iter().filter(|l| *l == "POST /subjects/com.acme.users.UserDeleted").count();
    assert_eq!(lookups, 2, "one before registering, one after; none retried: {:?}", st.requests);
}

/// Karapace (and the fake, with `karapace_compat`): UserDeleted at BACKWARD_TRANSITIVE with
/// version 1 and a version 2 adding `channel` with a default; the file then drops the default,
/// which only version 1 cannot be read with. Returns the workspace.
fn refused_against_version_1_only(reg: &FakeRegistry) -> tempfile::TempDir {
    let ws = workspace(&reg.url, "compatibility:\n  level: BACKWARD_TRANSITIVE\n");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    let t = std::fs::read_to_string(&p).unwrap();
    let field = |default: &str| {
        t.replacen(
            "\"fields\": [",
            &format!(
                "\"fields\": [\n    {{\"name\": \"channel\", \"type\": \"string\"{default}, \"doc\": \"Where.\"}},"
            ),
            1,
        )
    };
    std::fs::write(&p, field(", \"default\": \"app\"")).unwrap();
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    std::fs::write(&p, field("")).unwrap();
    ws
}

fn step<'a>(doc: &'a Value, subject: &str) -> &'a Value {
    doc["plan"].as_array().unwrap().iter().find(|s| s["subject"] == subject).unwrap()
}

#[test]
fn a_transitive_refusal_is_not_blamed_on_the_version_the_url_names() {
    // Karapace checks every version at a transitive level, whatever the URL names: asked about
    // version 2, it answers with version 1's break.
    let reg = FakeRegistry::start();
    {
        let mut st = reg.state.lock().unwrap();
        st.per_version_compat_only = true;
        st.karapace_compat = true;
    }
    let ws = refused_against_version_1_only(&reg);
    let subject = "com.acme.users.UserDeleted";
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let s = step(&doc, subject);
    assert_eq!(s["action"], "incompatible", "{s}");
    let reasons: Vec<&str> = s["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons.iter().all(|r| !r.starts_with("version 2") && !r.starts_with("version 1")), "{reasons:?}");
    assert!(reasons[0].starts_with("incompatible with one of versions 1–2"), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("READER_FIELD_MISSING_DEFAULT_VALUE")),
        "the registry's reason: {reasons:?}"
    );
    // schemapipe's own engine says which version breaks, and where in the file.
    let own: Vec<&&str> = reasons.iter().filter(|r| r.starts_with("schemapipe's own check")).collect();
    assert_eq!(own.len(), 1, "{reasons:?}");
    assert!(
        own[0].contains(
            "version 1 breaks (the new schema cannot read its data) at schemas/com/acme/users/UserDeleted.avsc:7:"
        ),
        "{own:?}"
    );
    assert!(own[0].contains("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/0"), "{own:?}");
    let located: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "reader-field-missing-default-value")
        .collect();
    assert_eq!(located.len(), 1, "{}", doc["findings"]);
    assert_eq!(located[0]["details"]["version"], "1");
    assert_eq!(located[0]["line"], 7, "{}", located[0]);
    // Applying says the same, in every format.
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("one of versions 1–2"), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "version 1 breaks (the new schema cannot read its data) at schemas/com/acme/users/UserDeleted.avsc:7:"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("version 2: "), "{}", r.stdout);
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "markdown"], &[]);
    assert!(r.stdout.contains("version 1 breaks"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("| error | `reader-field-missing-default-value` | `schemas/com/acme/users/UserDeleted.avsc:7:"),
        "{}",
        r.stdout
    );
    assert_eq!(reg.state.lock().unwrap().versions(subject), [1, 2]);
}

#[test]
fn a_refusal_names_its_version_where_the_answer_allows_it() {
    let subject = "com.acme.users.UserDeleted";
    let reasons = |ws: &Path| -> Vec<String> {
        let r = run(ws, &["publish", "--dry-run", "--format", "json"], &[]);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        let doc = json(&r);
        let s = step(&doc, subject);
        assert_eq!(s["action"], "incompatible", "{s}");
        s["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect()
    };
    // A non-transitive level: the subject-wide check is against the latest version.
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "compatibility:\n  level: BACKWARD\n");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    add_field(&p, NOTE);
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    add_field(&p, REQUIRED);
    let got = reasons(ws.path());
    assert!(!got.is_empty() && got.iter().all(|r| r.starts_with("version 2: ")), "{got:?}");
    assert!(got.iter().any(|r| r.contains("required_now")), "{got:?}");

    // The same registry asked version by version, at a non-transitive level: the latest only.
    reg.state.lock().unwrap().per_version_compat_only = true;
    reg.state.lock().unwrap().karapace_compat = true;
    let got = reasons(ws.path());
    assert!(!got.is_empty() && got.iter().all(|r| r.starts_with("version 2: ")), "{got:?}");

    // A transitive level with one version: that version.
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "compatibility:\n  level: FULL_TRANSITIVE\n");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    add_field(&ws.path().join("schemas/com/acme/users/UserDeleted.avsc"), REQUIRED);
    let got = reasons(ws.path());
    assert!(!got.is_empty() && got.iter().all(|r| r.starts_with("version 1: ")), "{got:?}");
}

#[test]
fn a_new_subject_is_created_not_cascaded() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    // Money gets a new version, and a new schema that uses it is added.
    add_field(&ws.path().join("schemas/com/acme/common/Money.avsc"), NOTE);
    std::fs::write(
        ws.path().join("schemas/com/acme/payments/Tip.avsc"),
        r#"{"type": "record", "name": "Tip", "namespace": "com.acme.payments", "doc": "A tip.",
  "fields": [{"name": "amount", "type": "com.acme.common.Money", "doc": "How much."}]}
"#,
    )
    .unwrap();
    let doc = json(&run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]));
    let tip = step(&doc, "com.acme.payments.Tip");
    assert_eq!(tip["action"], "create", "{tip}");
    assert_eq!(tip["cascade"], false, "{tip}");
    assert_eq!(step(&doc, "com.acme.payments.PaymentCaptured")["cascade"], true);
    for format in ["human", "markdown"] {
        let r = run(ws.path(), &["publish", "--dry-run", "--format", format], &[]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let row = r.stdout.lines().find(|l| l.contains("com.acme.payments.Tip")).unwrap();
        assert!(row.contains("new subject") && !row.contains("a referenced subject"), "{row}");
        let cascaded = r.stdout.lines().find(|l| l.contains("com.acme.payments.PaymentCaptured")).unwrap();
        assert!(cascaded.contains("a referenced subject gets a new version"), "{cascaded}");
    }
}

#[test]
fn users_of_a_refused_subject_are_skipped_with_the_reason_and_nothing_else() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    add_field(&ws.path().join("schemas/com/acme/common/Money.avsc"), REQUIRED);
    let user = "com.acme.payments.PaymentCaptured";
    for args in [&["publish", "--dry-run"][..], &["publish"]] {
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let r = run(ws.path(), &json_args, &[]);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        let doc = json(&r);
        let s = step(&doc, user);
        assert_eq!(s["action"], "skipped", "{s}");
        assert_eq!(
            s["reasons"],
            serde_json::json!(["its reference `com.acme.common.Money` (subject `com.acme.common.Money`) was refused"]),
            "{s}"
        );
        assert_ne!(s["outcome"], "unchanged", "{s}");
        for format in ["human", "markdown"] {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let r = run(ws.path(), &a, &[]);
            let rows: Vec<&str> = r.stdout.lines().filter(|l| l.contains(user)).collect();
            assert_eq!(rows.len(), 1, "{}", r.stdout);
            assert!(rows[0].contains("skipped") && rows[0].contains("`com.acme.common.Money`"), "{}", rows[0]);
            assert!(!rows[0].contains("unchanged") && !rows[0].contains("refs:"), "{}", rows[0]);
        }
    }
    let r = run(ws.path(), &["publish"], &[]);
    assert!(r.stdout.contains(" skipped\n"), "the summary counts them: {}", r.stdout);
    assert_eq!(reg.state.lock().unwrap().versions("com.acme.common.Money"), [1]);
}

#[test]
fn markdown_output_carries_the_findings() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    add_field(&ws.path().join("schemas/com/acme/users/UserDeleted.avsc"), REQUIRED);
    for args in [&["publish", "--dry-run", "--format", "markdown"][..], &["publish", "--format", "markdown"]] {
        let r = run(ws.path(), args, &[]);
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("| `com.acme.users.UserDeleted` | incompatible |"), "{}", r.stdout);
        assert!(r.stdout.contains("| error | `publish-incompatible` |"), "{}", r.stdout);
    }
    // A registry that cannot be read: the finding says why.
    reg.state.lock().unwrap().down_after = Some(0);
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "markdown"], &[]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("| error | `registry-unavailable` |"), "{}", r.stdout);
    // Schema errors stop publishing: shown as Markdown, and in the CI formats.
    std::fs::write(
        ws.path().join("schemas/com/acme/users/Broken.avsc"),
        "{\"type\": \"record\", \"name\": \"Broken\"}\n",
    )
    .unwrap();
    let r = run(ws.path(), &["publish", "--format", "markdown"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("not publishing") && r.stdout.contains("| error |"), "{}", r.stdout);
    assert!(r.stdout.contains("`schemas/com/acme/users/Broken.avsc:1:"), "{}", r.stdout);
    let r = run(ws.path(), &["publish", "--format", "github"], &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("::error file=schemas/com/acme/users/Broken.avsc"), "{}", r.stdout);
}

#[test]
fn a_subject_that_changes_besides_its_reference_is_not_called_a_cascade() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    add_field(&ws.path().join("schemas/com/acme/common/EventHeader.avsc"), NOTE);
    add_field(&ws.path().join("schemas/com/acme/users/UserDeleted.avsc"), NOTE);
    let doc = json(&run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]));
    let own = step(&doc, "com.acme.users.UserDeleted");
    assert_eq!(own["action"], "new-version", "{own}");
    assert_eq!(own["cascade"], false, "{own}");
    assert!(own["reasons"][0].as_str().unwrap().starts_with("the schema changes too"), "{own}");
    let cascaded = step(&doc, "com.acme.users.UserSignedUp");
    assert_eq!(cascaded["cascade"], true, "{cascaded}");
    assert_eq!(cascaded["reasons"], serde_json::json!([]), "{cascaded}");
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    let row = r.stdout.lines().find(|l| l.contains("com.acme.users.UserDeleted")).unwrap();
    assert!(!row.contains("a referenced subject gets a new version"), "{row}");
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(reg.state.lock().unwrap().versions("com.acme.users.UserDeleted"), [1, 2]);
}

#[test]
fn a_level_the_registry_does_not_show_leaves_a_refusal_unattributed_not_failed() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    add_field(&p, NOTE);
    assert_eq!(run(ws.path(), &["publish"], &[]).code, 0);
    add_field(&p, REQUIRED);
    reg.state.lock().unwrap().targeted = vec![Targeted {
        prefix: "GET /config".into(),
        status: 403,
        code: 40301,
        message: "User cannot access the resource.".into(),
    }];
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 1, "a refusal, not a remote failure: {}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let s = step(&doc, "com.acme.users.UserDeleted");
    assert_eq!(s["action"], "incompatible", "{s}");
    let reasons = s["reasons"].to_string();
    assert!(reasons.contains("one of versions 1–2") && reasons.contains("version 2 breaks"), "{reasons}");
}

/// Ownership of the user events, and `registry.metadata` as given.
fn metadata_config(enabled: bool, domain: &str) -> String {
    format!(
        "  metadata: {enabled}\nmetadata:\n  classifications: [pii, internal]\n  teams:\n    identity: {{contact: \"#identity\"}}\n  schemas:\n    com.acme.users.UserSignedUp:\n      owner: identity\n      domain: {domain}\n      tags: [gdpr]\n      fields:\n        email: {{classification: pii, tags: [contact]}}\n"
    )
}

const SIGNED_UP: &str = "com.acme.users.UserSignedUp";

#[test]
fn metadata_is_sent_when_enabled_and_a_metadata_change_is_its_own_action() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, &metadata_config(true, "users"));
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    {
        let st = reg.state.lock().unwrap();
        let m = st.metadata(SIGNED_UP).expect("metadata registered");
        assert_eq!(m["properties"]["owner"], "identity", "{m}");
        assert_eq!(m["properties"]["domain"], "users", "{m}");
        assert_eq!(m["properties"]["tags"], "gdpr", "{m}");
        assert_eq!(m["tags"]["com.acme.users.UserSignedUp.email"], serde_json::json!(["contact", "pii"]), "{m}");
        // A schema without metadata is registered without any.
        assert_eq!(st.metadata("com.acme.common.Money"), None);
        assert!(st.metadata_sent.iter().all(|s| s != "com.acme.common.Money"), "{:?}", st.metadata_sent);
        assert_eq!(st.versions(SIGNED_UP), [1]);
    }
    // Run again: nothing to do.
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("(nothing to do)"), "{}", r.stdout);

    // Only the metadata changes: planned as a metadata update, not unchanged nor a new schema.
    std::fs::write(ws.path().join("schemapipe.yaml"), {
        let cfg = std::fs::read_to_string(ws.path().join("schemapipe.yaml")).unwrap();
        cfg.replace("domain: users", "domain: identity")
    })
    .unwrap();
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let changed: Vec<(String, String)> = actions(&doc).into_iter().filter(|(_, a)| a != "unchanged").collect();
    assert_eq!(changed, [(SIGNED_UP.to_string(), "metadata".to_string())]);
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert!(r.stdout.contains("update metadata"), "{}", r.stdout);
    assert!(r.stdout.contains("1 metadata updates"), "{}", r.stdout);
    assert_eq!(reg.state.lock().unwrap().versions(SIGNED_UP), [1], "a dry run changes nothing");

    // Applied: the same schema registered again, as a new version with the new metadata.
    let r = run(ws.path(), &["publish", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = json(&r);
    let step = doc["plan"].as_array().unwrap().iter().find(|s| s["subject"] == SIGNED_UP).unwrap().clone();
    assert_eq!(step["action"], "metadata", "{step}");
    assert_eq!(step["version"], 2, "{step}");
    {
        let st = reg.state.lock().unwrap();
        assert_eq!(st.versions(SIGNED_UP), [1, 2]);
        assert_eq!(st.metadata(SIGNED_UP).unwrap()["properties"]["domain"], "identity");
        assert!(st.subject_names().iter().filter(|s| *s != SIGNED_UP).all(|s| st.versions(s) == [1]));
    }
    // And a re-run is a no-op.
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("(nothing to do)"), "{}", r.stdout);
    assert_eq!(reg.state.lock().unwrap().versions(SIGNED_UP), [1, 2]);
    // A registry whose lookup answers with the first version holding the schema: the latest
    // holds it too, so it is not a rollback.
    reg.state.lock().unwrap().lookup_oldest = true;
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(actions(&json(&r)).iter().all(|(_, a)| a == "unchanged"), "{}", r.stdout);
}

#[test]
fn metadata_is_not_sent_when_disabled() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, &metadata_config(false, "users"));
    let r = run(ws.path(), &["publish"], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let st = reg.state.lock().unwrap();
    assert!(st.metadata_sent.is_empty(), "{:?}", st.metadata_sent);
    assert_eq!(st.metadata(SIGNED_UP), None);
    drop(st);
    // Registered metadata is not compared either: nothing to do.
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &[]);
    assert!(actions(&json(&r)).iter().all(|(_, a)| a == "unchanged"));
}

#[test]
fn registry_metadata_must_be_a_boolean() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "  metadata: sometimes\n");
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    let ws = workspace(&reg.url, "  metdata: true\n");
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(format!("{}{}", r.stdout, r.stderr).contains("metdata"), "{}{}", r.stdout, r.stderr);
}
