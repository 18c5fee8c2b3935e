//! Check: validate (and lint) the current schemas, then check every schema that changed against
//! its versions in git history at its configured level — or, with a registry, against the
//! versions registered for its subject ([`super::check_registry`]).

use super::check_registry::{self, RegistryCheckOptions, RegistryChecked};
use super::layout::{Layout, Unreadable, NO_COMMITS};
use super::remote::RegistryOptions;
use super::{Env, Findings};
use crate::core::compat::level::{check_level, Level, Version as LevelVersion};
use crate::core::compat::View;
use crate::core::finding::{Finding, Kind};
use crate::core::history::{self, BlobKey, FileEntry, Snapshot, Store};
use crate::core::load::{self, Input};
use crate::core::source::FileId;
use crate::git::{blob_key, BaseState, GitRepo};
use crate::workspace::{UsageError, Workspace};
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Files or directories to check (empty: the whole schema root).
    pub paths: Vec<PathBuf>,
    /// The ref whose first-parent history holds the previous versions (default: the merge-base
    /// with the base branch).
    pub against: Option<String>,
    /// The index instead of the working tree.
    pub staged: bool,
    /// Every schema, not only the changed ones.
    pub all: bool,
    /// Skip the lint rules.
    pub no_lint: bool,
    /// One level for every schema instead of the configured ones.
    pub level: Option<Level>,
    /// Check against the registry's versions instead of git history.
    pub registry: Option<RegistryOptions>,
}

/// What a check found.
pub enum Checked {
    Git(GitChecked),
    Registry(RegistryChecked),
}

/// A check against git history.
pub struct GitChecked {
    /// Spec, lint and compatibility findings; `files` are the reported files.
    pub findings: Findings,
    /// The base the history was read from (`main (3f2a9c1)`).
    pub base: String,
    /// `working tree` or `index`.
    pub source: &'static str,
    /// Commits of history looked at.
    pub commits: usize,
    /// The schemas checked, in subject order.
    pub checked: Vec<CheckedSchema>,
    /// Subjects not among `checked` (unchanged schemas) whose sample events fail at error
    /// severity, sorted.
    pub samples_failed: Vec<String>,
}

/// One changed schema and what came of checking it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CheckedSchema {
    pub subject: String,
    pub file: String,
    pub level: Level,
    pub previous_versions: usize,
    /// The type rules pass and no sample event fails (at error severity).
    pub compatible: bool,
}

/// The blob id the index records for a work-tree file, when the file's size and modification
/// time show it unchanged since.
fn known_key(
    known: &std::collections::HashMap<String, (u64, i64, u32, BlobKey)>,
    workdir: &std::path::Path,
    path: &str,
    len: usize,
) -> Option<BlobKey> {
    let (size, secs, nanos, key) = known.get(path)?;
    if *size != len as u64 {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(workdir.join(path)).ok()?;
        (m.mtime() == *secs && m.mtime_nsec() as u32 == *nanos).then_some(*key)
    }
    #[cfg(not(unix))]
    {
        let _ = (workdir, secs, nanos, key);
        None
    }
}

/// What a pre-commit run reads: the staged changes, the files that mention the names they
/// define (possible users), and the files defining the names those use.
struct StagedSubset {
    /// Repo-relative path and staged contents of every file to load.
    files: Vec<(String, Vec<u8>)>,
    /// Files whose schemas are checked: the changed ones and their possible users.
    touched: HashSet<String>,
    /// Files removed from the index (their HEAD contents), to report deleted schemas.
    removed: Vec<FileEntry>,
}

/// Decides what a `check --staged` run has to read, or `None` to read everything (no HEAD
/// yet, or a name whose file cannot be found cheaply).
fn staged_subset(
    repo: &GitRepo,
    ws: &Workspace,
    root_rel: &str,
    rel_to_root: &dyn Fn(&str) -> String,
    workdir: &std::path::Path,
) -> Result<Option<StagedSubset>, UsageError> {
    use std::collections::HashMap;
    let Some(head) = repo.head_commit() else { return Ok(None) };
    let index: Vec<FileEntry> =
        repo.index_entries(root_rel)?.into_iter().filter(|f| !ws.excluded_rel(&rel_to_root(&f.path))).collect();
    let head_files: HashMap<String, BlobKey> = {
        let mut r = GitRepo::open(workdir)?;
        r.commit_files(head, root_rel, "HEAD")?.files.into_iter().map(|f| (f.path, f.key)).collect()
    };
    let in_index: HashSet<&str> = index.iter().map(|f| f.path.as_str()).collect();
    let changed: Vec<&FileEntry> = index.iter().filter(|f| head_files.get(&f.path) != Some(&f.key)).collect();
    let mut removed: Vec<FileEntry> = head_files
        .iter()
        .filter(|(p, _)| !in_index.contains(p.as_str()) && !ws.excluded_rel(&rel_to_root(p)))
        .map(|(p, k)| FileEntry { path: p.clone(), key: *k })
        .collect();
    // In path order: they are read (and numbered) in this order, and findings follow it.
    removed.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let limits = ws.limits();
    let staged_bytes = |f: &FileEntry| repo.blob(&f.key).unwrap_or_default();
    // Names the change is about: those the changed files define now and defined before.
    let mut names: HashSet<String> = HashSet::new();
    let mut learn = |bytes: &[u8]| {
        let set =
            load::load(vec![Input::new("staged.avsc", bytes)], &limits, &mut crate::core::source::SourceMap::new());
        for d in &set.definitions {
            if let Some(n) = set.node(*d).named() {
                names.insert(n.full_name.clone());
            }
        }
    };
    // By path: they are read (and numbered) in path order, and findings follow it.
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = std::collections::BTreeMap::new();
    for f in &changed {
        let b = staged_bytes(f);
        learn(&b);
        files.insert(f.path.clone(), b);
        if let Some(k) = head_files.get(&f.path) {
            learn(&repo.blob(k).unwrap_or_default());
        }
    }
    for f in &removed {
        learn(&repo.blob(&f.key).unwrap_or_default());
    }
    let mut touched: HashSet<String> = changed.iter().map(|f| f.path.clone()).collect();
    // A staged change to a schema's sample events (docs/samples.md) checks that schema too.
    if let Ok(git) = git2::Repository::open(workdir) {
        let head_tree = git.head().ok().and_then(|h| h.peel_to_tree().ok());
        if let (Ok(staged_index), Some(tree)) = (git.index(), head_tree) {
            let schemas: HashMap<&str, &FileEntry> = index.iter().map(|f| (f.path.as_str(), f)).collect();
            let prefix = if root_rel.is_empty() { String::new() } else { format!("{root_rel}/") };
            for e in staged_index.iter() {
                let path = String::from_utf8_lossy(&e.path).into_owned();
                let Some(stem) = path.strip_suffix(crate::core::samples::EXAMPLES_SUFFIX) else { continue };
                if !path.starts_with(&prefix)
                    || tree.get_path(std::path::Path::new(&path)).ok().map(|t| t.id()) == Some(e.id)
                {
                    continue;
                }
                if let Some(f) = schemas.get(format!("{stem}.avsc").as_str()) {
                    if touched.insert(f.path.clone()) {
                        files.entry(f.path.clone()).or_insert_with(|| staged_bytes(f));
                    }
                }
            }
        }
    }
    if !names.is_empty() {
        // Possible users: any staged file mentioning one of the names, in full or by its simple
        // name, as a JSON string. A false match only costs a check.
        let needles: Vec<String> = names
            .iter()
            .flat_map(|n| {
                let simple = n.rsplit('.').next().unwrap_or(n);
                [format!("\"{n}\""), format!("\"{simple}\"")]
            })
            .collect();
        let known = repo.known_blobs();
        let mentions = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes);
            needles.iter().any(|n| text.contains(n.as_str()))
        };
        // A file the work tree holds exactly as staged (same blob, size and time as the index
        // records) is read from disk, on every core; any other is read from the index below.
        // The time is compared after reading: a file changed while it is read fails the check
        // and is taken from the index.
        let others: Vec<&FileEntry> = index.iter().filter(|f| !touched.contains(&f.path)).collect();
        let from_disk = crate::core::par::map(&others, |f| {
            let bytes = std::fs::read(workdir.join(&f.path)).ok()?;
            (known_key(&known, workdir, &f.path, bytes.len()) == Some(f.key)).then(|| mentions(&bytes).then_some(bytes))
        });
        for (f, read) in others.into_iter().zip(from_disk) {
            let found = match read {
                Some(found) => found,
                None => Some(staged_bytes(f)).filter(|b| mentions(b)),
            };
            if let Some(bytes) = found {
                touched.insert(f.path.clone());
                files.insert(f.path.clone(), bytes);
            }
        }
    }
    // The files defining the names the loaded files use, found by the path convention; give up
    // (read everything) when one cannot be found that way.
    let by_path: HashMap<&str, &FileEntry> = index.iter().map(|f| (f.path.as_str(), f)).collect();
    for _round in 0..8 {
        let inputs: Vec<Input> = files.iter().map(|(p, b)| Input::new(p.clone(), b)).collect();
        let set = load::load(inputs, &limits, &mut crate::core::source::SourceMap::new());
        let mut missing: Vec<Vec<String>> = Vec::new();
        for n in &set.nodes {
            if let crate::core::schema::SchemaKind::Ref(r) = &n.kind {
                if r.target.is_none() {
                    missing.push(r.candidates.clone());
                }
            }
        }
        if missing.is_empty() {
            // In path order (the map's), as a full run reads them: findings come out in the
            // same order on every run.
            return Ok(Some(StagedSubset { files: files.into_iter().collect(), touched, removed }));
        }
        let mut added = false;
        for cands in missing {
            let found = cands.iter().find_map(|c| {
                let rel = format!("{}.avsc", c.replace('.', "/"));
                let path = if root_rel.is_empty() { rel } else { format!("{root_rel}/{rel}") };
                by_path.get(path.as_str()).copied()
            });
            match found {
                Some(f) if !files.contains_key(&f.path) => {
                    files.insert(f.path.clone(), staged_bytes(f));
                    added = true;
                }
                Some(_) => {}
                None => return Ok(None),
            }
        }
        if !added {
            return Ok(None);
        }
    }
    Ok(None)
}

/// `main (3f2a9c1)` -> `3f2a9c1`: commit labels in version names stay short.
fn short_label(label: &str) -> String {
    label.rsplit('(').next().map(|s| s.trim_end_matches(')').to_string()).unwrap_or_else(|| label.to_string())
}

/// Checks the schemas: against git history, or the registry's versions with `registry`.
pub fn check(env: &Env, opts: &CheckOptions) -> Result<Checked, UsageError> {
    match &opts.registry {
        Some(registry) => {
            let o = RegistryCheckOptions {
                paths: opts.paths.clone(),
                no_lint: opts.no_lint,
                level: opts.level,
                registry: registry.clone(),
            };
            check_registry::check_registry(env, &o).map(Checked::Registry)
        }
        None => check_git(env, opts).map(Checked::Git),
    }
}

fn check_git(env: &Env, args: &CheckOptions) -> Result<GitChecked, UsageError> {
    let started = std::time::Instant::now();
    let phase = |name: &str| env.trace(|| format!("{:>8.1} ms  {name}", started.elapsed().as_secs_f64() * 1000.0));
    let ws = env.workspace()?;
    let repo = GitRepo::open(&env.cwd)?;
    let lay = Layout::of(&env.cwd, &ws, &repo)?;
    let (workdir, root_rel) = (lay.workdir.clone(), lay.root_rel.clone());
    // Only transitive levels look past the base: without them the base commit is all the
    // history needed, and no revwalk is done.
    let need_history = match args.level {
        Some(l) => l.transitive(),
        None => {
            let c = &ws.config;
            c.level.transitive() || c.subject_levels.iter().chain(&c.path_levels).any(|(_, l)| l.transitive())
        }
    };
    // The history side (base, revwalk, tree diffs) runs beside reading and validating files.
    let git_side = {
        let cwd = env.cwd.clone();
        let against = args.against.clone();
        let base_branch = ws.config.base_branch.clone();
        let root_rel = root_rel.clone();
        std::thread::spawn(move || -> Result<_, UsageError> {
            let mut repo = GitRepo::open(&cwd)?;
            // No commits yet: no history, every schema is new and is checked alone.
            let base = match repo.base_state(against.as_deref(), base_branch.as_deref())? {
                BaseState::Commit(b) => b,
                BaseState::NoCommits => {
                    let label = NO_COMMITS.to_string();
                    let empty = Snapshot { label: label.clone(), files: Vec::new() };
                    let hist = crate::git::History { commits: Vec::new(), shallow: false };
                    return Ok((label, hist, empty, Vec::new(), HashSet::new()));
                }
            };
            let base_files = repo.commit_files(base.commit, &root_rel, &short_label(&base.label))?;
            let (hist, deltas) = if need_history {
                let hist = repo.history(base.commit)?;
                let deltas = repo.deltas(&hist.commits, &root_rel)?;
                (hist, deltas)
            } else {
                (
                    crate::git::History { commits: vec![(base.commit, short_label(&base.label))], shallow: false },
                    vec![Vec::new()],
                )
            };
            // The samples files of every commit listed or diffed: older samples are read only
            // for these paths.
            let samples_seen = repo.take_samples_seen();
            Ok((base.label, hist, base_files, deltas, samples_seen))
        })
    };
    // The blob ids the index knows for work-tree files, read beside the work-tree files.
    let known_side = (!args.staged).then(|| {
        let cwd = env.cwd.clone();
        std::thread::spawn(move || GitRepo::open(&cwd).map(|r| r.known_blobs()).unwrap_or_default())
    });
    let rel_to_root = |repo_path: &str| lay.rel_to_root(repo_path);
    let shown_name = |repo_path: &str| lay.shown(repo_path);
    let limits = ws.limits();

    // The current contents: the working tree, or the index. A pre-commit run (`--staged`)
    // reads only the staged changes and the files they touch, when that can be decided.
    let staged = if args.staged && !args.all && args.paths.is_empty() {
        staged_subset(&repo, &ws, &root_rel, &rel_to_root, &workdir)?
    } else {
        None
    };
    let (mut current, unreadable): (Vec<(String, Vec<u8>)>, Unreadable) = match &staged {
        Some(sub) => (sub.files.clone(), Unreadable::new()),
        None => lay.current_files(&ws, &repo, args.staged)?,
    };
    let selected = lay.selection(&env.cwd, &args.paths, args.staged)?;
    let is_selected = |repo_path: &str| Layout::selects(&selected, repo_path);

    phase("read current files");
    // The current files' blob ids, before their bytes move into the loaded set: from the index
    // when it shows a file unchanged, else hashed.
    let mode = if args.staged { "index" } else { "working tree" };
    // Without it, every file is hashed: slower, never wrong.
    let known = known_side.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
    let cur_snapshot = Snapshot {
        label: mode.to_string(),
        // A `stat` (or a hash) per file: on every core.
        files: crate::core::par::map(&current, |(p, b)| {
            let key = known_key(&known, &workdir, p, b.len()).unwrap_or_else(|| blob_key(b));
            FileEntry { path: p.clone(), key }
        }),
    };
    // 1. Validate the current set. The bytes become the sources' texts: not copied.
    let mut store = Store::new(limits);
    let inputs: Vec<Input> = current
        .iter_mut()
        .map(|(p, b)| Input { name: lay.shown(p), bytes: std::mem::take(b), error: unreadable.get(p).cloned() })
        .collect();
    let reported: Vec<bool> = current
        .iter()
        .map(|(p, _)| is_selected(p) && staged.as_ref().is_none_or(|sub| sub.touched.contains(p)))
        .collect();
    let set = std::sync::Arc::new(load::load(inputs, &limits, &mut store.sources));
    let mut findings: Vec<Finding> = set
        .findings
        .iter()
        .filter(|f| f.file.is_none_or(|id| reported.get(id.0 as usize).copied().unwrap_or(false)))
        .cloned()
        .collect();
    // `schemas.exclude` leaving out every file is a warning, not a silent pass.
    findings.extend(ws.no_files_selected(reported.contains(&true)));
    // Lint joins validation: the convention rules on every reported file. They only read the
    // validated set, so they run beside the history side below (versions, the walk back,
    // compatibility); their findings take their place after validation's when joined.
    let lint_at = findings.len();
    let lint_side = (!args.no_lint).then(|| {
        let rels: Vec<String> = current.iter().map(|(p, _)| rel_to_root(p)).collect();
        let picked: Vec<usize> = (0..current.len()).filter(|i| reported[*i]).collect();
        let (set, options) = (set.clone(), ws.config.lint.clone());
        std::thread::spawn(move || {
            let targets: Vec<crate::core::lint::Target> = picked
                .into_iter()
                .map(|i| crate::core::lint::Target { index: i, rel_path: Some(rels[i].as_str()) })
                .collect();
            crate::core::lint::lint(&set, &targets, &options)
        })
    });
    phase("validated");

    // 2. Versions: the current snapshot, the base, and the first-parent history of the base.
    phase(&format!("{} of {} file ids known from the index", known.len().min(current.len()), current.len()));
    // The validated set becomes the current files' units: parsed once.
    let keys: Vec<BlobKey> = cur_snapshot.files.iter().map(|f| f.key).collect();
    let paths: Vec<String> = current.iter().map(|(p, _)| p.clone()).collect();
    let mut current_subjects = HashSet::new();
    for u in store.adopt(set, &keys, &paths) {
        current_subjects.insert(store.subject(u).to_string());
    }
    let (base_label, hist, base_files, deltas, samples_seen) =
        git_side.join().map_err(|_| UsageError::new("reading git history failed", "report this bug"))??;
    phase("history listed (in parallel)");
    let keep = |s: Snapshot, ws: &Workspace| Snapshot {
        label: s.label,
        files: s.files.into_iter().filter(|f| !ws.excluded_rel(&rel_to_root(&f.path))).collect(),
    };
    let base_snapshot = keep(base_files, &ws);
    let deltas: Vec<Vec<history::Delta>> = deltas
        .into_iter()
        .map(|d| d.into_iter().filter(|x| !ws.excluded_rel(&rel_to_root(&x.path))).collect())
        .collect();
    let labels: Vec<String> = hist.commits.iter().map(|(_, l)| l.clone()).collect();
    let mut loader = |k: &BlobKey| repo.blob(k);
    let cur = history::snapshot_versions(&mut store, &cur_snapshot, &mut loader);
    // The base's versions: every file for a full run; for a staged run, the staged changes
    // decide what changed and only removed files need reading.
    let at_base = match &staged {
        None => history::snapshot_versions(&mut store, &base_snapshot, &mut loader),
        Some(sub) => {
            let removed = Snapshot { label: base_snapshot.label.clone(), files: sub.removed.clone() };
            history::snapshot_versions(&mut store, &removed, &mut loader)
        }
    };

    let mut changed: Vec<String> = cur
        .iter()
        .filter(|(s, v)| {
            is_selected(&v.path)
                && match &staged {
                    Some(sub) => sub.touched.contains(&v.path),
                    None => args.all || at_base.get(*s).is_none_or(|b| b.units != v.units),
                }
        })
        .map(|(s, _)| s.clone())
        .collect();
    changed.sort();
    for (subject, v) in &at_base {
        let gone = match &staged {
            // Every file that defines a removed schema's name was read, if there is one.
            Some(_) => !cur.contains_key(subject) && !current_subjects.contains(subject),
            None => !current_subjects.contains(subject),
        };
        if gone && is_selected(&v.path) {
            let root_site = store.set(v.root.unit).node(v.root.id);
            findings.push(
                Finding::error("deleted-schema", format!("schema `{subject}` was removed (it is in {})", base_label))
                    .kind(Kind::Compat)
                    .at(root_site.file, root_site.named().map(|n| n.name_span).unwrap_or(root_site.span))
                    .help("keep the schema while any topic or consumer uses it; deprecate it in its `doc` first"),
            );
        }
    }
    phase("current and base versions");
    let tracked: HashSet<String> = changed.iter().cloned().collect();
    let paths: std::collections::HashMap<String, String> =
        changed.iter().map(|s| (s.clone(), cur[s].path.clone())).collect();
    let walk =
        history::walk_back_reporting(&mut store, &base_snapshot, &labels, &deltas, &tracked, &paths, &mut loader);
    for (subject, skipped) in &walk.skipped {
        let root = store.set(cur[subject].root.unit).node(cur[subject].root.id);
        for k in skipped {
            let msg = format!(
                "the version of `{subject}` in `{}` @ {} cannot be read and is skipped ({}); older versions are still checked",
                shown_name(&k.path),
                k.label,
                k.reason
            );
            let f = Finding::warning("unreadable-version", msg).kind(Kind::Compat);
            findings.push(
                f.at(root.file, root.named().map(|n| n.name_span).unwrap_or(root.span)).help(
                    "nothing to fix now: that commit never reached the registry; fix files before they are merged",
                ),
            );
        }
    }
    let versions = walk.versions;
    phase(&format!("history walked ({} distinct files parsed)", store.len()));

    // 3. Compatibility of each changed schema with its history.
    let mut checked: Vec<CheckedSchema> = Vec::new();
    let mut sample_levels: std::collections::HashMap<String, Level> = Default::default();
    let mut shallow_warned = false;
    if staged.is_some() {
        // Users found by a name search whose contents did not change after all are not checked.
        changed.retain(|s| versions.get(s).and_then(|v| v.last()).is_none_or(|last| last.units != cur[s].units));
    }
    for subject in &changed {
        let new = &cur[subject];
        let previous: Vec<&history::Version> = versions.get(subject).map(|v| v.iter().collect()).unwrap_or_default();
        let full_name = subject.strip_prefix("path:").map(|_| "").unwrap_or(subject);
        let level = args.level.unwrap_or_else(|| ws.config.level_for(full_name, &rel_to_root(&new.path)));
        if hist.shallow && level != Level::None && (level.transitive() || previous.is_empty()) {
            findings.push(
                Finding::error(
                    "shallow-history",
                    format!(
                        "`{subject}` needs its whole history for {}, but this clone is shallow: only {} commit(s) of {} are here",
                        level.as_str(),
                        hist.commits.len(),
                        base_label
                    ),
                )
                .kind(Kind::Compat)
                .help("fetch the full history: `git fetch --unshallow` (in CI: clone with fetch-depth 0)"),
            );
        } else if hist.shallow && !shallow_warned {
            shallow_warned = true;
            findings.push(
                Finding::warning(
                    "shallow-history",
                    format!(
                        "this clone is shallow ({} commit(s) of {}); older versions are not checked",
                        hist.commits.len(),
                        base_label
                    ),
                )
                .kind(Kind::Compat)
                .help("fetch the full history: `git fetch --unshallow`"),
            );
        }
        let new_view = new.view(&store);
        let views: Vec<_> = previous.iter().map(|v| v.view(&store)).collect();
        let prev_versions: Vec<LevelVersion> = previous
            .iter()
            .zip(&views)
            .map(|(v, view)| LevelVersion { view: view as &dyn View, root: v.root })
            .collect();
        let results = check_level(level, &LevelVersion { view: &new_view, root: new.root }, &prev_versions);
        sample_levels.insert(subject.clone(), level);
        let compatible = results.iter().all(|r| r.compatible());
        for r in &results {
            let old = previous[r.previous];
            let against = format!("`{} @ {}`", shown_name(&old.path), old.label);
            findings.extend(r.incompatibilities.iter().map(|i| {
                super::compat::incompatibility_finding(i, r.direction, &against, level)
                    .detail("subject", subject.clone())
            }));
        }
        checked.push(CheckedSchema {
            subject: subject.clone(),
            file: shown_name(&new.path),
            level,
            previous_versions: previous.len(),
            compatible,
        });
    }

    phase(&format!("checked {} changed schemas", checked.len()));
    // 4. Sample events beside the schemas (docs/samples.md).
    // In subject order: each samples file read gets the next file id, and findings follow it.
    let mut by_subject: Vec<(&String, &history::Version)> = cur.iter().collect();
    by_subject.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let sample_subjects: Vec<super::samples::Subject> = by_subject
        .into_iter()
        .filter(|(_, v)| is_selected(&v.path))
        .map(|(s, v)| super::samples::Subject {
            subject: s,
            new: v,
            previous: sample_levels.get(s).and(versions.get(s)).map(|p| p.iter().collect()).unwrap_or_default(),
            level: sample_levels.get(s).copied().unwrap_or(Level::None),
        })
        .collect();
    let base_commit = hist.commits.last().map(|(oid, _)| oid.to_string());
    let (sample_findings, sample_files) = super::samples::check_samples(
        &mut store,
        &workdir,
        args.staged,
        &sample_subjects,
        base_commit.as_deref(),
        &hist.commits,
        &samples_seen,
        &shown_name,
    );
    // A schema whose samples fail (at error severity) is not compatible, whatever the type
    // rules said; an unchanged schema whose samples fail is counted apart.
    let mut samples_failed: Vec<String> = sample_findings
        .iter()
        .filter(|f| f.severity == crate::core::finding::Severity::Error)
        .filter_map(|f| f.details.iter().find(|(k, _)| *k == "subject").map(|(_, v)| v.clone()))
        .collect();
    samples_failed.sort();
    samples_failed.dedup();
    for c in &mut checked {
        if samples_failed.binary_search(&c.subject).is_ok() {
            c.compatible = false;
        }
    }
    samples_failed.retain(|s| !checked.iter().any(|c| &c.subject == s));
    findings.extend(sample_findings);
    phase("samples checked");
    if let Some(side) = lint_side {
        let linted = side.join().map_err(|_| UsageError::new("linting failed", "report this bug"))?;
        findings.splice(lint_at..lint_at, linted);
        phase("linted (in parallel)");
    }
    let mut files: Vec<FileId> = (0..reported.len()).filter(|i| reported[*i]).map(|i| FileId(i as u32)).collect();
    files.extend(sample_files);
    let sources = std::mem::take(&mut store.sources);
    // Freeing thousands of parsed files one by one costs more than the OS reclaiming the
    // process at exit; the command ends soon after this.
    std::mem::forget(store);
    std::mem::forget(versions);
    std::mem::forget(cur);
    std::mem::forget(at_base);
    Ok(GitChecked {
        findings: Findings { sources, findings, files },
        base: base_label,
        source: mode,
        commits: hist.commits.len(),
        checked,
        samples_failed,
    })
}
