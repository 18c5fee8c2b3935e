//! Hostile files in a pull request: symbolic links leading out of the repository, FIFOs,
//! devices and directories named `.avsc`, and configs that are not files.

#![cfg(unix)]

mod support {
    pub mod bin;
}

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

const SECRET: &str = "https://bob:ghp_S3cretTokenValue@github.com";

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("schemapipe")
        .unwrap()
        .env_clear()
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let r = (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!r.1.contains("ghp_S3cret") && !r.2.contains("ghp_S3cret"), "a secret was quoted:\n{}\n{}", r.1, r.2);
    assert_ne!(r.0, -1, "{args:?} did not finish (killed by the timeout)");
    r
}

const GOOD: &str = r#"{"type": "record", "name": "A", "namespace": "x", "doc": "A.", "fields": [{"name": "id", "type": "long", "doc": "Id."}]}"#;

/// A repository (`.git` present) with a schema root, a secret outside it, and a config.
fn repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".git-credentials"), format!("{SECRET}\n")).unwrap();
    std::fs::create_dir_all(home.join("secrets")).unwrap();
    std::fs::write(home.join("secrets/B.avsc"), format!("{SECRET}\n")).unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("schemas")).unwrap();
    std::fs::write(repo.join("schemas/A.avsc"), GOOD).unwrap();
    std::fs::write(repo.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
    (tmp, repo)
}

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo");
}

#[test]
fn symlinks_leading_outside_are_findings_at_the_link_and_never_read() {
    let (tmp, repo) = repo();
    let home = tmp.path().join("home");
    std::os::unix::fs::symlink(home.join(".git-credentials"), repo.join("schemas/creds.avsc")).unwrap();
    std::os::unix::fs::symlink(home.join("secrets"), repo.join("schemas/linked")).unwrap();
    std::os::unix::fs::symlink("loop2.avsc", repo.join("schemas/loop1.avsc")).unwrap();
    std::os::unix::fs::symlink("loop1.avsc", repo.join("schemas/loop2.avsc")).unwrap();
    // A link inside the root is fine.
    std::os::unix::fs::symlink("A.avsc", repo.join("schemas/Alias.avsc")).unwrap();
    for args in [&["validate"][..], &["validate", "--format", "json"], &["lint"], &["fmt", "--check"]] {
        let (code, out, _) = run(&repo, args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(out.contains("creds.avsc"), "{out}");
        if args[0] != "fmt" {
            assert!(out.contains("symlink-outside-root"), "{out}");
            assert!(out.contains("symlink-loop"), "{out}");
            assert!(out.contains("linked"), "the linked directory is reported: {out}");
        }
    }
    let (code, out, _) = run(&repo, &["compat", "schemas/creds.avsc", "--against", "schemas/A.avsc"]);
    assert_ne!(code, 0, "{out}");
    let (code, out, _) = run(&repo, &["fingerprint", "schemas/creds.avsc"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("symlink-outside-root"), "{out}");
    // A plain file reached through a linked directory leads outside as well: its directory is
    // resolved (once per run), not only the file itself. A sibling in a real directory read in
    // the same run is not confused with it.
    for args in
        [&["validate", "schemas/A.avsc", "schemas/linked/B.avsc"][..], &["fingerprint", "schemas/linked/B.avsc"]]
    {
        let (code, out, _) = run(&repo, args);
        assert_eq!(code, 1, "{args:?}: {out}");
        assert!(out.contains("symlink-outside-root"), "{args:?}: {out}");
        assert!(!out.contains(SECRET), "{args:?}: {out}");
    }
}

#[test]
fn fifos_devices_and_directories_named_avsc_are_findings_not_hangs() {
    let (_tmp, repo) = repo();
    mkfifo(&repo.join("schemas/x.avsc"));
    std::fs::create_dir_all(repo.join("schemas/dir.avsc")).unwrap();
    for args in [
        &["validate"][..],
        &["lint"],
        &["fmt", "--check"],
        &["fmt"],
        &["validate", "--format", "json"],
        &["compat", "schemas/x.avsc", "--against", "schemas/A.avsc"],
        &["fingerprint", "schemas/x.avsc"],
    ] {
        let (code, out, err) = run(&repo, args);
        assert!(code == 1 || code == 2, "{args:?}: {code} {out}{err}");
        assert!(out.contains("FIFO") || err.contains("FIFO"), "{args:?}: {out}{err}");
    }
    let (code, out, _) = run(&repo, &["validate"]);
    assert_eq!(code, 1);
    assert!(out.contains("not-a-regular-file") && out.contains("a directory"), "{out}");
    let (code, out, err) = run(&repo, &["fingerprint", "/dev/zero"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("character device"), "{out}");
}

#[test]
fn a_config_that_is_not_a_file_says_what_it_is() {
    let (_tmp, repo) = repo();
    mkfifo(&repo.join("fifo.yaml"));
    let (code, _, err) = run(&repo, &["validate", "--config", "fifo.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a FIFO (named pipe), not a file"), "{err}");
    let (code, _, err) = run(&repo, &["validate", "--config", "schemas"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a directory, not a file"), "{err}");
    let (code, _, err) = run(&repo, &["validate", "--config", "nope.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn an_exclude_that_drops_every_file_is_reported_by_the_workspace() {
    let (_tmp, repo) = repo();
    std::fs::write(repo.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n  exclude: [\"**\"]\n")
        .unwrap();
    let ws = schemapipe::workspace::Workspace::discover(&repo, None).unwrap();
    let w = ws.excluded_everything().expect("a warning");
    assert!(w.contains("`**`") && w.contains("schemas") && w.contains("all 1 .avsc files"), "{w}");
    std::fs::write(repo.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n  exclude: [\"old/**\"]\n")
        .unwrap();
    let ws = schemapipe::workspace::Workspace::discover(&repo, None).unwrap();
    assert_eq!(ws.excluded_everything(), None);
}

/// A file in the repository that is not JSON at all (a credentials file, a token, a key named
/// `.avsc` by mistake or on purpose): every command names where the problem is and quotes
/// nothing of it; a schema with a syntax error is still shown with its line.
#[test]
fn a_file_that_is_not_json_is_never_quoted() {
    let (_tmp, root) = repo();
    let schemas = root.join("schemas");
    std::fs::write(schemas.join("Creds.avsc"), format!("{SECRET}\n")).unwrap();
    std::fs::write(schemas.join("Token.avsc"), "ghp_S3cretTokenValueAAAAAAAAAAAAAAAAAAAAAAAA\n").unwrap();
    std::fs::write(schemas.join("Key.avsc"), "-----BEGIN ghp_S3cret KEY-----\nAAAA\n").unwrap();
    for args in [&["validate"][..], &["lint"], &["fmt", "--check"], &["fingerprint", "schemas/Creds.avsc"]] {
        for format in ["human", "json", "sarif", "junit", "github"] {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let (code, out, err) = run(&root, &a);
            assert!(code == 1 || code == 2, "{a:?}: {code}\n{out}\n{err}");
        }
    }
    let (_, out, _) = run(&root, &["validate"]);
    assert!(out.contains("schemas/Creds.avsc:1:1"), "{out}");
    // A schema with a syntax error keeps its snippet.
    std::fs::write(schemas.join("Broken.avsc"), "{\"type\": \"record\", \"name\": \"B\" \"fields\": []}").unwrap();
    let (_, out, _) = run(&root, &["validate", "schemas/Broken.avsc"]);
    assert!(out.contains(r#"1 │ {"type": "record""#), "{out}");
}

/// Names and file names that hold terminal escape sequences are shown escaped, never raw, in
/// every text format; JUnit stays well-formed XML.
#[test]
fn control_characters_from_files_never_reach_the_terminal() {
    let (_tmp, root) = repo();
    let schemas = root.join("schemas");
    std::fs::write(schemas.join("E.avsc"), "{\"type\": \"record\", \"name\": \"A\x1b[31mRED\", \"fields\": []}")
        .unwrap();
    std::fs::write(schemas.join("E2.avsc"), r#"{"type": "record", "name": "A\u001b]0;pwned\u0007", "fields": []}"#)
        .unwrap();
    let dir = schemas.join("x\x1b[2J");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("F.avsc"), GOOD).unwrap();
    for format in ["human", "github", "junit", "sarif", "json"] {
        let (code, out, err) = run(&root, &["validate", "--format", format]);
        assert_eq!(code, 1, "{format}: {out}{err}");
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{format}: raw control character in:\n{out}");
    }
    let (_, out, _) = run(&root, &["validate"]);
    assert!(out.contains("\\u{1b}"), "shown escaped: {out}");
}
