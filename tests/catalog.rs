//! `schemapipe catalog` on a small git repository built in a temp dir: the JSON document and
//! the Markdown pages (snapshotted), the version timeline (commits, verdicts, field diffs), the
//! Atlas export checked against the type definitions it ships, the site's files, determinism,
//! and the output directory rules (refused at `/` and $HOME, files of others never touched).

mod support {
    pub mod bin;
    #[allow(dead_code)] // the helpers for branches and the index are for other tests
    pub mod git_repo;
}

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use support::bin::run;
use support::git_repo::Repo;

const CONFIG: &str = r##"version: 1
schemas:
  root: schemas
compatibility:
  level: BACKWARD
metadata:
  teams:
    shop: {contact: "#shop", description: "Orders and customers."}
    platform: {contact: platform@example.com}
  services:
    checkout: {kind: service, team: shop}
    warehouse: {kind: sink, team: platform, description: "The data warehouse."}
    mailer: {kind: service, team: shop}
  schemas:
    com.acme.**:
      owner: shop
      domain: shop
      topics: [shop.events]
      producers: [checkout]
      consumers: [warehouse]
    com.acme.common.**:
      owner: platform
      domain: shared
      topics: []
    com.acme.Customer:
      consumers: [mailer]
      tags: [customer-data]
      fields:
        email: {classification: pii}
"##;

const MONEY_1: &str = r#"{"type": "record", "name": "Money", "namespace": "com.acme.common", "doc": "An amount.", "fields": [
  {"name": "units", "type": "long", "doc": "Whole units."}
]}
"#;
const MONEY_2: &str = r#"{"type": "record", "name": "Money", "namespace": "com.acme.common", "doc": "An amount.", "fields": [
  {"name": "units", "type": "long", "doc": "Whole units."},
  {"name": "currency", "type": "string", "default": "EUR", "doc": "ISO 4217 code."}
]}
"#;
const ORDER_1: &str = r#"{"type": "record", "name": "Order", "namespace": "com.acme", "doc": "An order was placed.", "fields": [
  {"name": "id", "type": "string", "doc": "Order id."},
  {"name": "total", "type": "com.acme.common.Money", "doc": "What it costs."}
]}
"#;
const ORDER_2: &str = r#"{"type": "record", "name": "Order", "namespace": "com.acme", "doc": "An order was placed.", "fields": [
  {"name": "id", "type": "string", "doc": "Order id."},
  {"name": "total", "type": "com.acme.common.Money", "doc": "What it costs."},
  {"name": "note", "type": "string", "doc": "Free text."}
]}
"#;
const CUSTOMER: &str = r#"{"type": "record", "name": "Customer", "namespace": "com.acme", "doc": "A customer signed up.", "fields": [
  {"name": "id", "type": "string", "doc": "Customer id."},
  {"name": "email", "type": "string", "doc": "Where we write."},
  {"name": "address", "type": {"type": "record", "name": "PostalAddress", "fields": [
    {"name": "street", "type": "string", "doc": "Street and number.", "classification": "pii"}
  ]}, "doc": "Where we ship.", "classification": "pii"}
]}
"#;

/// Three commits: Money and Order; Money gains a field (a version of Order too); Order gains
/// a field without a default (breaks BACKWARD); Customer added.
fn repo() -> Repo {
    let r = Repo::with_config(CONFIG);
    r.write("schemas/com/acme/common/Money.avsc", MONEY_1);
    r.write("schemas/com/acme/Order.avsc", ORDER_1);
    r.commit("Money and Order");
    r.write("schemas/com/acme/common/Money.avsc", MONEY_2);
    r.commit("Money: currency");
    r.write("schemas/com/acme/Order.avsc", ORDER_2);
    r.write("schemas/com/acme/Customer.avsc", CUSTOMER);
    r.commit("Order: a note; Customer");
    r
}

fn catalog_json(dir: &Path) -> Value {
    let (code, out, err) = run(dir, &["catalog", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    serde_json::from_str(&out).unwrap()
}

fn read_dir_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn go(root: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                go(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    go(dir, dir, &mut out);
    out
}

#[test]
fn json_document_has_metadata_lineage_and_the_timeline() {
    let r = repo();
    let doc = catalog_json(r.path());
    let mut shown = doc.clone();
    shown["schemapipe"] = json!("[version]");
    insta::assert_json_snapshot!("catalog_json", shown);
    let c = &doc["catalog"];
    let order = c["schemas"].as_array().unwrap().iter().find(|s| s["name"] == "com.acme.Order").unwrap();
    let versions = order["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3, "{versions:#?}");
    assert_eq!(versions[1]["commit"]["message"], "Money: currency");
    assert_eq!(versions[1]["via"], json!(["com.acme.common.Money"]));
    assert_eq!(versions[2]["compatibility"]["allowed"], false);
    assert_eq!(versions[2]["compatibility"]["backward"], false);
    assert_eq!(versions[2]["changes"][0]["kind"], "field-added");
    assert_eq!(versions[2]["changes"][0]["breaks"], json!(["backward"]));
    let impact = &c["shared_types"][0];
    assert_eq!(impact["name"], "com.acme.common.Money");
    assert_eq!(impact["schemas"], json!(["com.acme.Order"]));
    assert_eq!(impact["consumers"][0]["name"], "warehouse");
    let customer = c["schemas"].as_array().unwrap().iter().find(|s| s["name"] == "com.acme.Customer").unwrap();
    let cls: HashMap<&str, &Value> = customer["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), &f["classification"]))
        .collect();
    assert_eq!(cls["email"], "pii");
    assert_eq!(cls["address.street"], "pii");
    assert_eq!(customer["consumers"].as_array().unwrap().len(), 2);
    // An uncommitted change is the last version, without a commit.
    r.write("schemas/com/acme/Customer.avsc", &CUSTOMER.replace("Where we write.", "Where we write to."));
    let doc = catalog_json(r.path());
    let customer = doc["catalog"]["schemas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "com.acme.Customer")
        .unwrap()
        .clone();
    let versions = customer["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["commit"], Value::Null);
    assert_eq!(versions[1]["changes"][0]["kind"], "doc-changed");
}

#[test]
fn markdown_has_one_page_per_domain() {
    let r = repo();
    let out = r.path().join("target/md");
    let (code, stdout, err) = run(r.path(), &["catalog", "--format", "markdown", "--out", "target/md"]);
    assert_eq!(code, 0, "{stdout}{err}");
    let files = read_dir_all(&out);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, [".schemapipe-catalog", "README.md", "shared.md", "shop.md"]);
    for name in ["README.md", "shop.md", "shared.md"] {
        insta::assert_snapshot!(format!("catalog_markdown_{name}"), String::from_utf8_lossy(&files[name]));
    }
}

/// Every attribute of an entity's type (with its super types) and every relationship end.
fn check_atlas(entities: &Value, typedefs: &Value) {
    // Atlas's built-in super types.
    let mut attrs: HashMap<&str, [BTreeSet<String>; 2]> = HashMap::new();
    let builtin: BTreeSet<String> = ["qualifiedName", "name", "description", "owner", "displayName", "userDescription"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for t in typedefs["entityDefs"].as_array().unwrap() {
        assert_eq!(t["superTypes"], json!(["DataSet"]), "{t}");
        let all: BTreeSet<String> = t["attributeDefs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .chain(builtin.iter().cloned())
            .collect();
        let required: BTreeSet<String> = t["attributeDefs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["isOptional"] == false)
            .map(|a| a["name"].as_str().unwrap().to_string())
            .chain(["qualifiedName".to_string(), "name".to_string()])
            .collect();
        attrs.insert(t["name"].as_str().unwrap(), [all, required]);
    }
    // Relationship end name on a type -> the type at the other end.
    let mut ends: HashMap<(String, String), String> = HashMap::new();
    for r in typedefs["relationshipDefs"].as_array().unwrap() {
        let (a, b) = (&r["endDef1"], &r["endDef2"]);
        ends.insert(
            (a["type"].as_str().unwrap().into(), a["name"].as_str().unwrap().into()),
            b["type"].as_str().unwrap().into(),
        );
        ends.insert(
            (b["type"].as_str().unwrap().into(), b["name"].as_str().unwrap().into()),
            a["type"].as_str().unwrap().into(),
        );
    }
    let list = entities["entities"].as_array().unwrap();
    let mut by_guid: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut qns = BTreeSet::new();
    for e in list {
        let t = e["typeName"].as_str().unwrap();
        let qn = e["attributes"]["qualifiedName"].as_str().unwrap();
        assert!(qns.insert(qn.to_string()), "duplicate qualifiedName {qn}");
        let g = e["guid"].as_str().unwrap();
        assert!(g.starts_with('-'), "{g}");
        assert!(by_guid.insert(g, (t, qn)).is_none(), "duplicate guid {g}");
    }
    for e in list {
        let t = e["typeName"].as_str().unwrap();
        let [all, required] = attrs.get(t).unwrap_or_else(|| panic!("type {t} is not defined"));
        let given: BTreeSet<String> = e["attributes"].as_object().unwrap().keys().cloned().collect();
        assert!(given.is_subset(all), "{t} has undeclared attributes {:?}", given.difference(all).collect::<Vec<_>>());
        assert!(required.is_subset(&given), "{t} lacks {:?}", required.difference(&given).collect::<Vec<_>>());
        for (end, value) in e["relationshipAttributes"].as_object().unwrap() {
            let other =
                ends.get(&(t.to_string(), end.clone())).unwrap_or_else(|| panic!("no relationship end {t}.{end}"));
            let refs: Vec<&Value> = match value {
                Value::Array(a) => a.iter().collect(),
                v => vec![v],
            };
            for r in refs {
                assert_eq!(r["typeName"], other.as_str(), "{t}.{end}");
                let (rt, rqn) = by_guid.get(r["guid"].as_str().unwrap()).expect("the guid resolves");
                assert_eq!((*rt, *rqn), (other.as_str(), r["uniqueAttributes"]["qualifiedName"].as_str().unwrap()));
            }
        }
    }
}

#[test]
fn atlas_export_matches_the_type_definitions_it_ships() {
    let r = repo();
    let (code, out, err) = run(r.path(), &["catalog", "--format", "atlas", "--atlas-cluster", "prod"]);
    assert_eq!(code, 0, "{err}");
    let entities: Value = serde_json::from_str(&out).unwrap();
    let typedefs: Value = serde_json::from_str(
        &std::fs::read_to_string(support::bin::repo_root().join("templates/catalog/atlas-typedefs.json")).unwrap(),
    )
    .unwrap();
    check_atlas(&entities, &typedefs);
    let qns: BTreeSet<&str> = entities["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["attributes"]["qualifiedName"].as_str().unwrap())
        .collect();
    for qn in [
        "com.acme.Order@prod",
        "com.acme.Customer.address.street@prod",
        "shop.events@prod",
        "com.acme.common.Money@prod",
    ] {
        assert!(qns.contains(qn), "{qn}: {qns:?}");
    }
    // Stable across runs.
    let (_, again, _) = run(r.path(), &["catalog", "--format", "atlas", "--atlas-cluster", "prod"]);
    assert_eq!(out, again);
    // With --out, the typedefs are written beside the entities.
    let (code, _, err) = run(r.path(), &["catalog", "--format", "atlas", "--out", "atlas"]);
    assert_eq!(code, 0, "{err}");
    let shipped: Value =
        serde_json::from_slice(&std::fs::read(r.path().join("atlas/atlas-typedefs.json")).unwrap()).unwrap();
    check_atlas(
        &serde_json::from_slice(&std::fs::read(r.path().join("atlas/atlas-entities.json")).unwrap()).unwrap(),
        &shipped,
    );
    // This repository's own catalog too.
    let (code, out, err) = run(&support::bin::repo_root(), &["catalog", "--format", "atlas"]);
    assert_eq!(code, 0, "{err}");
    check_atlas(&serde_json::from_str(&out).unwrap(), &typedefs);
}

#[test]
fn the_site_is_complete_deterministic_and_offline() {
    let r = repo();
    let (code, out, err) = run(r.path(), &["catalog", "--out", "site"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("catalog of 3 schemas"), "{out}");
    let first = read_dir_all(&r.path().join("site"));
    for f in [
        "index.html",
        "schemas/com.acme.Order.html",
        "schemas/com.acme.Customer.html",
        "types/com.acme.common.Money.html",
        "assets/catalog.js",
        "assets/catalog.css",
        "assets/search-index.js",
    ] {
        assert!(first.contains_key(f), "{f}: {:?}", first.keys());
    }
    for (name, bytes) in &first {
        let text = String::from_utf8_lossy(bytes);
        for remote in ["http://", "https://", "//cdn", "@import"] {
            let allowed = name.ends_with(".html")
                && remote == "http://"
                && text.matches("http://").all(|_| text.contains("http://www.w3.org/2000/svg"));
            assert!(allowed || !text.contains(remote), "{name} refers to {remote}");
        }
    }
    let order = String::from_utf8_lossy(&first["schemas/com.acme.Order.html"]).into_owned();
    assert!(order.contains("incompatible at BACKWARD") && order.contains("<svg class=\"lineage\""), "{order}");
    // The same repository gives the same bytes; a user's file in the directory is kept.
    std::fs::write(r.path().join("site/notes.txt"), "mine").unwrap();
    let (code, out, _) = run(r.path(), &["catalog", "--out", "site"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 files written"), "{out}");
    let mut second = read_dir_all(&r.path().join("site"));
    assert_eq!(second.remove("notes.txt").unwrap(), b"mine");
    assert_eq!(first, second);
    // A schema removed: its page goes, nothing else does.
    r.remove("schemas/com/acme/Customer.avsc");
    let (code, out, _) = run(r.path(), &["catalog", "--out", "site"]);
    assert_eq!(code, 0);
    assert!(out.contains("1 removed"), "{out}");
    assert!(!r.path().join("site/schemas/com.acme.Customer.html").exists());
    assert!(r.path().join("site/notes.txt").exists());
}

#[test]
fn output_directories_that_are_not_the_catalogs_own_are_refused() {
    let r = repo();
    let (code, _, err) = run(r.path(), &["catalog", "--out", "/"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("file system's root"), "{err}");
    let (code, _, err) = run(r.path(), &["catalog", "--out", "."]);
    assert_eq!(code, 2, "{err}");
    let home = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("schemapipe")
        .unwrap()
        .env_clear()
        .env("HOME", home.path())
        .current_dir(r.path())
        .args(["catalog", "--out"])
        .arg(home.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("home directory"));
    // A file of someone else's where a catalog file goes: nothing is written.
    std::fs::create_dir_all(r.path().join("busy")).unwrap();
    std::fs::write(r.path().join("busy/index.html"), "not mine").unwrap();
    let (code, _, err) = run(r.path(), &["catalog", "--out", "busy"]);
    assert_eq!(code, 2);
    assert!(err.contains("was not written by schemapipe catalog"), "{err}");
    assert_eq!(std::fs::read_to_string(r.path().join("busy/index.html")).unwrap(), "not mine");
    assert!(!r.path().join("busy/assets").exists());
    // The site needs a directory.
    let (code, _, err) = run(r.path(), &["catalog"]);
    assert_eq!(code, 2);
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn metadata_errors_and_the_ownership_rules() {
    let r = repo();
    r.write("schemapipe.yaml", &CONFIG.replace("consumers: [mailer]", "consumers: [mailr]"));
    let (code, _, err) = run(r.path(), &["catalog", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown service `mailr`") && err.contains("did you mean `mailer`?"), "{err}");
    assert!(err.contains("schemapipe.yaml:26:19"), "{err}");
    r.write("schemapipe.yaml", &CONFIG.replace("      owner: shop\n", "      ownr: shop\n"));
    let (code, _, err) = run(r.path(), &["lint"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `owner`?"), "{err}");
    // Without an owner for com.acme.**, and without the email's classification, lint fails.
    r.write(
        "schemapipe.yaml",
        &CONFIG
            .replace("      owner: shop\n", "")
            .replace("        email: {classification: pii}\n", "        id: {}\n"),
    );
    let (code, out, _) = run(r.path(), &["lint"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("schema-without-owner") && out.contains("schema `com.acme.Order` has no owner"), "{out}");
    assert!(out.contains("personal-field-without-classification") && out.contains("field `email`"), "{out}");
}

#[test]
fn sample_events_are_shown_on_their_schemas_page_and_exported() {
    let r = repo();
    let samples = concat!(
        "// big order\n",
        r#"{"id": "o-1", "total": {"units": 12, "currency": "EUR"}, "note": "<b>gift</b> & \"wrap\""}"#,
        "\n\n",
        r#"{"id":"o-2","total":{"units":3,"currency":"USD"},"note":""}"#,
        "\n// does not fit: left out\n",
        r#"{"id": "o-3"}"#,
        "\n",
    );
    r.write("schemas/com/acme/Order.examples.jsonl", samples);
    let doc = catalog_json(r.path());
    let schema =
        |name: &str| doc["catalog"]["schemas"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
    let event_1 = "{\n  \"id\": \"o-1\",\n  \"total\": {\n    \"units\": 12,\n    \"currency\": \"EUR\"\n  },\n  \"note\": \"<b>gift</b> & \\\"wrap\\\"\"\n}";
    let event_2 = "{\n  \"id\": \"o-2\",\n  \"total\": {\n    \"units\": 3,\n    \"currency\": \"USD\"\n  },\n  \"note\": \"\"\n}";
    assert_eq!(
        schema("com.acme.Order")["samples"],
        json!([
            {"name": "big order", "line": 2, "event": event_1},
            {"name": null, "line": 4, "event": event_2},
        ])
    );
    // A schema without a samples file has none.
    assert_eq!(schema("com.acme.Customer")["samples"], json!([]));

    // The site: the events on the schema's page, escaped; none on a page without samples.
    let (code, out, err) = run(r.path(), &["catalog", "--out", "site"]);
    assert_eq!(code, 0, "{out}{err}");
    let first = read_dir_all(&r.path().join("site"));
    let order = String::from_utf8_lossy(&first["schemas/com.acme.Order.html"]).into_owned();
    assert!(order.contains("<section id=\"samples\"><h2>Sample events <span class=\"count\">2</span></h2>"), "{order}");
    assert!(order.contains("big order <span class=\"meta\">(line 2)</span>"), "{order}");
    assert!(order.contains("<h3 class=\"sample\">line 4</h3>"), "{order}");
    assert!(order.contains("&lt;b&gt;gift&lt;/b&gt; &amp; \\&quot;wrap\\&quot;"), "{order}");
    assert!(!order.contains("<b>gift</b>") && !order.contains("o-3"), "{order}");
    let customer = String::from_utf8_lossy(&first["schemas/com.acme.Customer.html"]).into_owned();
    assert!(!customer.contains("id=\"samples\""), "{customer}");
    // Deterministic.
    let (code, out, _) = run(r.path(), &["catalog", "--out", "site"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 files written"), "{out}");
    assert_eq!(first, read_dir_all(&r.path().join("site")));

    // Markdown: a fenced block per event.
    let (code, out, err) = run(r.path(), &["catalog", "--format", "markdown", "--out", "md"]);
    assert_eq!(code, 0, "{out}{err}");
    let pages: String =
        read_dir_all(&r.path().join("md")).values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    assert!(pages.contains(&format!("Sample event big order (line 2):\n\n```json\n{event_1}\n```\n")), "{pages}");
    assert!(pages.contains(&format!("Sample event line 4:\n\n```json\n{event_2}\n```\n")), "{pages}");
    assert_eq!(pages.matches("Sample event").count(), 2, "{pages}");
}
