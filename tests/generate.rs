//! `schemapipe generate python`: the generated code is run by Python, and what it writes is
//! compared byte for byte with the PyPI `avro` package's writer (tests/python/*.py); the
//! package is installed by `.ci/run` (`pip install avro`), and without it these tests fail
//! rather than skip. Also: regeneration, --check, stale files, template overrides, errors.

mod support {
    pub mod bin;
}

use std::path::Path;
use support::bin::{copy_dir, repo_root, run};

/// A copy of a governed repository (its schemapipe.yaml and schemas/).
fn workspace(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(from.join("schemapipe.yaml"), tmp.path().join("schemapipe.yaml")).unwrap();
    copy_dir(&from.join("schemas"), &tmp.path().join("schemas"));
    tmp
}

fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3")
        .arg(repo_root().join("tests/python").join(script))
        .args(args)
        .output()
        .expect("python3 is needed for this test");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed (is `pip install avro` done?):\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn compare_with_avro(out: &Path, samples: usize) -> serde_json::Value {
    let report = python("check_generated.py", &[out.to_str().unwrap(), &samples.to_string()]);
    serde_json::from_str(&report).unwrap_or_else(|e| panic!("{e}: {report}"))
}

#[test]
fn the_bundled_schemas_generate_python_that_writes_what_avro_writes() {
    let ws = workspace(&repo_root());
    let (code, out, err) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with("23 schemas: 34 file(s) written, 0 unchanged, 0 removed in generated/python\n"), "{out}");
    let report = compare_with_avro(&ws.path().join("generated/python"), 30);
    assert_eq!(report["failures"], serde_json::json!([]), "{report}");
    assert_eq!((report["modules"].as_u64(), report["values"].as_u64()), (Some(23), Some(23 * 30)));
}

#[test]
fn every_avro_type_is_written_as_avro_writes_it_and_the_adapter_works() {
    let ws = workspace(&repo_root().join("tests/fixtures/generate"));
    let (code, out, err) = run(ws.path(), &["generate", "python", "--out", "gen"]);
    assert_eq!(code, 0, "{out}{err}");
    let gen = ws.path().join("gen");
    let report = compare_with_avro(&gen, 200);
    assert_eq!(report["failures"], serde_json::json!([]), "{report}");
    assert_eq!(report["modules"], 2);
    assert_eq!(python("check_adapter.py", &[gen.to_str().unwrap()]), "ok\n");
    insta::assert_snapshot!("amount_module", std::fs::read_to_string(gen.join("com/acme/shared/amount.py")).unwrap());
}

#[test]
fn regenerating_rewrites_only_what_changed_and_check_finds_drift() {
    let ws = workspace(&repo_root().join("tests/fixtures/generate"));
    assert_eq!(run(ws.path(), &["generate", "python"]).0, 0);
    let (code, out, _) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 file(s) written, 7 unchanged, 0 removed"), "{out}");
    let (code, out, _) = run(ws.path(), &["generate", "python", "--check"]);
    assert_eq!((code, out.as_str()), (0, "generated/python: up to date (2 schemas)\n"));

    // A schema change: --check names the module and exits 1, writing nothing.
    let amount = ws.path().join("schemas/com/acme/shared/Amount.avsc");
    let text = std::fs::read_to_string(&amount).unwrap();
    std::fs::write(
        &amount,
        text.replace(
            "\"fields\": [",
            "\"fields\": [\n    {\"name\": \"note\", \"type\": \"string\", \"default\": \"\"},",
        ),
    )
    .unwrap();
    let module = ws.path().join("generated/python/com/acme/shared/amount.py");
    let before = std::fs::read_to_string(&module).unwrap();
    let (code, out, _) = run(ws.path(), &["generate", "python", "--check", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Sink embeds Amount in its registered schema, so it changes too.
    assert_eq!(doc["outdated"], serde_json::json!(["com/acme/kitchen/sink.py", "com/acme/shared/amount.py"]));
    assert_eq!(std::fs::read_to_string(&module).unwrap(), before);
    let (code, out, _) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 0);
    assert!(out.contains("2 file(s) written, 5 unchanged"), "{out}");
    assert!(std::fs::read_to_string(&module).unwrap().contains("note: str = \"\""));

    // A schema removed: its module goes too; files schemapipe did not write stay.
    std::fs::remove_dir_all(ws.path().join("schemas/com/acme/kitchen")).unwrap();
    let mine = ws.path().join("generated/python/com/acme/kitchen/my_adapter.py");
    std::fs::write(&mine, "# my code\n").unwrap();
    let (code, out, _) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("removed generated/python/com/acme/kitchen/sink.py"), "{out}");
    assert!(!ws.path().join("generated/python/com/acme/kitchen/sink.py").exists());
    assert!(mine.exists());

    // A file of the user's where a module would go is never overwritten.
    std::fs::write(&module, "# mine\n").unwrap();
    let (code, _, err) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 2);
    assert!(err.contains("was not generated by schemapipe"), "{err}");
    assert_eq!(std::fs::read_to_string(&module).unwrap(), "# mine\n");
}

#[test]
fn templates_beside_the_config_override_the_built_in_ones() {
    let ws = workspace(&repo_root().join("tests/fixtures/generate"));
    let dir = ws.path().join("templates/python");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("module.py.j2"),
        "# Generated by schemapipe {{ version }}: {{ schema.full_name }} -> {{ schema.subjects | join(\", \") }}\n{% for t in schema.types %}# {{ t.kind }} {{ t.class_name }}\n{% endfor %}",
    )
    .unwrap();
    let (code, out, err) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 0, "{out}{err}");
    let sink = std::fs::read_to_string(ws.path().join("generated/python/com/acme/kitchen/sink.py")).unwrap();
    assert!(sink.starts_with("# Generated by schemapipe"), "{sink}");
    assert!(sink.contains(": com.acme.kitchen.Sink -> kitchen.sink-value\n# record Sink\n# fixed Hash\n"), "{sink}");
    // The runtime template was not overridden.
    assert!(std::fs::read_to_string(ws.path().join("generated/python/schemapipe_runtime.py"))
        .unwrap()
        .contains("def frame("));

    std::fs::write(dir.join("module.py.j2"), "line one\n{{ schema.no_such_key }}\n").unwrap();
    let (code, _, err) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 2);
    assert!(err.contains("module.py.j2, line 2"), "{err}");
}

#[test]
fn invalid_schemas_generate_nothing_and_targets_are_checked() {
    let ws = workspace(&repo_root().join("tests/fixtures/generate"));
    std::fs::write(
        ws.path().join("schemas/com/acme/shared/Amount.avsc"),
        "{\"type\": \"record\", \"name\": \"Amount\", \"fields\": [}",
    )
    .unwrap();
    let (code, out, _) = run(ws.path(), &["generate", "python"]);
    assert_eq!(code, 1);
    assert!(out.contains("nothing generated"), "{out}");
    assert!(!ws.path().join("generated").exists());
    let (code, _, err) = run(ws.path(), &["generate", "cobol"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown target `cobol`") && err.contains("python"), "{err}");
}
