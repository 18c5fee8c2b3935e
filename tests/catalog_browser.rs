//! The catalog site in a real browser: headless Chromium (provisioned under target/, see
//! tests/support/chromium.rs) opens this repository's catalog from file:// and the DOM is
//! checked — every schema listed, `#q=email` finds exactly the schemas with such a field, a
//! schema page shows its fields, lineage and timeline, an impact page its consumers — with no
//! console error, no exception and no request that is not for a local file. Screenshots are
//! kept in target/catalog-browser/ as test artifacts.

mod support {
    pub mod bin;
    pub mod chromium;
    pub mod oracles;
}

use serde_json::{json, Value};
use std::collections::BTreeSet;
use support::bin::{repo_root, run};

fn file_url(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn the_catalog_of_this_repository_works_in_headless_chromium() {
    let chromium = support::chromium::get();
    let node = support::oracles::get();
    let work = support::oracles::target_dir().join("catalog-browser");
    let site = work.join("site");
    // Only this test's own output is removed.
    let _ = std::fs::remove_dir_all(&site);
    let _ = std::fs::remove_dir_all(work.join("profile"));
    std::fs::create_dir_all(&work).unwrap();
    let (code, out, err) = run(&repo_root(), &["catalog", "--out", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, doc, err) = run(&repo_root(), &["catalog", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let schemas: Vec<String> =
        doc["catalog"]["schemas"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect();
    let with_email: BTreeSet<String> = doc["catalog"]["schemas"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["fields"].as_array().unwrap().iter().any(|f| f["name"].as_str().unwrap().contains("email")))
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert!(with_email.contains("com.acme.users.UserSignedUp") && with_email.len() >= 3, "{with_email:?}");

    let index = site.join("index.html");
    let rows = r#"Array.from(document.querySelectorAll('#schemas tbody tr')).map(r => ({name: r.cells[0].querySelector('a').textContent, shown: !r.hidden, matches: r.cells[r.cells.length-1].textContent, owner: r.cells[1].textContent}))"#;
    let plan = json!({
        "chromium": chromium.binary,
        "env": chromium.env.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
        "userDataDir": work.join("profile"),
        "timeoutMs": 120000,
        "pages": [
            {"url": file_url(&index), "evaluate": rows, "screenshot": work.join("index.png")},
            {"url": format!("{}#q=email", file_url(&index)), "evaluate": format!("({{rows: {rows}, q: document.getElementById('q').value, count: document.getElementById('count').textContent}})"), "screenshot": work.join("search-email.png")},
            {"url": file_url(&index), "actions": "(() => { const q = document.getElementById('q'); q.value = 'card_last4'; q.dispatchEvent(new Event('input')); return new Promise(r => setTimeout(r, 200)); })()", "evaluate": format!("({{rows: {rows}, hash: location.hash}})")},
            {"url": format!("{}#owner=payments", file_url(&index)), "evaluate": rows},
            {"url": file_url(&site.join("schemas/com.acme.users.UserSignedUp.html")),
             "evaluate": "({fields: Array.from(document.querySelectorAll('table.fields tbody tr')).map(r => ({path: r.dataset.field, cls: r.cells[4].textContent.trim()})), versions: document.querySelectorAll('#timeline li.version').length, verdicts: document.querySelectorAll('#timeline .verdict').length, svg: !!document.querySelector('#lineage svg.lineage'), producers: Array.from(document.querySelectorAll('#lineage .node.producer title')).map(t => t.textContent), consumers: Array.from(document.querySelectorAll('#lineage .node.consumer title')).map(t => t.textContent), topics: Array.from(document.querySelectorAll('#lineage .node.topic title')).map(t => t.textContent), owner: document.querySelector('#about dd').textContent})",
             "screenshot": work.join("schema-UserSignedUp.png"), "height": 2400},
            {"url": file_url(&site.join("types/com.acme.common.Address.html")),
             "evaluate": "({schemas: Array.from(document.querySelectorAll('#impact-schemas tbody tr')).map(r => r.cells[0].textContent), consumers: Array.from(document.querySelectorAll('#impact-consumers tbody tr')).map(r => r.cells[0].textContent)})",
             "screenshot": work.join("impact-Address.png")},
            {"url": format!("{}#q=address", file_url(&index)), "evaluate": "document.body.dataset.results", "screenshot": work.join("index-phone.png"), "width": 390, "height": 844, "mobile": true},
        ]
    });
    let plan_path = work.join("plan.json");
    std::fs::write(&plan_path, serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
    let out = node.node().arg(repo_root().join("tests/chromium/drive.mjs")).arg(&plan_path).output().unwrap();
    assert!(out.status.success(), "the browser run failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    for r in &results {
        assert_eq!(r["consoleErrors"], json!([]), "console errors on {}", r["url"]);
        assert_eq!(r["exceptions"], json!([]), "exceptions on {}", r["url"]);
        assert_eq!(r["requests"], json!([]), "{} fetched from the network", r["url"]);
    }
    // Every schema is listed, with its owner, and all rows show without a search.
    let listed: Vec<&Value> = results[0]["value"].as_array().unwrap().iter().collect();
    let names: Vec<&str> = listed.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, schemas.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(listed.iter().all(|r| r["shown"] == true && r["owner"] != "—"), "{listed:?}");
    // `#q=email` opens with the schemas that carry such a field, and names the fields.
    let v = &results[1]["value"];
    assert_eq!(v["q"], "email");
    let matched: BTreeSet<String> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["shown"] == true && r["matches"].as_str().unwrap().contains("email"))
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(matched, with_email);
    // Fields of nested records are found by their path.
    let rows = v["rows"].as_array().unwrap();
    let cdc = rows.iter().find(|r| r["name"] == "com.acme.cdc.mysql.shop.CustomersEnvelope").unwrap();
    assert!(cdc["matches"].as_str().unwrap().contains("before.email"), "{cdc}");
    // Fields of nested records are found by their path.
    let cdc = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "com.acme.cdc.mysql.shop.CustomersEnvelope")
        .unwrap();
    assert!(cdc["matches"].as_str().unwrap().contains("before.email"), "{cdc}");
    assert!(v["rows"].as_array().unwrap().iter().filter(|r| r["shown"] == true).count() < schemas.len());
    // Typing searches as you type and puts the state in the address.
    let v = &results[2]["value"];
    assert_eq!(v["hash"], "#q=card_last4");
    let shown: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["shown"] == true)
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["com.acme.payments.PaymentAuthorized"]);
    // A filter from the address.
    let shown: Vec<&Value> = results[3]["value"].as_array().unwrap().iter().filter(|r| r["shown"] == true).collect();
    assert!(!shown.is_empty() && shown.iter().all(|r| r["owner"] == "payments"), "{shown:?}");
    // A schema page: fields with classifications, lineage, timeline.
    let v = &results[4]["value"];
    let fields = v["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f["path"] == "email" && f["cls"] == "pii"), "{fields:?}");
    assert!(fields.iter().any(|f| f["path"] == "device"), "{fields:?}");
    assert!(
        v["svg"] == true && v["producers"] == json!(["identity-service"]) && v["topics"] == json!(["acme.users.v1"])
    );
    assert!(v["consumers"].as_array().unwrap().len() >= 3, "{v}");
    assert!(v["versions"].as_u64().unwrap() >= 1 && v["verdicts"] == v["versions"], "{v}");
    assert!(v["owner"].as_str().unwrap().contains("identity"), "{v}");
    // The impact of a change to a shared type: the schemas and services it reaches.
    let v = &results[5]["value"];
    let reached: Vec<&str> = v["schemas"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(
        reached.contains(&"com.acme.orders.OrderPlaced") && reached.contains(&"com.acme.users.UserProfileUpdated"),
        "{reached:?}"
    );
    let consumers: Vec<&str> = v["consumers"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(consumers.contains(&"warehouse-sink") && consumers.contains(&"notification-service"), "{consumers:?}");
    // On a phone-sized screen the search still answers.
    assert!(results[6]["value"].as_str().unwrap().parse::<usize>().unwrap() > 0);
    for shot in ["index.png", "search-email.png", "schema-UserSignedUp.png", "impact-Address.png", "index-phone.png"] {
        assert!(std::fs::metadata(work.join(shot)).unwrap().len() > 1000, "{shot}");
    }
}
