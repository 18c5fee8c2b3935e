//! The metadata catalog: every schema with its owner, domain, topics, lineage, fields, the
//! named types it uses and the schemas using it, and its versions along git history — as one
//! model that the HTML site, the Markdown pages, the JSON document and the Atlas export are
//! rendered from (docs/catalog.md).
//!
//! Pure: the caller loads the schemas, walks the history and reads commit details.

pub mod atlas;
pub mod html;
pub mod markdown;

use crate::core::canonical::parsing_canonical_form;
use crate::core::compat::{NodeRef, SetView};
use crate::core::config::Config;
use crate::core::diff::{compact, describe};
use crate::core::metadata::{self, SchemaMeta};
use crate::core::schema::{SchemaId, SchemaKind, SchemaSet};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The format version of the JSON document.
pub const FORMAT_VERSION: u32 = 1;

/// A commit a version appeared in.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub short: String,
    pub author: String,
    /// ISO 8601, UTC (`2026-03-01T12:00:00Z`).
    pub date: String,
    /// The first line of the commit message.
    pub message: String,
}

/// The compatibility verdict of a version against the versions before it, at its level.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Verdict {
    pub level: String,
    /// The level allows the version (against the previous one, or every previous one for a
    /// transitive level).
    pub allowed: bool,
    /// The new version reads data written with the previous one.
    pub backward: bool,
    /// The previous version reads data written with the new one.
    pub forward: bool,
}

/// One change between a version and the previous one (as `schemapipe diff` reports it).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ChangeRow {
    pub kind: String,
    pub path: String,
    pub message: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `backward`, `forward`: the directions the change breaks.
    pub breaks: Vec<String>,
}

/// One version of a schema, oldest first.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct VersionEntry {
    /// 1 for the first version.
    pub number: usize,
    /// The commit it first appeared in; `None` for uncommitted changes in the working tree.
    pub commit: Option<Commit>,
    pub file: String,
    /// Against the previous versions (absent for the first).
    pub compatibility: Option<Verdict>,
    pub changes: Vec<ChangeRow>,
    /// Named types from other files whose change made this version.
    pub via: Vec<String>,
    /// The Parsing Canonical Form of the schema's file as it was in that version (named types
    /// of other files by name).
    pub canonical_form: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FieldRow {
    /// Dotted path from the top-level record: `shipping_address.city`.
    pub path: String,
    pub name: String,
    /// Nesting depth (0: a field of the top-level record).
    pub depth: usize,
    /// A readable type: `long (timestamp-millis)`, `[null, string]`, `com.acme.common.Money`.
    #[serde(rename = "type")]
    pub ty: String,
    pub logical_type: Option<String>,
    pub default: Option<String>,
    pub doc: Option<String>,
    pub aliases: Vec<String>,
    pub classification: Option<String>,
    pub tags: Vec<String>,
    /// A named type from another file this field uses (its own catalog page).
    pub type_ref: Option<String>,
}

/// A producing or consuming service, as one schema's lineage shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ServiceRef {
    pub name: String,
    pub kind: String,
    pub team: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SchemaEntry {
    pub name: String,
    /// `record`, `enum`, `fixed`, …
    pub kind: String,
    /// Path relative to the schema root.
    pub file: String,
    pub doc: Option<String>,
    pub owner: Option<String>,
    pub owner_contact: Option<String>,
    pub domain: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub topics: Vec<String>,
    pub subjects: Vec<String>,
    pub producers: Vec<ServiceRef>,
    pub consumers: Vec<ServiceRef>,
    /// The configured compatibility level.
    pub level: String,
    pub fields: Vec<FieldRow>,
    /// Enum symbols.
    pub symbols: Vec<String>,
    /// Named types from other files it uses, directly or through others.
    pub uses: Vec<String>,
    /// Schemas that use it, directly or through others.
    pub used_by: Vec<String>,
    pub versions: Vec<VersionEntry>,
    /// Date of the last version's commit, when committed.
    pub last_change: Option<String>,
    pub canonical_form: String,
    /// Sample events from `X.examples.jsonl` beside the schema's file that fit it, in file
    /// order (docs/samples.md).
    pub samples: Vec<SampleEvent>,
}

/// One sample event of a schema.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SampleEvent {
    /// The name from the `// name` line above it, when there is one.
    pub name: Option<String>,
    /// Line of the event in the samples file (1-based).
    pub line: usize,
    /// The event in the Avro JSON encoding, pretty-printed.
    pub event: String,
}

/// What a change to a shared type reaches.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Impact {
    pub name: String,
    pub owner: Option<String>,
    pub schemas: Vec<String>,
    pub subjects: Vec<String>,
    pub topics: Vec<String>,
    /// Consuming services of every schema reached, with their teams.
    pub consumers: Vec<ServiceRef>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TopicEntry {
    pub name: String,
    pub schemas: Vec<String>,
    pub producers: Vec<String>,
    pub consumers: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TeamEntry {
    pub name: String,
    pub contact: Option<String>,
    pub description: Option<String>,
    pub schemas: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ServiceEntry {
    pub name: String,
    pub kind: String,
    pub team: Option<String>,
    pub description: Option<String>,
    pub produces: Vec<String>,
    pub consumes: Vec<String>,
}

/// The whole catalog.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Catalog {
    pub format_version: u32,
    /// What the catalog was built from: `main (3f2a9c1)`, or `working tree` additions.
    pub source: String,
    pub schemas: Vec<SchemaEntry>,
    pub shared_types: Vec<Impact>,
    pub topics: Vec<TopicEntry>,
    pub teams: Vec<TeamEntry>,
    pub services: Vec<ServiceEntry>,
}

impl Catalog {
    pub fn schema(&self, name: &str) -> Option<&SchemaEntry> {
        self.schemas.binary_search_by(|s| s.name.as_str().cmp(name)).ok().map(|i| &self.schemas[i])
    }
}

/// One top-level schema file of the current set.
pub struct FileIn<'a> {
    pub index: usize,
    /// Path relative to the schema root.
    pub path: &'a str,
}

pub struct Input<'a> {
    pub set: &'a SchemaSet,
    pub files: Vec<FileIn<'a>>,
    pub config: &'a Config,
    /// Full name -> registry subjects.
    pub subjects: &'a BTreeMap<String, Vec<String>>,
    /// Full name -> versions, oldest first.
    pub versions: HashMap<String, Vec<VersionEntry>>,
    pub source: String,
}

fn kind_name(k: &SchemaKind) -> &'static str {
    match k {
        SchemaKind::Record(r) if r.is_error => "error",
        SchemaKind::Record(_) => "record",
        SchemaKind::Enum(_) => "enum",
        SchemaKind::Fixed(_) => "fixed",
        SchemaKind::Array(_) => "array",
        SchemaKind::Map(_) => "map",
        SchemaKind::Union(_) => "union",
        _ => "primitive",
    }
}

/// Named types from other files each file's nodes refer to (by full name).
fn direct_uses(set: &SchemaSet) -> HashMap<u32, BTreeSet<String>> {
    let mut out: HashMap<u32, BTreeSet<String>> = HashMap::new();
    for n in &set.nodes {
        if let SchemaKind::Ref(r) = &n.kind {
            let Some(t) = r.target else { continue };
            let target = set.node(t);
            if target.file != n.file {
                if let Some(named) = target.named() {
                    out.entry(n.file.0).or_default().insert(named.full_name.clone());
                }
            }
        }
    }
    out
}

struct FieldWalk<'a> {
    set: &'a SchemaSet,
    meta: &'a SchemaMeta,
    seen: BTreeSet<u32>,
    out: Vec<FieldRow>,
}

impl FieldWalk<'_> {
    /// Non-null branches, array items and map values of a type: where inline records hide.
    fn inner(&self, id: SchemaId, acc: &mut Vec<SchemaId>, depth: usize) {
        if depth > 8 {
            return;
        }
        let node = self.set.node(id);
        match &node.kind {
            SchemaKind::Union(b) => b.iter().for_each(|x| self.inner(*x, acc, depth + 1)),
            SchemaKind::Array(x) | SchemaKind::Map(x) => self.inner(*x, acc, depth + 1),
            _ => acc.push(id),
        }
    }

    fn record(&mut self, id: SchemaId, prefix: &str, depth: usize) {
        if depth > 12 || !self.seen.insert(id.0) {
            return;
        }
        let SchemaKind::Record(r) = &self.set.node(id).kind else { return };
        let view = SetView(self.set);
        for f in &r.fields {
            let path = if prefix.is_empty() { f.name.clone() } else { format!("{prefix}.{}", f.name) };
            let mut leaves = Vec::new();
            self.inner(f.ty, &mut leaves, 0);
            let logical =
                leaves.iter().map(|l| self.set.resolved(*l)).find_map(|s| s.logical.map(|l| l.name().to_string()));
            let file = self.set.node(id).file;
            let type_ref = leaves.iter().find_map(|l| {
                let s = self.set.resolved(*l);
                (s.file != file).then(|| s.named().map(|n| n.full_name.clone())).flatten()
            });
            let fm = metadata::field_meta(self.meta, f);
            self.out.push(FieldRow {
                path: path.clone(),
                name: f.name.clone(),
                depth,
                ty: describe(&view, NodeRef { unit: 0, id: f.ty }),
                logical_type: logical,
                default: f.default.as_ref().map(compact),
                doc: f.doc.clone(),
                aliases: f.aliases.clone(),
                classification: fm.classification,
                tags: fm.tags,
                type_ref,
            });
            // Records defined in this file are expanded in place; types of other files have
            // their own page.
            for l in leaves {
                let s = self.set.node(l);
                if matches!(s.kind, SchemaKind::Record(_)) && s.file == file {
                    self.record(l, &path, depth + 1);
                }
            }
        }
    }
}

fn service_ref(md: &metadata::Metadata, name: &str) -> ServiceRef {
    match md.services.get(name) {
        Some(s) => ServiceRef { name: name.to_string(), kind: s.kind.clone(), team: s.team.clone() },
        None => ServiceRef { name: name.to_string(), kind: "service".into(), team: None },
    }
}

/// Builds the catalog model.
pub fn build(mut input: Input) -> Catalog {
    let set = input.set;
    let md = &input.config.metadata;
    let uses = direct_uses(set);
    // File -> top-level full name; full name -> file.
    let mut name_of_file: HashMap<u32, String> = HashMap::new();
    for f in &input.files {
        let fs = &set.files[f.index];
        if let Some(n) = fs.root.and_then(|r| set.node(r).named()) {
            name_of_file.insert(fs.file.0, n.full_name.clone());
        }
    }
    // The schema (file) defining each named type.
    let mut schema_of_type: HashMap<&str, &str> = HashMap::new();
    for d in &set.definitions {
        let n = set.node(*d);
        if let (Some(named), Some(owner)) = (n.named(), name_of_file.get(&n.file.0)) {
            schema_of_type.insert(named.full_name.as_str(), owner.as_str());
        }
    }
    // Schema -> schemas (files) it uses directly.
    let mut direct: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, names) in &uses {
        let Some(me) = name_of_file.get(file) else { continue };
        let e = direct.entry(me.clone()).or_default();
        for n in names {
            if let Some(s) = schema_of_type.get(n.as_str()) {
                if *s != me {
                    e.insert(s.to_string());
                }
            }
        }
    }
    let closure = |start: &str, graph: &BTreeMap<String, BTreeSet<String>>| -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.to_string()];
        while let Some(s) = stack.pop() {
            for n in graph.get(&s).into_iter().flatten() {
                if n != start && seen.insert(n.clone()) {
                    stack.push(n.clone());
                }
            }
        }
        seen.into_iter().collect()
    };
    let mut reverse: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, bs) in &direct {
        for b in bs {
            reverse.entry(b.clone()).or_default().insert(a.clone());
        }
    }

    let mut schemas = Vec::new();
    for f in &input.files {
        let fs = &set.files[f.index];
        let Some(root) = fs.root else { continue };
        let node = set.node(root);
        let Some(named) = node.named() else { continue };
        let name = named.full_name.clone();
        let meta = metadata::resolve(md, &name, node);
        let mut walk = FieldWalk { set, meta: &meta, seen: BTreeSet::new(), out: Vec::new() };
        walk.record(root, "", 0);
        let symbols = match &node.kind {
            SchemaKind::Enum(e) => e.symbols.iter().map(|(s, _)| s.clone()).collect(),
            _ => Vec::new(),
        };
        let versions = input.versions.remove(&name).unwrap_or_default();
        let last_change = versions.last().and_then(|v| v.commit.as_ref()).map(|c| c.date.clone());
        let owner_contact = meta.owner.as_ref().and_then(|o| md.teams.get(o)).and_then(|t| t.contact.clone());
        schemas.push(SchemaEntry {
            kind: kind_name(&node.kind).into(),
            file: f.path.to_string(),
            doc: named.doc.clone(),
            owner: meta.owner.clone(),
            owner_contact,
            domain: meta.domain.clone(),
            description: meta.description.clone(),
            tags: meta.tags.clone(),
            topics: meta.topics.clone(),
            subjects: input.subjects.get(&name).cloned().unwrap_or_default(),
            producers: meta.producers.iter().map(|p| service_ref(md, p)).collect(),
            consumers: meta.consumers.iter().map(|p| service_ref(md, p)).collect(),
            level: input.config.level_for(&name, f.path).as_str().to_string(),
            fields: walk.out,
            symbols,
            uses: closure(&name, &direct),
            used_by: closure(&name, &reverse),
            versions,
            last_change,
            canonical_form: parsing_canonical_form(set, root),
            samples: Vec::new(),
            name,
        });
    }
    schemas.sort_by(|a, b| a.name.cmp(&b.name));
    schemas.dedup_by(|a, b| a.name == b.name);

    let by_name: HashMap<&str, &SchemaEntry> = schemas.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut shared_types = Vec::new();
    for s in &schemas {
        if s.used_by.is_empty() {
            continue;
        }
        let (mut subjects, mut topics, mut consumers) = (BTreeSet::new(), BTreeSet::new(), BTreeMap::new());
        for u in std::iter::once(&s.name).chain(&s.used_by) {
            let Some(e) = by_name.get(u.as_str()) else { continue };
            subjects.extend(e.subjects.iter().cloned());
            topics.extend(e.topics.iter().cloned());
            for c in &e.consumers {
                consumers.insert(c.name.clone(), c.clone());
            }
        }
        shared_types.push(Impact {
            name: s.name.clone(),
            owner: s.owner.clone(),
            schemas: s.used_by.clone(),
            subjects: subjects.into_iter().collect(),
            topics: topics.into_iter().collect(),
            consumers: consumers.into_values().collect(),
        });
    }

    let mut topics: BTreeMap<String, TopicEntry> = BTreeMap::new();
    for s in &schemas {
        for t in &s.topics {
            let e = topics.entry(t.clone()).or_insert_with(|| TopicEntry {
                name: t.clone(),
                schemas: Vec::new(),
                producers: Vec::new(),
                consumers: Vec::new(),
            });
            e.schemas.push(s.name.clone());
            for p in &s.producers {
                if !e.producers.contains(&p.name) {
                    e.producers.push(p.name.clone());
                }
            }
            for c in &s.consumers {
                if !e.consumers.contains(&c.name) {
                    e.consumers.push(c.name.clone());
                }
            }
        }
    }
    for t in topics.values_mut() {
        t.producers.sort();
        t.consumers.sort();
    }
    let teams = md
        .teams
        .values()
        .map(|t| TeamEntry {
            name: t.name.clone(),
            contact: t.contact.clone(),
            description: t.description.clone(),
            schemas: schemas.iter().filter(|s| s.owner.as_deref() == Some(&t.name)).map(|s| s.name.clone()).collect(),
        })
        .collect();
    let services = md
        .services
        .values()
        .map(|sv| {
            let mut produces = BTreeSet::new();
            let mut consumes = BTreeSet::new();
            for s in &schemas {
                if s.producers.iter().any(|p| p.name == sv.name) {
                    produces.insert(s.name.clone());
                }
                if s.consumers.iter().any(|p| p.name == sv.name) {
                    consumes.insert(s.name.clone());
                }
            }
            ServiceEntry {
                name: sv.name.clone(),
                kind: sv.kind.clone(),
                team: sv.team.clone(),
                description: sv.description.clone(),
                produces: produces.into_iter().collect(),
                consumes: consumes.into_iter().collect(),
            }
        })
        .collect();
    Catalog {
        format_version: FORMAT_VERSION,
        source: std::mem::take(&mut input.source),
        schemas,
        shared_types,
        topics: topics.into_values().collect(),
        teams,
        services,
    }
}

/// `2026-03-01T12:00:00Z` from seconds since the epoch (UTC; the proleptic Gregorian calendar).
pub fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_date(1_767_225_599), "2025-12-31T23:59:59Z");
    }
}
