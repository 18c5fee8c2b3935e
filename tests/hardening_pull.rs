//! `pull` against a registry that answers hostile names, sorted keys and layouts of its own
//! (tests/support/fake_registry.rs): nothing is ever written outside the schema root, a refused
//! name writes nothing at all, and a schema that only looks different is identical.

mod support {
    pub mod bin;
    pub mod fake_registry;
}

use std::path::Path;
use support::bin::run;
use support::fake_registry::FakeRegistry;

/// `<tmp>/work` with a schemapipe.yaml pointing at the registry and an empty `schemas/`; the
/// temp dir around it shows anything written outside.
fn workspace(url: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("work/schemas")).unwrap();
    std::fs::write(
        tmp.path().join("work/schemapipe.yaml"),
        format!("version: 1\nschemas:\n  root: schemas\nregistry:\n  url: {url}\n  timeout_seconds: 5\n  retries: 0\n"),
    )
    .unwrap();
    tmp
}

/// Every path under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            out.push(e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    out.sort();
    out
}

const GOOD: &str = r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"id","type":"long"}]}"#;

#[test]
fn hostile_names_write_nothing_anywhere() {
    let long_part = "x".repeat(300);
    let long_path: Vec<String> = (0..20).map(|i| format!("n{i}{}", "y".repeat(240))).collect();
    let long_under_root: Vec<String> = (0..16).map(|i| format!("n{i:02}{}", "y".repeat(251))).collect();
    assert!(long_under_root.join("/").len() + "/X.avsc".len() <= 4096);
    let hostile: Vec<(String, String)> = vec![
        ("dotdot-namespace-value".into(), r#"{"type":"record","name":"X","namespace":"..","fields":[]}"#.into()),
        ("parent-namespace-value".into(), r#"{"type":"record","name":"X","namespace":"...tmp","fields":[]}"#.into()),
        ("traversal-value".into(), r#"{"type":"record","name":"../../x","fields":[]}"#.into()),
        (
            "traversal-ns-value".into(),
            r#"{"type":"record","name":"x","namespace":"../../../../tmp","fields":[]}"#.into(),
        ),
        ("absolute-value".into(), r#"{"type":"record","name":"/tmp/pwned","fields":[]}"#.into()),
        ("absolute-ns-value".into(), r#"{"type":"enum","name":"E","namespace":"/etc","symbols":["A"]}"#.into()),
        ("nul-value".into(), r#"{"type":"record","name":"X\u0000y","namespace":"com.acme","fields":[]}"#.into()),
        ("backslash-value".into(), r#"{"type":"fixed","name":"F","namespace":"com.a\\..\\b","size":4}"#.into()),
        ("long-value".into(), format!(r#"{{"type":"record","name":"{long_part}","fields":[]}}"#)),
        (
            "long-path-value".into(),
            format!(r#"{{"type":"record","name":"Z","namespace":"{}","fields":[]}}"#, long_path.join(".")),
        ),
        (
            // Short enough as a relative path, too long once under the schema root.
            "long-under-root-value".into(),
            format!(r#"{{"type":"record","name":"X","namespace":"{}","fields":[]}}"#, long_under_root.join(".")),
        ),
        ("escape-value".into(), r#"{"type":"record","name":"X\u001b[2J\nY","fields":[]}"#.into()),
        ("space-value".into(), r#"{"type":"record","name":"my order","namespace":"com.acme","fields":[]}"#.into()),
        ("empty-part-value".into(), r#"{"type":"record","name":"X","namespace":"com..acme","fields":[]}"#.into()),
    ];
    for (subject, schema) in &hostile {
        let reg = FakeRegistry::start();
        {
            let mut st = reg.state.lock().unwrap();
            // Subjects are pulled in name order: one before the hostile one, one after.
            st.put("aaa-value", GOOD);
            st.put(subject, schema);
            st.put("zzz-value", r#"{"type":"enum","name":"Kind","namespace":"z","symbols":["A"]}"#);
        }
        let tmp = workspace(&reg.url);
        let work = tmp.path().join("work");
        for args in [&["pull"][..], &["pull", "--force"], &["pull", "--format", "json"]] {
            let (code, out, err) = run(&work, args);
            assert_eq!(code, 3, "{subject} {args:?}: {out}{err}");
            assert!(out.contains("registry-unsafe-name"), "{subject}: {out}");
            assert!(out.contains(subject.as_str()), "the subject is named: {out}");
            assert!(out.contains("nothing was written"), "{subject}: {out}");
            assert!(!out.contains('\0') && !out.contains('\u{1b}'), "no raw control characters: {out}");
            assert_eq!(listing(tmp.path()), ["work", "work/schemapipe.yaml", "work/schemas"], "{subject}: {out}");
        }
        assert!(!Path::new("/tmp/pwned.avsc").exists() && !Path::new("/etc/E.avsc").exists());
    }
}

#[test]
fn a_registry_answer_in_its_own_key_order_and_layout_is_identical() {
    let reg = FakeRegistry::start();
    // What Karapace answers: keys sorted, compact; `{"type": "long"}` for "long"; the
    // namespace spelled into the name.
    let sorted = r#"{"doc":"An order.","fields":[{"default":0,"doc":"Id.","name":"id","type":{"type":"long"}},{"name":"tags","type":{"items":"string","type":"array"}}],"name":"com.acme.Order","type":"record"}"#;
    reg.state.lock().unwrap().put("orders-value", sorted);
    let tmp = workspace(&reg.url);
    let work = tmp.path().join("work");
    let local = work.join("schemas/com/acme/Order.avsc");
    std::fs::create_dir_all(local.parent().unwrap()).unwrap();
    let mine = "{\n    \"type\": \"record\",\n    \"name\": \"Order\",\n    \"namespace\": \"com.acme\",\n    \"doc\": \"An order.\",\n    \"fields\": [\n        {\"name\": \"id\", \"type\": \"long\", \"default\": 0, \"doc\": \"Id.\"},\n        {\"name\": \"tags\", \"type\": {\"type\": \"array\", \"items\": \"string\"}}\n    ]\n}\n";
    std::fs::write(&local, mine).unwrap();
    for args in [&["pull"][..], &["pull", "--force"]] {
        let (code, out, err) = run(&work, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        assert!(out.contains("identical schemas/com/acme/Order.avsc (orders-value v1)"), "{out}");
        assert!(!out.contains("local-file-differs"), "{out}");
        assert_eq!(std::fs::read_to_string(&local).unwrap(), mine, "--force rewrites only real differences");
    }
    // A real difference (another doc) is one: reported, and taken with --force.
    std::fs::write(&local, mine.replace("An order.", "Another order.")).unwrap();
    let (code, out, _) = run(&work, &["pull"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("local-file-differs"), "{out}");
    let (code, out, _) = run(&work, &["pull", "--force", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["written"], serde_json::json!(["schemas/com/acme/Order.avsc"]), "{doc}");
    // What pull writes is in fmt's key order: fmt keeps it.
    let written = std::fs::read_to_string(&local).unwrap();
    assert!(written.starts_with("{\n  \"type\": \"record\",\n  \"name\": \"com.acme.Order\",\n  \"doc\""), "{written}");
    let (code, out, err) = run(&work, &["fmt", "--check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run(&work, &["pull"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("unchanged schemas/com/acme/Order.avsc"), "{out}");
}

#[test]
fn a_file_that_cannot_be_written_leaves_every_file_unwritten() {
    let reg = FakeRegistry::start();
    {
        let mut st = reg.state.lock().unwrap();
        st.put("aaa-value", GOOD);
        st.put("bbb-value", r#"{"type":"enum","name":"Kind","namespace":"com.acme","symbols":["A","B"]}"#);
        st.put("ccc-value", r#"{"type":"fixed","name":"Hash","namespace":"com.other","size":16}"#);
    }
    let tmp = workspace(&reg.url);
    let work = tmp.path().join("work");
    // A read-only local Kind.avsc that differs, pulled with --force.
    let kind = work.join("schemas/com/acme/Kind.avsc");
    std::fs::create_dir_all(kind.parent().unwrap()).unwrap();
    std::fs::write(&kind, r#"{"type":"enum","name":"Kind","namespace":"com.acme","symbols":["A"]}"#).unwrap();
    let writable = std::fs::metadata(&kind).unwrap().permissions();
    let mut perms = writable.clone();
    perms.set_readonly(true);
    std::fs::set_permissions(&kind, perms).unwrap();
    let before = listing(tmp.path());
    let (code, out, err) = run(&work, &["pull", "--force"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("unwritable-file") && out.contains("Kind.avsc") && out.contains("read-only"), "{out}");
    assert!(out.contains("not written schemas/com/acme/Order.avsc"), "{out}");
    assert_eq!(listing(tmp.path()), before, "nothing was written: {out}");
    std::fs::set_permissions(&kind, writable).unwrap();
    // A directory where a file goes.
    std::fs::create_dir_all(work.join("schemas/com/other/Hash.avsc")).unwrap();
    let before = listing(tmp.path());
    let (code, out, _) = run(&work, &["pull", "--force", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["written"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["not_written"].as_array().unwrap().len(), 3, "{doc}");
    assert_eq!(listing(tmp.path()), before);
    std::fs::remove_dir(work.join("schemas/com/other/Hash.avsc")).unwrap();
    let (code, out, _) = run(&work, &["pull", "--force"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("wrote schemas/com/other/Hash.avsc") && out.contains("wrote schemas/com/acme/Kind.avsc"));
}

#[test]
fn a_symlinked_directory_leading_out_of_the_root_is_not_written_through() {
    let reg = FakeRegistry::start();
    reg.state.lock().unwrap().put("aaa-value", GOOD);
    let tmp = workspace(&reg.url);
    let work = tmp.path().join("work");
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.join("schemas/com")).unwrap();
    std::os::unix::fs::symlink(outside.path(), work.join("schemas/com/acme")).unwrap();
    let (code, out, _) = run(&work, &["pull"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("outside the root"), "{out}");
    assert_eq!(listing(outside.path()), Vec::<String>::new());
}

#[test]
fn a_registry_failing_part_way_writes_nothing_and_shared_names_are_reported() {
    let reg = FakeRegistry::start();
    {
        let mut st = reg.state.lock().unwrap();
        st.put("aaa-value", GOOD);
        st.put("bbb-value", r#"{"type":"enum","name":"Kind","namespace":"com.acme","symbols":["A"]}"#);
        st.targeted.push(support::fake_registry::Targeted {
            prefix: "GET /subjects/bbb-value/versions/latest".into(),
            status: 500,
            code: 50001,
            message: "Error in the backend data store".into(),
        });
    }
    let tmp = workspace(&reg.url);
    let work = tmp.path().join("work");
    let (code, out, _) = run(&work, &["pull"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("not written schemas/com/acme/Order.avsc"), "{out}");
    assert_eq!(listing(tmp.path()), ["work", "work/schemapipe.yaml", "work/schemas"], "{out}");

    // Two subjects whose schemas share a full name: the same schema is written once; a
    // different one is reported, and the first subject's is written.
    reg.state.lock().unwrap().targeted.clear();
    reg.state.lock().unwrap().put("ccc-value", &GOOD.replace(':', ": "));
    let (code, out, _) = run(&work, &["pull"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("same schemas/com/acme/Order.avsc (ccc-value v1): the schema of aaa-value v1"), "{out}");
    reg.state.lock().unwrap().put("ddd-value", &GOOD.replace("\"long\"", "\"string\""));
    let (code, out, _) = run(&work, &["pull", "--force"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("subjects-share-a-file") && out.contains("ddd-value"), "{out}");
    assert!(std::fs::read_to_string(work.join("schemas/com/acme/Order.avsc")).unwrap().contains("\"long\""));
}

#[test]
fn names_that_differ_only_in_case_write_nothing_and_name_both_subjects() {
    // A file, and a namespace directory, spelled two ways: one path on macOS and Windows.
    let clashes = [
        (
            r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[]}"#,
            r#"{"type":"record","name":"ORDER","namespace":"com.acme","fields":[]}"#,
            "com/acme/ORDER.avsc",
        ),
        (
            r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[]}"#,
            r#"{"type":"enum","name":"Kind","namespace":"com.Acme","symbols":["A"]}"#,
            "com/Acme",
        ),
    ];
    for (first, second, spelled) in clashes {
        let reg = FakeRegistry::start();
        {
            let mut st = reg.state.lock().unwrap();
            st.put("a-value", first);
            st.put("b-value", second);
            st.put("c-value", r#"{"type":"enum","name":"Other","namespace":"z","symbols":["A"]}"#);
        }
        let tmp = workspace(&reg.url);
        let work = tmp.path().join("work");
        let (code, out, err) = run(&work, &["pull", "--format", "json"]);
        assert_eq!(code, 3, "{out}{err}");
        assert!(out.contains("registry-names-differ-in-case"), "{out}");
        assert!(out.contains("a-value") && out.contains("b-value"), "both subjects are named: {out}");
        assert!(out.contains(spelled) && out.contains("differ only in case"), "{out}");
        assert!(out.contains("nothing was written"), "{out}");
        assert_eq!(listing(tmp.path()), ["work", "work/schemapipe.yaml", "work/schemas"], "{out}");
    }
}
