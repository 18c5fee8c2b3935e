//! Safe writes: hostile names never leave the root, symlinks and read-only files are never
//! replaced, and a run that fails anywhere leaves the tree exactly as it was.

use schemapipe::fsguard::{check_relative, join_checked, sha256_hex, Policy, Refusal, Transaction};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};

/// Everything under `dir`: path -> (kind, content or link target, mode).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (char, Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            let mode = m.permissions().mode();
            if m.file_type().is_symlink() {
                out.insert(rel, ('l', std::fs::read_link(&p).unwrap().as_os_str().as_bytes().to_vec(), 0));
            } else if m.is_dir() {
                out.insert(rel, ('d', Vec::new(), mode));
                stack.push(p);
            } else {
                out.insert(rel, ('f', std::fs::read(&p).unwrap(), mode));
            }
        }
    }
    out
}

fn tree() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("root");
    std::fs::create_dir_all(root.join("com/acme")).unwrap();
    std::fs::write(root.join("com/acme/Order.avsc"), "old order\n").unwrap();
    std::fs::write(root.join("keep.txt"), "keep\n").unwrap();
    (t, root)
}

#[test]
fn hostile_relative_paths_are_refused_before_any_io() {
    let hostile: &[&[u8]] = &[
        b"..",
        b"../x",
        b"a/../..",
        b"a/../../x",
        b"../../../../tmp/x",
        b"/etc/x",
        b"/",
        b"a//b",
        b"a/",
        b"",
        b".",
        b"./a",
        b"a/./b",
        b"a\0b",
        b"a\\b",
        b"C:x",
        b"c:/x",
    ];
    for h in hostile {
        let p = Path::new(OsStr::from_bytes(h));
        assert!(check_relative(p).is_err(), "{:?} accepted", String::from_utf8_lossy(h));
        assert!(join_checked(Path::new("/r"), p).is_err());
    }
    let long = "x".repeat(300);
    let e = check_relative(Path::new(&long)).unwrap_err();
    assert!(e.to_string().contains("255 bytes"), "{e}");
    let deep = vec!["y".repeat(250); 20].join("/");
    assert!(check_relative(Path::new(&deep)).unwrap_err().to_string().contains("4096"));
    // Names that are not UTF-8 are fine names.
    assert!(check_relative(Path::new(OsStr::from_bytes(b"caf\xe9/x.avsc"))).is_ok());
    assert_eq!(join_checked(Path::new("/r"), Path::new("a/b.avsc")).unwrap(), Path::new("/r/a/b.avsc"));
}

#[test]
fn a_hostile_name_in_a_run_writes_nothing_and_names_the_file() {
    for bad in ["../escape.avsc", "a/../../escape.avsc", "/tmp/escape.avsc", "a//b.avsc", ".", "a\0b"] {
        let (t, root) = tree();
        let before = snapshot(t.path());
        let mut tx = Transaction::new(&root, Policy::AllOrNothing);
        tx.put("new/One.avsc", "one\n");
        tx.put(bad, "evil\n");
        tx.put("com/acme/Order.avsc", "new order\n");
        let err = tx.commit().unwrap_err();
        assert_eq!(err.path, Path::new(bad), "{bad}");
        assert!(matches!(err.refusal, Refusal::UnsafeName(_)), "{bad}: {:?}", err.refusal);
        assert_eq!(err.report.not_written.len(), 3);
        assert!(err.to_string().contains("nothing was written"), "{err}");
        assert_eq!(snapshot(t.path()), before, "{bad}: the tree changed");
    }
}

#[test]
fn writes_creates_and_reports_unchanged() {
    let (t, root) = tree();
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("com/acme/Order.avsc", "new order\n");
    tx.put("keep.txt", "keep\n");
    tx.put("org/x/y/Deep.avsc", "deep\n");
    let report = tx.commit().unwrap();
    assert_eq!(report.written, vec![PathBuf::from("com/acme/Order.avsc"), PathBuf::from("org/x/y/Deep.avsc")]);
    assert_eq!(report.unchanged, vec![PathBuf::from("keep.txt")]);
    assert!(report.not_written.is_empty());
    assert_eq!(std::fs::read_to_string(root.join("com/acme/Order.avsc")).unwrap(), "new order\n");
    assert_eq!(std::fs::read_to_string(root.join("org/x/y/Deep.avsc")).unwrap(), "deep\n");
    // No temporary file or backup is left behind.
    let names: Vec<String> = snapshot(t.path()).keys().map(|p| p.to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains(".schemapipe-")), "{names:?}");
}

#[test]
fn the_root_is_created_when_missing() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("schemas/nested");
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("a/B.avsc", "b\n");
    tx.commit().unwrap();
    assert_eq!(std::fs::read_to_string(root.join("a/B.avsc")).unwrap(), "b\n");
}

#[test]
fn a_new_root_with_many_files_gets_every_file_with_its_own_bytes() {
    // Enough files that they are written side by side.
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("generated/java");
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    let mut want = BTreeMap::new();
    for i in 0..500 {
        let rel = PathBuf::from(format!("com/acme/d{}/F{i}.java", i % 23));
        let body = format!("file {i}\n").repeat(i % 7 + 1);
        tx.put(rel.to_str().unwrap(), body.clone());
        want.insert(rel, ('f', body.into_bytes()));
    }
    let r = tx.commit().unwrap();
    assert_eq!(r.written.len(), 500);
    assert!(r.written.windows(2).all(|w| w[0] != w[1]));
    let got: BTreeMap<PathBuf, (char, Vec<u8>)> =
        snapshot(&root).into_iter().filter(|(_, (k, _, _))| *k == 'f').map(|(p, (k, b, _))| (p, (k, b))).collect();
    assert_eq!(got, want);
    // Nothing beside the root: the directory it was built in is gone.
    let beside: Vec<_> = std::fs::read_dir(root.parent().unwrap()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(beside, [OsStr::new("java")]);
}

#[test]
fn a_new_root_keeps_going_past_a_refused_name_and_fails_whole_when_all_or_nothing() {
    let long = format!("a/{}", "n".repeat(300));
    for policy in [Policy::KeepGoing, Policy::AllOrNothing] {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("generated/java");
        let mut tx = Transaction::new(&root, policy);
        tx.put("a/B.avsc", "b\n");
        tx.put(&long, "x\n");
        tx.put("C.avsc", "c\n");
        tx.remove_if_unchanged("gone.avsc", sha256_hex(b"g"));
        match policy {
            Policy::KeepGoing => {
                let r = tx.commit().unwrap();
                assert_eq!(r.written, [PathBuf::from("a/B.avsc"), PathBuf::from("C.avsc")]);
                assert_eq!(r.unchanged, [PathBuf::from("gone.avsc")]);
                assert_eq!(r.not_written.len(), 1);
                assert_eq!(r.not_written[0].0, Path::new(&long));
                assert!(matches!(r.not_written[0].1, Refusal::UnsafeName(_)));
                assert_eq!(std::fs::read_to_string(root.join("C.avsc")).unwrap(), "c\n");
            }
            Policy::AllOrNothing => {
                let err = tx.commit().expect_err("the long name fails the run");
                assert_eq!(err.path, Path::new(&long));
                assert!(snapshot(t.path()).is_empty(), "nothing was created: {:?}", snapshot(t.path()));
            }
        }
    }
}

#[test]
fn a_new_root_with_a_file_where_a_directory_goes_writes_nothing() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("mine.txt"), "mine\n").unwrap();
    let before = snapshot(t.path());
    let mut tx = Transaction::new(t.path().join("out/new"), Policy::AllOrNothing);
    tx.put("x/A.avsc", "a\n");
    tx.put("a", "file\n");
    tx.put("a/x", "x\n");
    let err = tx.commit().expect_err("`a` cannot be both");
    assert!(err.path == Path::new("a/x") || err.path == Path::new("a"), "{err}");
    assert_eq!(snapshot(t.path()), before);
}

#[test]
fn permissions_are_kept() {
    let (_t, root) = tree();
    let p = root.join("com/acme/Order.avsc");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("com/acme/Order.avsc", "new\n");
    tx.commit().unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "new\n");
}

#[test]
fn a_read_only_file_is_reported_and_left() {
    let (t, root) = tree();
    let p = root.join("com/acme/Order.avsc");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = snapshot(t.path());
    // All-or-nothing: nothing is written.
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("keep.txt", "changed\n");
    tx.put("com/acme/Order.avsc", "new\n");
    let err = tx.commit().unwrap_err();
    assert_eq!(err.refusal, Refusal::ReadOnly);
    assert_eq!(err.path, Path::new("com/acme/Order.avsc"));
    assert_eq!(snapshot(t.path()), before);
    // Keep going (fmt): the other file is written, the read-only one reported.
    let mut tx = Transaction::new(&root, Policy::KeepGoing);
    tx.put("keep.txt", "changed\n");
    tx.put("com/acme/Order.avsc", "new\n");
    let report = tx.commit().unwrap();
    assert_eq!(report.written, vec![PathBuf::from("keep.txt")]);
    assert_eq!(report.not_written, vec![(PathBuf::from("com/acme/Order.avsc"), Refusal::ReadOnly)]);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "old order\n");
    assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o444);
}

#[test]
fn a_symlinked_directory_pointing_out_of_the_root_is_refused() {
    let (t, root) = tree();
    let outside = t.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    symlink(&outside, root.join("com/escape")).unwrap();
    symlink("../../outside", root.join("com/relescape")).unwrap();
    let before = snapshot(t.path());
    for rel in ["com/escape/X.avsc", "com/escape/deeper/X.avsc", "com/relescape/X.avsc"] {
        let mut tx = Transaction::new(&root, Policy::AllOrNothing);
        tx.put(rel, "x\n");
        let err = tx.commit().unwrap_err();
        assert!(matches!(err.refusal, Refusal::OutsideRoot { .. }), "{rel}: {:?}", err.refusal);
        assert_eq!(snapshot(t.path()), before, "{rel}");
    }
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}

#[test]
fn a_symlinked_directory_inside_the_root_is_followed() {
    let (_t, root) = tree();
    symlink("acme", root.join("com/alias")).unwrap();
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("com/alias/New.avsc", "n\n");
    tx.commit().unwrap();
    assert_eq!(std::fs::read_to_string(root.join("com/acme/New.avsc")).unwrap(), "n\n");
}

#[test]
fn a_symlinked_file_is_written_through_inside_the_root_and_refused_outside() {
    let (t, root) = tree();
    symlink("acme/Order.avsc", root.join("com/Link.avsc")).unwrap();
    let secret = t.path().join("secret.txt");
    std::fs::write(&secret, "secret\n").unwrap();
    symlink(&secret, root.join("Out.avsc")).unwrap();
    symlink(t.path().join("missing"), root.join("Dangling.avsc")).unwrap();

    let mut tx = Transaction::new(&root, Policy::KeepGoing);
    tx.put("com/Link.avsc", "through\n");
    tx.put("Out.avsc", "evil\n");
    tx.put("Dangling.avsc", "evil\n");
    let report = tx.commit().unwrap();
    assert_eq!(report.written, vec![PathBuf::from("com/Link.avsc")]);
    assert_eq!(report.not_written.len(), 2);
    assert!(report.not_written.iter().all(|(_, r)| matches!(r, Refusal::SymlinkOutsideRoot { .. })));
    // The link is still a link, and its target has the new text.
    assert!(std::fs::symlink_metadata(root.join("com/Link.avsc")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(root.join("com/acme/Order.avsc")).unwrap(), "through\n");
    assert!(std::fs::symlink_metadata(root.join("Out.avsc")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret\n");
    assert!(!t.path().join("missing").exists());
}

#[test]
fn names_that_are_not_utf8_are_kept_byte_for_byte() {
    let (_t, root) = tree();
    let name = OsStr::from_bytes(b"caf\xe9.avsc");
    std::fs::write(root.join(name), "old\n").unwrap();
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put(PathBuf::from(name), "new\n");
    tx.put_path(&root.join("com").join(OsStr::from_bytes(b"\xff\xfe.avsc")), "other\n");
    let report = tx.commit().unwrap();
    assert_eq!(report.written.len(), 2);
    assert_eq!(std::fs::read(root.join(name)).unwrap(), b"new\n");
    assert_eq!(std::fs::read(root.join("com").join(OsStr::from_bytes(b"\xff\xfe.avsc"))).unwrap(), b"other\n");
    let names: Vec<Vec<u8>> =
        std::fs::read_dir(&root).unwrap().flatten().map(|e| e.file_name().as_bytes().to_vec()).collect();
    assert!(names.iter().all(|n| !String::from_utf8_lossy(n).contains('\u{fffd}') || n == b"caf\xe9.avsc"));
    assert!(!names.iter().any(|n| n == "caf\u{fffd}.avsc".as_bytes()), "a lossy copy was written");
}

#[test]
fn failures_mid_run_leave_the_tree_unchanged() {
    // Each case: files to write; one of them cannot be written.
    let cases: Vec<Vec<(String, &str)>> = vec![
        // A directory where a file should be.
        vec![("keep.txt".into(), "changed\n"), ("com/acme".into(), "x\n"), ("z/New.avsc".into(), "n\n")],
        // A file where a directory should be.
        vec![("new/A.avsc".into(), "a\n"), ("keep.txt/B.avsc".into(), "b\n")],
        // A 300-byte name.
        vec![("new/A.avsc".into(), "a\n"), (format!("new/{}", "n".repeat(300)), "b\n")],
        // A path the run writes twice.
        vec![("new/A.avsc".into(), "a\n"), ("new/A.avsc".into(), "b\n")],
        // Passes every check, fails when moved into place: `a` becomes both a directory and
        // a file. The replaced `keep.txt` and the created `a/x` are rolled back.
        vec![("keep.txt".into(), "changed\n"), ("a/x".into(), "x\n"), ("a".into(), "file\n")],
        vec![("com/acme/Order.avsc".into(), "new\n"), ("a".into(), "file\n"), ("a/x".into(), "x\n")],
    ];
    for files in cases {
        let (t, root) = tree();
        let before = snapshot(t.path());
        let mut tx = Transaction::new(&root, Policy::AllOrNothing);
        for (rel, text) in &files {
            tx.put(rel, *text);
        }
        let err = tx.commit().expect_err("the run fails");
        assert!(files.iter().any(|(rel, _)| Path::new(rel) == err.path), "{err}");
        assert!(!err.to_string().is_empty());
        assert_eq!(snapshot(t.path()), before, "{files:?}: the tree changed ({err})");
    }
}

#[test]
fn a_read_only_directory_fails_the_whole_run() {
    let (t, root) = tree();
    std::fs::create_dir(root.join("locked")).unwrap();
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(t.path());
    // Whether this process may still write there (a superuser may).
    let probe = root.join("locked/.probe");
    let privileged = std::fs::write(&probe, "").is_ok();
    let _ = std::fs::remove_file(&probe);
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("keep.txt", "changed\n");
    tx.put("new/dir/A.avsc", "a\n");
    tx.put("locked/X.avsc", "x\n");
    let result = tx.commit();
    if privileged {
        assert_eq!(result.unwrap().written.len(), 3);
    } else {
        let err = result.unwrap_err();
        assert_eq!(err.path, Path::new("locked/X.avsc"));
        assert!(err.to_string().contains("ermission denied"), "{err}");
        assert_eq!(snapshot(t.path()), before);
    }
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn removal_only_when_the_content_is_what_was_written() {
    let (t, root) = tree();
    std::fs::write(root.join("gen.py"), "generated\n").unwrap();
    std::fs::write(root.join("edited.py"), "edited by hand\n").unwrap();
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.remove_if_unchanged("gen.py", sha256_hex(b"generated\n"));
    tx.remove_if_unchanged("edited.py", sha256_hex(b"generated\n"));
    tx.remove_if_unchanged("gone.py", sha256_hex(b"generated\n"));
    tx.remove_if_unchanged("../keep.txt", sha256_hex(b"keep\n"));
    let dry = tx.dry_run();
    assert_eq!(dry.removed, vec![PathBuf::from("gen.py")]);
    let report = tx.commit().unwrap();
    assert_eq!(report.removed, vec![PathBuf::from("gen.py")]);
    assert_eq!(report.not_written[0], (PathBuf::from("edited.py"), Refusal::ModifiedSinceWritten));
    assert!(matches!(report.not_written[1].1, Refusal::UnsafeName(_)));
    assert!(!root.join("gen.py").exists());
    assert!(root.join("edited.py").exists());
    assert!(t.path().join("root/keep.txt").exists());
}

#[test]
fn dry_run_changes_nothing() {
    let (t, root) = tree();
    let before = snapshot(t.path());
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("com/acme/Order.avsc", "new\n");
    tx.put("keep.txt", "keep\n");
    tx.put("x/Y.avsc", "y\n");
    let r = tx.dry_run();
    assert_eq!(r.written, vec![PathBuf::from("com/acme/Order.avsc"), PathBuf::from("x/Y.avsc")]);
    assert_eq!(r.unchanged, vec![PathBuf::from("keep.txt")]);
    assert_eq!(snapshot(t.path()), before);
}

#[test]
fn broad_output_directories_are_refused() {
    use schemapipe::fsguard::check_output_dir;
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home/me");
    let repo = home.join("src/repo");
    std::fs::create_dir_all(&repo).unwrap();
    symlink(&repo, t.path().join("repo-link")).unwrap();
    let (h, r) = (Some(home.as_path()), Some(repo.as_path()));
    assert!(check_output_dir(Path::new("/"), h, r).unwrap_err().contains("root"));
    assert!(check_output_dir(Path::new("/."), h, r).is_err());
    assert!(check_output_dir(&home, h, r).unwrap_err().contains("home directory"));
    assert!(check_output_dir(&t.path().join("home"), h, r).unwrap_err().contains("contains your home"));
    assert!(check_output_dir(&repo, h, r).unwrap_err().contains("repository's root"));
    assert!(check_output_dir(&repo.join("."), h, r).is_err());
    assert!(check_output_dir(&t.path().join("repo-link"), h, r).is_err(), "a symlink to the repository root");
    assert!(check_output_dir(&home.join("src"), h, r).unwrap_err().contains("contains the repository's root"));
    check_output_dir(&repo.join("generated/python"), h, r).unwrap();
    check_output_dir(&home.join("elsewhere"), h, r).unwrap();
}

#[test]
fn a_path_outside_the_root_is_refused_by_put_path() {
    let (t, root) = tree();
    let before = snapshot(t.path());
    let mut tx = Transaction::new(&root, Policy::KeepGoing);
    tx.put_path(&t.path().join("elsewhere.avsc"), "x\n");
    tx.put_path(&root.join("../escape.avsc"), "x\n");
    let report = tx.commit().unwrap();
    assert!(report.written.is_empty());
    assert_eq!(report.not_written.len(), 2);
    assert!(report.not_written.iter().all(|(_, r)| matches!(r, Refusal::UnsafeName(_))), "{report:?}");
    assert_eq!(snapshot(t.path()), before);
}

#[test]
fn a_file_put_twice_in_one_run_is_refused_and_nothing_is_written() {
    let (_t, root) = tree();
    let before = snapshot(&root);
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    tx.put("a/One.avsc", "one\n");
    tx.put("b/Two.avsc", "two\n");
    tx.put("a/One.avsc", "again\n");
    let failure = tx.commit().unwrap_err();
    assert_eq!(failure.path, Path::new("a/One.avsc"));
    assert!(matches!(&failure.refusal, Refusal::Io(m) if m.contains("twice")), "{:?}", failure.refusal);
    assert_eq!(snapshot(&root), before);
}
