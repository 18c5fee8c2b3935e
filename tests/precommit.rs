//! Pre-commit integration with the real binary and real git: `schemapipe hook install` (the
//! plain hook, run by `git commit`) and this repository's `.pre-commit-hooks.yaml` run by the
//! pre-commit framework from PyPI (`pre-commit try-repo`, which builds schemapipe from source
//! with `cargo install`, as every user of the hooks gets it).
//!
//! Git runs with no global or system configuration and a fixed identity, so the user's own
//! settings (a global `core.hooksPath`, signing) take no part.

mod support {
    pub mod oracles;
}

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CONFIG: &str = "version: 1\nschemas:\n  root: schemas\ncompatibility:\n  level: BACKWARD\n";

const ORDER: &str = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme",
  "doc": "An order.",
  "fields": [
    {
      "name": "id",
      "type": "string",
      "doc": "The id."
    },
    {
      "name": "amount",
      "type": "int",
      "doc": "The amount."
    }
  ]
}
"#;

/// `amount` changes from int to string: the new schema cannot read old data (BACKWARD).
fn breaking() -> String {
    ORDER.replace(r#""type": "int""#, r#""type": "string""#)
}

/// A new optional field with a default: compatible at every level.
fn compatible() -> String {
    ORDER.replace(
        "      \"doc\": \"The amount.\"\n    }\n",
        "      \"doc\": \"The amount.\"\n    },\n    {\n      \"name\": \"note\",\n      \"type\": \"string\",\n      \"default\": \"\",\n      \"doc\": \"A note.\"\n    }\n",
    )
}

const SCHEMA: &str = "schemas/com/acme/Order.avsc";

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("schemapipe")
}

/// PATH with the directory of the binary under test first.
fn path_with_bin() -> std::ffi::OsString {
    let mut dirs = vec![bin().parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap()
}

/// Git isolated from the user's configuration, with a fixed identity.
fn git_cmd(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    c
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd(dir).args(args).output().expect("git runs");
    assert!(out.status.success(), "git {args:?} failed in {}:\n{}", dir.display(), text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A schema repository on `main` with one committed schema (no hook yet).
fn schema_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    std::fs::write(p.join("schemapipe.yaml"), CONFIG).unwrap();
    write(p, SCHEMA, ORDER);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "Order"]);
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `schemapipe ARGS` in `dir`: (exit code, stdout, stderr).
fn schemapipe(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin())
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Files in `dir` other than git's `*.sample` hooks.
fn hook_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".sample"))
        .collect();
    v.sort();
    v
}

#[test]
#[cfg(unix)]
fn install_writes_an_executable_posix_hook_that_runs_the_staged_check() {
    let repo = schema_repo();
    let p = repo.path();
    let (code, out, err) = schemapipe(p, &["hook", "install"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("installed the pre-commit hook .git/hooks/pre-commit"), "{out}");
    let hook = p.join(".git/hooks/pre-commit");
    assert_eq!(mode(&hook), 0o755);
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(script.lines().any(|l| l == "exec schemapipe check --staged --against HEAD"), "{script}");
    // POSIX sh accepts it.
    let syntax = Command::new("sh").arg("-n").arg(&hook).output().unwrap();
    assert!(syntax.status.success(), "{}", text(&syntax));
    // Nothing but the hook is left in the hooks folder (no temporary file).
    assert_eq!(hook_files(&p.join(".git/hooks")), vec!["pre-commit"]);

    // Again: nothing to do, reported in JSON like other commands.
    let (code, out, err) = schemapipe(p, &["hook", "install", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["command"], "hook");
    assert_eq!(doc["action"], "install");
    assert_eq!(doc["result"], "unchanged");
    assert_eq!(doc["runs"], "schemapipe check --staged --against HEAD");
    assert_eq!(PathBuf::from(doc["hook"].as_str().unwrap()).canonicalize().unwrap(), hook.canonicalize().unwrap());
    assert_eq!(doc["hooks_path"], serde_json::Value::Null);

    // From a subdirectory, the same repository's hook.
    let (code, out, _) = schemapipe(&p.join("schemas/com"), &["hook", "install", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["result"], "unchanged");

    // uninstall removes it; a second uninstall finds nothing.
    let (code, out, _) = schemapipe(p, &["hook", "uninstall"]);
    assert_eq!(code, 0);
    assert!(out.contains("removed the pre-commit hook"), "{out}");
    assert!(!hook.exists());
    let (code, out, _) = schemapipe(p, &["hook", "uninstall", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["result"], "absent");
}

#[test]
#[cfg(unix)]
fn install_refuses_to_overwrite_a_hook_it_did_not_write_unless_forced() {
    let repo = schema_repo();
    let p = repo.path();
    let hook = p.join(".git/hooks/pre-commit");
    let theirs = "#!/bin/sh\n# the team's own checks\nexit 0\n";
    std::fs::write(&hook, theirs).unwrap();

    let (code, out, err) = schemapipe(p, &["hook", "install"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("already exists and was not written by schemapipe"), "{err}");
    assert!(err.contains("help: pass --force"), "{err}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
    assert_eq!(hook_files(&p.join(".git/hooks")), vec!["pre-commit"]);

    // uninstall leaves a hook it did not write alone, too.
    let (code, _, err) = schemapipe(p, &["hook", "uninstall"]);
    assert_eq!(code, 2);
    assert!(err.contains("was not written by schemapipe"), "{err}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);

    // The pre-commit framework's hook: the hint points to the framework's configuration.
    std::fs::write(&hook, "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n").unwrap();
    let (code, _, err) = schemapipe(p, &["hook", "install"]);
    assert_eq!(code, 2);
    assert!(err.contains(".pre-commit-config.yaml"), "{err}");

    let (code, out, err) = schemapipe(p, &["hook", "install", "--force", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["result"], "replaced");
    assert!(std::fs::read_to_string(&hook).unwrap().contains("exec schemapipe check --staged --against HEAD"));
    assert_eq!(mode(&hook), 0o755);

    // A hook schemapipe wrote, changed since: rewritten without --force.
    let edited = std::fs::read_to_string(&hook).unwrap().replace("--against HEAD", "--against main");
    std::fs::write(&hook, edited).unwrap();
    let (code, out, _) = schemapipe(p, &["hook", "install", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["result"], "updated");
    assert!(std::fs::read_to_string(&hook).unwrap().contains("--against HEAD"));
}

#[test]
#[cfg(unix)]
fn install_honours_core_hooks_path_and_linked_worktrees() {
    let repo = schema_repo();
    let p = repo.path();

    // A relative core.hooksPath is relative to the top of the work tree, wherever it is run.
    git(p, &["config", "core.hooksPath", ".githooks"]);
    let (code, out, err) = schemapipe(&p.join("schemas"), &["hook", "install", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["result"], "created");
    assert_eq!(doc["hooks_path"], ".githooks");
    assert_eq!(mode(&p.join(".githooks/pre-commit")), 0o755);
    assert!(!p.join(".git/hooks/pre-commit").exists());
    // And git runs it from there: the breaking change is refused.
    write(p, SCHEMA, &breaking());
    git(p, &["add", "-A"]);
    let out = git_cmd(p).env("PATH", path_with_bin()).args(["commit", "-q", "-m", "break"]).output().unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("type-mismatch"), "{}", text(&out));
    git(p, &["reset", "-q", "--hard"]);

    // An absolute one.
    let elsewhere = tempfile::tempdir().unwrap();
    let abs = elsewhere.path().join("hooks");
    git(p, &["config", "core.hooksPath", abs.to_str().unwrap()]);
    let (code, out, err) = schemapipe(p, &["hook", "install"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("core.hooksPath"), "{out}");
    assert_eq!(mode(&abs.join("pre-commit")), 0o755);

    // A linked worktree shares the repository's hooks: installing from it writes them there.
    git(p, &["config", "--unset", "core.hooksPath"]);
    let wt_parent = tempfile::tempdir().unwrap();
    let wt = wt_parent.path().join("feature");
    git(p, &["worktree", "add", "-q", "-b", "feature", wt.to_str().unwrap()]);
    let (code, out, err) = schemapipe(&wt, &["hook", "install", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let hook = p.join(".git/hooks/pre-commit");
    assert_eq!(mode(&hook), 0o755);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(PathBuf::from(doc["hook"].as_str().unwrap()).canonicalize().unwrap(), hook.canonicalize().unwrap());
    // git runs it for a commit in the worktree.
    write(&wt, SCHEMA, &breaking());
    git(&wt, &["add", "-A"]);
    let out = git_cmd(&wt).env("PATH", path_with_bin()).args(["commit", "-q", "-m", "break"]).output().unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("type-mismatch"), "{}", text(&out));
}

#[test]
fn install_outside_a_repository_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = schemapipe(dir.path(), &["hook", "install"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not inside a git repository"), "{err}");
}

#[test]
#[cfg(unix)]
fn the_installed_hook_refuses_a_breaking_commit_and_lets_a_clean_one_through() {
    let repo = schema_repo();
    let p = repo.path();
    assert_eq!(schemapipe(p, &["hook", "install"]).0, 0);
    let commit =
        |msg: &str| git_cmd(p).env("PATH", path_with_bin()).args(["commit", "-q", "-m", msg]).output().unwrap();
    let head = || git(p, &["rev-parse", "HEAD"]);
    let before = head();

    write(p, SCHEMA, &breaking());
    git(p, &["add", "-A"]);
    let out = commit("amount becomes a string");
    assert!(!out.status.success(), "the breaking commit went through:\n{}", text(&out));
    let said = text(&out);
    assert!(said.contains("error[type-mismatch]"), "{said}");
    assert!(said.contains("schemas/com/acme/Order.avsc:"), "{said}");
    assert_eq!(head(), before, "no commit was made");

    // A compatible change passes.
    write(p, SCHEMA, &compatible());
    git(p, &["add", "-A"]);
    let out = commit("a note");
    assert!(out.status.success(), "{}", text(&out));
    assert_ne!(head(), before);

    // A commit touching no schema passes.
    write(p, "README.md", "schemas\n");
    git(p, &["add", "-A"]);
    let out = commit("readme");
    assert!(out.status.success(), "{}", text(&out));

    // Without schemapipe on PATH the hook says so and refuses rather than passing unchecked.
    write(p, SCHEMA, &breaking());
    git(p, &["add", "-A"]);
    // PATH holds git alone (the hook's shell is /bin/sh).
    let only_git = tempfile::tempdir().unwrap();
    let git_exe = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("git"))
        .find(|g| g.is_file())
        .expect("git on PATH");
    std::os::unix::fs::symlink(&git_exe, only_git.path().join("git")).unwrap();
    let out = git_cmd(p).env("PATH", only_git.path()).args(["commit", "-q", "-m", "unchecked"]).output().unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("schemapipe is not on PATH"), "{}", text(&out));
}

// --- The pre-commit framework --------------------------------------------------------------------

/// This repository's files as they are now (tracked and untracked, less what .gitignore leaves
/// out), committed into a bare repository under `target/precommit/`, for `pre-commit try-repo
/// --ref`. The commit is made with a fixed date and author, so the same files give the same
/// commit. (try-repo on the checkout itself would take only tracked changes, skipping new files.)
fn snapshot_of_this_repository(work: &Path) -> (PathBuf, String) {
    static SNAPSHOT: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    SNAPSHOT.get_or_init(|| make_snapshot(work)).clone()
}

fn make_snapshot(work: &Path) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bare = work.join("hooks-repo.git");
    if !bare.join("HEAD").exists() {
        git(work, &["init", "-q", "--bare", bare.to_str().unwrap()]);
    }
    let index = bare.join("snapshot-index");
    let _ = std::fs::remove_file(&index);
    let in_snapshot = |args: &[&str]| -> String {
        let out = git_cmd(root)
            .env("GIT_DIR", &bare)
            .env("GIT_WORK_TREE", root)
            .env("GIT_INDEX_FILE", &index)
            .env("GIT_AUTHOR_DATE", "1700000000 +0000")
            .env("GIT_COMMITTER_DATE", "1700000000 +0000")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}:\n{}", text(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    in_snapshot(&["add", "-A", "."]);
    let tree = in_snapshot(&["write-tree"]);
    let commit = in_snapshot(&["commit-tree", &tree, "-m", "schemapipe as it is being tested"]);
    in_snapshot(&["update-ref", "refs/heads/main", &commit]);
    (bare, commit)
}

/// What pre-commit (and git running its hook) runs with: its cache under `target/precommit/`,
/// git isolated as in [`git_cmd`].
fn framework_env(mut c: Command, work: &Path) -> Command {
    c.env("PRE_COMMIT_HOME", work.join("home"))
        .env("PRE_COMMIT_COLOR", "never")
        // The dependencies `cargo install` builds are kept between runs: pre-commit clones the
        // hooks repository afresh for each new rev (and try-repo for each run) and builds
        // schemapipe itself from source.
        .env("CARGO_TARGET_DIR", work.join("cargo-target"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    c
}

/// `pre-commit try-repo <this repository> schemapipe-check` in `scratch`, against what is
/// staged there, as a commit would run it.
fn try_repo(work: &Path, hooks_repo: &Path, rev: &str, scratch: &Path) -> (bool, String, f64) {
    let started = std::time::Instant::now();
    let out = framework_env(support::oracles::pre_commit(), work)
        .current_dir(scratch)
        .args(["try-repo", hooks_repo.to_str().unwrap(), "schemapipe-check", "--ref", rev])
        .args(["--color", "never"])
        .output()
        .expect("pre-commit runs");
    let secs = started.elapsed().as_secs_f64();
    (out.status.success(), text(&out), secs)
}

#[test]
fn pre_commit_try_repo_refuses_a_breaking_change_and_passes_a_clean_one() {
    let work = support::oracles::target_dir().join("precommit");
    std::fs::create_dir_all(&work).unwrap();
    let version = framework_env(support::oracles::pre_commit(), &work).arg("--version").output().unwrap();
    assert!(version.status.success(), "{}", text(&version));
    let (hooks_repo, rev) = snapshot_of_this_repository(&work);

    let repo = schema_repo();
    let p = repo.path();

    // A breaking change, staged: refused, with the finding.
    write(p, SCHEMA, &breaking());
    git(p, &["add", "-A"]);
    let (passed, said, secs) = try_repo(&work, &hooks_repo, &rev, p);
    eprintln!("pre-commit try-repo (breaking change, building schemapipe): {secs:.1} s");
    assert!(!passed, "the breaking change passed:\n{said}");
    assert!(said.contains("schemapipe check (staged schemas against HEAD)"), "{said}");
    assert!(said.contains("Failed"), "{said}");
    assert!(said.contains("error[type-mismatch]"), "{said}");
    assert!(said.contains("schemas/com/acme/Order.avsc:"), "{said}");

    // A compatible change, staged: passes.
    write(p, SCHEMA, &compatible());
    git(p, &["add", "-A"]);
    let (passed, said, secs) = try_repo(&work, &hooks_repo, &rev, p);
    eprintln!("pre-commit try-repo (compatible change): {secs:.1} s");
    assert!(passed, "the compatible change was refused:\n{said}");
    assert!(said.contains("schemapipe check (staged schemas against HEAD)"), "{said}");
    assert!(said.contains("Passed"), "{said}");

    // A commit touching no schema does not run schemapipe at all.
    git(p, &["commit", "-q", "-m", "a note"]);
    write(p, "README.md", "schemas\n");
    git(p, &["add", "-A"]);
    let (passed, said, secs) = try_repo(&work, &hooks_repo, &rev, p);
    eprintln!("pre-commit try-repo (no schema staged): {secs:.1} s");
    assert!(passed, "{said}");
    assert!(said.contains("(no files to check)Skipped"), "{said}");
}

/// The manifest is valid for pre-commit, each hook runs only for .avsc files, takes file names
/// only where the command works on files, and its entry is a command line the binary accepts.
#[test]
fn the_hooks_manifest_is_valid_and_its_entries_are_real_command_lines() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let work = support::oracles::target_dir().join("precommit");
    let out =
        framework_env(support::oracles::pre_commit(), &work).arg("validate-manifest").arg(&manifest).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));

    // pre-commit's own reader, as JSON.
    let script = "import json, sys\nfrom pre_commit.clientlib import load_manifest\n\
                  print(json.dumps(load_manifest(sys.argv[1])))";
    let out = support::oracles::python().args(["-c", script]).arg(&manifest).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let hooks: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let by_id = |id: &str| hooks.iter().find(|h| h["id"] == id).unwrap_or_else(|| panic!("no hook {id}"));
    let expected = [
        ("schemapipe-check", "schemapipe check --staged --against HEAD", false),
        ("schemapipe-fmt", "schemapipe fmt", true),
        ("schemapipe-lint", "schemapipe lint", true),
    ];
    assert_eq!(hooks.len(), expected.len());
    let dir = tempfile::tempdir().unwrap();
    for (id, entry, pass_filenames) in expected {
        let h = by_id(id);
        assert_eq!(h["entry"], entry, "{id}");
        assert_eq!(h["language"], "rust", "{id}");
        assert_eq!(h["files"], r"\.avsc$", "{id}");
        assert_eq!(h["pass_filenames"], pass_filenames, "{id}");
        // Every flag of the entry exists: clap refuses unknown ones with exit 2.
        let args: Vec<&str> = entry.split_whitespace().skip(1).collect();
        let (code, out, err) = schemapipe(dir.path(), &[&args[..], &["--help"]].concat());
        assert_eq!(code, 0, "`{entry} --help`: {out}{err}");
    }
}

/// The way teams use the hooks: `.pre-commit-config.yaml` naming this repository at a rev,
/// `pre-commit install`, then `git commit`. The build is cached in PRE_COMMIT_HOME per rev.
#[test]
fn pre_commit_install_with_the_three_hooks_guards_git_commit() {
    let work = support::oracles::target_dir().join("precommit");
    std::fs::create_dir_all(&work).unwrap();
    let (hooks_repo, rev) = snapshot_of_this_repository(&work);
    let repo = schema_repo();
    let p = repo.path();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: schemapipe-fmt\n      - id: schemapipe-check\n      - id: schemapipe-lint\n",
        hooks_repo.display()
    );
    write(p, ".pre-commit-config.yaml", &config);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "pre-commit configuration"]);
    let out = framework_env(support::oracles::pre_commit(), &work).current_dir(p).arg("install").output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let commit = |msg: &str| framework_env(git_cmd(p), &work).args(["commit", "-m", msg]).output().unwrap();
    let head = || git(p, &["rev-parse", "HEAD"]);
    let before = head();

    let started = std::time::Instant::now();
    write(p, SCHEMA, &breaking());
    git(p, &["add", "-A"]);
    let out = commit("amount becomes a string");
    eprintln!(
        "git commit through pre-commit (first use of this rev builds schemapipe): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let said = text(&out);
    assert!(!out.status.success(), "the breaking commit went through:\n{said}");
    assert!(said.contains("error[type-mismatch]"), "{said}");
    assert_eq!(head(), before, "no commit was made");

    // Not in the canonical layout: schemapipe-fmt rewrites it and the commit stops; staged
    // again, it goes through (and the compatible change passes the check).
    let compact: String = compatible().split_whitespace().collect::<Vec<_>>().join(" ");
    write(p, SCHEMA, &compact);
    git(p, &["add", "-A"]);
    let out = commit("a note");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("files were modified by this hook"), "{said}");
    assert_eq!(std::fs::read_to_string(p.join(SCHEMA)).unwrap(), compatible());
    assert_eq!(head(), before);
    git(p, &["add", "-A"]);
    let started = std::time::Instant::now();
    let out = commit("a note");
    eprintln!("git commit through pre-commit (built): {:.1} s", started.elapsed().as_secs_f64());
    assert!(out.status.success(), "{}", text(&out));
    assert_ne!(head(), before);
}
