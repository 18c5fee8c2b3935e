//! `schemapipe init`: a new governed repository passes `check` as written, nothing of the
//! user's is overwritten, and bad options are usage errors before anything is written.

mod support {
    pub mod bin;
}

use std::path::Path;
use support::bin::run;

#[test]
fn init_in_an_empty_folder_then_check_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = run(tmp.path(), &["init", "schemas-repo", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let created: Vec<&str> = doc["created"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(
        created,
        [
            "schemapipe.yaml",
            "schemas/com/example/events/ExampleEvent.avsc",
            "Jenkinsfile",
            ".pre-commit-config.yaml",
            "README.md"
        ]
    );
    assert_eq!(doc["git_init"], true);
    let repo = tmp.path().join("schemas-repo");
    assert!(repo.join(".git").is_dir());
    // The pipeline is the one this repository runs.
    let ours = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("Jenkinsfile")).unwrap();
    assert_eq!(std::fs::read(repo.join("Jenkinsfile")).unwrap(), ours);
    for args in [&["check"][..], &["fmt", "--check"], &["lint"], &["validate"], &["diff"]] {
        let (code, out, err) = run(&repo, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    let (_, out, _) = run(&repo, &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["checked"][0]["subject"], "com.example.events.ExampleEvent");
}

#[test]
fn options_reach_the_config_and_the_example() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "init",
        "--strategy",
        "topic",
        "--level",
        "FULL_TRANSITIVE",
        "--registry-url",
        "https://registry.internal:8081/path#frag",
        "--namespace",
        "org.acme.orders",
    ];
    let (code, out, err) = run(tmp.path(), &args);
    assert_eq!(code, 0, "{out}{err}");
    let config = std::fs::read_to_string(tmp.path().join("schemapipe.yaml")).unwrap();
    assert!(config.contains("level: FULL_TRANSITIVE"), "{config}");
    assert!(config.contains("subject_strategy: TopicNameStrategy"), "{config}");
    assert!(config.contains(r#"url: "https://registry.internal:8081/path#frag""#), "{config}");
    assert!(config.contains("example-events: {value: org.acme.orders.ExampleEvent}"), "{config}");
    assert!(tmp.path().join("schemas/org/acme/orders/ExampleEvent.avsc").is_file());
    // The config reads back as written: check passes, and publish plans the topic's subject.
    let (code, out, err) = run(tmp.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, err) = run(tmp.path(), &["publish", "--dry-run", "--registry-url", "http://127.0.0.1:9", "-v"]);
    assert!(!out.contains("not configured") && !err.contains("subject_strategy"), "{out}{err}");
}

#[test]
fn existing_files_are_skipped_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("README.md"), "ours\n").unwrap();
    git2::Repository::init(dir).unwrap(); // inside a repository already: no git init
    let (code, out, err) = run(dir, &["init"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("skipped README.md"), "{out}");
    assert!(!out.contains("created a git repository"), "{out}");
    assert_eq!(std::fs::read_to_string(dir.join("README.md")).unwrap(), "ours\n");
    std::fs::write(dir.join("schemapipe.yaml"), "version: 1\n# edited\n").unwrap();
    let (code, out, _) = run(dir, &["init", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["created"].as_array().unwrap().len(), 0, "{doc}");
    assert_eq!(doc["skipped"].as_array().unwrap().len(), 5, "{doc}");
    assert_eq!(std::fs::read_to_string(dir.join("schemapipe.yaml")).unwrap(), "version: 1\n# edited\n");
}

#[test]
fn bad_options_are_usage_errors_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("afile"), "x").unwrap();
    for args in [
        &["init", "--namespace", "com..x"][..],
        &["init", "--namespace", "1com.x"],
        &["init", "--namespace", "../../etc"],
        &["init", "--registry-url", "http://bob:secret@reg:8081"],
        &["init", "--registry-url", "reg:8081"],
        &["init", "--level", "SIDEWAYS"],
        &["init", "afile"],
    ] {
        let (code, out, err) = run(dir, args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(!err.contains("secret") && !out.contains("secret"), "{err}");
    }
    let left: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("afile")]);
}
