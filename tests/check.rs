//! `schemapipe check` over real git repositories built in temp dirs: history, renames,
//! deletions, shared types, merges, detached HEAD, origin-only base branches, shallow clones,
//! and the index (`--staged`).

mod support {
    pub mod git_repo;
}

use assert_cmd::Command;
use std::path::Path;
use support::git_repo::Repo;

impl Repo {
    fn new() -> Repo {
        Repo::with_config(&config(""))
    }
    fn run(&self, args: &[&str]) -> (i32, serde_json::Value, String) {
        run_in(self.path(), args)
    }
}

/// A config for these tests: lint off (its own test turns it on), plus `extra`.
fn config(extra: &str) -> String {
    format!("version: 1\nschemas:\n  root: schemas\n{extra}lint:\n  rules: {{naming: off, docs: off, evolution: off, types: off, layout: off}}\n")
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::cargo_bin("schemapipe")
        .unwrap()
        .env_clear()
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), doc, stderr)
}

fn codes(doc: &serde_json::Value) -> Vec<String> {
    let mut c: Vec<String> =
        doc["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    c.sort();
    c
}

fn record(name: &str, fields: &str) -> String {
    format!(r#"{{"type": "record", "name": "{name}", "namespace": "com.acme", "fields": [{fields}]}}"#)
}

const ID: &str = r#"{"name": "id", "type": "string"}"#;

#[test]
fn a_breaking_change_is_found_with_both_places() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "int"}}"#)));
    r.commit("v1");
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "string"}}"#)));
    let (code, doc, err) = r.run(&["check"]);
    assert_eq!(code, 1, "{doc} {err}");
    assert_eq!(codes(&doc), ["type-mismatch"]);
    let f = &doc["findings"][0];
    assert_eq!(f["file"], "schemas/com/acme/Pay.avsc");
    assert_eq!(f["kind"], "compat");
    assert!(f["related"][0]["file"].as_str().unwrap().contains("@"), "{f}");
    assert_eq!(doc["checked"][0]["previous_versions"], 1);
    // A compatible change passes.
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "long"}}"#)));
    let (code, doc, _) = r.run(&["check"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["checked"][0]["compatible"], true);
}

#[test]
fn transitive_levels_see_every_version_and_history_follows_renames() {
    let r = Repo::new();
    r.write("schemapipe.yaml", &config("compatibility:\n  level: BACKWARD_TRANSITIVE\n"));
    r.write("schemas/old/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "int"}}"#)));
    r.commit("v1");
    // v2 moves the file (identity is the full name) and drops `amount`.
    r.remove("schemas/old/Pay.avsc");
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", ID));
    r.commit("v2: move and drop amount");
    // The new version brings `amount` back as a string: fine against v2, broken against v1.
    r.write(
        "schemas/com/acme/Pay.avsc",
        &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "string", "default": ""}}"#)),
    );
    let (code, doc, err) = r.run(&["check"]);
    assert_eq!(code, 1, "{doc} {err}");
    assert_eq!(codes(&doc), ["type-mismatch"]);
    assert_eq!(doc["checked"][0]["previous_versions"], 2);
    let (code, _, _) = r.run(&["check", "--level", "BACKWARD"]);
    assert_eq!(code, 0);
}

#[test]
fn a_change_to_a_shared_type_checks_every_schema_that_uses_it() {
    let r = Repo::new();
    r.write("schemas/com/acme/Money.avsc", &record("Money", r#"{"name": "units", "type": "long"}"#));
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", r#"{"name": "total", "type": "com.acme.Money"}"#));
    r.write("schemas/com/acme/Refund.avsc", &record("Refund", r#"{"name": "amount", "type": "com.acme.Money"}"#));
    r.write("schemas/com/acme/Other.avsc", &record("Other", ID));
    r.commit("v1");
    r.write(
        "schemas/com/acme/Money.avsc",
        &record("Money", r#"{"name": "units", "type": "long"}, {"name": "currency", "type": "string"}"#),
    );
    let (code, doc, _) = r.run(&["check"]);
    assert_eq!(code, 1);
    let checked: Vec<&str> =
        doc["checked"].as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap()).collect();
    assert_eq!(checked, ["com.acme.Money", "com.acme.Pay", "com.acme.Refund"]);
    assert_eq!(codes(&doc), ["reader-field-missing-default-value"; 3]);
}

#[test]
fn old_versions_resolve_names_against_their_own_commit() {
    let r = Repo::new();
    r.write(
        "schemas/com/acme/Status.avsc",
        r#"{"type": "enum", "name": "Status", "namespace": "com.acme", "symbols": ["A", "B"]}"#,
    );
    r.write("schemas/com/acme/Order.avsc", &record("Order", r#"{"name": "status", "type": "com.acme.Status"}"#));
    r.commit("v1");
    r.write(
        "schemas/com/acme/Status.avsc",
        r#"{"type": "enum", "name": "Status", "namespace": "com.acme", "symbols": ["A", "B", "C"], "default": "A"}"#,
    );
    r.commit("v2 adds C with a default");
    // Removing B (and the default) breaks reading data written with either old version.
    r.write(
        "schemas/com/acme/Status.avsc",
        r#"{"type": "enum", "name": "Status", "namespace": "com.acme", "symbols": ["A", "C"]}"#,
    );
    let (code, doc, _) = r.run(&["check", "--level", "BACKWARD_TRANSITIVE"]);
    assert_eq!(code, 1);
    let order = doc["checked"].as_array().unwrap().iter().find(|c| c["subject"] == "com.acme.Order").unwrap();
    assert_eq!(order["previous_versions"], 2);
    assert!(codes(&doc).iter().all(|c| c == "missing-enum-symbols"));
}

#[test]
fn deleted_schemas_are_findings() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", ID));
    r.write("schemas/com/acme/Keep.avsc", &record("Keep", ID));
    r.commit("v1");
    r.remove("schemas/com/acme/Pay.avsc");
    let (code, doc, _) = r.run(&["check"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&doc), ["deleted-schema"]);
}

#[test]
fn feature_branch_merge_base_detached_head_and_origin_only() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "int"}}"#)));
    r.commit("v1");
    r.branch("feature");
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "boolean"}}"#)));
    r.commit("feature breaks n");
    // On the branch, the base is the merge-base with main: the break is found.
    let (code, doc, _) = r.run(&["check"]);
    assert_eq!((code, codes(&doc)), (1, vec!["type-mismatch".to_string()]));
    assert!(doc["base"].as_str().unwrap().starts_with("main"), "{}", doc["base"]);
    // Detached HEAD.
    let head = r.repo.head().unwrap().peel_to_commit().unwrap().id();
    r.repo.set_head_detached(head).unwrap();
    assert_eq!(r.run(&["check"]).0, 1);
    // Only origin/main (as in a CI clone): rename refs/heads/main to refs/remotes/origin/main.
    let main = r.repo.find_reference("refs/heads/main").unwrap().target().unwrap();
    r.repo.reference("refs/remotes/origin/main", main, true, "ci").unwrap();
    r.repo.find_reference("refs/heads/main").unwrap().delete().unwrap();
    let (code, doc, err) = r.run(&["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(doc["base"].as_str().unwrap().contains("origin/main"), "{}", doc["base"]);
    // A merge commit on the base: first-parent history.
    let (code, _, _) = r.run(&["check", "--against", "HEAD"]);
    assert_eq!(code, 0);
    // No base branch at all is a usage error with a hint.
    r.repo.find_reference("refs/remotes/origin/main").unwrap().delete().unwrap();
    let (code, _, err) = r.run(&["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("--against"), "{err}");
}

#[test]
fn merges_are_walked_along_first_parents() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "int"}}"#)));
    let c1 = r.commit("v1");
    // A side branch changes the type; main merges it with its own content (n stays int).
    r.branch("side");
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "string"}}"#)));
    let side = r.commit("side: n as string");
    r.switch("main");
    let sig = git2::Signature::new("t", "t@example.com", &git2::Time::new(1_700_000_100, 0)).unwrap();
    let main_tip = r.repo.find_commit(c1).unwrap();
    let side_c = r.repo.find_commit(side).unwrap();
    r.repo
        .commit(Some("HEAD"), &sig, &sig, "merge side (ours)", &main_tip.tree().unwrap(), &[&main_tip, &side_c])
        .unwrap();
    // The side branch's `string` is not a version of main: changing n to long is compatible.
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "long"}}"#)));
    let (code, doc, err) = r.run(&["check", "--level", "BACKWARD_TRANSITIVE"]);
    assert_eq!(code, 0, "{doc} {err}");
    assert_eq!(doc["checked"][0]["previous_versions"], 1);
}

#[test]
fn staged_checks_the_index() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "int"}}"#)));
    r.commit("v1");
    // Stage a breaking change, then fix it in the work tree only: --staged still sees the break.
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "boolean"}}"#)));
    r.stage("schemas/com/acme/Pay.avsc");
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", &format!(r#"{ID}, {{"name": "n", "type": "long"}}"#)));
    assert_eq!(r.run(&["check", "--staged"]).0, 1);
    assert_eq!(r.run(&["check"]).0, 0);
}

#[test]
fn shallow_clones_say_what_is_missing() {
    let r = Repo::new();
    r.write("schemapipe.yaml", &config("compatibility:\n  level: BACKWARD_TRANSITIVE\n"));
    for i in 0..3 {
        r.write(
            "schemas/com/acme/Pay.avsc",
            &record("Pay", &format!(r#"{ID}, {{"name": "n{i}", "type": ["null", "int"], "default": null}}"#)),
        );
        r.commit(&format!("v{i}"));
    }
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    let st = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", "--branch", "main", &url])
        .arg(clone.path().join("c"))
        .status()
        .unwrap();
    assert!(st.success());
    let c = clone.path().join("c");
    std::fs::write(c.join("schemas/com/acme/Pay.avsc"), record("Pay", ID)).unwrap();
    let (code, doc, err) = run_in(&c, &["check"]);
    assert_eq!(code, 1, "{doc} {err}");
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "shallow-history")
        .expect("a shallow-history finding");
    assert!(f["message"].as_str().unwrap().contains("only 1 commit"), "{f}");
    assert!(f["help"].as_str().unwrap().contains("--unshallow"));
}

#[test]
fn outside_a_repository_check_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schemas")).unwrap();
    let (code, _, err) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("not inside a git repository"), "{err}");
}

#[test]
fn staged_runs_read_only_the_change_and_its_users() {
    let r = Repo::new();
    r.write("schemas/com/acme/Money.avsc", &record("Money", r#"{"name": "units", "type": "long"}"#));
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", r#"{"name": "total", "type": "com.acme.Money"}"#));
    r.write("schemas/com/acme/Other.avsc", &record("Other", ID));
    r.write("schemas/com/acme/Gone.avsc", &record("Gone", ID));
    // A file with a syntax error that the change does not touch is not read.
    r.write("schemas/com/acme/Broken.avsc", "{");
    r.commit("v1");
    r.write("schemas/com/acme/Money.avsc", &record("Money", r#"{"name": "units", "type": "int"}"#));
    r.stage("schemas/com/acme/Money.avsc");
    let (code, doc, err) = r.run(&["check", "--staged"]);
    assert_eq!(code, 1, "{doc} {err}");
    let checked: Vec<&str> =
        doc["checked"].as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap()).collect();
    assert_eq!(checked, ["com.acme.Money", "com.acme.Pay"]);
    assert_eq!(codes(&doc), ["type-mismatch", "type-mismatch"]);
    // Removing a file from the index is a deleted schema.
    let mut index = r.repo.index().unwrap();
    index.remove_path(Path::new("schemas/com/acme/Gone.avsc")).unwrap();
    index.write().unwrap();
    let (_, doc, _) = r.run(&["check", "--staged"]);
    assert!(codes(&doc).contains(&"deleted-schema".to_string()), "{doc}");
    // Nothing staged: nothing to check, exit 0.
    let r2 = Repo::new();
    r2.write("schemas/com/acme/Pay.avsc", &record("Pay", ID));
    r2.commit("v1");
    let (code, doc, _) = r2.run(&["check", "--staged"]);
    assert_eq!((code, doc["checked"].as_array().unwrap().len()), (0, 0));
}

/// A user of the staged change with edits of its own that are not staged: `--staged` checks
/// the user as the index holds it, not as the work tree does.
#[test]
fn staged_reads_users_from_the_index_not_unstaged_edits() {
    let r = Repo::new();
    r.write("schemas/com/acme/Money.avsc", &record("Money", r#"{"name": "units", "type": "long"}"#));
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", r#"{"name": "total", "type": "com.acme.Money"}"#));
    r.commit("v1");
    // A compatible staged change to the shared type.
    r.write(
        "schemas/com/acme/Money.avsc",
        &record("Money", r#"{"name": "units", "type": "long"}, {"name": "cur", "type": "string", "default": "EUR"}"#),
    );
    r.stage("schemas/com/acme/Money.avsc");
    // The user is broken in the work tree only (same length as before, so only its time differs).
    let staged_pay = record("Pay", r#"{"name": "total", "type": "com.acme.Money"}"#);
    let broken_pay = record("Pay", r#"{"name": "total", "type": "com.acme.Monet"}"#);
    assert_eq!(staged_pay.len(), broken_pay.len());
    std::thread::sleep(std::time::Duration::from_millis(20));
    r.write("schemas/com/acme/Pay.avsc", &broken_pay);
    let (code, doc, err) = r.run(&["check", "--staged"]);
    assert_eq!(code, 0, "{doc} {err}");
    let checked: Vec<&str> =
        doc["checked"].as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap()).collect();
    assert_eq!(checked, ["com.acme.Money", "com.acme.Pay"], "{doc}");
    // Without --staged the work tree is what counts, and its user is broken.
    assert_eq!(r.run(&["check"]).0, 1);
}

/// The files a staged run reads come in path order, as in a full run: the same findings in the
/// same order on every run.
#[test]
fn staged_findings_come_in_path_order_on_every_run() {
    // Lint on: every file read has findings of its own.
    let r = Repo::with_config("version: 1\nschemas:\n  root: schemas\n");
    r.write("schemas/com/acme/Money.avsc", &record("Money", r#"{"name": "units", "type": "long"}"#));
    let users = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];
    for u in users {
        r.write(&format!("schemas/com/acme/{u}.avsc"), &record(u, r#"{"name": "total", "type": "com.acme.Money"}"#));
    }
    r.commit("v1");
    r.write("schemas/com/acme/Money.avsc", &record("Money", r#"{"name": "units", "type": "int"}"#));
    r.stage("schemas/com/acme/Money.avsc");
    let doc = staged_failure_on_every_run(&r);
    let files: Vec<String> =
        doc["findings"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().to_string()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "{doc}");
    sorted.dedup();
    assert_eq!(sorted.len(), users.len() + 1, "{doc}");
}

/// `check --staged`, run four times: each run fails with the same document, which is returned.
fn staged_failure_on_every_run(r: &Repo) -> serde_json::Value {
    let (code, first, err) = r.run(&["check", "--staged"]);
    assert_eq!(code, 1, "{first} {err}");
    for _ in 0..3 {
        let (code, doc, err) = r.run(&["check", "--staged"]);
        assert_eq!(code, 1, "{doc} {err}");
        assert_eq!(doc, first);
    }
    first
}

/// Files removed from the index are reported in path order on every run.
#[test]
fn staged_removals_come_in_path_order() {
    let r = Repo::new();
    let names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];
    for n in names {
        r.write(&format!("schemas/com/acme/{n}.avsc"), &record(n, ID));
    }
    r.commit("v1");
    let mut index = r.repo.index().unwrap();
    for n in names {
        index.remove_path(Path::new(&format!("schemas/com/acme/{n}.avsc"))).unwrap();
    }
    index.write().unwrap();
    let doc = staged_failure_on_every_run(&r);
    let messages: Vec<String> =
        doc["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(messages.len(), names.len(), "{doc}");
    for (m, n) in messages.iter().zip(names) {
        assert!(m.contains(&format!("com.acme.{n}`")), "{m} should name {n}: {doc}");
    }
}

#[test]
fn lint_joins_check() {
    let r = Repo::new();
    r.write("schemapipe.yaml", "version: 1\nschemas:\n  root: schemas\nlint:\n  rules:\n    float-for-money: error\n");
    r.write("schemas/com/acme/Pay.avsc", r#"{"type": "record", "name": "Pay", "namespace": "com.acme", "doc": "A payment.", "fields": [{"name": "amount", "type": "double", "doc": "In EUR."}]}"#);
    r.commit("v1");
    let (code, doc, _) = r.run(&["check"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&doc), ["float-for-money"]);
    assert_eq!(doc["findings"][0]["kind"], "lint");
    let (code, doc, _) = r.run(&["check", "--no-lint"]);
    assert_eq!((code, codes(&doc).len()), (0, 0));
}

#[test]
fn an_unreadable_version_in_history_does_not_hide_older_ones() {
    let r = Repo::new();
    r.write("schemapipe.yaml", &config("compatibility:\n  level: BACKWARD_TRANSITIVE\n"));
    let pay = "schemas/com/acme/Pay.avsc";
    r.write(pay, &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "string"}}"#)));
    r.commit("v1: string");
    r.write(pay, "{\"type\": \"record\", <<<<<<< HEAD\n");
    r.commit("a broken merge");
    r.write(pay, &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "int"}}"#)));
    r.commit("v2: int");
    r.write(pay, &record("Pay", &format!(r#"{ID}, {{"name": "amount", "type": "long"}}"#)));
    let (code, doc, err) = r.run(&["check"]);
    assert_eq!(code, 1, "{doc} {err}");
    // `long` cannot read the `string` of v1, behind the unreadable commit.
    assert_eq!(codes(&doc), ["type-mismatch", "unreadable-version"]);
    assert_eq!(doc["checked"][0]["previous_versions"], 2);
    let warning = doc["findings"].as_array().unwrap().iter().find(|f| f["code"] == "unreadable-version").unwrap();
    assert_eq!(warning["severity"], "warning");
    let message = warning["message"].as_str().unwrap();
    assert!(message.contains("schemas/com/acme/Pay.avsc") && message.contains('@'), "{message}");
}

#[test]
fn a_repository_without_commits_checks_the_working_tree_alone() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", ID));
    r.write("schemas/com/acme/Bad.avsc", &record("Bad", r#"{"name": "n", "type": "nope"}"#));
    let (code, doc, stderr) = r.run(&["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(doc["base"], "no commits yet");
    assert_eq!(codes(&doc), vec!["undefined-name".to_string()]);
    let checked: Vec<&str> =
        doc["checked"].as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap()).collect();
    assert!(checked.contains(&"com.acme.Pay"), "{checked:?}");
    assert!(doc["checked"].as_array().unwrap().iter().all(|c| c["previous_versions"] == 0), "{doc}");
    // Staged files too, and diff shows every schema as added.
    r.remove("schemas/com/acme/Bad.avsc");
    r.stage("schemas/com/acme/Pay.avsc");
    let (code, doc, stderr) = r.run(&["check", "--staged"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["checked"][0]["compatible"], true);
    let (code, doc, stderr) = r.run(&["diff"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["base"], "no commits yet");
    assert_eq!(doc["schemas"][0]["status"], "added", "{doc}");
}

#[cfg(unix)]
#[test]
fn files_that_cannot_be_read_are_findings_in_check_and_diff_never_read() {
    let r = Repo::new();
    r.write("schemas/com/acme/Pay.avsc", &record("Pay", ID));
    r.commit("v1");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("credentials");
    std::fs::write(&secret, "https://bob:hunter2@git.example.com {\"type\":").unwrap();
    std::os::unix::fs::symlink(&secret, r.path().join("schemas/com/acme/Leak.avsc")).unwrap();
    let fifo = r.path().join("schemas/com/acme/Pipe.avsc");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for cmd in ["check", "diff"] {
        let (code, doc, stderr) = r.run(&[cmd]);
        assert_eq!(code, 1, "{cmd}: {stderr}");
        assert_eq!(codes(&doc), vec!["not-a-regular-file".to_string(), "symlink-outside-root".to_string()], "{cmd}");
        assert!(!doc.to_string().contains("hunter2") && !stderr.contains("hunter2"), "{cmd}: {doc}");
    }
}
