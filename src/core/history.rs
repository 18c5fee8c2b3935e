//! Schema versions along a history of snapshots (commits), with every distinct file content
//! parsed once.
//!
//! A schema's identity is the full name of a file's top-level type (the path, for a file whose
//! top-level schema is not named), so moving a file keeps its history. A version's contents are
//! the file **and** the files defining the named types it uses, transitively, as they were in
//! that snapshot: a change to a shared type is a new version of every schema that uses it, and
//! an old version resolves its names against the types of its own snapshot.
//!
//! Pure: blob bytes come from a loader the caller provides; nothing here touches git.

use crate::core::compat::{NodeRef, View};
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::schema::{SchemaId, SchemaKind, SchemaSet};
use crate::core::source::SourceMap;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// Content id of a file (git's blob id, or the same hash of a work-tree file).
pub type BlobKey = [u8; 20];

/// A schema file in a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    pub path: String,
    pub key: BlobKey,
}

/// One snapshot: a label for messages (`origin/main@3f2a9c1`) and its schema files.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub label: String,
    pub files: Vec<FileEntry>,
}

/// One parsed blob.
struct Unit {
    set: SchemaSet,
    /// Named types defined in the blob.
    defs: Vec<(String, SchemaId)>,
    /// Names used but not defined in the blob (candidate lists, Java's lookup order).
    external: Vec<Vec<String>>,
    /// The identity of the blob's top-level schema.
    subject: String,
    root: Option<SchemaId>,
}

/// Every distinct blob, parsed once, in one source map.
pub struct Store {
    units: Vec<Unit>,
    by_key: HashMap<BlobKey, u32>,
    pub sources: SourceMap,
    limits: Limits,
}

/// One version of a schema: the units its contents span, and how its names resolve.
#[derive(Clone, Debug)]
pub struct Version {
    /// Sorted units of the closure: the identity of the version's contents.
    pub units: Rc<Vec<u32>>,
    pub root: NodeRef,
    /// Label of the first snapshot the version appeared in.
    pub label: String,
    /// Path of the file defining the schema in that snapshot.
    pub path: String,
    names: Rc<HashMap<String, NodeRef>>,
}

/// A [`View`] of one version.
pub struct VersionView<'a> {
    store: &'a Store,
    names: &'a HashMap<String, NodeRef>,
}

impl View for VersionView<'_> {
    fn set(&self, unit: u32) -> &SchemaSet {
        &self.store.units[unit as usize].set
    }
    fn resolve(&self, r: NodeRef) -> NodeRef {
        match &self.set(r.unit).node(r.id).kind {
            SchemaKind::Ref(nr) => match nr.target {
                Some(t) => NodeRef { unit: r.unit, id: t },
                None => nr.candidates.iter().find_map(|c| self.names.get(c).copied()).unwrap_or(r),
            },
            _ => r,
        }
    }
}

impl Version {
    pub fn view<'a>(&'a self, store: &'a Store) -> VersionView<'a> {
        VersionView { store, names: &self.names }
    }
}

fn subject_of(set: &SchemaSet, root: Option<SchemaId>, path: &str) -> String {
    root.and_then(|r| set.node(r).named().map(|n| n.full_name.clone())).unwrap_or_else(|| format!("path:{path}"))
}

impl Store {
    pub fn new(limits: Limits) -> Self {
        Store { units: Vec::new(), by_key: HashMap::new(), sources: SourceMap::new(), limits }
    }

    pub fn set(&self, unit: u32) -> &SchemaSet {
        &self.units[unit as usize].set
    }

    /// Number of distinct blobs parsed.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The unit of a blob, parsing it the first time it is seen.
    pub fn unit(&mut self, key: &BlobKey, name: &str, bytes: impl FnOnce() -> Result<Vec<u8>, String>) -> u32 {
        if let Some(u) = self.by_key.get(key) {
            return *u;
        }
        let input = match bytes() {
            Ok(b) => Input::new(name, b),
            Err(e) => Input { name: name.to_string(), bytes: Vec::new(), error: Some(e) },
        };
        let set = load(vec![input], &self.limits, &mut self.sources);
        let root = set.files.first().and_then(|f| f.root);
        let defs =
            set.definitions.iter().filter_map(|d| set.node(*d).named().map(|n| (n.full_name.clone(), *d))).collect();
        let external = set
            .nodes
            .iter()
            .filter_map(|n| match &n.kind {
                SchemaKind::Ref(r) if r.target.is_none() => Some(r.candidates.clone()),
                _ => None,
            })
            .collect();
        let path = name.split(" @ ").next().unwrap_or(name);
        let subject = subject_of(&set, root, path);
        let u = self.units.len() as u32;
        self.units.push(Unit { set, defs, external, subject, root });
        self.by_key.insert(*key, u);
        u
    }

    /// The subject (identity) of a unit's top-level schema.
    pub fn subject(&self, unit: u32) -> &str {
        &self.units[unit as usize].subject
    }

    /// Whether the blob has spec errors (such versions are skipped: the registry never had them).
    pub fn has_errors(&self, unit: u32) -> bool {
        self.units[unit as usize]
            .set
            .findings
            .iter()
            .any(|f| f.severity == crate::core::finding::Severity::Error && f.code != "undefined-name")
    }
}

/// Running state while walking snapshots: which unit defines each name.
#[derive(Default)]
struct NameMap {
    by_name: HashMap<String, u32>,
    by_path: HashMap<String, u32>,
}

impl NameMap {
    fn closure(&self, store: &Store, start: u32) -> BTreeSet<u32> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(u) = stack.pop() {
            if !seen.insert(u) {
                continue;
            }
            for cands in &store.units[u as usize].external {
                if let Some(v) = cands.iter().find_map(|c| self.by_name.get(c)) {
                    stack.push(*v);
                }
            }
        }
        seen
    }

    /// Names referenced from a closure, for change tracking.
    fn referenced(store: &Store, closure: &BTreeSet<u32>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for u in closure {
            let unit = &store.units[*u as usize];
            out.extend(unit.defs.iter().map(|(n, _)| n.clone()));
            out.extend(unit.external.iter().flatten().cloned());
        }
        out.sort();
        out.dedup();
        out
    }

    fn version(&self, store: &Store, unit: u32, label: &str, path: &str) -> Option<Version> {
        let root = store.units[unit as usize].root?;
        let closure = self.closure(store, unit);
        let mut names = HashMap::new();
        for u in &closure {
            for (n, id) in &store.units[*u as usize].defs {
                // The schema's own file wins over a clashing definition elsewhere.
                if *u == unit || !names.contains_key(n) {
                    names.insert(n.clone(), NodeRef { unit: *u, id: *id });
                }
            }
        }
        Some(Version {
            units: Rc::new(closure.into_iter().collect()),
            root: NodeRef { unit, id: root },
            label: label.to_string(),
            path: path.to_string(),
            names: Rc::new(names),
        })
    }
}

/// The versions of schemas along snapshots (oldest first).
pub struct Histories {
    /// Subject -> its distinct versions, oldest first.
    pub versions: HashMap<String, Vec<Version>>,
    /// Subject -> the version in the last snapshot (absent when the schema is gone there).
    pub last: HashMap<String, Version>,
}

/// Walks `snapshots` (oldest first) and collects the distinct versions of each subject.
/// `tracked`: only these subjects (all when `None`). `load` returns a blob's bytes.
pub fn walk(
    store: &mut Store,
    snapshots: &[Snapshot],
    tracked: Option<&HashSet<String>>,
    load: &mut dyn FnMut(&BlobKey) -> Result<Vec<u8>, String>,
) -> Histories {
    let mut map = NameMap::default();
    let mut prev: Vec<FileEntry> = Vec::new();
    let mut versions: HashMap<String, Vec<Version>> = HashMap::new();
    let mut seen_keys: HashMap<String, HashSet<Rc<Vec<u32>>>> = HashMap::new();
    // Subject -> names its current closure depends on; name -> subjects depending on it.
    let mut current: HashMap<String, (u32, Vec<String>)> = HashMap::new();
    let mut dependents: HashMap<String, HashSet<String>> = HashMap::new();
    let mut last: HashMap<String, Version> = HashMap::new();
    for snap in snapshots {
        let mut files = snap.files.clone();
        files.sort();
        // Diff against the previous snapshot: removed and changed paths, then added and changed.
        let (mut removed, mut added): (Vec<&FileEntry>, Vec<&FileEntry>) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        while i < prev.len() || j < files.len() {
            match (prev.get(i), files.get(j)) {
                (Some(a), Some(b)) if a.path == b.path => {
                    if a.key != b.key {
                        removed.push(a);
                        added.push(b);
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.path < b.path => {
                    removed.push(a);
                    i += 1;
                }
                (Some(_), Some(b)) => {
                    added.push(b);
                    j += 1;
                }
                (Some(a), None) => {
                    removed.push(a);
                    i += 1;
                }
                (None, Some(b)) => {
                    added.push(b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        let mut changed_names: HashSet<String> = HashSet::new();
        let mut touched_subjects: HashSet<String> = HashSet::new();
        for f in &removed {
            if let Some(u) = map.by_path.remove(&f.path) {
                for (n, _) in &store.units[u as usize].defs {
                    if map.by_name.get(n) == Some(&u) {
                        map.by_name.remove(n);
                        changed_names.insert(n.clone());
                    }
                }
                touched_subjects.insert(store.units[u as usize].subject.clone());
            }
        }
        for f in &added {
            let label = format!("{} @ {}", f.path, snap.label);
            let key = f.key;
            let u = store.unit(&f.key, &label, || load(&key));
            map.by_path.insert(f.path.clone(), u);
            for (n, _) in &store.units[u as usize].defs {
                map.by_name.insert(n.clone(), u);
                changed_names.insert(n.clone());
            }
            touched_subjects.insert(store.units[u as usize].subject.clone());
        }
        for n in &changed_names {
            if let Some(subs) = dependents.get(n) {
                touched_subjects.extend(subs.iter().cloned());
            }
        }
        for subject in touched_subjects {
            if tracked.is_some_and(|t| !t.contains(&subject)) {
                continue;
            }
            // The file that now defines the subject, if any.
            let unit = if let Some(name) = subject.strip_prefix("path:") {
                map.by_path.get(name).copied()
            } else {
                map.by_name.get(&subject).copied().filter(|u| store.units[*u as usize].subject == subject)
            };
            let Some(unit) = unit else {
                current.remove(&subject);
                last.remove(&subject);
                continue;
            };
            if store.has_errors(unit) {
                continue;
            }
            let path = map.by_path.iter().find(|(_, v)| **v == unit).map(|(p, _)| p.clone()).unwrap_or_default();
            let Some(v) = map.version(store, unit, &snap.label, &path) else { continue };
            let refs = NameMap::referenced(store, &v.units.iter().copied().collect());
            if let Some((_, old_refs)) = current.get(&subject) {
                for n in old_refs {
                    if let Some(s) = dependents.get_mut(n) {
                        s.remove(&subject);
                    }
                }
            }
            for n in &refs {
                dependents.entry(n.clone()).or_default().insert(subject.clone());
            }
            current.insert(subject.clone(), (unit, refs));
            let seen = seen_keys.entry(subject.clone()).or_default();
            if seen.insert(v.units.clone()) {
                versions.entry(subject.clone()).or_default().push(v.clone());
            }
            last.insert(subject, v);
        }
        prev = files;
    }
    Histories { versions, last }
}

#[cfg(test)]
mod tests;
