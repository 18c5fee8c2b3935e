//! Sample events beside schemas, in `check` (docs/samples.md): every sample must fit the
//! current schema; for a changed schema, the samples of earlier versions (read from git at the
//! commits of those versions) must be read by the new schema as they were written (backward),
//! and the new samples by the earlier schemas (forward), per the level. NONE checks backward
//! against the latest version and reports warnings.

use crate::core::codec::Codec;
use crate::core::compat::level::{versions_to_check, Level};
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::history::{Store, Version};
use crate::core::samples::{self, Carried, Sample};
use crate::core::source::{FileId, SourceFile, Span};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Largest samples file read.
const MAX_SAMPLES_BYTES: u64 = 16 * 1024 * 1024;

/// One schema of the check and what to check its samples against.
pub struct Subject<'a> {
    pub subject: &'a str,
    pub new: &'a Version,
    /// Earlier versions, oldest first (empty for an unchanged schema).
    pub previous: Vec<&'a Version>,
    pub level: Level,
}

/// A samples file read: its name as shown, text, and events.
struct Read {
    shown: String,
    text: String,
    samples: Vec<Sample>,
    problems: Vec<samples::Problem>,
}

/// The samples of one earlier version, with its compiled schema.
struct Earlier {
    label: String,
    codec: Codec,
    read: Option<Read>,
}

/// The trees of the commits samples are read from. Commits of the walked history are found
/// by id (no revision parsing), and every tree is parsed once, by id: git keeps no parsed copy
/// of a large tree, and a directory unchanged over many commits (most are) is shared by all
/// of them.
struct Trees<'r> {
    repo: &'r git2::Repository,
    /// Labels of the walked history's commits.
    known: HashMap<String, git2::Oid>,
    /// Commit label -> its root tree.
    roots: HashMap<String, Option<git2::Oid>>,
    parsed: HashMap<git2::Oid, Option<git2::Tree<'r>>>,
}

impl<'r> Trees<'r> {
    fn new(repo: &'r git2::Repository, commits: &[(git2::Oid, String)]) -> Self {
        let known = commits.iter().map(|(oid, label)| (label.clone(), *oid)).collect();
        Trees { repo, known, roots: HashMap::new(), parsed: HashMap::new() }
    }

    /// The contents of `path` in `commit`, when it is a text file of reasonable size.
    fn read(&mut self, commit: &str, path: &str) -> Option<String> {
        let repo = self.repo;
        let known = &self.known;
        let mut tree_id = (*self.roots.entry(commit.to_string()).or_insert_with(|| {
            let c = match known.get(commit) {
                Some(oid) => repo.find_commit(*oid).ok()?,
                None => repo.revparse_single(commit).ok()?.peel_to_commit().ok()?,
            };
            Some(c.tree_id())
        }))?;
        let mut names = path.split('/').peekable();
        loop {
            let name = names.next()?;
            let tree = self.parsed.entry(tree_id).or_insert_with(|| repo.find_tree(tree_id).ok()).as_ref()?;
            let entry = tree.get_name(name)?;
            if names.peek().is_some() {
                tree_id = entry.id();
                continue;
            }
            let blob = repo.find_blob(entry.id()).ok()?;
            if blob.size() as u64 > MAX_SAMPLES_BYTES {
                return None;
            }
            return String::from_utf8(blob.content().to_vec()).ok();
        }
    }
}

/// The staged contents of `path` (repo-relative), when it is in the index.
fn read_staged(repo: &git2::Repository, path: &str) -> Option<String> {
    let index = repo.index().ok()?;
    let entry = index.get_path(Path::new(path), 0)?;
    let blob = repo.find_blob(entry.id).ok()?;
    if blob.size() as u64 > MAX_SAMPLES_BYTES {
        return None;
    }
    String::from_utf8(blob.content().to_vec()).ok()
}

/// Checks the samples of `subjects`; returns findings and the samples files they point into
/// (added to the store's sources). With `staged`, the current samples are the index's, as
/// the schemas are.
#[allow(clippy::too_many_arguments)]
pub fn check_samples(
    store: &mut Store,
    workdir: &Path,
    staged: bool,
    subjects: &[Subject],
    base_commit: Option<&str>,
    commits: &[(git2::Oid, String)],
    history_samples: &HashSet<String>,
    shown: &dyn Fn(&str) -> String,
) -> (Vec<Finding>, Vec<FileId>) {
    // The repository is opened only when something is read from it.
    let repo = (staged || !history_samples.is_empty()).then(|| git2::Repository::open(workdir).ok()).flatten();
    let mut trees = repo.as_ref().map(|repo| Trees::new(repo, commits));
    // Phase 1: read and compile (the store is only looked at).
    let mut work: Vec<(usize, Codec, Option<Read>, Vec<Earlier>)> = Vec::new();
    for (k, s) in subjects.iter().enumerate() {
        let Some(ex_path) = samples::examples_path(&s.new.path) else { continue };
        let current_text = if staged {
            repo.as_ref().and_then(|r| read_staged(r, &ex_path))
        } else {
            let p = workdir.join(&ex_path);
            // Most schemas have no samples: nothing at the path needs no resolving of links.
            let absent = std::fs::symlink_metadata(&p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
            (!absent)
                .then(|| crate::workspace::read_limited(&p, MAX_SAMPLES_BYTES).ok())
                .flatten()
                .and_then(|b| String::from_utf8(b).ok())
        };
        let range = if s.level == Level::None && !s.previous.is_empty() {
            s.previous.len() - 1..s.previous.len()
        } else {
            versions_to_check(s.level, s.previous.len())
        };
        // The earlier versions' samples are read before any schema is compiled: most schemas
        // have none, and compiling every version of a long chain of schemas is quadratic.
        let mut earlier_texts: Vec<(&Version, String, Option<String>)> = Vec::new();
        for i in range {
            let v = s.previous[i];
            let Some(old_ex) = samples::examples_path(&v.path) else { continue };
            // A path in no commit of the history is not looked up in its trees.
            let text = match trees.as_mut().filter(|_| history_samples.contains(&old_ex)) {
                None => None,
                Some(trees) => {
                    // The samples as of the version's commit; for the latest version, as of
                    // the base (samples are often added after the schema).
                    let latest = (i + 1 == s.previous.len()).then_some(base_commit).flatten();
                    latest.and_then(|b| trees.read(b, &old_ex)).or_else(|| trees.read(&v.label, &old_ex))
                }
            };
            earlier_texts.push((v, old_ex, text));
        }
        if current_text.is_none() && earlier_texts.iter().all(|(_, _, t)| t.is_none()) {
            continue;
        }
        let Ok(codec) = Codec::compile(&s.new.view(store), s.new.root) else { continue };
        let current = current_text.map(|text| {
            let (samples, problems) = samples::read(&codec, &text);
            Read { shown: shown(&ex_path), text, samples, problems }
        });
        let mut earlier = Vec::new();
        for (v, old_ex, text) in earlier_texts {
            let Ok(old) = Codec::compile(&v.view(store), v.root) else { continue };
            let read = text.map(|text| {
                let (samples, problems) = samples::read(&old, &text);
                Read { shown: format!("{} @ {}", shown(&old_ex), v.label), text, samples, problems }
            });
            earlier.push(Earlier { label: v.label.clone(), codec: old, read });
        }
        work.push((k, codec, current, earlier));
    }
    // Phase 2: findings.
    let mut findings = Vec::new();
    let mut files = Vec::new();
    for (k, new_codec, current, earlier) in work {
        let s = &subjects[k];
        let severity = if s.level == Level::None { Severity::Warning } else { Severity::Error };
        let schema_shown = shown(&s.new.path);
        let cur_file = current.as_ref().map(|r| {
            let id = store.sources.add(SourceFile::new(r.shown.clone(), r.text.clone()));
            files.push(id);
            id
        });
        if let (Some(r), Some(file)) = (&current, cur_file) {
            for p in &r.problems {
                let at = if p.pointer.is_empty() {
                    String::new()
                } else {
                    format!(" (schema `{schema_shown}` at `{}`)", p.pointer)
                };
                findings.push(
                    Finding::error(
                        "invalid-sample",
                        format!("sample `{}` does not fit `{}`: {}{at}", p.name, s.subject, p.message),
                    )
                    .at(file, p.span)
                    .path(p.pointer.clone())
                    .detail("subject", s.subject)
                    .detail("sample", p.name.clone())
                    .detail("field", p.path.clone())
                    .help("fix the sample, or the schema if the sample shows real data it must accept"),
                );
            }
        }
        for e in &earlier {
            let against = format!("`{schema_shown}` @ {}", e.label);
            // Backward: the earlier samples, read by the new schema.
            if s.level.backward() || s.level == Level::None {
                if let Some(r) = &e.read {
                    let mut file: Option<FileId> = None;
                    for sample in &r.samples {
                        let carried = samples::carry(&e.codec, &sample.value, &new_codec);
                        if carried == Carried::Same {
                            continue;
                        }
                        let id = *file.get_or_insert_with(|| {
                            let id = store.sources.add(SourceFile::new(r.shown.clone(), r.text.clone()));
                            files.push(id);
                            id
                        });
                        findings.push(finding(
                            carried,
                            severity,
                            &sample.name,
                            s.subject,
                            "backward",
                            &format!("written with {against}, read with the new schema"),
                            id,
                            sample.span,
                        ));
                    }
                }
            }
            // Forward: the new samples, read by the earlier schema.
            if s.level.forward() {
                if let (Some(r), Some(file)) = (&current, cur_file) {
                    for sample in &r.samples {
                        let carried = samples::carry(&new_codec, &sample.value, &e.codec);
                        if carried != Carried::Same {
                            findings.push(finding(
                                carried,
                                severity,
                                &sample.name,
                                s.subject,
                                "forward",
                                &format!("written with the new schema, read with {against}"),
                                file,
                                sample.span,
                            ));
                        }
                    }
                }
            }
        }
    }
    (findings, files)
}

#[allow(clippy::too_many_arguments)]
fn finding(
    carried: Carried,
    severity: Severity,
    name: &str,
    subject: &str,
    direction: &str,
    how: &str,
    file: FileId,
    span: Span,
) -> Finding {
    let (code, field, message) = match carried {
        Carried::Unreadable { path, why } => (
            "sample-unreadable",
            path.clone(),
            format!("sample `{name}` of `{subject}` cannot be read ({how}): at `{path}`: {why}"),
        ),
        Carried::Differs(d) => (
            "sample-meaning-changed",
            d.path.clone(),
            format!("sample `{name}` of `{subject}` reads differently ({how}): field `{}` {}", d.path, d.why),
        ),
        Carried::Same => ("sample-unreadable", String::new(), String::new()),
    };
    Finding::spec(code, severity, message)
        .kind(Kind::Compat)
        .at(file, span)
        .detail("subject", subject)
        .detail("sample", name)
        .detail("field", field)
        .detail("direction", direction)
        .help(if code == "sample-meaning-changed" {
            "keep the field's meaning: add a new field (or a new schema) for the new unit or scale instead of changing the logical type"
        } else {
            "keep old events readable: give new fields defaults, keep removed symbols or add an enum default, and change types only by promotion"
        })
}
