//! `diff` over rings and chains of files referring to each other: a change is shown inline
//! a few files away and left to its own entry further out, so the review grows linearly with
//! the number of files instead of repeating the change once per file at ever longer paths.

mod support {
    pub mod bin;
    #[allow(dead_code)] // the tests here use a part of it
    pub mod git_repo;
}

use serde_json::Value;
use support::bin::run;
use support::git_repo::Repo;

const CONFIG: &str = "version: 1\nschemas:\n  root: schemas\ncompatibility:\n  level: BACKWARD_TRANSITIVE\n";

fn node(i: usize, n: usize, extra: bool) -> String {
    let extra = if extra { r#", {"name": "extra", "type": "string", "default": "", "doc": "New."}"# } else { "" };
    format!(
        r#"{{"type": "record", "name": "Node{i}", "namespace": "com.ring", "doc": "A node.", "fields": [
  {{"name": "id", "type": "long", "doc": "Id."}},
  {{"name": "next", "type": ["null", "com.ring.Node{}"], "default": null, "doc": "Next."}}{extra}
]}}
"#,
        (i + 1) % n
    )
}

/// A ring of `n` files on `main`; the working tree adds a field to `Node0`.
fn ring(n: usize) -> Repo {
    let r = Repo::with_config(CONFIG);
    for i in 0..n {
        r.write(&format!("schemas/Node{i}.avsc"), &node(i, n, false));
    }
    r.commit("v1");
    r.write("schemas/Node0.avsc", &node(0, n, true));
    r
}

fn diff_json(r: &Repo) -> Value {
    let (code, out, err) = run(r.path(), &["diff", "--format", "json", "--no-text"]);
    assert_eq!(code, 0, "{out}{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
}

fn entry<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["schemas"].as_array().unwrap().iter().find(|s| s["schema"] == name).unwrap_or_else(|| panic!("{name}: {doc}"))
}

fn changes(entry: &Value) -> Vec<(String, String)> {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap().to_string(), c["path"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn a_change_in_a_ring_is_inline_nearby_and_left_to_its_entry_far_away() {
    let n = 40;
    let doc = diff_json(&ring(n));
    assert_eq!(doc["schemas"].as_array().unwrap().len(), n, "every schema of the ring uses Node0");

    // The file that changed: the change itself.
    assert_eq!(changes(entry(&doc, "com.ring.Node0")), [("field-added".to_string(), "extra".to_string())]);
    // One and four files away: inline, at its path through the references.
    assert_eq!(changes(entry(&doc, "com.ring.Node39")), [("field-added".into(), "next.extra".into())]);
    assert_eq!(
        changes(entry(&doc, "com.ring.Node36")),
        [("field-added".to_string(), "next.next.next.next.extra".to_string())]
    );
    // Further out: one line naming the type where the walk stopped and where the change is.
    let far = entry(&doc, "com.ring.Node1");
    assert_eq!(far["via"], serde_json::json!(["com.ring.Node0"]));
    assert_eq!(changes(far), [("not-repeated".to_string(), "next.next.next.next.next".to_string())]);
    let message = far["changes"][0]["message"].as_str().unwrap();
    assert!(message.contains("`com.ring.Node6` is 5 files away"), "{message}");
    assert!(message.contains("see the entry of `com.ring.Node0`"), "{message}");
    assert_eq!(far["changes"][0]["breaks"], serde_json::json!([]));

    // Linear output: no entry holds more than one change, no path passes more than five files.
    for e in doc["schemas"].as_array().unwrap() {
        let c = changes(e);
        assert_eq!(c.len(), 1, "{e}");
        assert!(c[0].1.matches("next").count() <= 5, "{e}");
    }
}

#[test]
fn types_far_away_whose_files_did_not_change_are_not_mentioned() {
    // A chain Link0 -> Link1 -> ... -> Link9; Link0 changes itself: nothing beneath it changed,
    // so its entry has its own change and no `not-repeated` line.
    let r = Repo::with_config(CONFIG);
    let link = |i: usize, extra: bool| {
        let next = if i < 9 {
            format!(r#", {{"name": "next", "type": ["null", "com.chain.Link{}"], "default": null}}"#, i + 1)
        } else {
            String::new()
        };
        let extra = if extra { r#", {"name": "extra", "type": "int", "default": 0}"# } else { "" };
        format!(
            r#"{{"type": "record", "name": "Link{i}", "namespace": "com.chain", "fields": [{{"name": "id", "type": "long"}}{next}{extra}]}}"#
        )
    };
    for i in 0..10 {
        r.write(&format!("schemas/Link{i}.avsc"), &link(i, false));
    }
    r.commit("v1");
    r.write("schemas/Link0.avsc", &link(0, true));
    let doc = diff_json(&r);
    assert_eq!(doc["schemas"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(changes(entry(&doc, "com.chain.Link0")), [("field-added".to_string(), "extra".to_string())]);
}

#[test]
fn a_ring_of_a_thousand_files_is_reviewed_in_linear_output() {
    let n = 1000;
    let r = ring(n);
    let started = std::time::Instant::now();
    let (code, out, err) = run(r.path(), &["diff", "--no-text"]);
    assert_eq!(code, 0, "{err}");
    // Before: every entry repeated the change at a path through up to n references (about
    // 2.5 MB for this ring); now a few lines per entry.
    assert!(out.len() < 400 * n, "{} bytes", out.len());
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
}
