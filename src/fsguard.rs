//! Safe writes under a root directory: every file a command writes (`fmt`, `pull`,
//! `generate`) goes through a [`Transaction`].
//!
//! - Paths are relative to the root and checked segment by segment
//!   ([`crate::core::pathname`]): no `..`, no absolute paths, no separators or NUL inside a
//!   name, no name longer than NAME_MAX. Names are `Path`s, so names that are not UTF-8 are
//!   written byte for byte.
//! - At write time the canonical parent of every target must still be under the canonical
//!   root: a symlinked directory inside the root that points out is refused.
//! - A target that is a symlink is written through to its target when that is inside the root
//!   (the link stays a link); otherwise it is refused.
//! - A target the user cannot write (read-only) is refused, never replaced through a rename.
//! - All-or-nothing: every file is first staged as a temporary file in its destination's
//!   directory (same file system, so the final rename is atomic), and moved into place only
//!   when every file was staged. If anything fails before that, the temporary files and the
//!   directories created for them are removed: the tree is as it was. A copy of every file to
//!   be replaced is kept (a hard link, or a real copy where links fail) before any is replaced
//!   (a file that cannot be kept fails the run before anything moves); if a move fails, the
//!   files already moved are put back (by rename, else by copying the content back) and every
//!   temporary file, copy and created directory is removed. Only a file that could not be put
//!   back at all keeps its copy, and the error names it. Temporary names never reuse or remove
//!   a file that was already there.
//! - The destination's permissions are kept.
//! - A root that does not exist yet is built whole in a hidden directory beside it and renamed
//!   into place (one rename: it appears complete or not at all); as nothing the user had is
//!   replaced, its files are neither copied nor synced one by one.
//!
//! [`Policy::KeepGoing`] (for `fmt`) reports a refused file and writes the others;
//! [`Policy::AllOrNothing`] (for `pull` and `generate`) writes nothing if any file is refused.

use crate::core::pathname::{self, PathNameError, Reason, PATH_MAX};
use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// What happens when one file of a transaction is refused (read-only, symlink out of the
/// root, a directory in the way, an unsafe name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Nothing is written if any file is refused.
    AllOrNothing,
    /// Refused files are reported as not written; the others are written.
    KeepGoing,
}

/// Why a file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The relative path is not a safe name under the root.
    UnsafeName(PathNameError),
    /// The target's directory resolves (through a symlink) outside the root.
    OutsideRoot { resolved: PathBuf },
    /// The target is a symlink whose target is outside the root, or dangling.
    SymlinkOutsideRoot { target: PathBuf },
    /// The target exists and the user may not write it.
    ReadOnly,
    /// The target is a directory, or another non-file (socket, device, FIFO).
    NotAFile,
    /// A file to remove was changed since it was written.
    ModifiedSinceWritten,
    /// An I/O error while checking, staging or moving the file into place.
    Io(String),
    /// Nothing went wrong with this file, but another file of the run failed, and the run
    /// is all-or-nothing.
    Aborted,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnsafeName(e) => write!(f, "{e}"),
            Refusal::OutsideRoot { resolved } => {
                write!(
                    f,
                    "its directory resolves to `{}`, outside the root (a symlinked directory)",
                    resolved.display()
                )
            }
            Refusal::SymlinkOutsideRoot { target } => write!(
                f,
                "it is a symlink to `{}`, which is outside the root or does not exist; the link is left as it is",
                target.display()
            ),
            Refusal::ReadOnly => write!(f, "it is read-only; left as it is"),
            Refusal::NotAFile => write!(f, "a directory or other non-file is in the way"),
            Refusal::ModifiedSinceWritten => write!(f, "it was modified by hand since it was generated; kept"),
            Refusal::Io(e) => write!(f, "{e}"),
            Refusal::Aborted => write!(f, "not written because another file failed"),
        }
    }
}

/// What a transaction did, path by path (paths relative to the root, as given).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Written (created or replaced).
    pub written: Vec<PathBuf>,
    /// Already had exactly the content: not touched.
    pub unchanged: Vec<PathBuf>,
    /// Removed (see [`Transaction::remove_if_unchanged`]).
    pub removed: Vec<PathBuf>,
    /// Not written or not removed, and why.
    pub not_written: Vec<(PathBuf, Refusal)>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.not_written.is_empty()
    }
}

/// A failed all-or-nothing transaction: the file that failed, why, and the report (every
/// file in `not_written`, nothing changed on disk).
#[derive(Debug, Clone)]
pub struct Failure {
    pub path: PathBuf,
    pub refusal: Refusal,
    pub report: Report,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write `{}`: {}; nothing was written", self.path.display(), self.refusal)
    }
}

impl std::error::Error for Failure {}

enum Op {
    Put(Vec<u8>),
    /// Remove when the content's SHA-256 (hex) is still this.
    Remove(String),
}

struct Entry {
    rel: PathBuf,
    op: Op,
}

/// The files of one run, written together by [`Transaction::commit`].
pub struct Transaction {
    root: PathBuf,
    policy: Policy,
    entries: Vec<Entry>,
}

/// What the plan decided for one entry.
enum Plan {
    /// Write to `dest` (the real file: a symlink's target), creating `missing` directories
    /// first; `mode` is the existing file's permissions.
    Write {
        dest: PathBuf,
        existing: Option<std::fs::Permissions>,
    },
    Unchanged,
    Remove {
        dest: PathBuf,
    },
    /// Nothing to remove: already gone.
    Gone,
    Refused(Refusal),
}

impl Transaction {
    /// A transaction writing under `root`. The root need not exist yet (it is created on
    /// commit), but its nearest existing ancestor is where symlinks are resolved from.
    pub fn new(root: impl Into<PathBuf>, policy: Policy) -> Transaction {
        Transaction { root: root.into(), policy, entries: Vec::new() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Adds a file to write: `rel` is relative to the root.
    pub fn put(&mut self, rel: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.entries.push(Entry { rel: rel.into(), op: Op::Put(bytes.into()) });
    }

    /// Adds a file to write given by a path under the root (absolute, or as joined to the
    /// root); a path not under the root is refused when committing.
    pub fn put_path(&mut self, path: &Path, bytes: impl Into<Vec<u8>>) {
        let rel = match path.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            // Not under the root: kept as is, so the plan refuses it as absolute or `..`.
            Err(_) => path.to_path_buf(),
        };
        self.put(rel, bytes);
    }

    /// Adds a file to remove, only if its content's SHA-256 (lowercase hex) is still
    /// `sha256`; otherwise it is reported as [`Refusal::ModifiedSinceWritten`] and kept. A
    /// changed file never fails an all-or-nothing run: keeping it is the safe outcome.
    pub fn remove_if_unchanged(&mut self, rel: impl Into<PathBuf>, sha256: impl Into<String>) {
        self.entries.push(Entry { rel: rel.into(), op: Op::Remove(sha256.into()) });
    }

    /// What [`commit`](Self::commit) would do, without changing anything (`--check`): files
    /// that would be written, unchanged, removed, or refused.
    pub fn dry_run(&self) -> Report {
        let mut report = Report::default();
        for (e, plan) in self.entries.iter().zip(self.plans()) {
            match plan {
                Plan::Write { .. } => report.written.push(e.rel.clone()),
                Plan::Unchanged | Plan::Gone => report.unchanged.push(e.rel.clone()),
                Plan::Remove { .. } => report.removed.push(e.rel.clone()),
                Plan::Refused(r) => report.not_written.push((e.rel.clone(), r)),
            }
        }
        report
    }

    /// Writes every file. With [`Policy::AllOrNothing`], an error leaves the tree unchanged
    /// and names the file that failed; with [`Policy::KeepGoing`], refused files are in the
    /// report and the others are written (all at once: an I/O error while staging still
    /// writes nothing).
    pub fn commit(self) -> Result<Report, Box<Failure>> {
        let mut report = Report::default();
        let mut plans: Vec<(usize, Plan)> = Vec::new();
        for (i, (e, plan)) in self.entries.iter().zip(self.plans()).enumerate() {
            if let Plan::Refused(r) = &plan {
                // Keeping a file that was to be removed is always safe.
                let benign = matches!(e.op, Op::Remove(_));
                if self.policy == Policy::AllOrNothing && !benign {
                    return Err(self.abort(i, r.clone()));
                }
            }
            plans.push((i, plan));
        }
        let writes = plans.iter().any(|(_, p)| matches!(p, Plan::Write { .. }));
        if writes && matches!(std::fs::symlink_metadata(&self.root), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
        {
            return self.commit_new_root(plans);
        }
        // Stage every write; on any error, undo the staging and report.
        let mut staged: Vec<Staged> = Vec::new();
        let mut created_dirs: Vec<PathBuf> = Vec::new();
        let mut counter = 0u32;
        for (i, plan) in &plans {
            let Plan::Write { dest, existing } = plan else { continue };
            match stage(dest, existing.as_ref(), self.bytes(*i), &mut created_dirs, &mut counter) {
                Ok(tmp) => staged.push(Staged { index: *i, tmp, dest: dest.clone(), backup: None }),
                Err(e) => {
                    cleanup(&staged, &created_dirs);
                    return Err(self.abort(*i, Refusal::Io(e.to_string())));
                }
            }
        }
        // Every staged file reaches the disk before any is moved into place; the syncs run
        // side by side, so the file system commits them together rather than one by one.
        let synced = in_parallel(&staged, |s| std::fs::File::open(&s.tmp).and_then(|f| f.sync_all()));
        if let Some((k, e)) = synced.into_iter().enumerate().find_map(|(k, r)| r.err().map(|e| (k, e))) {
            let index = staged[k].index;
            cleanup(&staged, &created_dirs);
            return Err(self.abort(index, Refusal::Io(e.to_string())));
        }
        // Keep a copy of every file about to be replaced, before replacing any: a file that
        // cannot be kept is not replaced, and nothing is.
        for k in 0..staged.len() {
            if std::fs::symlink_metadata(&staged[k].dest).is_err() {
                continue;
            }
            match keep_copy(&staged[k].dest, &mut counter) {
                Ok(b) => staged[k].backup = Some(b),
                Err(e) => {
                    let index = staged[k].index;
                    discard_backups(&staged);
                    cleanup(&staged, &created_dirs);
                    let why = format!("cannot keep a copy of the file before replacing it: {e}");
                    return Err(self.abort(index, Refusal::Io(why)));
                }
            }
        }
        // Move into place; if one move fails, put back every file already moved.
        for k in 0..staged.len() {
            if let Err(e) = ops::rename(&staged[k].tmp, &staged[k].dest) {
                let index = staged[k].index;
                let kept = rollback(&staged[..k]);
                // The files not moved yet are untouched: their copies and staged files go.
                discard_backups(&staged[k..]);
                cleanup(&staged[k..], &[]);
                let _ = remove_created(&created_dirs);
                let mut why = e.to_string();
                for (dest, backup) in kept {
                    why.push_str(&format!(
                        "; `{}` could not be put back: its previous content is in `{}`",
                        dest.display(),
                        backup.display()
                    ));
                }
                return Err(self.abort(index, Refusal::Io(why)));
            }
        }
        discard_backups(&staged);
        let dirs: Vec<&Path> = staged
            .iter()
            .filter_map(|s| s.dest.parent())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let _ = in_parallel(&dirs, |dir| std::fs::File::open(dir).and_then(|d| d.sync_all()));
        // Removals come last: only once everything new is in place.
        for (i, plan) in plans {
            let rel = self.entries[i].rel.clone();
            match plan {
                Plan::Write { .. } => report.written.push(rel),
                Plan::Unchanged | Plan::Gone => report.unchanged.push(rel),
                Plan::Refused(r) => report.not_written.push((rel, r)),
                Plan::Remove { dest } => match std::fs::remove_file(&dest) {
                    Ok(()) => report.removed.push(rel),
                    Err(e) => report.not_written.push((rel, Refusal::Io(e.to_string()))),
                },
            }
        }
        Ok(report)
    }

    /// A root that does not exist yet is built whole in a hidden directory beside it and
    /// renamed into place: it appears complete or not at all, and nothing the user had is
    /// touched, so the files need neither copies nor one sync each (a new output directory of
    /// ten thousand files is written in a fraction of the time).
    fn commit_new_root(&self, plans: Vec<(usize, Plan)>) -> Result<Report, Box<Failure>> {
        let first = plans.iter().find(|(_, p)| matches!(p, Plan::Write { .. })).map_or(0, |(i, _)| *i);
        let parent = match self.root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut created_dirs = Vec::new();
        if let Err(e) = create_dirs(&parent, &mut created_dirs) {
            let _ = remove_created(&created_dirs);
            return Err(self.abort(first, Refusal::Io(e.to_string())));
        }
        // A fresh name: a leftover with the same process id is neither reused nor removed.
        let mut counter = 0u32;
        let tmp = loop {
            let tmp = sibling(&self.root, &format!("new{counter}"));
            counter += 1;
            match std::fs::create_dir(&tmp) {
                Ok(()) => break tmp,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && counter < u32::MAX => continue,
                Err(e) => {
                    let _ = remove_created(&created_dirs);
                    return Err(self.abort(first, Refusal::Io(e.to_string())));
                }
            }
        };
        let built = (|| -> Result<(), (usize, std::io::Error)> {
            // The directories first, then the files side by side (creating a file is mostly
            // the file system's work; `par::map` keeps a short list on this thread).
            let mut made = std::collections::HashSet::new();
            let mut files = Vec::new();
            for (i, plan) in &plans {
                let Plan::Write { .. } = plan else { continue };
                let path = tmp.join(&self.entries[*i].rel);
                if let Some(dir) = path.parent() {
                    if !made.contains(dir) {
                        std::fs::create_dir_all(dir).map_err(|e| (*i, e))?;
                        made.insert(dir.to_path_buf());
                    }
                }
                files.push((*i, path));
            }
            let written = crate::core::par::map(&files, |(i, path)| {
                ops::create_new(path).and_then(|mut f| f.write_all(self.bytes(*i))).map_err(|e| (*i, e))
            });
            written.into_iter().collect::<Result<Vec<()>, _>>()?;
            ops::rename(&tmp, &self.root).map_err(|e| (first, e))
        })();
        if let Err((i, e)) = built {
            // Only the directories this run created, and nothing else, are removed.
            let _ = std::fs::remove_dir_all(&tmp);
            let _ = remove_created(&created_dirs);
            return Err(self.abort(i, Refusal::Io(e.to_string())));
        }
        let _ = std::fs::File::open(&parent).and_then(|d| d.sync_all());
        let mut report = Report::default();
        for (i, plan) in plans {
            let rel = self.entries[i].rel.clone();
            match plan {
                Plan::Write { .. } => report.written.push(rel),
                Plan::Refused(r) => report.not_written.push((rel, r)),
                // Under a root that did not exist there is nothing to keep or remove.
                Plan::Unchanged | Plan::Gone | Plan::Remove { .. } => report.unchanged.push(rel),
            }
        }
        Ok(report)
    }

    fn bytes(&self, i: usize) -> &[u8] {
        match &self.entries[i].op {
            Op::Put(b) => b,
            Op::Remove(_) => &[],
        }
    }

    fn abort(&self, failed: usize, refusal: Refusal) -> Box<Failure> {
        let report = Report {
            not_written: self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.rel.clone(), if i == failed { refusal.clone() } else { Refusal::Aborted }))
                .collect(),
            ..Default::default()
        };
        Box::new(Failure { path: self.entries[failed].rel.clone(), refusal, report })
    }

    /// The paths (as bytes) that more than one entry writes: one pass, so a run of many files
    /// stays linear.
    fn written_twice(&self) -> std::collections::HashSet<&std::ffi::OsStr> {
        let mut seen = std::collections::HashSet::new();
        let mut twice = std::collections::HashSet::new();
        for o in self.entries.iter().filter(|o| matches!(o.op, Op::Put(_))) {
            if !seen.insert(o.rel.as_os_str()) {
                twice.insert(o.rel.as_os_str());
            }
        }
        twice
    }

    /// What to do with every entry, in order. Each directory is resolved once (thousands of
    /// files share a few), then the files are looked at side by side.
    fn plans(&self) -> Vec<Plan> {
        let canon_root = canonical_root(&self.root);
        let twice = self.written_twice();
        let mut parents = std::collections::HashMap::new();
        for e in &self.entries {
            if check_relative(&e.rel).is_err() {
                continue;
            }
            let full = self.root.join(&e.rel);
            let parent = full.parent().unwrap_or(&self.root);
            if !parents.contains_key(parent) {
                if let Ok(resolved) = canonical_existing(parent) {
                    parents.insert(parent.to_path_buf(), resolved);
                }
            }
        }
        // Under a root that does not exist yet, nothing is in the way of any file: a run that
        // writes ten thousand files into a new directory asks the file system nothing about each.
        let fresh = matches!(std::fs::symlink_metadata(&self.root), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
        in_parallel(&self.entries, |e| self.plan(e, canon_root.as_deref(), &twice, &parents, fresh))
    }

    /// What to do with one entry; `parents` holds the directories resolved already.
    fn plan(
        &self,
        e: &Entry,
        canon_root: Option<&Path>,
        twice: &std::collections::HashSet<&std::ffi::OsStr>,
        parents: &std::collections::HashMap<PathBuf, PathBuf>,
        fresh: bool,
    ) -> Plan {
        if let Err(err) = check_relative(&e.rel) {
            return Plan::Refused(Refusal::UnsafeName(err));
        }
        let full = self.root.join(&e.rel);
        if full.as_os_str().len() > PATH_MAX {
            return Plan::Refused(Refusal::UnsafeName(PathNameError {
                name: e.rel.to_string_lossy().into_owned(),
                segment: String::new(),
                reason: Reason::PathTooLong,
            }));
        }
        let Some(canon_root) = canon_root else {
            return Plan::Refused(Refusal::Io(format!("cannot resolve the root `{}`", self.root.display())));
        };
        let parent = full.parent().unwrap_or(&self.root);
        let resolved = match parents.get(parent) {
            Some(r) => Ok(r.clone()),
            None => canonical_existing(parent),
        };
        match resolved {
            Ok(resolved) if !resolved.starts_with(canon_root) => {
                return Plan::Refused(Refusal::OutsideRoot { resolved });
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Plan::Refused(Refusal::NotAFile),
            Err(e) => return Plan::Refused(Refusal::Io(e.to_string())),
        }
        if let Op::Put(_) = e.op {
            if twice.contains(e.rel.as_os_str()) {
                return Plan::Refused(Refusal::Io("the run writes this file twice".into()));
            }
        }
        let mut dest = full.clone();
        let looked = if fresh { Err(std::io::ErrorKind::NotFound.into()) } else { std::fs::symlink_metadata(&full) };
        let meta = match looked {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            // A file where a directory should be (`a` is a file, writing `a/b`).
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Plan::Refused(Refusal::NotAFile),
            Err(e) => return Plan::Refused(Refusal::Io(e.to_string())),
        };
        let meta = match meta {
            Some(m) if m.file_type().is_symlink() => match std::fs::canonicalize(&full) {
                Ok(target) if target.starts_with(canon_root) => {
                    dest = target;
                    match std::fs::metadata(&dest) {
                        Ok(m) => Some(m),
                        Err(e) => return Plan::Refused(Refusal::Io(e.to_string())),
                    }
                }
                Ok(target) => return Plan::Refused(Refusal::SymlinkOutsideRoot { target }),
                Err(_) => {
                    let target = std::fs::read_link(&full).unwrap_or_default();
                    return Plan::Refused(Refusal::SymlinkOutsideRoot { target });
                }
            },
            other => other,
        };
        match (&e.op, meta) {
            (Op::Remove(_), None) => Plan::Gone,
            (Op::Put(_), None) => Plan::Write { dest, existing: None },
            (_, Some(m)) if !m.is_file() => Plan::Refused(Refusal::NotAFile),
            (Op::Put(bytes), Some(m)) => {
                if m.len() == bytes.len() as u64 && std::fs::read(&dest).is_ok_and(|cur| cur == *bytes) {
                    return Plan::Unchanged;
                }
                if !writable(&dest, &m) {
                    return Plan::Refused(Refusal::ReadOnly);
                }
                Plan::Write { dest, existing: Some(m.permissions()) }
            }
            (Op::Remove(sha), Some(m)) => match std::fs::read(&dest) {
                Ok(cur) if sha256_hex(&cur) == *sha => {
                    if writable(&dest, &m) {
                        Plan::Remove { dest }
                    } else {
                        Plan::Refused(Refusal::ReadOnly)
                    }
                }
                Ok(_) => Plan::Refused(Refusal::ModifiedSinceWritten),
                Err(e) => Plan::Refused(Refusal::Io(e.to_string())),
            },
        }
    }
}

struct Staged {
    index: usize,
    tmp: PathBuf,
    dest: PathBuf,
    backup: Option<PathBuf>,
}

/// Whether the user may write the file: opened for writing (without truncating), which asks
/// the operating system rather than guessing from mode bits.
fn writable(path: &Path, meta: &std::fs::Metadata) -> bool {
    !meta.permissions().readonly() && std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// A short hidden name beside `path` (short, so a long file name still leaves room).
fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = format!(".schemapipe-{}-{what}.tmp", std::process::id());
    path.with_file_name(name)
}

/// `f` on every item, on up to eight threads (file-system syncs mostly wait), results in
/// item order.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const THREADS: usize = 8;
    if items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(THREADS);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    })
}

fn stage(
    dest: &Path,
    existing: Option<&std::fs::Permissions>,
    bytes: &[u8],
    created_dirs: &mut Vec<PathBuf>,
    counter: &mut u32,
) -> std::io::Result<PathBuf> {
    if let Some(dir) = dest.parent() {
        create_dirs(dir, created_dirs)?;
    }
    // A fresh name: a leftover with the same process id is neither reused nor removed.
    let (tmp, mut f) = loop {
        let tmp = sibling(dest, &counter.to_string());
        *counter += 1;
        match ops::create_new(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && *counter < u32::MAX => continue,
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        f.write_all(bytes)?;
        if let Some(p) = existing {
            std::fs::set_permissions(&tmp, p.clone())?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Creates `dir` and its missing ancestors, recording the ones created (outermost first).
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut d = dir;
    while !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err() {
        missing.push(d.to_path_buf());
        match d.parent() {
            Some(p) => d = p,
            None => break,
        }
    }
    for m in missing.into_iter().rev() {
        std::fs::create_dir(&m)?;
        created.push(m);
    }
    Ok(())
}

fn remove_created(dirs: &[PathBuf]) -> std::io::Result<()> {
    for d in dirs.iter().rev() {
        std::fs::remove_dir(d)?;
    }
    Ok(())
}

fn cleanup(staged: &[Staged], created_dirs: &[PathBuf]) {
    for s in staged {
        let _ = std::fs::remove_file(&s.tmp);
    }
    let _ = remove_created(created_dirs);
}

/// A copy of `dest` beside it, under a name nothing else uses: a hard link (no data copied),
/// or a real copy where links are not possible.
fn keep_copy(dest: &Path, counter: &mut u32) -> std::io::Result<PathBuf> {
    let mut last = None;
    for _ in 0..16 {
        let backup = sibling(dest, &format!("bak-{counter}"));
        *counter += 1;
        match ops::hard_link(dest, &backup) {
            Ok(()) => return Ok(backup),
            // A leftover of another run with the same process id: another name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(_) => {
                // `create_new`: never through a name something else just took.
                let copied = (|| {
                    let mut from = std::fs::File::open(dest)?;
                    let mut to = std::fs::OpenOptions::new().write(true).create_new(true).open(&backup)?;
                    ops::copy(&mut from, &mut to)?;
                    to.sync_all()
                })();
                match copied {
                    Ok(()) => return Ok(backup),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                    Err(e) => {
                        let _ = std::fs::remove_file(&backup);
                        return Err(e);
                    }
                }
            }
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free name for a copy")))
}

/// Removes the copies kept of replaced files (once they are no longer needed).
fn discard_backups(staged: &[Staged]) {
    for s in staged {
        if let Some(b) = &s.backup {
            let _ = std::fs::remove_file(b);
        }
    }
}

/// Puts back what the renames replaced: the copies over the destinations, and removes the
/// files that did not exist before. Returns the files that could not be put back, with where
/// their previous content still is (kept rather than lost).
fn rollback(done: &[Staged]) -> Vec<(PathBuf, PathBuf)> {
    let mut kept = Vec::new();
    for s in done.iter().rev() {
        match &s.backup {
            Some(b) => {
                if ops::rename(b, &s.dest).is_ok() {
                    continue;
                }
                // Renaming back failed: copy the content back instead, in place.
                let copied = (|| {
                    let mut from = std::fs::File::open(b)?;
                    let mut to = std::fs::OpenOptions::new().write(true).truncate(true).open(&s.dest)?;
                    ops::copy(&mut from, &mut to)?;
                    to.sync_all()
                })();
                match copied {
                    Ok(()) => {
                        let _ = std::fs::remove_file(b);
                    }
                    Err(_) => kept.push((s.dest.clone(), b.clone())),
                }
            }
            None => {
                let _ = std::fs::remove_file(&s.dest);
            }
        }
    }
    kept
}

/// The file-system operations of a commit that can fail half-way, with failures injected by
/// the unit tests.
pub(crate) mod ops {
    use std::path::Path;

    #[cfg(test)]
    thread_local! {
        /// Per operation, the calls (counted from 0 on this thread) that fail.
        pub static FAULTS: std::cell::RefCell<std::collections::HashMap<&'static str, Vec<usize>>> =
            Default::default();
        static CALLS: std::cell::RefCell<std::collections::HashMap<&'static str, usize>> = Default::default();
    }

    /// Makes the listed calls of each operation fail (and restarts the counts).
    #[cfg(test)]
    pub fn inject(faults: &[(&'static str, &[usize])]) {
        CALLS.with(|c| c.borrow_mut().clear());
        FAULTS.with(|f| *f.borrow_mut() = faults.iter().map(|(op, n)| (*op, n.to_vec())).collect());
    }

    #[allow(unused_variables)]
    fn fault(op: &'static str) -> std::io::Result<()> {
        #[cfg(test)]
        {
            let n = CALLS.with(|c| {
                let mut c = c.borrow_mut();
                let n = c.entry(op).or_insert(0);
                *n += 1;
                *n - 1
            });
            if FAULTS.with(|f| f.borrow().get(op).is_some_and(|v| v.contains(&n))) {
                return Err(std::io::Error::other(format!("injected failure of {op}")));
            }
        }
        Ok(())
    }

    /// Creates a file that must not exist yet (a staged temporary file).
    pub fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
        fault("create")?;
        std::fs::OpenOptions::new().write(true).create_new(true).open(path)
    }

    pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
        fault("rename")?;
        std::fs::rename(from, to)
    }

    pub fn hard_link(from: &Path, to: &Path) -> std::io::Result<()> {
        fault("link")?;
        std::fs::hard_link(from, to)
    }

    pub fn copy(from: &mut std::fs::File, to: &mut std::fs::File) -> std::io::Result<()> {
        fault("copy")?;
        std::io::copy(from, to).map(|_| ())
    }
}

/// Checks a relative path given as a `Path` (any bytes): only plain names, each a valid
/// file name.
pub fn check_relative(rel: &Path) -> Result<(), PathNameError> {
    let name = || rel.to_string_lossy().into_owned();
    if rel.as_os_str().is_empty() {
        return Err(PathNameError { name: String::new(), segment: String::new(), reason: Reason::Empty });
    }
    let bytes = rel.as_os_str().as_encoded_bytes();
    if bytes.contains(&0) {
        return Err(PathNameError { name: name(), segment: name(), reason: Reason::Nul });
    }
    // `Path::components` hides `a//b` and a trailing `/`: check the raw segments.
    if bytes.starts_with(b"/") || rel.is_absolute() {
        return Err(PathNameError { name: name(), segment: name(), reason: Reason::Absolute });
    }
    for seg in bytes.split(|b| *b == b'/') {
        if let Err(reason) = pathname::check_segment_bytes(seg) {
            return Err(PathNameError { name: name(), segment: String::from_utf8_lossy(seg).into_owned(), reason });
        }
    }
    for c in rel.components() {
        if !matches!(c, Component::Normal(_)) {
            return Err(PathNameError { name: name(), segment: name(), reason: Reason::Absolute });
        }
    }
    if bytes.len() > PATH_MAX {
        return Err(PathNameError { name: name(), segment: String::new(), reason: Reason::PathTooLong });
    }
    Ok(())
}

/// Joins a checked relative path to `root`, refusing unsafe names (see
/// [`crate::core::pathname`]). No file system access: [`Transaction`] does the symlink checks
/// at write time.
pub fn join_checked(root: &Path, rel: &Path) -> Result<PathBuf, PathNameError> {
    check_relative(rel)?;
    let full = root.join(rel);
    if full.as_os_str().len() > PATH_MAX {
        return Err(PathNameError {
            name: rel.to_string_lossy().into_owned(),
            segment: String::new(),
            reason: Reason::PathTooLong,
        });
    }
    Ok(full)
}

/// Whether `target`'s nearest existing ancestor (symlinks resolved) is under `root`'s.
pub fn is_inside(root: &Path, target: &Path) -> std::io::Result<bool> {
    let root = canonical_existing(root)?;
    Ok(canonical_existing(target)?.starts_with(root))
}

/// The canonical root, or None when not even an ancestor resolves.
fn canonical_root(root: &Path) -> Option<PathBuf> {
    canonical_existing(root).ok()
}

/// The canonical form of `p`: its nearest existing ancestor canonicalized, with the missing
/// rest appended (those parts will be created as plain directories).
fn canonical_existing(p: &Path) -> std::io::Result<PathBuf> {
    let mut rest: Vec<OsString> = Vec::new();
    let mut cur = p.to_path_buf();
    loop {
        match std::fs::canonicalize(&cur) {
            Ok(mut c) => {
                for r in rest.iter().rev() {
                    c.push(r);
                }
                return Ok(c);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (Some(parent), Some(name)) = (cur.parent(), cur.file_name()) else {
                    if cur.as_os_str().is_empty() || cur.is_relative() {
                        let mut c = std::fs::canonicalize(".")?;
                        for r in rest.iter().rev() {
                            c.push(r);
                        }
                        return Ok(c);
                    }
                    return Err(e);
                };
                rest.push(name.to_os_string());
                cur = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
            }
            Err(e) => return Err(e),
        }
    }
}

/// Refuses an output directory no generator may treat as its own (`generate --out`): the
/// file system root, the user's home directory, the repository's root, or a directory that
/// contains one of them. Symlinks are resolved; the directory need not exist yet.
pub fn check_output_dir(out: &Path, home: Option<&Path>, repo_root: Option<&Path>) -> Result<(), String> {
    let shown = out.display();
    let out_c = canonical_existing(out).map_err(|e| format!("cannot resolve `{shown}`: {e}"))?;
    if out_c.parent().is_none() {
        return Err(format!("`{shown}` is the file system's root"));
    }
    let within = |what: &str, dir: Option<&Path>| -> Result<(), String> {
        let Some(d) = dir else { return Ok(()) };
        let Ok(d) = canonical_existing(d) else { return Ok(()) };
        if d == out_c {
            Err(format!("`{shown}` is {what}"))
        } else if d.starts_with(&out_c) {
            Err(format!("`{shown}` contains {what} (`{}`)", d.display()))
        } else {
            Ok(())
        }
    };
    within("your home directory", home)?;
    within("the repository's root", repo_root)?;
    Ok(())
}

/// SHA-256 of bytes, lowercase hex (what generate's manifest records).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod fault_tests {
    //! Failures injected half-way through a commit: the tree is as it was, and no temporary
    //! file or kept copy is left behind.
    use super::*;
    use std::collections::BTreeMap;

    /// Every path under `dir` with its content (directories as `None`).
    fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                if e.file_type().unwrap().is_dir() {
                    out.insert(rel, None);
                    stack.push(p);
                } else {
                    out.insert(rel, Some(std::fs::read(&p).unwrap()));
                }
            }
        }
        out
    }

    /// A root with three files; the run replaces them and adds one in a new directory.
    fn setup() -> (tempfile::TempDir, Transaction) {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["a.avsc", "b.avsc", "c.avsc"] {
            std::fs::write(tmp.path().join(name), format!("old {name}")).unwrap();
        }
        let mut tx = Transaction::new(tmp.path(), Policy::AllOrNothing);
        for name in ["a.avsc", "b.avsc", "c.avsc", "new/d.avsc"] {
            tx.put(name, format!("new {name}"));
        }
        (tmp, tx)
    }

    fn run(faults: &[(&'static str, &[usize])]) -> (tempfile::TempDir, Result<Report, Box<Failure>>) {
        let (tmp, tx) = setup();
        ops::inject(faults);
        let r = tx.commit();
        ops::inject(&[]);
        (tmp, r)
    }

    fn unchanged(dir: &Path) {
        let want: BTreeMap<PathBuf, Option<Vec<u8>>> = ["a.avsc", "b.avsc", "c.avsc"]
            .iter()
            .map(|n| (PathBuf::from(n), Some(format!("old {n}").into_bytes())))
            .collect();
        assert_eq!(tree(dir), want);
    }

    #[test]
    fn a_rename_failing_at_any_point_puts_everything_back() {
        for k in 0..4 {
            let (tmp, r) = run(&[("rename", &[k])]);
            let e = r.expect_err("the run fails");
            assert!(e.refusal.to_string().contains("injected failure of rename"), "{k}: {}", e.refusal);
            unchanged(tmp.path());
        }
    }

    #[test]
    fn a_rename_back_that_fails_is_done_by_copying() {
        // The third move fails; putting back the second by rename fails too.
        let (tmp, r) = run(&[("rename", &[2, 3])]);
        assert!(r.is_err());
        unchanged(tmp.path());
    }

    #[test]
    fn a_file_that_cannot_be_put_back_keeps_its_previous_content_and_says_where() {
        let (tmp, r) = run(&[("rename", &[2, 3]), ("copy", &[0])]);
        let e = r.expect_err("the run fails");
        let why = e.refusal.to_string();
        assert!(why.contains("could not be put back: its previous content is in"), "{why}");
        let t = tree(tmp.path());
        let kept: Vec<_> = t.iter().filter(|(p, _)| p.to_string_lossy().contains("-bak-")).collect();
        assert_eq!(kept.len(), 1, "{t:?}");
        assert_eq!(kept[0].1.as_deref(), Some(&b"old b.avsc"[..]), "the second file's old content");
        assert!(why.contains(&kept[0].0.to_string_lossy().into_owned()), "{why}");
    }

    #[test]
    fn without_hard_links_copies_are_kept_and_removed() {
        let (tmp, r) = run(&[("link", &[0, 1, 2])]);
        let report = r.expect("the run succeeds with copies");
        assert_eq!(report.written.len(), 4);
        let t = tree(tmp.path());
        assert_eq!(t.len(), 5, "a, b, c, new/, new/d and nothing else: {t:?}");
        assert_eq!(t[Path::new("b.avsc")].as_deref(), Some(&b"new b.avsc"[..]));
    }

    #[test]
    fn a_file_that_cannot_be_kept_is_not_replaced_and_nothing_is() {
        let (tmp, r) = run(&[("link", &[1]), ("copy", &[0])]);
        let e = r.expect_err("the run fails");
        assert!(e.refusal.to_string().contains("cannot keep a copy"), "{}", e.refusal);
        assert_eq!(e.path, Path::new("b.avsc"));
        unchanged(tmp.path());
    }

    #[test]
    fn leftovers_of_another_run_with_the_same_process_id_are_neither_reused_nor_removed() {
        let (tmp, tx) = setup();
        let stale_tmp = sibling(&tmp.path().join("a.avsc"), "0");
        let stale_bak = sibling(&tmp.path().join("a.avsc"), "bak-5"); // the first copy's name
        std::fs::write(&stale_tmp, "someone else's").unwrap();
        std::fs::write(&stale_bak, "someone else's too").unwrap();
        ops::inject(&[]);
        tx.commit().expect("the run succeeds");
        let t = tree(tmp.path());
        assert_eq!(t[&PathBuf::from(stale_tmp.file_name().unwrap())].as_deref(), Some(&b"someone else's"[..]));
        assert_eq!(t[&PathBuf::from(stale_bak.file_name().unwrap())].as_deref(), Some(&b"someone else's too"[..]));
        assert_eq!(t[Path::new("a.avsc")].as_deref(), Some(&b"new a.avsc"[..]));
        assert_eq!(t.len(), 7, "{t:?}");
    }

    /// A root that does not exist yet, under a parent that does not either.
    fn new_root_run(faults: &[(&'static str, &[usize])]) -> (tempfile::TempDir, Result<Report, Box<Failure>>) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("mine.txt"), "the user's").unwrap();
        let mut tx = Transaction::new(tmp.path().join("out/java"), Policy::AllOrNothing);
        for name in ["a.avsc", "b/c.avsc", "b/d/e.avsc"] {
            tx.put(name, format!("new {name}"));
        }
        ops::inject(faults);
        let r = tx.commit();
        ops::inject(&[]);
        (tmp, r)
    }

    #[test]
    fn a_new_root_appears_whole_or_not_at_all() {
        let (tmp, r) = new_root_run(&[]);
        let report = r.expect("the run succeeds");
        let written: Vec<&str> = report.written.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(written, ["a.avsc", "b/c.avsc", "b/d/e.avsc"]);
        let t = tree(tmp.path());
        assert_eq!(t[Path::new("out/java/b/d/e.avsc")].as_deref(), Some(&b"new b/d/e.avsc"[..]));
        // Nothing is left beside it: the hidden directory it was built in became the root.
        assert_eq!(t.keys().filter(|p| p.to_string_lossy().contains(".schemapipe-")).count(), 0, "{t:?}");
        // Any creation or the final rename failing leaves the parent as it was: no root, no
        // hidden directory, not even the missing parent that was created for it.
        for (op, calls) in [("create", &[0usize][..]), ("create", &[2]), ("rename", &[0])] {
            let (tmp, r) = new_root_run(&[(op, calls)]);
            let e = r.expect_err("the run fails");
            assert!(e.refusal.to_string().contains(&format!("injected failure of {op}")), "{}", e.refusal);
            let want: BTreeMap<PathBuf, Option<Vec<u8>>> =
                [(PathBuf::from("mine.txt"), Some(b"the user's".to_vec()))].into_iter().collect();
            assert_eq!(tree(tmp.path()), want, "{op} {calls:?}");
        }
    }
}
