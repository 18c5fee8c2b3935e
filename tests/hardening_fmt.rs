//! `fmt` on hostile trees, with the real binary: symbolic links inside and outside the schema
//! root, read-only files and directories, names that are not UTF-8, writes that fail; and the
//! warning every command gives when `schemas.exclude` leaves no file.

#![cfg(unix)]

mod support {
    #[allow(dead_code)] // only a part of it is used here
    pub mod git_repo;
}

use assert_cmd::Command;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A schema in no canonical layout: `fmt` rewrites it.
fn messy(name: &str) -> String {
    format!(
        r#"{{"fields":[{{"type":"string","name":"id","doc":"Id."}}],"name":"{name}","namespace":"com.acme","type":"record","doc":"A {name}."}}"#
    )
}

/// The start of a formatted schema.
const FORMATTED: &str = "{\n  \"type\": \"record\",\n  \"name\": ";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn command(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("schemapipe").unwrap();
    c.env_clear().env("NO_COLOR", "1").env("COLUMNS", "100").current_dir(dir).timeout(Duration::from_secs(30));
    c
}

fn finish(out: std::process::Output) -> Run {
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_ne!(r.code, -1, "killed:\n{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

fn run(dir: &Path, args: &[&str]) -> Run {
    finish(command(dir).args(args).output().unwrap())
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", r.stdout))
}

/// (code, file, help) of every finding of a JSON report.
fn findings(doc: &serde_json::Value) -> Vec<(String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("file"), s("help"))
        })
        .collect()
}

/// A project (`schemapipe.yaml` beside `schemas/`) in a temp dir, with a file outside it.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    std::fs::create_dir_all(dir.join("schemas/com/acme")).unwrap();
    std::fs::write(dir.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
    (tmp, dir)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).unwrap().file_type().is_symlink()
}

/// The names of a directory's entries, as bytes.
fn names(dir: &Path) -> Vec<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let mut v: Vec<Vec<u8>> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().as_bytes().to_vec()).collect();
    v.sort();
    v
}

#[test]
fn a_symlinked_schema_inside_the_root_is_formatted_through_and_stays_a_link() {
    let (_tmp, dir) = project();
    // The target is not named `.avsc`: only the link brings it into the run.
    std::fs::write(dir.join("schemas/com/acme/ping.json"), messy("Ping")).unwrap();
    symlink("ping.json", dir.join("schemas/com/acme/Ping.avsc")).unwrap();
    let r = run(&dir, &["fmt"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("formatted schemas/com/acme/Ping.avsc"), "{}", r.stdout);
    let link = dir.join("schemas/com/acme/Ping.avsc");
    assert!(is_link(&link), "the link was replaced by a file");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("ping.json"), "the link points where it did");
    assert!(read(&dir.join("schemas/com/acme/ping.json")).starts_with(FORMATTED), "the target is formatted");
    assert_eq!(names(&dir.join("schemas/com/acme")), [b"Ping.avsc".to_vec(), b"ping.json".to_vec()]);
    assert_eq!(run(&dir, &["fmt", "--check"]).code, 0);
}

#[test]
fn a_symlinked_schema_leading_outside_the_root_is_not_followed_and_is_reported() {
    let (tmp, dir) = project();
    let outside = tmp.path().join("outside/Out.avsc");
    std::fs::write(&outside, messy("Out")).unwrap();
    symlink(&outside, dir.join("schemas/com/acme/Out.avsc")).unwrap();
    // A link to another directory of the project, still outside the schema root.
    std::fs::write(dir.join("Side.avsc"), messy("Side")).unwrap();
    symlink("../../../Side.avsc", dir.join("schemas/com/acme/Side.avsc")).unwrap();
    std::fs::write(dir.join("schemas/com/acme/Ok.avsc"), messy("Ok")).unwrap();
    for args in [&["fmt"][..], &["fmt", "--check"]] {
        let r = run(&dir, args);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("error[symlink-outside-root]"), "{args:?}: {}", r.stdout);
        assert!(r.stdout.contains("schemas/com/acme/Out.avsc"), "{args:?}: {}", r.stdout);
        assert!(r.stdout.contains("schemas/com/acme/Side.avsc"), "{args:?}: {}", r.stdout);
        assert!(!r.stdout.contains("unreadable-file"), "the refusal keeps its own code: {}", r.stdout);
        assert!(!r.stdout.contains("formatted schemas/com/acme/Out.avsc"), "{}", r.stdout);
        assert!(!r.stdout.contains("reformat schemas/com/acme/Out.avsc"), "{}", r.stdout);
    }
    assert_eq!(read(&outside), messy("Out"), "the file outside is untouched");
    assert_eq!(read(&dir.join("Side.avsc")), messy("Side"));
    assert!(is_link(&dir.join("schemas/com/acme/Out.avsc")) && is_link(&dir.join("schemas/com/acme/Side.avsc")));
    assert!(read(&dir.join("schemas/com/acme/Ok.avsc")).starts_with(FORMATTED), "the other files are formatted");
    let doc = json(&run(&dir, &["fmt", "--format", "json"]));
    let f = findings(&doc);
    assert!(
        f.iter().any(|(c, file, help)| c == "symlink-outside-root"
            && file == "schemas/com/acme/Out.avsc"
            && !help.is_empty()),
        "{f:?}"
    );
}

#[test]
fn a_read_only_file_is_left_as_it_is_and_reported_and_the_others_are_formatted() {
    let (_tmp, dir) = project();
    let ro = dir.join("schemas/com/acme/Ro.avsc");
    std::fs::write(&ro, messy("Ro")).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::write(dir.join("schemas/com/acme/Rw.avsc"), messy("Rw")).unwrap();
    let r = run(&dir, &["fmt"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("formatted schemas/com/acme/Ro.avsc"), "{}", r.stdout);
    assert!(r.stdout.contains("formatted schemas/com/acme/Rw.avsc"), "{}", r.stdout);
    insta::assert_snapshot!("fmt_read_only_human", r.stdout);
    assert_eq!(read(&ro), messy("Ro"), "the read-only file is untouched");
    assert_eq!(std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777, 0o444, "and still read-only");
    assert!(read(&dir.join("schemas/com/acme/Rw.avsc")).starts_with(FORMATTED));
    // In JSON: the finding with its code, file and hint; `changed` lists only what was written.
    std::fs::write(dir.join("schemas/com/acme/Rw.avsc"), messy("Rw")).unwrap();
    let r = run(&dir, &["fmt", "--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    assert_eq!(
        findings(&doc),
        [(
            "read-only-file".to_string(),
            "schemas/com/acme/Ro.avsc".to_string(),
            "make the file writable (`chmod u+w`) to format it, or leave it out".to_string()
        )]
    );
    assert_eq!(doc["changed"], serde_json::json!(["schemas/com/acme/Rw.avsc"]));
    // --check behaves as before: it lists the file, whatever its permissions.
    let r = run(&dir, &["fmt", "--check"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("would reformat schemas/com/acme/Ro.avsc"), "{}", r.stdout);
    assert!(!r.stdout.contains("read-only-file"), "{}", r.stdout);
}

#[test]
fn a_name_that_is_not_utf8_is_formatted_in_place_under_its_own_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let (_tmp, dir) = project();
    let acme = dir.join("schemas/com/acme");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.avsc");
    std::fs::write(acme.join(name), messy("Cafe")).unwrap();
    let r = run(&dir, &["fmt"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("formatted schemas/com/acme/caf"), "{}", r.stdout);
    assert_eq!(names(&acme), [b"caf\xe9.avsc".to_vec()], "no second file under a replaced name");
    assert!(read(&acme.join(name)).starts_with(FORMATTED));
    assert_eq!(run(&dir, &["fmt", "--check"]).code, 0);
}

#[test]
fn quiet_prints_nothing_when_formatting_succeeds() {
    let (_tmp, dir) = project();
    std::fs::write(dir.join("schemas/com/acme/Ping.avsc"), messy("Ping")).unwrap();
    let r = run(&dir, &["fmt", "-q"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "", "quiet prints nothing on success");
    assert_eq!(r.stderr, "");
    assert!(read(&dir.join("schemas/com/acme/Ping.avsc")).starts_with(FORMATTED), "but it formats");
    // Errors are still printed.
    let ro = dir.join("schemas/com/acme/Ro.avsc");
    std::fs::write(&ro, messy("Ro")).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = run(&dir, &["fmt", "-q"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("read-only-file") && !r.stdout.contains("formatted schemas/"), "{}", r.stdout);
    assert!(!r.stdout.contains("already formatted"), "no summary when quiet: {}", r.stdout);
}

/// `fmt` under a file-size limit of 0 (`ulimit -f 0`, SIGXFSZ ignored): every write to a file
/// fails with EFBIG, whoever runs the test (a read-only directory does not stop root).
fn fmt_with_writes_failing(dir: &Path, extra: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("schemapipe");
    let mut c = std::process::Command::new("/bin/sh");
    c.arg("-c")
        .arg("ulimit -f 0 && trap '' XFSZ && exec \"$0\" fmt \"$@\"")
        .arg(&bin)
        .args(extra)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .current_dir(dir);
    finish(c.output().unwrap())
}

#[test]
fn a_write_that_fails_is_not_reported_as_formatted_and_leaves_the_original() {
    let (_tmp, dir) = project();
    let acme = dir.join("schemas/com/acme");
    std::fs::write(acme.join("Ping.avsc"), messy("Ping")).unwrap();
    std::fs::write(acme.join("Pong.avsc"), messy("Pong")).unwrap();
    let r = fmt_with_writes_failing(&dir, &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("formatted schemas/"), "a failed write is reported as formatted:\n{}", r.stdout);
    assert!(r.stdout.contains("error[unwritable-file]"), "{}", r.stdout);
    assert!(r.stdout.contains("schemas/com/acme/Ping.avsc") && r.stdout.contains("schemas/com/acme/Pong.avsc"));
    assert!(r.stdout.contains("help:"), "{}", r.stdout);
    assert_eq!(read(&acme.join("Ping.avsc")), messy("Ping"), "the original is intact");
    assert_eq!(read(&acme.join("Pong.avsc")), messy("Pong"));
    assert_eq!(names(&acme), [b"Ping.avsc".to_vec(), b"Pong.avsc".to_vec()], "no staged file is left behind");
    let r = fmt_with_writes_failing(&dir, &["--format", "json"]);
    assert_eq!(r.code, 1);
    let doc = json(&r);
    assert_eq!(doc["changed"], serde_json::json!([]), "{}", r.stdout);
    let f = findings(&doc);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f.iter().all(|(c, _, help)| c == "unwritable-file" && !help.is_empty()), "{f:?}");
    // Quiet never claims a write either.
    let r = fmt_with_writes_failing(&dir, &["-q"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("unwritable-file") && !r.stdout.contains("formatted schemas/"), "{}", r.stdout);
}

#[test]
fn a_read_only_directory_is_reported_when_it_stops_the_write() {
    let (_tmp, dir) = project();
    let locked = dir.join("schemas/com/locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::write(locked.join("Ping.avsc"), messy("Ping")).unwrap();
    std::fs::write(dir.join("schemas/com/acme/Pong.avsc"), messy("Pong")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into a read-only directory anyway: then fmt must succeed and say so.
    let blocked = std::fs::write(locked.join(".probe"), "").is_err();
    let _ = std::fs::remove_file(locked.join(".probe"));
    let r = run(&dir, &["fmt"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(r.stdout.contains("formatted schemas/com/acme/Pong.avsc"), "the other file is formatted: {}", r.stdout);
    assert!(read(&dir.join("schemas/com/acme/Pong.avsc")).starts_with(FORMATTED));
    if blocked {
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(!r.stdout.contains("formatted schemas/com/locked/Ping.avsc"), "{}", r.stdout);
        assert!(r.stdout.contains("error[unwritable-file]"), "{}", r.stdout);
        assert_eq!(read(&locked.join("Ping.avsc")), messy("Ping"));
    } else {
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert!(r.stdout.contains("formatted schemas/com/locked/Ping.avsc"), "{}", r.stdout);
        assert!(read(&locked.join("Ping.avsc")).starts_with(FORMATTED));
    }
    assert_eq!(names(&locked), [b"Ping.avsc".to_vec()], "no staged file is left behind");
}

#[test]
fn a_refused_input_keeps_its_own_code_in_fmt() {
    let (_tmp, dir) = project();
    let fifo = dir.join("schemas/com/acme/Pipe.avsc");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    symlink("Loop2.avsc", dir.join("schemas/com/acme/Loop1.avsc")).unwrap();
    symlink("Loop1.avsc", dir.join("schemas/com/acme/Loop2.avsc")).unwrap();
    for args in [&["fmt", "--format", "json"][..], &["fmt", "--check", "--format", "json"]] {
        let r = run(&dir, args);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        let f = findings(&json(&r));
        let code_of = |file: &str| f.iter().find(|x| x.1 == file).map(|x| x.0.clone());
        assert_eq!(code_of("schemas/com/acme/Pipe.avsc").as_deref(), Some("not-a-regular-file"), "{f:?}");
        assert_eq!(code_of("schemas/com/acme/Loop1.avsc").as_deref(), Some("symlink-loop"), "{f:?}");
        assert!(f.iter().all(|x| !x.2.is_empty()), "every finding has a hint: {f:?}");
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is left as it is");
}

const EXCLUDE_ALL: &str = "version: 1\nschemas:\n  root: schemas\n  exclude: [\"com/**\", \"*.avsc\"]\n";

#[test]
fn an_exclude_that_leaves_no_file_is_a_warning_in_every_command() {
    let repo = support::git_repo::Repo::with_config(EXCLUDE_ALL);
    repo.write("schemas/com/acme/Ping.avsc", &messy("Ping"));
    repo.write("schemas/Top.avsc", &messy("Top"));
    repo.commit("schemas");
    let dir = repo.path();
    for args in [&["validate"][..], &["lint"], &["fmt"], &["fmt", "--check"], &["check"], &["check", "--all"]] {
        let r = run(dir, args);
        assert_eq!(r.code, 0, "{args:?}: a warning does not fail the run: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("warning[no-files-selected]"), "{args:?}: {}", r.stdout);
        assert!(r.stdout.contains("schemapipe.yaml") && r.stdout.contains("`com/**`"), "{args:?}: {}", r.stdout);
        assert!(r.stdout.contains("help:"), "{args:?}: {}", r.stdout);
        assert!(!r.stdout.contains("no problems"), "{args:?}: {}", r.stdout);
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let doc = json(&run(dir, &json_args));
        let f = findings(&doc);
        assert_eq!(f.len(), 1, "{json_args:?}: {f:?}");
        assert_eq!(f[0].0, "no-files-selected");
        assert_eq!(doc["summary"]["warnings"], 1, "{json_args:?}");
    }
    assert_eq!(read(&dir.join("schemas/Top.avsc")), messy("Top"), "fmt wrote nothing");
    let r = run(dir, &["validate"]);
    let shown = r.stdout.replace(&dir.to_string_lossy().into_owned(), "[TMP]");
    insta::assert_snapshot!("validate_exclude_everything_human", shown);
    // Quiet hides warnings, as everywhere.
    assert_eq!(run(dir, &["validate", "-q"]).stdout, "");
    // An explicit --config is named as given.
    std::fs::rename(dir.join("schemapipe.yaml"), dir.join("ci.yaml")).unwrap();
    let r = run(dir, &["lint", "--config", "ci.yaml"]);
    assert!(r.stdout.contains("`ci.yaml`"), "{}", r.stdout);
    // An exclude that leaves a file, or a file passed explicitly: no warning.
    std::fs::write(dir.join("ci.yaml"), "version: 1\nschemas:\n  root: schemas\n  exclude: [\"com/**\"]\n").unwrap();
    let r = run(dir, &["validate", "--config", "ci.yaml"]);
    assert!(!r.stdout.contains("no-files-selected"), "{}", r.stdout);
    std::fs::write(dir.join("ci.yaml"), EXCLUDE_ALL).unwrap();
    let r = run(dir, &["validate", "--config", "ci.yaml", "schemas/Top.avsc"]);
    assert!(!r.stdout.contains("no-files-selected"), "{}", r.stdout);
}

#[test]
fn an_empty_schema_root_is_not_an_exclude_problem() {
    let (_tmp, dir) = project();
    std::fs::write(dir.join("schemapipe.yaml"), EXCLUDE_ALL).unwrap();
    let r = run(&dir, &["validate"]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains("no-files-selected"), "nothing was there to exclude: {}", r.stdout);
}

#[test]
fn a_terminal_escape_in_a_file_name_is_not_sent_to_the_terminal() {
    let (_tmp, dir) = project();
    let acme = dir.join("schemas/com/acme");
    std::fs::write(acme.join("a\u{1b}]0;owned\u{7}.avsc"), messy("A")).unwrap();
    for args in [&["fmt", "--check"][..], &["fmt"]] {
        let r = run(&dir, args);
        assert!(r.stdout.contains("schemas/com/acme/a\\u{1b}]0;owned\\u{7}.avsc"), "{args:?}: {}", r.stdout);
        assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'), "{args:?}: {:?}", r.stdout);
    }
    assert_eq!(names(&acme), [b"a\x1b]0;owned\x07.avsc".to_vec()]);
    assert!(read(&acme.join("a\u{1b}]0;owned\u{7}.avsc")).starts_with(FORMATTED));
}
