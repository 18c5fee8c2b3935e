//! Format: rewrite .avsc files in the canonical layout, or (check) list those that would change.
//!
//! Every rewrite goes through one [`crate::fsguard::Transaction`] per write boundary (the
//! schema root, in the usual run) with [`Policy::KeepGoing`]: a symlinked schema is formatted
//! through to its target when that is inside the root (the link stays a link), a read-only file
//! or a link leading out is left as it is and reported, a name that is not UTF-8 is written
//! under its own bytes, and a failed write leaves the original intact.

use super::Env;
use crate::core::finding::Finding;
use crate::core::format;
use crate::core::json;
use crate::core::source::{FileId, SourceFile, SourceMap};
use crate::fsguard::{Policy, Refusal, Transaction};
use crate::workspace::UsageError;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct FmtOptions {
    /// Files or directories to format (empty: the schema root).
    pub paths: Vec<PathBuf>,
    /// Write nothing; only list the files that would change.
    pub check: bool,
}

/// What formatting did.
pub struct Formatted {
    pub sources: SourceMap,
    /// Files that could not be read, formatted or written (errors), and a run that selected no
    /// file (a warning).
    pub findings: Vec<Finding>,
    /// Files (as shown) that were rewritten, or would change with `check`. A file whose write
    /// was refused or failed is not here: it is a finding.
    pub changed: Vec<String>,
    /// Files looked at.
    pub files: usize,
    /// Files that could not be read, formatted or written.
    pub failed: usize,
}

/// A formatted file waiting to be written.
struct Pending {
    path: PathBuf,
    name: String,
    file: FileId,
    bytes: Vec<u8>,
}

pub fn fmt(env: &Env, opts: &FmtOptions) -> Result<Formatted, UsageError> {
    let ws = env.workspace()?;
    let collected = ws.collect_files(&opts.paths)?;
    let limits = ws.limits();
    let mut sources = SourceMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut files = 0;
    let mut failed = 0;
    for ((input, report), path) in collected.inputs.into_iter().zip(collected.reported).zip(collected.paths) {
        if !report {
            continue;
        }
        files += 1;
        if let Some(why) = input.error {
            let file = sources.add(SourceFile::new(input.name, String::new()));
            // A file refused on purpose (a FIFO, a link leading out) keeps its own code.
            let finding = match crate::workspace::refusal_of(&why) {
                Some((code, reason, help)) => Finding::error(code, reason.to_string()).help(help),
                None => Finding::error("unreadable-file", format!("cannot read the file: {why}"))
                    .help("check that the file exists and is readable"),
            };
            findings.push(finding.at(file, Default::default()));
            failed += 1;
            continue;
        }
        let (text, enc) = json::decode(&input.bytes, &limits);
        let had_bom = input.bytes.starts_with(b"\xEF\xBB\xBF");
        let file = sources.add(SourceFile::new(input.name.clone(), text));
        let result = match enc {
            Some(e) => Err(e),
            None => format::format(&sources.get(file).text, &limits),
        };
        match result {
            Err(e) => {
                failed += 1;
                let mut f = Finding::error(e.code, format!("cannot format: {}", e.message)).at(file, e.span);
                f.help = e.help.or(Some("fix the file, then run fmt again".into()));
                findings.push(f);
            }
            Ok(formatted) => {
                if formatted == sources.get(file).text && !had_bom {
                    continue;
                }
                if opts.check {
                    changed.push(input.name);
                } else {
                    pending.push(Pending { path, name: input.name, file, bytes: formatted.into_bytes() });
                }
            }
        }
    }
    if !pending.is_empty() {
        let (written, refused) = write(&ws, pending);
        changed.extend(written);
        failed += refused.len();
        for (file, refusal) in refused {
            findings.push(not_written(file, &refusal));
        }
    }
    findings.extend(ws.no_files_selected(files > 0));
    Ok(Formatted { sources, findings, changed, files, failed })
}

/// Writes the formatted files, one transaction per write boundary: the names written (as
/// shown, in order) and the files not written with why.
///
/// A transaction writes nothing when staging a file fails (a directory that cannot be written,
/// a full disk): that file is reported, the other files of its directory (which would most
/// likely fail the same way) are set aside, and the rest is committed again. The files set
/// aside are then written one transaction each, so each is reported for what it really did.
fn write(ws: &crate::workspace::Workspace, pending: Vec<Pending>) -> (Vec<String>, Vec<(FileId, Refusal)>) {
    let mut groups: BTreeMap<PathBuf, Vec<Pending>> = BTreeMap::new();
    for p in pending {
        groups.entry(ws.write_root(&p.path)).or_default().push(p);
    }
    let mut written: Vec<(FileId, String)> = Vec::new();
    let mut refused: Vec<(FileId, Refusal)> = Vec::new();
    for (root, mut group) in groups {
        let mut aside: Vec<Pending> = Vec::new();
        // Each failed commit removes at least one file: this ends.
        while !group.is_empty() {
            match commit(&root, &group, &mut written, &mut refused) {
                None => break,
                Some(i) => {
                    let failed = group.remove(i);
                    let dir = failed.path.parent().map(PathBuf::from);
                    let (same, rest): (Vec<Pending>, Vec<Pending>) =
                        group.into_iter().partition(|p| p.path.parent().map(PathBuf::from) == dir);
                    aside.extend(same);
                    group = rest;
                }
            }
        }
        for p in aside {
            let one = [p];
            // A single file: its failure is already reported by `commit`.
            let _ = commit(&root, &one, &mut written, &mut refused);
        }
    }
    written.sort_by_key(|(f, _)| f.0);
    refused.sort_by_key(|(f, _)| f.0);
    (written.into_iter().map(|(_, n)| n).collect(), refused)
}

/// Commits `group` in one transaction under `root`, recording what was written and refused.
/// When the transaction failed as a whole (nothing written), records the file that failed and
/// returns its index in `group`; the others are for the caller to write again.
fn commit(
    root: &std::path::Path,
    group: &[Pending],
    written: &mut Vec<(FileId, String)>,
    refused: &mut Vec<(FileId, Refusal)>,
) -> Option<usize> {
    let mut tx = Transaction::new(root, Policy::KeepGoing);
    for p in group {
        tx.put_path(&p.path, p.bytes.clone());
    }
    // The report names files as put, relative to the root: match them back by path.
    let index_of = |rel: &std::path::Path| group.iter().position(|p| p.path.strip_prefix(root) == Ok(rel));
    match tx.commit() {
        Ok(report) => {
            for rel in &report.written {
                if let Some(i) = index_of(rel) {
                    written.push((group[i].file, group[i].name.clone()));
                }
            }
            for (rel, why) in report.not_written {
                // Every path is under the root (it was chosen from the paths): one that is not
                // found is reported against the first file rather than lost.
                refused.push((group[index_of(&rel).unwrap_or(0)].file, why));
            }
            None
        }
        Err(failure) => match index_of(&failure.path) {
            Some(i) => {
                refused.push((group[i].file, failure.refusal.clone()));
                Some(i)
            }
            None => {
                refused.extend(group.iter().map(|p| (p.file, failure.refusal.clone())));
                None
            }
        },
    }
}

/// The finding for a formatted file that was not written: a code per reason, the reason, and
/// what to do.
fn not_written(file: FileId, refusal: &Refusal) -> Finding {
    let (code, help) = match refusal {
        Refusal::ReadOnly => ("read-only-file", "make the file writable (`chmod u+w`) to format it, or leave it out"),
        Refusal::SymlinkOutsideRoot { .. } | Refusal::OutsideRoot { .. } => (
            "symlink-outside-root",
            "a schema file must be inside the schema root: put the file itself there, not a link",
        ),
        Refusal::NotAFile => ("not-a-regular-file", "schema files are regular files: remove or rename it"),
        Refusal::UnsafeName(_) => ("unsafe-file-name", "rename the file to a plain name, then run fmt again"),
        Refusal::Io(_) | Refusal::ModifiedSinceWritten | Refusal::Aborted => (
            "unwritable-file",
            "check the file's and its directory's permissions and the free space, then run fmt again",
        ),
    };
    let message = match refusal {
        Refusal::Io(e) => format!("not formatted: writing it failed ({e}); the file is left as it was"),
        other => format!("not formatted: {other}"),
    };
    Finding::error(code, message).at(file, Default::default()).help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSY: &str = r#"{"name":"A","type":"record","fields":[]}"#;

    fn env(dir: &std::path::Path) -> Env {
        Env { cwd: dir.to_path_buf(), config: None, verbose: false }
    }

    #[test]
    fn a_file_whose_write_fails_is_reported_and_the_others_are_still_written() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::create_dir_all(dir.join("schemas/a")).unwrap();
        std::fs::create_dir_all(dir.join("schemas/b")).unwrap();
        std::fs::write(dir.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
        std::fs::write(dir.join("schemas/a/A.avsc"), MESSY).unwrap();
        std::fs::write(dir.join("schemas/b/B.avsc"), MESSY.replace("\"A\"", "\"B\"")).unwrap();
        // Staging the first file fails, and the transaction is retried without it.
        crate::fsguard::ops::inject(&[("create", &[0])]);
        let r = fmt(&env(dir), &FmtOptions::default()).unwrap();
        assert_eq!(r.changed, ["schemas/b/B.avsc"]);
        assert_eq!(r.failed, 1);
        assert_eq!(r.findings.len(), 1);
        let f = &r.findings[0];
        assert_eq!(f.code, "unwritable-file");
        assert_eq!(r.sources.get(f.file.unwrap()).name, "schemas/a/A.avsc");
        assert!(f.help.is_some());
        assert_eq!(std::fs::read_to_string(dir.join("schemas/a/A.avsc")).unwrap(), MESSY, "left as it was");
        assert!(std::fs::read_to_string(dir.join("schemas/b/B.avsc")).unwrap().starts_with("{\n  \"type\""));
        let names: Vec<_> =
            std::fs::read_dir(dir.join("schemas/a")).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["A.avsc"], "nothing staged is left behind");
    }

    #[test]
    fn the_other_files_of_a_directory_where_a_write_failed_are_written_one_by_one() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::create_dir_all(dir.join("schemas/a")).unwrap();
        std::fs::create_dir_all(dir.join("schemas/b")).unwrap();
        std::fs::write(dir.join("schemapipe.yaml"), "version: 1\nschemas:\n  root: schemas\n").unwrap();
        for (rel, name) in [("a/A1.avsc", "A1"), ("a/A2.avsc", "A2"), ("b/B.avsc", "B")] {
            std::fs::write(dir.join("schemas").join(rel), MESSY.replace("\"A\"", &format!("\"{name}\""))).unwrap();
        }
        // Staging the second file (A2) fails; A1, set aside with it, is then written alone.
        crate::fsguard::ops::inject(&[("create", &[1])]);
        let r = fmt(&env(dir), &FmtOptions::default()).unwrap();
        assert_eq!(r.changed, ["schemas/a/A1.avsc", "schemas/b/B.avsc"]);
        assert_eq!(r.failed, 1);
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.sources.get(r.findings[0].file.unwrap()).name, "schemas/a/A2.avsc");
        assert!(std::fs::read_to_string(dir.join("schemas/a/A1.avsc")).unwrap().starts_with("{\n"));
        assert!(!std::fs::read_to_string(dir.join("schemas/a/A2.avsc")).unwrap().starts_with("{\n"));
    }

    #[test]
    fn each_refusal_has_its_own_code_and_a_hint() {
        let file = FileId(0);
        let cases = [
            (Refusal::ReadOnly, "read-only-file"),
            (Refusal::SymlinkOutsideRoot { target: "/etc/passwd".into() }, "symlink-outside-root"),
            (Refusal::OutsideRoot { resolved: "/etc".into() }, "symlink-outside-root"),
            (Refusal::NotAFile, "not-a-regular-file"),
            (Refusal::Io("disk full".into()), "unwritable-file"),
        ];
        for (refusal, code) in cases {
            let f = not_written(file, &refusal);
            assert_eq!(f.code, code);
            assert_eq!(f.severity, crate::core::finding::Severity::Error);
            assert!(f.message.starts_with("not formatted: "), "{}", f.message);
            assert!(f.help.as_deref().is_some_and(|h| !h.is_empty()));
            assert_eq!(f.file, Some(file));
        }
    }
}
