//! `schemapipe check [PATH...] [--against REF] [--staged]`: validate, then check every schema
//! that changed against its versions in git history, at its configured level.

use super::{exit, Context, Outcome};
use crate::core::compat::level::{check_level, Direction, Level, Version as LevelVersion};
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

/// `main (3f2a9c1)` -> `3f2a9c1`: commit labels in version names stay short.
fn short_label(label: &str) -> String {
    label.rsplit('(').next().map(|s| s.trim_end_matches(')').to_string()).unwrap_or_else(|| label.to_string())
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        if ctx.verbose {
            eprintln!("{:>8.1} ms  {name}", started.elapsed().as_secs_f64() * 1000.0);
        }
    };
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let repo = GitRepo::open(&ctx.cwd)?;
    let Some(root_abs) = ws.root.clone() else {
        return Err(UsageError::new(
            "no schema root: there is no schemapipe.yaml and no `schemas/` directory here",
            "create schemapipe.yaml with `schemas: {root: <dir>}`",
        ));
    };
    let workdir = normalize(&std::fs::canonicalize(repo.workdir()).unwrap_or_else(|_| repo.workdir().to_path_buf()));
    let root_abs = normalize(&std::fs::canonicalize(&root_abs).unwrap_or(root_abs));
    let root_rel = match root_abs.strip_prefix(&workdir) {
        Ok(r) => r.to_string_lossy().replace('\\', "/"),
        Err(_) => {
            return Err(UsageError::new(
                "the schema root is outside the git repository",
                "run `check` inside the repository that holds the schemas",
            ))
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
            let hist = repo.history(base.commit)?;
            let base_files = repo.commit_files(base.commit, &root_rel, &short_label(&base.label))?;
            let deltas = repo.deltas(&hist.commits, &root_rel)?;
            Ok((base, hist, base_files, deltas))
        })
    };
    let rel_to_root =
        |repo_path: &str| repo_path.strip_prefix(&format!("{root_rel}/")).unwrap_or(repo_path).to_string();
    let cwd = normalize(&std::fs::canonicalize(&ctx.cwd).unwrap_or(ctx.cwd.clone()));
    let shown_name = |repo_path: &str| display_path(&cwd, &workdir.join(repo_path));
    let limits = ws.limits();

    // The current contents: the working tree, or the index.
    let current: Vec<(String, Vec<u8>)> = if args.staged {
        repo.index_files(&root_rel)?.into_iter().filter(|(p, _)| !ws.excluded_rel(&rel_to_root(p))).collect()
    } else {
        // Paths under the root, made repo-relative through the root's own (canonical) place.
        let root_dir = normalize(ws.root.as_deref().unwrap_or(&root_abs));
        ws.root_files()
            .into_iter()
            .map(|abs| {
                let under =
                    abs.strip_prefix(&root_dir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
                let rel = if root_rel.is_empty() { under } else { format!("{root_rel}/{under}") };
                let bytes = read_limited(&abs, limits.max_bytes as u64 + 1).unwrap_or_default();
                (rel, bytes)
            })
            .collect()
    };
    // Which files are reported (PATH arguments), as repo-relative paths.
    let selected: Option<Vec<String>> = if args.paths.is_empty() {
        None
    } else {
        let mut v = Vec::new();
        for p in &args.paths {
            let abs = ctx.cwd.join(p);
            if !abs.exists() && !args.staged {
                return Err(UsageError::new(
                    format!("path `{}` does not exist", p.display()),
                    "pass .avsc files or directories under the schema root",
                ));
            }
            let canon = normalize(&std::fs::canonicalize(&abs).unwrap_or(abs));
            v.push(canon.strip_prefix(&workdir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default());
        }
        Some(v)
    };
    let is_selected = |repo_path: &str| {
        selected
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| repo_path == p || repo_path.starts_with(&format!("{p}/")) || p.is_empty()))
    };

    phase("read current files");
    // 1. Validate the current set.
    let mut store = Store::new(limits);
    let inputs: Vec<Input> = current.iter().map(|(p, b)| Input::new(shown_name(p), b)).collect();
    let reported: Vec<bool> = current.iter().map(|(p, _)| is_selected(p)).collect();
    let set = load::load(inputs, &limits, &mut store.sources);
    let mut findings: Vec<Finding> = set
        .findings
        .iter()
        .filter(|f| f.file.is_none_or(|id| reported.get(id.0 as usize).copied().unwrap_or(false)))
        .cloned()
        .collect();
    phase("validated");

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
    let at_base = history::snapshot_versions(&mut store, &base_snapshot, &mut loader);

    let mut changed: Vec<String> = cur
        .iter()
        .filter(|(s, v)| is_selected(&v.path) && (args.all || at_base.get(*s).is_none_or(|b| b.units != v.units)))
        .map(|(s, _)| s.clone())
        .collect();
    changed.sort();
    for (subject, v) in &at_base {
        if !current_subjects.contains(subject) && is_selected(&v.path) {
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
    let versions = history::walk_back(&mut store, &base_snapshot, &labels, &deltas, &tracked, &mut loader);
    phase(&format!("history walked ({} distinct files parsed)", store.len()));

    // 3. Compatibility of each changed schema with its history.
    let mut checked = Vec::new();
    let mut shallow_warned = false;
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
            let against = format!("{} @ {}", shown_name(&old.path), old.label);
            for i in &r.incompatibilities {
                let (new_site, old_site, role) = match r.direction {
                    Direction::Backward => (&i.reader, &i.writer, "writer"),
                    Direction::Forward => (&i.writer, &i.reader, "reader"),
                };
                let context = match r.direction {
                    Direction::Backward => {
                        format!("the new schema cannot read data written with the version of {}", old.label)
                    }
                    Direction::Forward => {
                        format!("the version of {} cannot read data written with the new schema", old.label)
                    }
                };
                findings.push(
                    Finding::error(i.kind.code(), format!("{} ({}); {context}", i.message, level.as_str()))
                        .kind(Kind::Compat)
                        .at(new_site.file, new_site.span)
                        .path(new_site.pointer.clone())
                        .label(old_site.file, old_site.span, format!("{role} side, in {against}"))
                        .help(super::compat::help_for(i.kind))
                        .detail("subject", subject.clone())
                        .detail("level", level.as_str())
                        .detail("direction", if r.direction == Direction::Backward { "backward" } else { "forward" })
                        .detail("against", against.clone())
                        .detail("location", i.location.clone())
                        .detail("java_type", i.kind.java_name()),
                );
            }
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
