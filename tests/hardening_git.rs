//! Revisions a clone does not hold, and repositories without commits: errors that say what to
//! fetch, and "no commits yet" as a state rather than an error.

mod support {
    pub mod bin;
    #[allow(dead_code)] // the helpers this file does not use
    pub mod git_repo;
}

use schemapipe::git::{BaseState, GitRepo};
use support::bin::run;
use support::git_repo::Repo;

const A: &str = r#"{"type": "record", "name": "A", "namespace": "x", "doc": "A.", "fields": [{"name": "id", "type": "long", "doc": "Id."}]}"#;

fn three_commits() -> Repo {
    let r = Repo::with_config("version: 1\nschemas:\n  root: schemas\n");
    for i in 0..3 {
        r.write("schemas/A.avsc", &A.replace("A.\"", &format!("A {i}.\"")));
        r.commit(&format!("c{i}"));
    }
    r
}

#[test]
fn an_ancestor_past_the_history_names_the_revision_and_what_to_do() {
    let r = three_commits();
    for rev in ["HEAD~100", "main~7", "HEAD^^^^"] {
        let (code, _, err) = run(r.path(), &["check", "--against", rev]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&format!("`{rev}`")), "{err}");
        assert!(!err.contains("parent 0"), "{err}");
        assert!(err.contains("shorter"), "{err}");
    }
    let (code, _, err) = run(r.path(), &["check", "--against", "origin/release"]);
    assert_eq!(code, 2);
    assert!(err.contains("`origin/release` is not in this clone") && err.contains("git fetch origin release"), "{err}");
}

#[test]
fn a_shallow_clone_says_how_to_deepen() {
    let r = three_commits();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    let ok = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("c"))
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let (code, _, err) = run(&clone.path().join("c"), &["check", "--against", "HEAD~1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`HEAD~1` is not in this clone"), "{err}");
    assert!(err.contains("git fetch --deepen=1") && err.contains("git fetch --unshallow"), "{err}");
}

#[test]
fn a_repository_without_commits_is_a_state_not_an_error() {
    let r = Repo::with_config("version: 1\nschemas:\n  root: schemas\n");
    r.write("schemas/A.avsc", A);
    let repo = GitRepo::open(r.path()).unwrap();
    assert!(repo.has_no_commits());
    assert!(matches!(repo.base_state(None, None), Ok(BaseState::NoCommits)));
    assert!(matches!(repo.review_base_state(Some("main"), None), Ok(BaseState::NoCommits)));
    let r = three_commits();
    let repo = GitRepo::open(r.path()).unwrap();
    assert!(!repo.has_no_commits());
    assert!(matches!(repo.base_state(None, None), Ok(BaseState::Commit(_))));
}
