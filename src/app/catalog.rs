//! Catalog: every schema of the working tree with its metadata and its versions along the
//! first-parent history of HEAD, rendered as a static site, Markdown pages, one JSON document
//! or Apache Atlas entities (docs/catalog.md).

use super::layout::Layout;
use super::Env;
use crate::core::catalog::{self, Catalog, ChangeRow, Commit, FileIn, VersionEntry};
use crate::core::compat::level::{Direction, Level};
use crate::core::compat::{check, View};
use crate::core::diff::{annotate, diff};
use crate::core::finding::{Finding, Severity};
use crate::core::history::{self, BlobKey, FileEntry, Snapshot, Store, Version};
use crate::core::load;
use crate::core::publish::FileInput;
use crate::core::source::FileId;
use crate::fsguard::{self, Policy, Transaction};
use crate::git::{blob_key, BaseState, GitRepo};
use crate::workspace::UsageError;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Html,
    Markdown,
    Json,
    Atlas,
}

pub struct CatalogOptions {
    pub output: Output,
    /// Where to write (required for html and markdown; json and atlas go to stdout without it).
    pub out: Option<PathBuf>,
    /// The Atlas cluster name in qualifiedNames.
    pub cluster: String,
}

/// Progress of a long run (a bar on a terminal).
pub trait Progress {
    fn phase(&self, _what: &str, _total: usize) {}
    fn tick(&self, _n: usize) {}
    fn done(&self) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

/// The name of the list of files a catalog wrote, in its output directory.
pub const MANIFEST: &str = ".schemapipe-catalog";

pub enum Cataloged {
    /// The schema set has errors: nothing was written (`findings.files` is every file).
    Refused(super::Findings),
    Done(Report),
}

pub struct Report {
    pub catalog: Catalog,
    /// JSON or Atlas text for stdout (when no --out was given).
    pub stdout: Option<String>,
    /// The output directory as shown, and how many files were written, unchanged, removed.
    pub out: Option<String>,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

fn git_err(e: git2::Error) -> UsageError {
    UsageError::new(format!("cannot read commit details: {}", e.message()), "check the repository")
}

/// Author, date and subject line of each commit (by full id).
fn commit_details(workdir: &Path, ids: &[String]) -> Result<HashMap<String, Commit>, UsageError> {
    let repo = git2::Repository::open(workdir).map_err(git_err)?;
    let mut out = HashMap::new();
    for id in ids {
        let Ok(oid) = git2::Oid::from_str(id) else { continue };
        let c = repo.find_commit(oid).map_err(git_err)?;
        let author = c.author();
        out.insert(
            id.clone(),
            Commit {
                id: id.clone(),
                short: id[..7.min(id.len())].to_string(),
                author: author.name().unwrap_or("").to_string(),
                date: catalog::iso_date(author.when().seconds()),
                message: String::from_utf8_lossy(c.message_bytes()).lines().next().unwrap_or("").trim().to_string(),
            },
        );
    }
    Ok(out)
}

/// A version entry: the changes from the previous version and the verdict at the level.
fn entry(
    store: &Store,
    versions: &[&Version],
    i: usize,
    level: Level,
    commit: Option<Commit>,
    file: String,
) -> VersionEntry {
    let n = versions[i];
    let mut e = VersionEntry {
        number: i + 1,
        commit,
        file,
        compatibility: None,
        changes: Vec::new(),
        via: Vec::new(),
        canonical_form: crate::core::canonical::parsing_canonical_form(store.set(n.root.unit), n.root.id),
    };
    if i == 0 {
        return e;
    }
    let o = versions[i - 1];
    let (ov, nv) = (o.view(store), n.view(store));
    let mut changes = diff(&ov as &dyn View, o.root, &nv as &dyn View, n.root);
    let backward = check(&nv, n.root, &ov, o.root);
    let forward = check(&ov, o.root, &nv, n.root);
    annotate(&mut changes, &backward, &forward);
    let mut allowed = level == Level::None
        || ((!level.backward() || backward.is_empty()) && (!level.forward() || forward.is_empty()));
    if allowed && level.transitive() {
        for older in &versions[..i - 1] {
            let ov = older.view(store);
            if (level.backward() && !check(&nv, n.root, &ov, older.root).is_empty())
                || (level.forward() && !check(&ov, older.root, &nv, n.root).is_empty())
            {
                allowed = false;
                break;
            }
        }
    }
    e.compatibility = Some(catalog::Verdict {
        level: level.as_str().to_string(),
        allowed,
        backward: backward.is_empty(),
        forward: forward.is_empty(),
    });
    let old_units: HashSet<u32> = o.units.iter().copied().collect();
    let mut via: Vec<String> = n
        .units
        .iter()
        .filter(|u| **u != n.root.unit && !old_units.contains(u))
        .map(|u| store.subject(*u).to_string())
        .collect();
    via.sort();
    via.dedup();
    e.via = via;
    e.changes = changes
        .into_iter()
        .map(|c| ChangeRow {
            kind: c.kind.code().to_string(),
            path: c.path,
            message: c.message,
            before: c.before,
            after: c.after,
            breaks: c
                .breaks
                .iter()
                .map(|d| match d {
                    Direction::Backward => "backward".to_string(),
                    Direction::Forward => "forward".to_string(),
                })
                .collect(),
        })
        .collect();
    e
}

pub fn build(env: &Env, opts: &CatalogOptions, progress: &dyn Progress) -> Result<Cataloged, UsageError> {
    let t0 = std::time::Instant::now();
    let phase = |what: &str, total: usize| {
        env.trace(|| format!("catalog: {what} ({:.0?})", t0.elapsed()));
        progress.phase(what, total);
    };
    let ws = env.workspace()?;
    let repo = GitRepo::open(&env.cwd)?;
    let lay = Layout::of(&env.cwd, &ws, &repo)?;
    // The output directory is checked before anything else is done.
    let out_dir = opts.out.as_ref().map(|o| env.cwd.join(o));
    if let Some(dir) = &out_dir {
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
        fsguard::check_output_dir(dir, home.as_deref(), Some(&lay.workdir)).map_err(|why| {
            UsageError::new(
                format!("--out {why}: the catalog writes, and replaces its own files, in a directory of its own"),
                "pass --out a directory for the catalog only, e.g. --out target/catalog",
            )
        })?;
    } else if matches!(opts.output, Output::Html | Output::Markdown) {
        return Err(UsageError::new(
            "the HTML site and the Markdown pages need an output directory",
            "pass --out DIR, e.g. --out target/catalog",
        ));
    }
    phase("reading schemas", 0);
    let (current, unreadable) = lay.current_files(&ws, &repo, false)?;
    let limits = ws.limits();
    let mut store = Store::new(limits);
    let set = std::sync::Arc::new(load::load(lay.inputs(&current, &unreadable), &limits, &mut store.sources));
    let errors: Vec<Finding> = set.findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    if !errors.is_empty() {
        let files = (0..current.len()).map(|i| FileId(i as u32)).collect();
        let sources = std::mem::take(&mut store.sources);
        return Ok(Cataloged::Refused(super::Findings { sources, findings: errors, files }));
    }
    let rels: Vec<String> = current.iter().map(|(p, _)| lay.rel_to_root(p)).collect();
    let texts: Vec<String> = current.iter().map(|(_, b)| String::from_utf8_lossy(b).into_owned()).collect();
    let inputs: Vec<FileInput> =
        (0..current.len()).map(|i| FileInput { index: i, path: &rels[i], text: &texts[i] }).collect();
    let subjects: BTreeMap<String, Vec<String>> = crate::core::publish::subjects(&set, &inputs, &ws.config);

    // History: the first-parent history of HEAD.
    progress.phase("walking history", 0);
    let keys: Vec<BlobKey> = current.iter().map(|(_, b)| blob_key(b)).collect();
    let paths: Vec<String> = current.iter().map(|(p, _)| p.clone()).collect();
    // The set stays for the catalog and is the store's current files too: parsed once.
    store.adopt(set.clone(), &keys, &paths);
    let cur_snapshot = Snapshot {
        label: "working tree".into(),
        files: paths.iter().zip(&keys).map(|(p, k)| FileEntry { path: p.clone(), key: *k }).collect(),
    };
    let mut repo = repo;
    let head = match repo.base_state(Some("HEAD"), None) {
        Ok(BaseState::Commit(b)) => Some(b),
        _ => None,
    };
    let mut versions_of: HashMap<String, Vec<VersionEntry>> = HashMap::new();
    let loader_repo = GitRepo::open(&env.cwd)?;
    let mut loader = |k: &BlobKey| loader_repo.blob(k);
    let cur = history::snapshot_versions(&mut store, &cur_snapshot, &mut loader);
    let source;
    let mut walked: HashMap<String, Vec<Version>> = HashMap::new();
    let mut details = HashMap::new();
    if let Some(b) = &head {
        source = b.label.clone();
        let hist = repo.history(b.commit)?;
        let deltas = repo.deltas(&hist.commits, &lay.root_rel)?;
        let rel = |p: &str| lay.rel_to_root(p);
        let labels: Vec<String> = hist.commits.iter().map(|(oid, _)| oid.to_string()).collect();
        let base_files = repo.commit_files(b.commit, &lay.root_rel, labels.last().map(String::as_str).unwrap_or(""))?;
        let base_snapshot = Snapshot {
            label: base_files.label,
            files: base_files.files.into_iter().filter(|f| !ws.excluded_rel(&rel(&f.path))).collect(),
        };
        let deltas: Vec<Vec<history::Delta>> =
            deltas.into_iter().map(|d| d.into_iter().filter(|x| !ws.excluded_rel(&rel(&x.path))).collect()).collect();
        let tracked: HashSet<String> = cur.keys().cloned().collect();
        let tracked_paths: HashMap<String, String> = cur.iter().map(|(s, v)| (s.clone(), v.path.clone())).collect();
        let walk = history::walk_back_reporting(
            &mut store,
            &base_snapshot,
            &labels,
            &deltas,
            &tracked,
            &tracked_paths,
            &mut loader,
        );
        walked = walk.versions;
        // The commit each version first appeared in: the first commit holding every file
        // (blob) of its contents, and never before the version it follows.
        phase("dating versions", hist.commits.len());
        let in_versions: HashSet<u32> = walked.values().flatten().flat_map(|v| v.units.iter().copied()).collect();
        let mut first_seen: HashMap<u32, usize> = HashMap::new();
        let mut note = |store: &mut Store, key: &BlobKey, path: &str, i: usize| {
            // Only blobs already parsed can be part of a version.
            let u = store.unit(key, path, || Err("not part of any version".into()));
            if in_versions.contains(&u) {
                first_seen.entry(u).or_insert(i);
            }
        };
        if let Some((first, _)) = hist.commits.first() {
            let files = repo.commit_files(*first, &lay.root_rel, "")?;
            for f in &files.files {
                note(&mut store, &f.key, &f.path, 0);
            }
        }
        for (i, d) in deltas.iter().enumerate().skip(1) {
            for x in d {
                if let Some(k) = &x.new {
                    note(&mut store, k, &x.path, i);
                }
            }
        }
        for list in walked.values_mut() {
            let mut floor = 0;
            for v in list.iter_mut() {
                let at = v.units.iter().filter_map(|u| first_seen.get(u)).copied().max().unwrap_or(floor).max(floor);
                floor = at;
                v.label = labels.get(at).cloned().unwrap_or_default();
            }
        }
        let mut ids: Vec<String> = walked.values().flatten().map(|v| v.label.clone()).collect();
        ids.sort();
        ids.dedup();
        details = commit_details(&lay.workdir, &ids)?;
    } else {
        source = super::layout::NO_COMMITS.to_string();
    }
    phase("comparing versions", cur.len());
    let mut names: Vec<&String> = cur.keys().collect();
    names.sort();
    for (k, subject) in names.into_iter().enumerate() {
        progress.tick(k + 1);
        let now = &cur[subject];
        let mut list: Vec<&Version> = walked.get(subject).map(|v| v.iter().collect()).unwrap_or_default();
        let uncommitted = list.last().is_none_or(|last| last.units != now.units);
        if uncommitted {
            list.push(now);
        }
        let full_name = subject.strip_prefix("path:").map(|_| "").unwrap_or(subject);
        let level = ws.config.level_for(full_name, &lay.rel_to_root(&now.path));
        let entries: Vec<VersionEntry> = (0..list.len())
            .map(|i| {
                let committed = !(uncommitted && i + 1 == list.len());
                let commit = committed.then(|| details.get(&list[i].label).cloned()).flatten();
                entry(&store, &list, i, level, commit, lay.rel_to_root(&list[i].path))
            })
            .collect();
        versions_of.insert(subject.clone(), entries);
    }
    phase("building the catalog", 0);
    let files: Vec<FileIn> = (0..current.len()).map(|i| FileIn { index: i, path: &rels[i] }).collect();
    let cat = catalog::build(catalog::Input {
        set: &set,
        files,
        config: &ws.config,
        subjects: &subjects,
        versions: versions_of,
        source,
    });
    let mut cat = cat;
    for entry in &mut cat.schemas {
        if let Some(v) = cur.get(&entry.name) {
            entry.samples = sample_events(&store, v, &lay.workdir);
        }
    }

    let rendered: Vec<(String, String)> = match opts.output {
        Output::Html => catalog::html::render(&cat),
        Output::Markdown => catalog::markdown::render(&cat),
        Output::Json => vec![("catalog.json".into(), json_document(&cat))],
        Output::Atlas => vec![
            ("atlas-entities.json".into(), atlas_document(&cat, &opts.cluster)),
            ("atlas-typedefs.json".into(), catalog::atlas::TYPEDEFS.to_string()),
        ],
    };
    phase("rendered", 0);
    let Some(dir) = out_dir else {
        let stdout = rendered.into_iter().next().map(|(_, t)| t);
        std::mem::forget(store);
        return Ok(Cataloged::Done(Report { catalog: cat, stdout, out: None, written: 0, unchanged: 0, removed: 0 }));
    };
    phase("writing", rendered.len());
    let report = write(&dir, &rendered)?;
    phase("written", 0);
    progress.done();
    std::mem::forget(store);
    Ok(Cataloged::Done(Report {
        catalog: cat,
        stdout: None,
        out: Some(crate::workspace::display_path(&env.cwd, &dir)),
        written: report.0,
        unchanged: report.1,
        removed: report.2,
    }))
}

/// Largest samples file shown.
const MAX_SAMPLES_BYTES: u64 = 16 * 1024 * 1024;

/// The sample events beside a schema's file (working tree) that fit it; events that do not
/// fit are left out (`check` reports them).
fn sample_events(store: &Store, v: &Version, workdir: &Path) -> Vec<catalog::SampleEvent> {
    let Some(path) = crate::core::samples::examples_path(&v.path) else { return Vec::new() };
    let Ok(bytes) = crate::workspace::read_limited(&workdir.join(path), MAX_SAMPLES_BYTES) else {
        return Vec::new();
    };
    let Ok(text) = String::from_utf8(bytes) else { return Vec::new() };
    let Ok(codec) = crate::core::codec::Codec::compile(&v.view(store), v.root) else { return Vec::new() };
    let (samples, _) = crate::core::samples::read(&codec, &text);
    samples
        .iter()
        .map(|s| catalog::SampleEvent {
            name: s.named.then(|| s.name.clone()),
            line: text.as_bytes()[..s.span.start.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1,
            event: crate::core::samples::pretty_json(&codec, &s.value),
        })
        .collect()
}

/// The whole catalog as one JSON document (docs/json-output.md).
pub fn json_document(c: &Catalog) -> String {
    let mut s = serde_json::to_string_pretty(&serde_json::json!({
        "schemapipe": env!("CARGO_PKG_VERSION"),
        "command": "catalog",
        "catalog": c,
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}

fn atlas_document(c: &Catalog, cluster: &str) -> String {
    let mut s = serde_json::to_string_pretty(&catalog::atlas::render(c, cluster)).unwrap_or_default();
    s.push('\n');
    s
}

/// Reads the list of files the previous catalog wrote here: path and SHA-256.
fn previous_manifest(dir: &Path) -> Vec<(String, String)> {
    let Ok(text) = crate::workspace::read_limited(&dir.join(MANIFEST), 64 << 20) else { return Vec::new() };
    String::from_utf8_lossy(&text)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once("  ").map(|(h, p)| (p.to_string(), h.to_string())))
        .collect()
}

/// Writes every file through one all-or-nothing transaction (each file staged beside its
/// destination, then moved into place), removes files an earlier catalog wrote that are gone
/// now (only when unchanged since), and records what it wrote. Files it did not write are
/// never removed; one in the way of a catalog file stops the run before anything is written.
fn write(dir: &Path, files: &[(String, String)]) -> Result<(usize, usize, usize), UsageError> {
    let previous = previous_manifest(dir);
    let listed: HashSet<&str> = previous.iter().map(|(p, _)| p.as_str()).collect();
    for (rel, text) in files {
        let path = dir.join(rel);
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if !meta.is_file() || listed.contains(rel.as_str()) {
            continue; // a non-file is refused by the transaction, naming it
        }
        let same = meta.len() == text.len() as u64 && std::fs::read(&path).is_ok_and(|b| b == text.as_bytes());
        if !same {
            return Err(UsageError::new(
                format!("`{}` exists and was not written by schemapipe catalog; nothing was written", path.display()),
                "move it away, or choose another --out directory",
            ));
        }
    }
    let mut tx = Transaction::new(dir, Policy::AllOrNothing);
    let names: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for (rel, text) in files {
        tx.put(rel, text.as_bytes());
    }
    for (rel, sha) in &previous {
        if !names.contains(rel.as_str()) {
            tx.remove_if_unchanged(rel, sha);
        }
    }
    tx.put(MANIFEST, manifest_of(files).into_bytes());
    let r = tx.commit().map_err(|f| {
        UsageError::new(
            format!("cannot write `{}`: {}; nothing was written", dir.join(&f.path).display(), f.refusal),
            "check the --out directory (permissions, free space, what is in the way)",
        )
    })?;
    let not_manifest = |p: &&PathBuf| p.as_path() != Path::new(MANIFEST);
    Ok((
        r.written.iter().filter(not_manifest).count(),
        r.unchanged.iter().filter(not_manifest).count(),
        r.removed.len(),
    ))
}

fn manifest_of(files: &[(String, String)]) -> String {
    let mut manifest =
        String::from("# Files written by `schemapipe catalog` (SHA-256  path); it replaces and removes only these.\n");
    for (rel, text) in files {
        manifest.push_str(&format!("{}  {rel}\n", fsguard::sha256_hex(text.as_bytes())));
    }
    manifest
}
