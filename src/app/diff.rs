//! Diff: what changed in each schema since the merge-base with a ref, field by field, whether
//! each change breaks readers or writers, and the text diff of each file — for review.

use super::layout::{Layout, NO_COMMITS};
use super::{Env, Findings};
use crate::core::compat::level::{Direction, Level};
use crate::core::compat::{check, Incompatibility, Site, View};
use crate::core::diff::{annotate, diff_with, Change, ChangeKind, Options, MAX_FILE_HOPS};
use crate::core::finding::{Finding, Severity};
use crate::core::history::{self, BlobKey, FileEntry, Snapshot, Store, Version};
use crate::core::load;
use crate::core::source::{FileId, SourceMap};
use crate::git::{blob_key, BaseState, GitRepo};
use crate::workspace::UsageError;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    /// Files or directories to diff (empty: the whole schema root).
    pub paths: Vec<PathBuf>,
    /// Compare with the merge-base of HEAD and this ref (default: the base branch).
    pub against: Option<String>,
    /// The index instead of the working tree.
    pub staged: bool,
    /// Leave out the text diff of each file.
    pub no_text: bool,
}

/// What changed.
pub struct Diffed {
    /// Spec errors of the current files (those are not compared); `files` are the selected files.
    pub findings: Findings,
    /// The merge-base compared with (`main (3f2a9c1)`).
    pub base: String,
    /// `working tree` or `index`.
    pub source: &'static str,
    /// One entry per schema that differs, by schema name.
    pub schemas: Vec<SchemaDiff>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Added,
    Removed,
    Modified,
    /// The full name changed and the new type names the old one as an alias.
    Renamed,
    /// Same full name, another file.
    Moved,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Modified => "modified",
            Status::Renamed => "renamed",
            Status::Moved => "moved",
        }
    }
    pub fn sign(self) -> char {
        match self {
            Status::Added => '+',
            Status::Removed => '-',
            _ => '~',
        }
    }
}

/// Both directions between the base version and the new one, and what the level requires.
#[derive(Serialize)]
pub struct Verdict {
    /// The new schema reads data written with the old one.
    pub backward: bool,
    /// The old schema reads data written with the new one.
    pub forward: bool,
    /// The configured level allows the change (against the base version only; `check` looks at
    /// the whole history).
    pub allowed: bool,
}

#[derive(Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub pointer: String,
}

#[derive(Serialize)]
pub struct ChangeEntry {
    pub kind: ChangeKind,
    pub path: String,
    pub message: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub breaks: Vec<Direction>,
    pub old: Option<Place>,
    pub new: Option<Place>,
}

#[derive(Serialize)]
pub struct IncompatibilityEntry {
    pub direction: Direction,
    #[serde(rename = "type")]
    pub java_type: &'static str,
    pub message: String,
    pub location: String,
    pub reader: Place,
    pub writer: Place,
}

impl IncompatibilityEntry {
    pub fn direction_and_location(&self) -> (&'static str, &str) {
        let dir = match self.direction {
            Direction::Backward => "backward",
            Direction::Forward => "forward",
        };
        (dir, if self.location.is_empty() { "/" } else { &self.location })
    }
}

/// One schema that differs between the base and now.
#[derive(Serialize)]
pub struct SchemaDiff {
    pub schema: String,
    pub status: Status,
    pub file: Option<String>,
    pub old_file: Option<String>,
    /// The old full name of a renamed schema.
    pub old_schema: Option<String>,
    /// Named types from other files whose change changed this schema.
    pub via: Vec<String>,
    pub level: &'static str,
    pub compatibility: Option<Verdict>,
    pub changes: Vec<ChangeEntry>,
    pub incompatibilities: Vec<IncompatibilityEntry>,
    /// Unified diff of the schema's file (absent with --no-text or when the file is unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn place(sources: &SourceMap, s: &Site, shown: &dyn Fn(&str) -> String) -> Place {
    let src = sources.get(s.file);
    let (line, column) = src.line_col(s.span.start);
    // Files of the base are named `path @ label`: show the path alone.
    let name = src.name.split(" @ ").next().unwrap_or(&src.name);
    Place { file: shown(name), line, column, pointer: s.pointer.clone() }
}

/// The text of a version's own file.
fn text_of<'a>(store: &'a Store, v: &Version) -> &'a str {
    let file = store.set(v.root.unit).node(v.root.id).file;
    &store.sources.get(file).text
}

fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{old_name}"), &format!("b/{new_name}"))
        .to_string()
}

pub fn diff_schemas(env: &Env, args: &DiffOptions) -> Result<Diffed, UsageError> {
    let ws = env.workspace()?;
    let mut repo = GitRepo::open(&env.cwd)?;
    let lay = Layout::of(&env.cwd, &ws, &repo)?;
    // No commits yet: every schema is new.
    let base = match repo.review_base_state(args.against.as_deref(), ws.config.base_branch.as_deref())? {
        BaseState::Commit(b) => Some(b),
        BaseState::NoCommits => None,
    };
    let base_label = base.as_ref().map_or_else(|| NO_COMMITS.to_string(), |b| b.label.clone());
    let (current, unreadable) = lay.current_files(&ws, &repo, args.staged)?;
    let selected = lay.selection(&env.cwd, &args.paths, args.staged)?;
    let selects = |p: &str| Layout::selects(&selected, p);
    let limits = ws.limits();

    // The current files, validated: a file with errors has no version to compare.
    let mut store = Store::new(limits);
    let set = load::load(lay.inputs(&current, &unreadable), &limits, &mut store.sources);
    let mut findings: Vec<Finding> = set
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| f.file.is_none_or(|id| current.get(id.0 as usize).is_some_and(|(p, _)| selects(p))))
        .cloned()
        .collect();
    let set_errors: HashSet<String> = set
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.file.and_then(|id| current.get(id.0 as usize)).map(|(p, _)| p.clone()))
        .collect();
    let keys: Vec<BlobKey> = current.iter().map(|(_, b)| blob_key(b)).collect();
    let paths: Vec<String> = current.iter().map(|(p, _)| p.clone()).collect();
    let mut current_subjects = HashSet::new();
    for u in store.adopt(std::sync::Arc::new(set), &keys, &paths) {
        current_subjects.insert(store.subject(u).to_string());
    }
    let cur_snapshot = Snapshot {
        label: if args.staged { "index" } else { "working tree" }.into(),
        files: paths.iter().zip(&keys).map(|(p, k)| FileEntry { path: p.clone(), key: *k }).collect(),
    };
    let base_files = match &base {
        Some(b) => repo.commit_files(b.commit, &lay.root_rel, &b.label)?,
        None => Snapshot { label: base_label.clone(), files: Vec::new() },
    };
    let base_snapshot = Snapshot {
        label: base_files.label,
        files: base_files.files.into_iter().filter(|f| !ws.excluded_rel(&lay.rel_to_root(&f.path))).collect(),
    };
    let mut loader = |k: &BlobKey| repo.blob(k);
    let cur = history::snapshot_versions(&mut store, &cur_snapshot, &mut loader);
    let at_base = history::snapshot_versions(&mut store, &base_snapshot, &mut loader);

    // Pairs of (old, new) versions by identity; renames pair through the new type's aliases.
    // A file with errors is not compared (its findings say what is wrong), nor is it a removal.
    let broken: HashSet<&str> = set_errors.iter().map(String::as_str).collect();
    // A base file that cannot be read has no version there: its schema is not "added".
    let unreadable = history::unreadable(&mut store, &base_snapshot, &mut loader);
    for k in unreadable.iter().filter(|k| selects(&k.path)) {
        let msg = format!("`{}` cannot be read at {} ({}); it is not compared", lay.shown(&k.path), k.label, k.reason);
        findings.push(
            Finding::warning("unreadable-version", msg)
                .help("nothing to fix in the working tree: the base holds the broken file"),
        );
    }
    let base_broken: HashSet<&str> = unreadable.iter().map(|k| k.path.as_str()).collect();
    let mut added: Vec<&String> = cur
        .keys()
        .filter(|s| !at_base.contains_key(*s) && selects(&cur[*s].path) && !broken.contains(cur[*s].path.as_str()))
        .filter(|s| !base_broken.contains(cur[*s].path.as_str()))
        .collect();
    let mut removed: Vec<&String> = at_base
        .keys()
        .filter(|s| {
            let path = at_base[*s].path.as_str();
            !current_subjects.contains(*s) && selects(path) && !broken.contains(path)
        })
        .collect();
    // In name order: which removed schema a new one's alias pairs with must not depend on the
    // order of a hash map.
    added.sort_unstable();
    removed.sort_unstable();
    let mut pairs: Vec<(Status, Option<&String>, Option<&String>)> = Vec::new();
    for (s, v) in &cur {
        if broken.contains(v.path.as_str()) {
            continue;
        }
        if let Some(b) = at_base.get(s) {
            if selects(&v.path) && (b.units != v.units || b.path != v.path) {
                let status = if b.path != v.path { Status::Moved } else { Status::Modified };
                pairs.push((status, Some(s), Some(s)));
            }
        }
    }
    added.retain(|a| {
        let v = &cur[*a];
        let aliases = store.set(v.root.unit).node(v.root.id).named().map(|n| n.aliases.clone()).unwrap_or_default();
        match removed.iter().position(|r| aliases.contains(r)) {
            Some(i) => {
                pairs.push((Status::Renamed, Some(removed.remove(i)), Some(a)));
                false
            }
            None => true,
        }
    });
    pairs.extend(added.into_iter().map(|a| (Status::Added, None, Some(a))));
    pairs.extend(removed.into_iter().map(|r| (Status::Removed, Some(r), None)));

    let shown = |p: &str| lay.shown(p);
    let gained = Gained::default();
    let mut entries: Vec<SchemaDiff> = pairs
        .into_iter()
        .map(|(status, old, new)| {
            let old = old.map(|s| (s, &at_base[s]));
            let new = new.map(|s| (s, &cur[s]));
            let (name, v) = new.or(old).expect("a pair has a side");
            let level =
                ws.config.level_for(name.strip_prefix("path:").map(|_| "").unwrap_or(name), &lay.rel_to_root(&v.path));
            let mut entry = SchemaDiff {
                schema: name.clone(),
                status,
                file: new.map(|(_, v)| shown(&v.path)),
                old_file: old.map(|(_, v)| shown(&v.path)),
                old_schema: old.filter(|_| status == Status::Renamed).map(|(s, _)| s.clone()),
                via: Vec::new(),
                level: level.as_str(),
                compatibility: None,
                changes: Vec::new(),
                incompatibilities: Vec::new(),
                text: None,
            };
            if let (Some((_, o)), Some((_, n))) = (old, new) {
                compare(&store, (o, n), (&at_base, &cur), &gained, level, &mut entry, &shown);
            }
            if !args.no_text {
                let old_text = old.map(|(_, v)| text_of(&store, v)).unwrap_or("");
                let new_text = new.map(|(_, v)| text_of(&store, v)).unwrap_or("");
                if old_text != new_text {
                    let name_of = |side: Option<(&String, &Version)>| side.map(|(_, v)| v.path.clone());
                    let (on, nn) = (name_of(old), name_of(new));
                    let (on, nn) = (on.clone().or(nn.clone()).unwrap_or_default(), nn.or(on).unwrap_or_default());
                    entry.text = Some(unified(old_text, new_text, &on, &nn));
                }
            }
            entry
        })
        .collect();
    entries.sort_by(|a, b| a.schema.cmp(&b.schema));

    let files: Vec<FileId> =
        current.iter().enumerate().filter(|(_, (p, _))| selects(p)).map(|(i, _)| FileId(i as u32)).collect();
    let source = if args.staged { "index" } else { "working tree" };
    let sources = std::mem::take(&mut store.sources);
    // The process ends soon after: the OS reclaims the parsed files faster than freeing them.
    std::mem::forget(store);
    Ok(Diffed { findings: Findings { sources, findings, files }, base: base_label, source, schemas: entries })
}

/// The units a closure has that another lacks, found once per pair of closures: the schemas of
/// a ring share one closure on each side, so thousands of entries cost one comparison.
#[derive(Default)]
struct Gained(std::cell::RefCell<HashMap<ClosurePair, Rc<Vec<u32>>>>);

/// Two closures by address (old, new).
type ClosurePair = (usize, usize);

impl Gained {
    fn of(&self, old: &Rc<Vec<u32>>, new: &Rc<Vec<u32>>) -> Rc<Vec<u32>> {
        let key = (Rc::as_ptr(old) as usize, Rc::as_ptr(new) as usize);
        self.0
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| Rc::new(new.iter().copied().filter(|u| old.binary_search(u).is_err()).collect()))
            .clone()
    }
}

/// Fills in what changed between two versions and what the checker says of it.
fn compare(
    store: &Store,
    (o, n): (&Version, &Version),
    (at_base, cur): (&HashMap<String, Version>, &HashMap<String, Version>),
    gained: &Gained,
    level: Level,
    entry: &mut SchemaDiff,
    shown: &dyn Fn(&str) -> String,
) {
    let (ov, nv) = (o.view(store), n.view(store));
    // A type far away in other files is compared in its own entry: what lies under it may
    // differ unless its file and everything that file uses are the same on both sides.
    // A type far away may differ only if its file or a file it uses changed, other than the
    // files the diff compared (the schema's own file among them).
    let may_differ = |ou: u32, nu: u32, entered: &HashSet<u32>| {
        let subject = store.subject(nu);
        if ou != nu || store.subject(ou) != subject {
            return true;
        }
        let (Some(a), Some(b)) = (at_base.get(subject), cur.get(subject)) else { return true };
        gained.of(&a.units, &b.units).iter().any(|u| *u != n.root.unit && !entered.contains(u))
    };
    let options = Options { max_file_hops: MAX_FILE_HOPS, may_differ: &may_differ };
    let mut changes: Vec<Change> = diff_with(&ov as &dyn View, o.root, &nv as &dyn View, n.root, &options);
    let backward: Vec<Incompatibility> = check(&nv, n.root, &ov, o.root);
    let forward: Vec<Incompatibility> = check(&ov, o.root, &nv, n.root);
    annotate(&mut changes, &backward, &forward);
    let allowed = level == Level::None
        || ((!level.backward() || backward.is_empty()) && (!level.forward() || forward.is_empty()));
    entry.compatibility = Some(Verdict { backward: backward.is_empty(), forward: forward.is_empty(), allowed });
    let mut via: Vec<String> = gained
        .of(&o.units, &n.units)
        .iter()
        .filter(|u| **u != n.root.unit)
        .map(|u| store.subject(*u).to_string())
        .collect();
    via.sort();
    via.dedup();
    // Where the changes left out are listed: the entries of the schemas whose files changed.
    if !via.is_empty() {
        let shown_via: Vec<String> = via.iter().take(3).map(|v| format!("`{v}`")).collect();
        let more = if via.len() > 3 { format!(" and {} more", via.len() - 3) } else { String::new() };
        for c in changes.iter_mut().filter(|c| c.kind == ChangeKind::NotRepeated) {
            c.message.push_str(&format!(" (see the entry of {}{more})", shown_via.join(", ")));
        }
    }
    entry.via = via;
    let sources = &store.sources;
    entry.changes = changes
        .into_iter()
        .map(|c| ChangeEntry {
            kind: c.kind,
            path: c.path,
            message: c.message,
            before: c.before,
            after: c.after,
            breaks: c.breaks,
            old: c.old.as_ref().map(|s| place(sources, s, shown)),
            new: c.new.as_ref().map(|s| place(sources, s, shown)),
        })
        .collect();
    let json = |dir: Direction, i: &Incompatibility| IncompatibilityEntry {
        direction: dir,
        java_type: i.kind.java_name(),
        message: i.message.clone(),
        location: i.location.clone(),
        reader: place(sources, &i.reader, shown),
        writer: place(sources, &i.writer, shown),
    };
    entry.incompatibilities = backward
        .iter()
        .map(|i| json(Direction::Backward, i))
        .chain(forward.iter().map(|i| json(Direction::Forward, i)))
        .collect();
}
