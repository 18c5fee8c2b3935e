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

use crate::core::compat::{NodeRef, SharedVerdicts, View};
use crate::core::hashing::{FastMap, FastSet};
use crate::core::json::Limits;
use crate::core::load::Input;
use crate::core::schema::{SchemaId, SchemaKind, SchemaSet};
use crate::core::source::{FileId, SourceMap};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::{Rc, Weak};
use std::sync::Arc;

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

/// One parsed blob: a file of a loaded set. Several units may share one set (the files of the
/// working tree, loaded together for validation, are adopted as they are).
struct Unit {
    set: Arc<SchemaSet>,
    file: FileId,
    /// Named types defined in the blob.
    defs: Vec<(String, SchemaId)>,
    /// Names used but not defined in the blob (candidate lists, Java's lookup order).
    external: Rc<Vec<Vec<String>>>,
    /// The identity of the blob's top-level schema.
    subject: String,
    root: Option<SchemaId>,
}

/// Every distinct blob, parsed once, in one source map.
pub struct Store {
    units: Vec<Unit>,
    by_key: FastMap<BlobKey, u32>,
    /// Name -> the units defining it, ascending.
    defined_by: HashMap<String, Vec<u32>>,
    /// Compatibility verdicts shared by the checks of all versions of this store.
    verdicts: SharedVerdicts,
    /// Every distinct closure of units, once: the schemas of a ring of references (or of any
    /// cycle) all have the same closure, and share it.
    closures: FastSet<Rc<Vec<u32>>>,
    /// Names defined by more than one unit, and units defining a name twice: the only ways a
    /// version can be unclean (see [`Version::view`]).
    ambiguous: Vec<String>,
    /// Units defining the names of `ambiguous`, counted with repeats.
    ambiguous_units: usize,
    self_ambiguous: Vec<u32>,
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
    /// Whether no name is defined by two of its units (computed the first time it is viewed):
    /// then a name resolves to the same definition in every version holding it, and
    /// compatibility verdicts can be shared between versions.
    clean: std::cell::OnceCell<bool>,
}

/// A [`View`] of one version. Names resolve through the store's index of which units define
/// each name, narrowed to the version's units: no per-version table is built, so viewing every
/// version of a long chain of schemas costs no quadratic memory.
pub struct VersionView<'a> {
    store: &'a Store,
    version: &'a Version,
    clean: bool,
}

impl VersionView<'_> {
    fn definition(&self, name: &str) -> Option<NodeRef> {
        let units = self.version.units.as_slice();
        let defining = self.store.defined_by.get(name)?;
        // The schema's own file wins over a clashing definition elsewhere; otherwise the
        // lowest unit of the version that defines the name.
        let root = self.version.root.unit;
        let pick = if defining.binary_search(&root).is_ok() {
            root
        } else {
            *defining.iter().find(|u| units.binary_search(u).is_ok())?
        };
        self.store.units[pick as usize]
            .defs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| NodeRef { unit: pick, id: *id })
    }
}

impl View for VersionView<'_> {
    fn set(&self, unit: u32) -> &SchemaSet {
        &self.store.units[unit as usize].set
    }
    fn resolve(&self, r: NodeRef) -> NodeRef {
        let set = self.set(r.unit);
        let node = set.node(r.id);
        match &node.kind {
            // A name bound inside its own file stays bound; a name from another file resolves
            // through the version's own names (a shared set may have bound it to other contents).
            SchemaKind::Ref(nr) => match nr.target {
                Some(t) if set.node(t).file == node.file => NodeRef { unit: r.unit, id: t },
                _ => nr.candidates.iter().find_map(|c| self.definition(c)).unwrap_or(r),
            },
            _ => r,
        }
    }
    fn shared_verdicts(&self) -> Option<&SharedVerdicts> {
        self.clean.then_some(&self.store.verdicts)
    }
}

impl Version {
    pub fn view<'a>(&'a self, store: &'a Store) -> VersionView<'a> {
        // Every name defined in the version's units is defined by exactly one of them.
        let clean = *self.clean.get_or_init(|| store.clean(&self.units));
        VersionView { store, version: self, clean }
    }
}

fn subject_of(set: &SchemaSet, root: Option<SchemaId>, path: &str) -> String {
    root.and_then(|r| set.node(r).named().map(|n| n.full_name.clone())).unwrap_or_else(|| format!("path:{path}"))
}

impl Store {
    pub fn new(limits: Limits) -> Self {
        Store {
            units: Vec::new(),
            by_key: FastMap::default(),
            defined_by: HashMap::new(),
            verdicts: SharedVerdicts::default(),
            closures: FastSet::default(),
            ambiguous: Vec::new(),
            ambiguous_units: 0,
            self_ambiguous: Vec::new(),
            sources: SourceMap::new(),
            limits,
        }
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

    /// The shared copy of a closure (sorted units).
    fn intern(&mut self, units: Vec<u32>) -> Rc<Vec<u32>> {
        if let Some(k) = self.closures.get(&units) {
            return k.clone();
        }
        let units = Rc::new(units);
        self.closures.insert(units.clone());
        units
    }

    /// Whether no name is defined by two of `units` (sorted): only names defined by two units
    /// of the store, or twice in one unit, can be, so a large closure is checked through those.
    fn clean(&self, units: &[u32]) -> bool {
        if units.len() <= self.ambiguous_units + self.self_ambiguous.len() {
            self.clean_by_names(units)
        } else {
            self.clean_by_ambiguous(units)
        }
    }

    fn clean_by_names(&self, units: &[u32]) -> bool {
        let mut names: HashSet<&str> = HashSet::new();
        units.iter().all(|u| self.units[*u as usize].defs.iter().all(|(n, _)| names.insert(n.as_str())))
    }

    fn clean_by_ambiguous(&self, units: &[u32]) -> bool {
        let holds = |u: &u32| units.binary_search(u).is_ok();
        !self.self_ambiguous.iter().any(holds)
            && self.ambiguous.iter().all(|n| self.defined_by[n].iter().filter(|u| holds(u)).nth(1).is_none())
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
        let opts = crate::core::schema::BuildOptions::default();
        let set = Arc::new(crate::core::load::load_with(vec![input], &self.limits, &mut self.sources, &opts));
        let path = name.split(" @ ").next().unwrap_or(name).to_string();
        self.add_unit(*key, set, 0, &path)
    }

    /// Takes over the files of an already loaded set as units (`keys[i]`, `paths[i]` belong to
    /// `set.files[i]`), so files loaded once for validation are not parsed again. The set is
    /// shared: a caller may go on reading it (linting) on another thread.
    pub fn adopt(&mut self, set: Arc<SchemaSet>, keys: &[BlobKey], paths: &[String]) -> Vec<u32> {
        // One pass over the arena: each file's definitions and names it takes from elsewhere.
        let mut defs: HashMap<FileId, Vec<(String, SchemaId)>> = HashMap::new();
        for d in &set.definitions {
            let n = set.node(*d);
            if let Some(named) = n.named() {
                defs.entry(n.file).or_default().push((named.full_name.clone(), *d));
            }
        }
        let mut external: HashMap<FileId, Vec<Vec<String>>> = HashMap::new();
        for n in &set.nodes {
            if let SchemaKind::Ref(r) = &n.kind {
                if r.target.is_none_or(|t| set.node(t).file != n.file) {
                    external.entry(n.file).or_default().push(r.candidates.clone());
                }
            }
        }
        let mut out = Vec::with_capacity(set.files.len());
        for i in 0..set.files.len() {
            if let Some(u) = self.by_key.get(&keys[i]) {
                out.push(*u);
                continue;
            }
            let file = set.files[i].file;
            let unit = Unit {
                set: set.clone(),
                file,
                defs: defs.remove(&file).unwrap_or_default(),
                external: Rc::new(external.remove(&file).unwrap_or_default()),
                subject: subject_of(&set, set.files[i].root, &paths[i]),
                root: set.files[i].root,
            };
            out.push(self.push(keys[i], unit));
        }
        out
    }

    fn add_unit(&mut self, key: BlobKey, set: Arc<SchemaSet>, index: usize, path: &str) -> u32 {
        let file = set.files[index].file;
        let root = set.files[index].root;
        let defs =
            set.definitions.iter().filter_map(|d| set.node(*d).named().map(|n| (n.full_name.clone(), *d))).collect();
        let external = Rc::new(
            set.nodes
                .iter()
                .filter_map(|n| match &n.kind {
                    SchemaKind::Ref(r) if r.target.is_none() => Some(r.candidates.clone()),
                    _ => None,
                })
                .collect(),
        );
        let subject = subject_of(&set, root, path);
        self.push(key, Unit { set, file, defs, external, subject, root })
    }

    fn push(&mut self, key: BlobKey, unit: Unit) -> u32 {
        let u = self.units.len() as u32;
        for (n, _) in &unit.defs {
            let list = self.defined_by.entry(n.clone()).or_default();
            if list.last() == Some(&u) {
                if self.self_ambiguous.last() != Some(&u) {
                    self.self_ambiguous.push(u);
                }
                continue;
            }
            list.push(u);
            match list.len() {
                2 => {
                    self.ambiguous.push(n.clone());
                    self.ambiguous_units += 2;
                }
                l if l > 2 => self.ambiguous_units += 1,
                _ => {}
            }
        }
        self.units.push(unit);
        self.by_key.insert(key, u);
        u
    }

    /// The subject (identity) of a unit's top-level schema.
    pub fn subject(&self, unit: u32) -> &str {
        &self.units[unit as usize].subject
    }

    /// The first error of a blob with spec errors (`undefined-name` aside: a name from another
    /// file is resolved per version), as `code: message`.
    pub fn first_error(&self, unit: u32) -> Option<String> {
        let u = &self.units[unit as usize];
        u.set
            .findings
            .iter()
            .find(|f| {
                f.file == Some(u.file)
                    && f.severity == crate::core::finding::Severity::Error
                    && f.code != "undefined-name"
            })
            .map(|f| format!("{}: {}", f.code, f.message))
    }

    /// Whether the blob has spec errors (such versions are skipped: the registry never had them).
    pub fn has_errors(&self, unit: u32) -> bool {
        let u = &self.units[unit as usize];
        u.set.findings.iter().any(|f| {
            f.file == Some(u.file) && f.severity == crate::core::finding::Severity::Error && f.code != "undefined-name"
        })
    }
}

/// Running state while walking snapshots: which unit defines each name.
#[derive(Default)]
struct NameMap {
    by_name: HashMap<String, u32>,
    by_path: HashMap<String, u32>,
}

/// Strongly connected components of the unit graph, each with a value built once from its
/// members and the values of the components it uses: the closure of a ring of n files is one
/// list, not n, and a chain's closures are each built from the next one's, not by a walk each.
struct Components<T> {
    /// Unit -> (its component's number, the component's value).
    of: FastMap<u32, (u32, T)>,
    count: u32,
}

impl<T: Clone> Components<T> {
    fn new() -> Self {
        Components { of: FastMap::default(), count: 0 }
    }

    fn get(&self, unit: u32) -> Option<&T> {
        self.of.get(&unit).map(|(_, v)| v)
    }

    /// Finds the components reachable from `start` not known yet (Tarjan's algorithm, without
    /// recursion). `succ` lists the units a unit uses; `finish` gets a component's members
    /// (sorted) and the values of the components it uses (each once), all finished before it.
    fn reach<C>(
        &mut self,
        ctx: &mut C,
        start: u32,
        mut succ: impl FnMut(&mut C, u32) -> Vec<u32>,
        mut finish: impl FnMut(&mut C, &[u32], Vec<T>) -> T,
    ) {
        if self.of.contains_key(&start) {
            return;
        }
        // Per unit entered: (index, lowlink), and what it uses.
        let mut index: FastMap<u32, (usize, usize)> = FastMap::default();
        let mut uses: FastMap<u32, Vec<u32>> = FastMap::default();
        let mut on_stack: FastSet<u32> = FastSet::default();
        let mut stack: Vec<u32> = Vec::new();
        let mut calls: Vec<(u32, usize)> = Vec::new();
        macro_rules! enter {
            ($u:expr) => {{
                let u = $u;
                let next = index.len();
                index.insert(u, (next, next));
                uses.insert(u, succ(ctx, u));
                stack.push(u);
                on_stack.insert(u);
                calls.push((u, 0));
            }};
        }
        enter!(start);
        while let Some(&(u, pos)) = calls.last() {
            if let Some(&v) = uses[&u].get(pos) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if self.of.contains_key(&v) {
                    continue;
                }
                match index.get(&v).copied() {
                    None => enter!(v),
                    Some((vi, _)) if on_stack.contains(&v) => {
                        if let Some(e) = index.get_mut(&u) {
                            e.1 = e.1.min(vi);
                        }
                    }
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            let (ui, ul) = index[&u];
            if let Some(&(parent, _)) = calls.last() {
                if let Some(e) = index.get_mut(&parent) {
                    e.1 = e.1.min(ul);
                }
            }
            if ui != ul {
                continue;
            }
            let mut members = Vec::new();
            while let Some(w) = stack.pop() {
                on_stack.remove(&w);
                members.push(w);
                if w == u {
                    break;
                }
            }
            members.sort_unstable();
            let mut used: FastSet<u32> = FastSet::default();
            let mut values = Vec::new();
            for m in &members {
                for v in &uses[m] {
                    if let Some((c, value)) = self.of.get(v) {
                        if used.insert(*c) {
                            values.push(value.clone());
                        }
                    }
                }
            }
            let value = finish(ctx, &members, values);
            let c = self.count;
            self.count += 1;
            for m in members {
                self.of.insert(m, (c, value.clone()));
            }
        }
    }
}

/// The union of sorted, deduplicated unit lists.
fn union(members: &[u32], parts: &[&[u32]]) -> Vec<u32> {
    match parts {
        [] => members.to_vec(),
        [one] => {
            let (mut a, mut b) = (members.iter().peekable(), one.iter().peekable());
            let mut out = Vec::with_capacity(members.len() + one.len());
            loop {
                let next = match (a.peek(), b.peek()) {
                    (Some(x), Some(y)) if x < y => a.next(),
                    (Some(x), Some(y)) if x > y => b.next(),
                    (Some(_), Some(_)) => {
                        b.next();
                        a.next()
                    }
                    (Some(_), None) => a.next(),
                    (None, Some(_)) => b.next(),
                    (None, None) => break,
                };
                out.extend(next);
            }
            out
        }
        _ => {
            let mut out: Vec<u32> = members.iter().chain(parts.iter().flat_map(|p| p.iter())).copied().collect();
            out.sort_unstable();
            out.dedup();
            out
        }
    }
}

impl NameMap {
    /// The closure (sorted units, shared) of every unit reachable from `starts`, computed
    /// once per strongly connected component.
    fn closures(&self, store: &mut Store, starts: &[u32]) -> Components<Rc<Vec<u32>>> {
        let mut comps = Components::new();
        for &start in starts {
            comps.reach(
                store,
                start,
                |store, u| {
                    store.units[u as usize]
                        .external
                        .iter()
                        .filter_map(|cands| cands.iter().find_map(|c| self.by_name.get(c)).copied())
                        .collect()
                },
                |store, members, used| {
                    let parts: Vec<&[u32]> = used.iter().map(|c: &Rc<Vec<u32>>| c.as_slice()).collect();
                    store.intern(union(members, &parts))
                },
            );
        }
        comps
    }
}

/// A version from its top-level unit and the closure of units it uses.
fn make_version(store: &Store, unit: u32, units: Rc<Vec<u32>>, label: &str, path: &str) -> Option<Version> {
    let root = store.units[unit as usize].root?;
    Some(Version {
        units,
        root: NodeRef { unit, id: root },
        label: label.to_string(),
        path: path.to_string(),
        clean: std::cell::OnceCell::new(),
    })
}

/// The version of every schema in one snapshot, by subject. A subject whose file has spec
/// errors has no version (the registry never accepted it).
pub fn snapshot_versions(
    store: &mut Store,
    snap: &Snapshot,
    load: &mut dyn FnMut(&BlobKey) -> Result<Vec<u8>, String>,
) -> HashMap<String, Version> {
    let mut map = NameMap {
        by_name: HashMap::with_capacity(snap.files.len()),
        by_path: HashMap::with_capacity(snap.files.len()),
    };
    let mut files: Vec<(u32, &str)> = Vec::with_capacity(snap.files.len());
    for f in &snap.files {
        let key = f.key;
        let u = match store.by_key.get(&key) {
            // Known contents (the working tree's, adopted): no label to write.
            Some(u) => *u,
            None => store.unit(&f.key, &format!("{} @ {}", f.path, snap.label), || load(&key)),
        };
        map.by_path.insert(f.path.clone(), u);
        for (n, _) in &store.units[u as usize].defs {
            map.by_name.insert(n.clone(), u);
        }
        files.push((u, &f.path));
    }
    // Every closure at once, per strongly connected component: a ring of files shares one, and
    // a chain's closures are built from the next file's instead of by a walk each (n² steps).
    let starts: Vec<u32> = files.iter().map(|(u, _)| *u).filter(|u| !store.has_errors(*u)).collect();
    let closures = map.closures(store, &starts);
    let mut out = HashMap::with_capacity(files.len());
    for (u, path) in files {
        if store.has_errors(u) {
            continue;
        }
        let Some(units) = closures.get(u) else { continue };
        let Some(v) = make_version(store, u, units.clone(), &snap.label, path) else { continue };
        out.insert(store.units[u as usize].subject.clone(), v);
    }
    out
}

/// A file's change between two consecutive commits (`old` in the older, `new` in the newer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub path: String,
    pub old: Option<BlobKey>,
    pub new: Option<BlobKey>,
}

/// A version of a schema that could not be read (not JSON, or with specification errors: the
/// registry never had it). The walk steps over it: the versions on both sides are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Label of the oldest commit the unreadable contents appear in.
    pub label: String,
    /// The file, in that commit.
    pub path: String,
    /// Why it could not be read: the first error in it.
    pub reason: String,
}

/// What [`walk_back_reporting`] found: each tracked subject's versions, oldest first, and the
/// versions it had to step over.
#[derive(Default)]
pub struct Walk {
    pub versions: HashMap<String, Vec<Version>>,
    pub skipped: HashMap<String, Vec<Skipped>>,
}

/// The files of a snapshot that cannot be read (not JSON, or with specification errors), for
/// a caller comparing two snapshots: such a file has no version there, which is not the same
/// as the schema being absent.
pub fn unreadable(
    store: &mut Store,
    snap: &Snapshot,
    load: &mut dyn FnMut(&BlobKey) -> Result<Vec<u8>, String>,
) -> Vec<Skipped> {
    let mut out = Vec::new();
    for f in &snap.files {
        let key = f.key;
        let u = store.unit(&f.key, &format!("{} @ {}", f.path, snap.label), || load(&key));
        if let Some(reason) = store.first_error(u) {
            out.push(Skipped { label: snap.label.clone(), path: f.path.clone(), reason });
        }
    }
    out
}

/// A closure interned by the store, compared and hashed by address: equal contents are one
/// copy, and a ring's closure of thousands of units is not hashed again for every schema.
#[derive(Clone)]
struct Interned(Rc<Vec<u32>>);

impl PartialEq for Interned {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Interned {}

impl std::hash::Hash for Interned {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Rc::as_ptr(&self.0).hash(state)
    }
}

/// Per-subject bookkeeping of [`walk_back`].
struct Tracked {
    /// Version key -> (index of the oldest commit it appears in, the version).
    seen: FastMap<Interned, (usize, Version)>,
    /// Unreadable contents stepped over: blob -> (index of the oldest commit, what it was).
    skipped: FastMap<BlobKey, (usize, Skipped)>,
    current: Option<Interned>,
    /// The closure of the current version: the names it depends on are those of the closure's
    /// units (and the subject's own name).
    deps: Option<Rc<Closure>>,
    path: Option<String>,
}

/// The closure of one strongly connected component of units at some commit of the walk: its
/// members plus the closures of the components they use. The walk keeps these as a graph
/// rather than a list of names per schema (a chain of n schemas would need n² names).
struct Closure {
    /// Every unit of the closure, sorted (shared through the store).
    units: Rc<Vec<u32>>,
    /// The closures of the components used: kept alive by their users.
    used: Vec<Rc<Closure>>,
    /// The closures using this one (those still alive).
    users: RefCell<Vec<Weak<Closure>>>,
    /// Subjects whose current version had this closure when they were resolved (a subject
    /// resolved again since then is skipped: its `deps` is another closure).
    subjects: RefCell<Vec<Rc<str>>>,
}

/// Which subjects to look at again when a name changes: for each name, the closures whose
/// own components' units define or use it; a subject depends on a name when its closure or a
/// closure it is built from does.
#[derive(Default)]
struct DepIndex {
    by_name: HashMap<String, Vec<Weak<Closure>>>,
    /// Entries in `by_name`, and how many there were after the last sweep of dead ones.
    entries: usize,
    swept: usize,
}

impl DepIndex {
    fn add(&mut self, name: &str, c: &Rc<Closure>) {
        let list = match self.by_name.get_mut(name) {
            Some(l) => l,
            None => self.by_name.entry(name.to_string()).or_default(),
        };
        if !list.last().is_some_and(|w| std::ptr::eq(w.as_ptr(), Rc::as_ptr(c))) {
            list.push(Rc::downgrade(c));
            self.entries += 1;
        }
    }

    /// Drops the entries of closures no longer used, once they may outnumber the live ones.
    fn sweep(&mut self) {
        if self.entries <= 2 * self.swept + 4096 {
            return;
        }
        self.by_name.retain(|_, l| {
            l.retain(|w| w.strong_count() > 0);
            !l.is_empty()
        });
        self.entries = self.by_name.values().map(Vec::len).sum();
        self.swept = self.entries;
    }

    /// The tracked subjects whose current closure depends on one of `names`.
    fn affected(&self, names: &HashSet<String>, state: &BTreeMap<String, Tracked>, out: &mut BTreeSet<String>) {
        let mut seen: HashSet<*const Closure> = HashSet::new();
        let mut todo: Vec<Rc<Closure>> = Vec::new();
        for n in names {
            for c in self.by_name.get(n).into_iter().flatten().filter_map(Weak::upgrade) {
                if seen.insert(Rc::as_ptr(&c)) {
                    todo.push(c);
                }
            }
        }
        while let Some(c) = todo.pop() {
            for s in c.subjects.borrow().iter() {
                let current = state.get(&**s).and_then(|t| t.deps.as_ref());
                if current.is_some_and(|d| Rc::ptr_eq(d, &c)) {
                    out.insert(s.to_string());
                }
            }
            for user in c.users.borrow().iter().filter_map(Weak::upgrade) {
                if seen.insert(Rc::as_ptr(&user)) {
                    todo.push(user);
                }
            }
        }
    }
}

/// The versions of `tracked` subjects along a history, walking back from the newest commit and
/// parsing only the files that can matter: files of the tracked schemas and of the types they
/// use, and files that appear going back (moves). `base` is the newest commit's listing,
/// `labels` every commit oldest first, `deltas[i]` the changes from commit `i - 1` to `i`.
/// Versions come out oldest first (by the oldest commit each distinct content appears in).
pub fn walk_back(
    store: &mut Store,
    base: &Snapshot,
    labels: &[String],
    deltas: &[Vec<Delta>],
    tracked: &HashSet<String>,
    load: &mut dyn FnMut(&BlobKey) -> Result<Vec<u8>, String>,
) -> HashMap<String, Vec<Version>> {
    walk_back_reporting(store, base, labels, deltas, tracked, &HashMap::new(), load).versions
}

/// [`walk_back`], also reporting the versions stepped over because they could not be read.
/// `paths` (subject -> path of its current file) says where to look for a subject whose file
/// cannot be read at the base, when its name cannot be found there.
pub fn walk_back_reporting(
    store: &mut Store,
    base: &Snapshot,
    labels: &[String],
    deltas: &[Vec<Delta>],
    tracked: &HashSet<String>,
    paths: &HashMap<String, String>,
    load: &mut dyn FnMut(&BlobKey) -> Result<Vec<u8>, String>,
) -> Walk {
    let n = labels.len();
    let last = n.saturating_sub(1);
    let mut w = BackWalker {
        store,
        keys: base.files.iter().map(|f| (f.path.clone(), f.key)).collect(),
        units: HashMap::new(),
        name_path: HashMap::new(),
        path_names: HashMap::new(),
        complete: false,
        labels,
        load,
    };
    // Files parsed already (the working tree's) are known for free; the rest are parsed only
    // when a name leads to them.
    let mut all_known = true;
    for f in &base.files {
        if w.store.by_key.contains_key(&f.key) {
            w.parse(&f.path, f.key, last);
        } else {
            all_known = false;
        }
    }
    w.complete = all_known;
    // By subject: files are parsed (and numbered) in subject order.
    let mut state: BTreeMap<String, Tracked> = tracked
        .iter()
        .map(|s| {
            let t = Tracked {
                seen: FastMap::default(),
                skipped: FastMap::default(),
                current: None,
                deps: None,
                path: None,
            };
            (s.clone(), t)
        })
        .collect();
    // Which subjects to look at again when a name or a path changes.
    let mut deps = DepIndex::default();
    let mut by_path: HashMap<String, String> = HashMap::new();
    let update = |subject: &str,
                  t: &mut Tracked,
                  w: &mut BackWalker,
                  i: usize,
                  comps: &mut Components<Rc<Closure>>,
                  deps: &mut DepIndex,
                  by_path: &mut HashMap<String, String>| {
        if let Some(p) = &t.path {
            by_path.remove(p);
        }
        // The subject's file at this commit cannot be read: step over it, keeping its path (and
        // what it depended on) so that older commits are still looked at.
        let at = t.path.clone().or_else(|| paths.get(subject).cloned());
        match at.and_then(|p| w.unreadable(&p, subject, i).map(|(key, reason)| (p, key, reason))) {
            Some((path, key, reason)) => {
                t.current = None;
                t.skipped
                    .entry(key)
                    .and_modify(|e| e.0 = i)
                    .or_insert((i, Skipped { label: String::new(), path: path.clone(), reason }));
                t.path = Some(path);
            }
            None => {
                let before = t.deps.clone();
                let found = w.resolve(subject, i, comps, deps);
                record(t, found, i);
                // Closures are shared: a ring of schemas whose closure did not change needs no
                // new entry.
                if let Some(d) = &t.deps {
                    if !before.is_some_and(|b| Rc::ptr_eq(&b, d)) {
                        d.subjects.borrow_mut().push(Rc::from(subject));
                    }
                }
            }
        }
        if let Some(p) = &t.path {
            by_path.insert(p.clone(), subject.to_string());
        }
    };
    let mut comps = Components::new();
    for (subject, t) in state.iter_mut() {
        update(subject, t, &mut w, last, &mut comps, &mut deps, &mut by_path);
    }
    for i in (1..n).rev() {
        let Some(changes) = deltas.get(i) else { continue };
        let older = i - 1;
        let mut changed_names: HashSet<String> = HashSet::new();
        // In subject order, as above.
        let mut affected: BTreeSet<String> = BTreeSet::new();
        for d in changes {
            w.units.remove(&d.path);
            let parsed_before = w.path_names.remove(&d.path);
            // Parsed, and defining no name: contents that could not be read.
            let nameless = parsed_before.as_ref().is_some_and(|b| b.is_empty());
            let before = parsed_before.unwrap_or_default();
            changed_names.extend(before.iter().cloned());
            if let Some(s) = by_path.get(&d.path) {
                affected.insert(s.clone());
            }
            match (d.old, d.new) {
                (Some(k), None) => {
                    // The file appears going back (created or moved later): learn its names.
                    w.keys.insert(d.path.clone(), k);
                    let u = w.parse(&d.path, k, older);
                    changed_names.extend(w.store.units[u as usize].defs.iter().map(|(n, _)| n.clone()));
                }
                (Some(k), Some(_)) if nameless => {
                    // Changed in place from contents that defined no name (unreadable, most
                    // likely): the older contents are read now, so their names are known.
                    w.keys.insert(d.path.clone(), k);
                    let u = w.parse(&d.path, k, older);
                    changed_names.extend(w.store.units[u as usize].defs.iter().map(|(n, _)| n.clone()));
                }
                (Some(k), Some(_)) => {
                    // Changed in place: its names most likely stay there; it is parsed again
                    // only if a checked schema needs it (and `lookup` notices a move).
                    w.keys.insert(d.path.clone(), k);
                    w.path_names.insert(d.path.clone(), before);
                }
                (None, _) => {
                    w.keys.remove(&d.path);
                    for n in before {
                        if w.name_path.get(&n).is_some_and(|p| **p == *d.path) {
                            w.name_path.remove(&n);
                        }
                    }
                }
            }
        }
        // A subject depends on its own name too: it may appear going back under it.
        affected.extend(changed_names.iter().filter(|n| state.contains_key(*n)).cloned());
        deps.affected(&changed_names, &state, &mut affected);
        // Closures found at this commit, shared by the subjects looked at again.
        let mut comps = Components::new();
        for subject in affected {
            if let Some(t) = state.get_mut(&subject) {
                update(&subject, t, &mut w, older, &mut comps, &mut deps, &mut by_path);
            }
        }
        deps.sweep();
    }
    let mut walk = Walk::default();
    for (s, mut t) in state {
        settle(&mut t, 0);
        let mut v: Vec<(usize, Version)> = t.seen.into_values().collect();
        v.sort_by_key(|(i, _)| *i);
        let versions = v
            .into_iter()
            .map(|(i, mut ver)| {
                ver.label = labels.get(i).cloned().unwrap_or_default();
                ver
            })
            .collect();
        let mut skipped: Vec<(usize, Skipped)> = t.skipped.into_values().collect();
        skipped.sort_by_key(|(i, _)| *i);
        if !skipped.is_empty() {
            let list = skipped
                .into_iter()
                .map(|(i, mut k)| {
                    k.label = labels.get(i).cloned().unwrap_or_default();
                    k
                })
                .collect();
            walk.skipped.insert(s.clone(), list);
        }
        walk.versions.insert(s, versions);
    }
    walk
}

/// Notes the subject's version at commit `i` (walking back). A version's entry keeps the
/// oldest commit it is known to appear in: moving to commit `i` means every version seen so
/// far that is still current appears at `i` too.
fn record(t: &mut Tracked, found: Option<(Version, Rc<Closure>)>, i: usize) {
    match found {
        Some((v, deps)) => {
            let key = Interned(v.units.clone());
            t.path = Some(v.path.clone());
            t.deps = Some(deps);
            t.seen.entry(key.clone()).and_modify(|e| e.0 = i).or_insert((i, v));
            t.current = Some(key);
        }
        None => {
            t.current = None;
            t.deps = None;
            t.path = None;
        }
    }
}

/// After the walk: a version still current at the end appears in the oldest commit looked at.
fn settle(t: &mut Tracked, oldest: usize) {
    if let Some(k) = &t.current {
        if let Some(e) = t.seen.get_mut(k) {
            e.0 = e.0.min(oldest);
        }
    }
}

/// The state of [`walk_back`] at one commit.
struct BackWalker<'a> {
    store: &'a mut Store,
    /// Path -> blob in the commit being looked at.
    keys: HashMap<String, BlobKey>,
    /// Path -> parsed unit, only where the parse is of that commit's blob.
    units: HashMap<String, u32>,
    /// Name -> the path that defined it when last parsed.
    name_path: HashMap<String, Rc<str>>,
    /// Path -> the names it defined when last parsed.
    path_names: HashMap<String, Vec<String>>,
    /// Every file of the commit has been parsed at some point, so `name_path` knows every name.
    complete: bool,
    labels: &'a [String],
    load: &'a mut dyn FnMut(&BlobKey) -> Result<Vec<u8>, String>,
}

impl BackWalker<'_> {
    fn parse(&mut self, path: &str, key: BlobKey, i: usize) -> u32 {
        let label = format!("{path} @ {}", self.labels.get(i).map(String::as_str).unwrap_or(""));
        let load = &mut self.load;
        let u = self.store.unit(&key, &label, || load(&key));
        self.units.insert(path.to_string(), u);
        let names: Vec<String> = self.store.units[u as usize].defs.iter().map(|(n, _)| n.clone()).collect();
        let shared: Rc<str> = Rc::from(path);
        for name in &names {
            match self.name_path.get_mut(name) {
                Some(p) => *p = shared.clone(),
                None => {
                    self.name_path.insert(name.clone(), shared.clone());
                }
            }
        }
        self.path_names.insert(path.to_string(), names);
        u
    }

    /// The blob at `path` and its first error, when it cannot be read and is (or may be) the
    /// subject's file: it has errors and defines no other schema.
    fn unreadable(&mut self, path: &str, subject: &str, i: usize) -> Option<(BlobKey, String)> {
        let key = *self.keys.get(path)?;
        let u = self.ensure(path, i)?;
        let reason = self.store.first_error(u)?;
        let unit = &self.store.units[u as usize];
        let other = unit.root.and_then(|r| unit.set.node(r).named()).is_some_and(|_| unit.subject != subject);
        (!other).then_some((key, reason))
    }

    fn ensure(&mut self, path: &str, i: usize) -> Option<u32> {
        if let Some(u) = self.units.get(path) {
            return Some(*u);
        }
        let key = *self.keys.get(path)?;
        Some(self.parse(path, key, i))
    }

    fn find(&mut self, name: &str, i: usize) -> Option<(Rc<str>, u32)> {
        let path = self.name_path.get(name).cloned()?;
        let u = self.ensure(&path, i)?;
        self.store.units[u as usize].defs.iter().any(|(n, _)| n == name).then_some((path, u))
    }

    fn lookup(&mut self, name: &str, i: usize) -> Option<(Rc<str>, u32)> {
        if let Some(hit) = self.find(name, i) {
            return Some(hit);
        }
        if !self.name_path.contains_key(name) {
            if self.complete {
                // Every file was parsed once and files that appear going back are parsed when
                // they appear: a name with no known file is not defined here.
                return None;
            }
            // Not every file is known yet: try the file the name's path convention points to.
            let tail = format!("/{}.avsc", name.replace('.', "/"));
            // The first such path by name, whatever the order of the map.
            let guess = self.keys.keys().filter(|p| p.ends_with(&tail) || **p == tail[1..]).min().cloned();
            if let Some(path) = guess {
                self.ensure(&path, i);
                if let Some(hit) = self.find(name, i) {
                    return Some(hit);
                }
            }
        }
        // The name moved between files that were skipped: parse everything not parsed yet.
        let mut stale: Vec<String> = self.keys.keys().filter(|p| !self.units.contains_key(*p)).cloned().collect();
        stale.sort_unstable();
        if stale.is_empty() {
            return None;
        }
        for p in stale {
            self.ensure(&p, i);
        }
        self.complete = true;
        self.find(name, i)
    }

    /// The units a unit uses at commit `i`.
    fn uses(&mut self, u: u32, i: usize) -> Vec<u32> {
        let external = self.store.units[u as usize].external.clone();
        let mut out: Vec<u32> = external
            .iter()
            .filter_map(|cands| {
                cands.iter().find_map(|c| self.find(c, i)).or_else(|| cands.iter().find_map(|c| self.lookup(c, i)))
            })
            .map(|(_, v)| v)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The closure of a component whose members use the closures `used`; its names go into
    /// the dependency index.
    fn closure(&mut self, members: &[u32], used: Vec<Rc<Closure>>, deps: &mut DepIndex) -> Rc<Closure> {
        let parts: Vec<&[u32]> = used.iter().map(|c| c.units.as_slice()).collect();
        let units = self.store.intern(union(members, &parts));
        let c = Rc::new(Closure { units, used, users: RefCell::default(), subjects: RefCell::default() });
        for d in &c.used {
            d.users.borrow_mut().push(Rc::downgrade(&c));
        }
        for m in members {
            let unit = &self.store.units[*m as usize];
            for n in unit.defs.iter().map(|(n, _)| n).chain(unit.external.iter().flatten()) {
                deps.add(n, &c);
            }
        }
        c
    }

    fn resolve(
        &mut self,
        subject: &str,
        i: usize,
        comps: &mut Components<Rc<Closure>>,
        deps: &mut DepIndex,
    ) -> Option<(Version, Rc<Closure>)> {
        let (path, unit) = match subject.strip_prefix("path:") {
            Some(p) => (p.to_string(), self.ensure(p, i)?),
            None => self.lookup(subject, i).map(|(p, u)| (p.to_string(), u))?,
        };
        if self.store.units[unit as usize].subject != subject || self.store.has_errors(unit) {
            return None;
        }
        comps.reach(self, unit, |w, u| w.uses(u, i), |w, members, used| w.closure(members, used, deps));
        let closure = comps.get(unit)?.clone();
        let label = self.labels.get(i).cloned().unwrap_or_default();
        let v = make_version(self.store, unit, closure.units.clone(), &label, &path)?;
        Some((v, closure))
    }
}

#[cfg(test)]
mod tests;
