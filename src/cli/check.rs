//! `schemapipe check [PATH...] [--against REF] [--staged]`: validate, then check every schema
//! that changed against its versions in git history, at its configured level.

use super::{exit, Context, Outcome};
use crate::core::compat::level::{check_level, Level, Version as LevelVersion};
use crate::core::compat::View;
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::history::{self, BlobKey, FileEntry, Snapshot, Store};
use crate::core::load::{self, Input};
use crate::git::{blob_key, GitRepo};
use crate::report::{self, Format, Summary};
use crate::workspace::{display_path, normalize, read_limited, UsageError, Workspace};
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Limit the check to these .avsc files or directories (default: the whole schema root).
    pub paths: Vec<PathBuf>,
    /// The git ref whose first-parent history holds the previous versions (default: the
    /// merge-base of HEAD with the base branch, `main`/`master` or `git.base_branch`, also
    /// found as `origin/<name>`).
    #[arg(long, value_name = "GIT_REF")]
    pub against: Option<String>,
    /// Check the staged contents (the git index) instead of the working tree, for a pre-commit hook.
    #[arg(long)]
    pub staged: bool,
    /// Check every schema against its history, not only the ones that changed (an audit of the
    /// whole repository).
    #[arg(long)]
    pub all: bool,
    /// Skip the lint rules (for pipelines that run `schemapipe lint` as a separate step).
    #[arg(long)]
    pub no_lint: bool,
    /// Check against the versions registered in the Schema Registry instead of git history.
    #[arg(long)]
    pub registry: bool,
    #[command(flatten)]
    pub registry_args: super::publish::RegistryArgs,
    /// Use this compatibility level for every schema, instead of the configured levels.
    #[arg(long, value_name = "LEVEL", value_parser = super::compat::parse_level)]
    pub level: Option<Level>,
}

/// One changed schema and what came of checking it.
#[derive(serde::Serialize)]
struct Checked {
    subject: String,
    file: String,
    level: Level,
    previous_versions: usize,
    compatible: bool,
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
    let removed: Vec<FileEntry> = head_files
        .iter()
        .filter(|(p, _)| !in_index.contains(p.as_str()) && !ws.excluded_rel(&rel_to_root(p)))
        .map(|(p, k)| FileEntry { path: p.clone(), key: *k })
        .collect();
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
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
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
        for f in &index {
            if touched.contains(&f.path) {
                continue;
            }
            let bytes = match known.get(&f.path) {
                Some((_, _, _, k)) if *k == f.key => {
                    std::fs::read(workdir.join(&f.path)).unwrap_or_else(|_| staged_bytes(f))
                }
                _ => staged_bytes(f),
            };
            let text = String::from_utf8_lossy(&bytes);
            if needles.iter().any(|n| text.contains(n.as_str())) {
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
            let files = files.into_iter().collect();
            return Ok(Some(StagedSubset { files, touched, removed }));
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

/// Where things are: the work tree, the schema root in it, and the working directory, with
/// the path conversions the git-based commands (`check`, `diff`) share.
pub(super) struct Layout {
    pub workdir: PathBuf,
    pub root_abs: PathBuf,
    /// The schema root relative to the work tree (`schemas`; empty for the work tree itself).
    pub root_rel: String,
    cwd: PathBuf,
}

impl Layout {
    pub fn of(ctx: &Context, ws: &Workspace, repo: &GitRepo) -> Result<Layout, UsageError> {
        let Some(root_abs) = ws.root.clone() else {
            return Err(UsageError::new(
                "no schema root: there is no schemapipe.yaml and no `schemas/` directory here",
                "create schemapipe.yaml with `schemas: {root: <dir>}`",
            ));
        };
        let workdir =
            normalize(&std::fs::canonicalize(repo.workdir()).unwrap_or_else(|_| repo.workdir().to_path_buf()));
        let root_abs = normalize(&std::fs::canonicalize(&root_abs).unwrap_or(root_abs));
        let root_rel = match root_abs.strip_prefix(&workdir) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => {
                return Err(UsageError::new(
                    "the schema root is outside the git repository",
                    "run it inside the repository that holds the schemas",
                ))
            }
        };
        let cwd = normalize(&std::fs::canonicalize(&ctx.cwd).unwrap_or(ctx.cwd.clone()));
        Ok(Layout { workdir, root_abs, root_rel, cwd })
    }

    /// A work-tree path relative to the schema root (how config patterns see it).
    pub fn rel_to_root(&self, repo_path: &str) -> String {
        repo_path.strip_prefix(&format!("{}/", self.root_rel)).unwrap_or(repo_path).to_string()
    }

    /// A work-tree path as shown to the user: relative to the working directory.
    pub fn shown(&self, repo_path: &str) -> String {
        display_path(&self.cwd, &self.workdir.join(repo_path))
    }

    /// The current schema files (work-tree paths and contents): the index with `staged`, else
    /// the working tree.
    pub fn current_files(
        &self,
        ws: &Workspace,
        repo: &GitRepo,
        staged: bool,
    ) -> Result<Vec<(String, Vec<u8>)>, UsageError> {
        if staged {
            return Ok(repo
                .index_files(&self.root_rel)?
                .into_iter()
                .filter(|(p, _)| !ws.excluded_rel(&self.rel_to_root(p)))
                .collect());
        }
        // Paths under the root, made repo-relative through the root's own (canonical) place.
        let limits = ws.limits();
        let root_dir = normalize(ws.root.as_deref().unwrap_or(&self.root_abs));
        Ok(ws
            .root_files()
            .into_iter()
            .map(|abs| {
                let under =
                    abs.strip_prefix(&root_dir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
                let rel = if self.root_rel.is_empty() { under } else { format!("{}/{under}", self.root_rel) };
                let bytes = read_limited(&abs, limits.max_bytes as u64 + 1).unwrap_or_default();
                (rel, bytes)
            })
            .collect())
    }

    /// PATH arguments as work-tree paths (`None`: everything).
    pub fn selection(&self, ctx: &Context, paths: &[PathBuf], staged: bool) -> Result<Option<Vec<String>>, UsageError> {
        if paths.is_empty() {
            return Ok(None);
        }
        let mut v = Vec::new();
        for p in paths {
            let abs = ctx.cwd.join(p);
            if !abs.exists() && !staged {
                return Err(UsageError::new(
                    format!("path `{}` does not exist", p.display()),
                    "pass .avsc files or directories under the schema root",
                ));
            }
            let canon = normalize(&std::fs::canonicalize(&abs).unwrap_or(abs));
            v.push(
                canon.strip_prefix(&self.workdir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default(),
            );
        }
        Ok(Some(v))
    }

    pub fn selects(selection: &Option<Vec<String>>, repo_path: &str) -> bool {
        selection
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| repo_path == p || repo_path.starts_with(&format!("{p}/")) || p.is_empty()))
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    if args.registry {
        return super::check_registry::run(ctx, &args);
    }
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        if ctx.verbose {
            eprintln!("{:>8.1} ms  {name}", started.elapsed().as_secs_f64() * 1000.0);
        }
    };
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let repo = GitRepo::open(&ctx.cwd)?;
    let lay = Layout::of(ctx, &ws, &repo)?;
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
        let cwd = ctx.cwd.clone();
        let against = args.against.clone();
        let base_branch = ws.config.base_branch.clone();
        let root_rel = root_rel.clone();
        std::thread::spawn(move || -> Result<_, UsageError> {
            let mut repo = GitRepo::open(&cwd)?;
            let base = repo.base(against.as_deref(), base_branch.as_deref())?;
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
            Ok((base, hist, base_files, deltas))
        })
    };
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
    let current: Vec<(String, Vec<u8>)> = match &staged {
        Some(sub) => sub.files.clone(),
        None => lay.current_files(&ws, &repo, args.staged)?,
    };
    let selected = lay.selection(ctx, &args.paths, args.staged)?;
    let is_selected = |repo_path: &str| Layout::selects(&selected, repo_path);

    phase("read current files");
    // 1. Validate the current set.
    let mut store = Store::new(limits);
    let inputs: Vec<Input> = current.iter().map(|(p, b)| Input::new(shown_name(p), b)).collect();
    let reported: Vec<bool> = current
        .iter()
        .map(|(p, _)| is_selected(p) && staged.as_ref().is_none_or(|sub| sub.touched.contains(p)))
        .collect();
    let set = load::load(inputs, &limits, &mut store.sources);
    let mut findings: Vec<Finding> = set
        .findings
        .iter()
        .filter(|f| f.file.is_none_or(|id| reported.get(id.0 as usize).copied().unwrap_or(false)))
        .cloned()
        .collect();
    // Lint joins validation: the convention rules on every reported file.
    let rels: Vec<String> = current.iter().map(|(p, _)| rel_to_root(p)).collect();
    let targets: Vec<crate::core::lint::Target> = (0..current.len())
        .filter(|i| reported[*i])
        .map(|i| crate::core::lint::Target { index: i, rel_path: Some(rels[i].as_str()) })
        .collect();
    if !args.no_lint {
        findings.extend(crate::core::lint::lint(&set, &targets, &ws.config.lint));
    }
    phase("validated and linted");

    // 2. Versions: the current snapshot, the base, and the first-parent history of the base.
    let mode = if args.staged { "index" } else { "working tree" };
    let known = if args.staged { Default::default() } else { repo.known_blobs() };
    let cur_snapshot = Snapshot {
        label: mode.to_string(),
        files: current
            .iter()
            .map(|(p, b)| {
                let key = known_key(&known, &workdir, p, b.len()).unwrap_or_else(|| blob_key(b));
                FileEntry { path: p.clone(), key }
            })
            .collect(),
    };
    phase(&format!("{} of {} file ids known from the index", known.len().min(current.len()), current.len()));
    // The validated set becomes the current files' units: parsed once.
    let keys: Vec<BlobKey> = cur_snapshot.files.iter().map(|f| f.key).collect();
    let paths: Vec<String> = current.iter().map(|(p, _)| p.clone()).collect();
    let mut current_subjects = HashSet::new();
    for u in store.adopt(set, &keys, &paths) {
        current_subjects.insert(store.subject(u).to_string());
    }
    let (base, hist, base_files, deltas) =
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
                Finding::error("deleted-schema", format!("schema `{subject}` was removed (it is in {})", base.label))
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
            let msg = format!("the version of `{subject}` in `{}` @ {} cannot be read and is skipped ({}); older versions are still checked", shown_name(&k.path), k.label, k.reason);
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
    let mut checked = Vec::new();
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
                        base.label
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
                        base.label
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
        let compatible = results.iter().all(|r| r.compatible());
        for r in &results {
            let old = previous[r.previous];
            let against = format!("`{} @ {}`", shown_name(&old.path), old.label);
            findings.extend(r.incompatibilities.iter().map(|i| {
                super::compat::incompatibility_finding(i, r.direction, &against, level)
                    .detail("subject", subject.clone())
            }));
        }
        checked.push(Checked {
            subject: subject.clone(),
            file: shown_name(&new.path),
            level,
            previous_versions: previous.len(),
            compatible,
        });
    }

    phase(&format!("checked {} changed schemas", checked.len()));
    let shown: Vec<&Finding> =
        report::sorted(&findings).into_iter().filter(|f| !(ctx.quiet && f.severity != Severity::Error)).collect();
    let files = reported.iter().filter(|r| **r).count();
    let summary = Summary::of(files, shown.iter().copied());
    let code = if summary.errors > 0 { exit::FINDINGS } else { exit::CLEAN };
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "check",
            serde_json::json!({"base": base.label, "source": mode, "checked": checked}),
            &store.sources,
            &shown,
            summary,
        ),
        ci @ (Format::Junit | Format::Sarif | Format::Github | Format::Markdown) => {
            let files: Vec<crate::core::source::FileId> =
                (0..reported.len()).filter(|i| reported[*i]).map(|i| crate::core::source::FileId(i as u32)).collect();
            report::render_ci(ci, "check", &store.sources, &files, &shown).unwrap_or_default()
        }
        Format::Human => {
            let mut out = super::validate::human(ctx, &store.sources, &shown, summary);
            if !ctx.quiet {
                let broken = checked.iter().filter(|c| !c.compatible).count();
                out.push_str(&format!(
                    "{} changed schema{} checked against {} ({} commits): {}\n",
                    checked.len(),
                    if checked.len() == 1 { "" } else { "s" },
                    base.label,
                    hist.commits.len(),
                    if broken == 0 { "all compatible".to_string() } else { format!("{broken} incompatible") }
                ));
            }
            out
        }
    };
    phase("report rendered");
    // Freeing thousands of parsed files one by one costs more than the OS reclaiming the
    // process at exit; the command ends right after this.
    std::mem::forget(store);
    std::mem::forget(versions);
    std::mem::forget(cur);
    std::mem::forget(at_base);
    Ok(Outcome { stdout, code })
}
