//! What publishing wants the registry to hold: one entry per subject, in dependency order.
//!
//! Pure: from the loaded schema set, the files' texts and the settings. The registry client
//! and the plan/apply loop live in `cli/publish.rs`.

use crate::core::compat::level::Level;
use crate::core::config::{Config, Strategy};
use crate::core::schema::{Primitive, SchemaKind, SchemaSet};
use crate::core::source::FileId;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One subject's desired contents.
#[derive(Clone, Debug, PartialEq)]
pub struct Desired {
    pub subject: String,
    /// Full name of the file's top-level type; the file's path under the schema root when
    /// its top level is not a named type (then `named` is false).
    pub full_name: String,
    pub named: bool,
    pub file: FileId,
    /// Path relative to the schema root.
    pub path: String,
    /// The schema text to register.
    pub schema: String,
    /// References: (full name as used, subject of the schema that defines it).
    pub references: Vec<(String, String)>,
    /// The compatibility level to set on the subject, when the config sets levels.
    pub level: Option<Level>,
    /// The data-contract `metadata` sent along (`registry.metadata: true`), when the schema
    /// has any.
    pub metadata: Option<Value>,
}

/// One schema file as publishing sees it.
pub struct FileInput<'a> {
    pub index: usize,
    pub path: &'a str,
    pub text: &'a str,
}

fn with_context(cfg: &Config, subject: String) -> String {
    match &cfg.registry.context {
        Some(ctx) => format!(":.{}:{subject}", ctx.trim_start_matches('.')),
        None => subject,
    }
}

/// The subject's name without its context prefix, when it belongs to the configured context
/// (`registry.context`, or the default context when none is set). The registry lists the
/// subjects of every context, qualified as `:.ctx:name`.
pub fn in_context<'a>(subject: &'a str, context: Option<&str>) -> Option<&'a str> {
    let qualified = subject.strip_prefix(":.").and_then(|rest| rest.split_once(':'));
    match (qualified, context.map(|c| c.trim_start_matches('.'))) {
        (None, None) => Some(subject),
        (Some((ctx, bare)), Some(want)) if ctx == want => Some(bare),
        // `:.:name` is the default context spelled out.
        (Some(("", bare)), None) => Some(bare),
        _ => None,
    }
}

/// The subject a type is registered under when others reference it.
pub fn reference_subject(cfg: &Config, full_name: &str) -> String {
    let s = cfg
        .registry
        .subjects
        .iter()
        .find(|(n, _)| n == full_name)
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| full_name.to_string());
    with_context(cfg, s)
}

/// What names a file's top-level schema in `registry.topics` and `registry.subjects`: the
/// full name of its top-level type, or — for a file whose top level is not a named type (a
/// union of the event types of one topic, an array, a primitive) — its path under the schema
/// root (`orders/order-events.avsc`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishKey {
    Named(String),
    File(String),
}

impl PublishKey {
    /// None for a file without a schema, or whose top level only refers to a type another
    /// file defines (that file publishes it).
    fn of(set: &SchemaSet, f: &FileInput) -> Option<PublishKey> {
        let root = set.files[f.index].root?;
        if matches!(set.node(root).kind, SchemaKind::Ref(_)) {
            return None;
        }
        Some(match root_name(set, f.index) {
            Some(full) => PublishKey::Named(full),
            None => PublishKey::File(f.path.to_string()),
        })
    }

    /// The full name or the file path.
    pub fn as_str(&self) -> &str {
        match self {
            PublishKey::Named(s) | PublishKey::File(s) => s,
        }
    }
}

/// The subjects a top-level schema is published under, by the configured strategy, or why it
/// has none.
fn subjects_for(cfg: &Config, key: &PublishKey, referenced: bool) -> Result<Vec<String>, &'static str> {
    let name = key.as_str();
    if let Some((_, s)) = cfg.registry.subjects.iter().find(|(n, _)| n == name) {
        return Ok(vec![with_context(cfg, s.clone())]);
    }
    let named = matches!(key, PublishKey::Named(_));
    let mut out = Vec::new();
    match cfg.registry.strategy {
        Strategy::RecordNameStrategy if named => out.push(name.to_string()),
        Strategy::TopicNameStrategy => {
            for (topic, values, key) in &cfg.registry.topics {
                if values.iter().any(|v| v == name) {
                    out.push(format!("{topic}-value"));
                }
                if key.as_deref() == Some(name) {
                    out.push(format!("{topic}-key"));
                }
            }
        }
        Strategy::TopicRecordNameStrategy if named => {
            for (topic, values, key) in &cfg.registry.topics {
                if values.iter().any(|v| v == name) || key.as_deref() == Some(name) {
                    out.push(format!("{topic}-{name}"));
                }
            }
        }
        // The record name strategies name a subject after the top-level type.
        Strategy::RecordNameStrategy | Strategy::TopicRecordNameStrategy => {}
    }
    // A shared type others reference is registered under the subject the references name,
    // whatever topics it also belongs to.
    if named
        && referenced
        && cfg.registry.references_as_subjects
        && cfg.registry.strategy != Strategy::RecordNameStrategy
    {
        out.push(name.to_string());
    }
    if out.is_empty() {
        return Err(match (named, cfg.registry.strategy) {
            (true, _) => "no topic maps to it",
            (false, Strategy::TopicNameStrategy) => {
                "its top level is not a named type and no topic maps to its file (registry.topics: {<topic>: {value: <path under the schema root>}}) nor registry.subjects names it"
            }
            (false, _) => {
                "its top level is not a named type, so the record name strategies name no subject for it: name one in registry.subjects (<path under the schema root>: <subject>), or use TopicNameStrategy"
            }
        });
    }
    out.sort();
    out.dedup();
    Ok(out.into_iter().map(|s| with_context(cfg, s)).collect())
}

/// Schemas that no subject will hold (with TopicNameStrategy, a schema no topic maps to).
pub struct Skipped {
    /// The full name of its top-level type, or the file's path when that is not named.
    pub full_name: String,
    pub path: String,
    /// Why no subject holds it.
    pub reason: String,
}

/// Names each file takes from other files (full name -> index of the defining file).
fn uses_of(set: &SchemaSet, files: &[FileInput]) -> HashMap<usize, BTreeMap<String, usize>> {
    let file_of: HashMap<FileId, usize> = files.iter().map(|f| (set.files[f.index].file, f.index)).collect();
    let mut uses: HashMap<usize, BTreeMap<String, usize>> = HashMap::new();
    for n in &set.nodes {
        if let SchemaKind::Ref(r) = &n.kind {
            let (Some(t), Some(&from)) = (r.target, file_of.get(&n.file)) else { continue };
            let target = set.node(t);
            if target.file == n.file {
                continue;
            }
            if let (Some(named), Some(&to)) = (target.named(), file_of.get(&target.file)) {
                uses.entry(from).or_default().insert(named.full_name.clone(), to);
            }
        }
    }
    uses
}

fn root_name(set: &SchemaSet, i: usize) -> Option<String> {
    set.files[i].root.and_then(|r| set.node(r).named()).map(|n| n.full_name.clone())
}

/// The subjects each top-level schema is published under, by file index; a schema no subject
/// holds is left out.
pub fn file_subjects(set: &SchemaSet, files: &[FileInput], cfg: &Config) -> HashMap<usize, Vec<String>> {
    let uses = uses_of(set, files);
    let referenced_files: HashSet<usize> = uses.values().flat_map(|m| m.values().copied()).collect();
    files
        .iter()
        .filter_map(|f| {
            let key = PublishKey::of(set, f)?;
            let subjects = subjects_for(cfg, &key, referenced_files.contains(&f.index)).ok()?;
            Some((f.index, subjects))
        })
        .collect()
}

/// The subjects each top-level schema is published under, by its [`PublishKey`] (the full
/// name of its top-level type, or the file's path when that is not named); a schema no
/// subject holds is left out.
pub fn subjects(set: &SchemaSet, files: &[FileInput], cfg: &Config) -> BTreeMap<String, Vec<String>> {
    subjects_by_key(set, files, &file_subjects(set, files, cfg))
}

/// [`subjects`] from the subjects of each file ([`file_subjects`]).
pub fn subjects_by_key(
    set: &SchemaSet,
    files: &[FileInput],
    by_file: &HashMap<usize, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    files
        .iter()
        .filter_map(|f| Some((PublishKey::of(set, f)?.as_str().to_string(), by_file.get(&f.index)?.clone())))
        .collect()
}

/// The desired subjects in dependency order (referenced subjects before those using them).
pub fn desired(set: &SchemaSet, files: &[FileInput], cfg: &Config) -> Result<(Vec<Desired>, Vec<Skipped>), String> {
    let by_index: HashMap<usize, &FileInput> = files.iter().map(|f| (f.index, f)).collect();
    let uses = uses_of(set, files);
    let referenced_files: HashSet<usize> = uses.values().flat_map(|m| m.values().copied()).collect();
    let root_name = |i: usize| root_name(set, i);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut inliner: Option<Inliner> = None;
    for f in files {
        let Some(key) = PublishKey::of(set, f) else { continue };
        let full = key.as_str().to_string();
        let subjects = match subjects_for(cfg, &key, referenced_files.contains(&f.index)) {
            Ok(s) => s,
            Err(reason) => {
                skipped.push(Skipped { full_name: full, path: f.path.to_string(), reason: reason.to_string() });
                continue;
            }
        };
        let deps = uses.get(&f.index).cloned().unwrap_or_default();
        let (schema, references) = if cfg.registry.references_as_subjects {
            // One reference per file used, named by that file's top-level type: the registry
            // loads the whole referenced schema, nested types included, and two references to
            // one subject would make it parse that schema twice. A type defined inside a file
            // whose top level is not named has no subject of its own to reference.
            let mut refs: Vec<(String, String)> = Vec::new();
            for (used, to) in &deps {
                let Some(dn) = root_name(*to) else {
                    let from = by_index.get(to).map_or("", |d| d.path);
                    return Err(format!(
                        "`{}` uses `{used}`, which `{from}` defines inside a top level that is not a named type: no subject holds it on its own to reference; move `{used}` into a file of its own, or set registry.references: inline",
                        f.path
                    ));
                };
                refs.push((dn.clone(), reference_subject(cfg, &dn)));
            }
            refs.sort();
            refs.dedup();
            (compact(f.text), refs)
        } else {
            (inliner.get_or_insert_with(|| Inliner::new(set, files)).inline(f.index)?, Vec::new())
        };
        let named = matches!(key, PublishKey::Named(_));
        let level = cfg.levels_configured.then(|| cfg.level_for(if named { &full } else { "" }, f.path));
        let metadata = if cfg.registry.metadata { registry_metadata(set, f.index, &cfg.metadata) } else { None };
        for subject in subjects {
            out.push(Desired {
                subject,
                full_name: full.clone(),
                named,
                file: set.files[f.index].file,
                path: f.path.to_string(),
                schema: schema.clone(),
                references: references.clone(),
                level,
                metadata: metadata.clone(),
            });
        }
    }
    // Two schemas cannot share a subject (a topic listing both, or an override).
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for d in &out {
        if let Some(other) = seen.insert(d.subject.as_str(), d.full_name.as_str()) {
            if other != d.full_name {
                return Err(format!("subject `{}` would hold both `{other}` and `{}`", d.subject, d.full_name));
            }
        }
    }
    Ok((order(out)?, skipped))
}

/// A schema's ownership and classifications as Confluent's data-contract `metadata`:
/// `properties` holds `owner`, `domain`, `description` and `tags` (comma-separated), `tags`
/// maps each classified or tagged field, as `<record full name>.<field>`, to its
/// classification followed by its tags. `None` when the schema has none of these.
pub fn registry_metadata(set: &SchemaSet, index: usize, md: &crate::core::metadata::Metadata) -> Option<Value> {
    use crate::core::metadata;
    let root = set.files[index].root?;
    let node = set.node(root);
    let full = node.named()?.full_name.clone();
    let meta = metadata::resolve(md, &full, node);
    let mut props = serde_json::Map::new();
    for (k, v) in [("owner", &meta.owner), ("domain", &meta.domain), ("description", &meta.description)] {
        if let Some(v) = v {
            props.insert(k.into(), Value::String(v.clone()));
        }
    }
    if !meta.tags.is_empty() {
        props.insert("tags".into(), Value::String(meta.tags.join(",")));
    }
    let mut tags = serde_json::Map::new();
    let mut todo = vec![(root, 0usize)];
    let mut seen = HashSet::new();
    while let Some((id, depth)) = todo.pop() {
        if depth > 64 || !seen.insert(id.0) {
            continue;
        }
        let record = set.node(id);
        let (SchemaKind::Record(r), Some(named)) = (&record.kind, record.named()) else { continue };
        for f in &r.fields {
            let fm = metadata::field_meta(&meta, f);
            let mut list: Vec<String> = fm.classification.into_iter().chain(fm.tags).collect();
            list.sort();
            list.dedup();
            if !list.is_empty() {
                tags.insert(format!("{}.{}", named.full_name, f.name), list.into_iter().map(Value::String).collect());
            }
            // Records defined in this file, wherever they nest (unions, arrays, maps).
            let mut stack = vec![(f.ty, 0usize)];
            while let Some((t, d)) = stack.pop() {
                let s = set.node(t);
                if d > 16 || s.file != record.file {
                    continue;
                }
                match &s.kind {
                    SchemaKind::Union(b) => stack.extend(b.iter().map(|x| (*x, d + 1))),
                    SchemaKind::Array(x) | SchemaKind::Map(x) => stack.push((*x, d + 1)),
                    SchemaKind::Record(_) => todo.push((t, depth + 1)),
                    _ => {}
                }
            }
        }
    }
    if props.is_empty() && tags.is_empty() {
        return None;
    }
    Some(serde_json::json!({ "properties": props, "tags": tags }))
}

/// Registered metadata as compared with the repository's: the registry's own properties
/// (`confluent:*`, such as `confluent:version`) and empty parts left out, tag lists sorted.
pub fn comparable_metadata(m: Option<&Value>) -> Value {
    let mut out = serde_json::Map::new();
    let Some(Value::Object(m)) = m else { return Value::Object(out) };
    if let Some(Value::Object(p)) = m.get("properties") {
        let p: serde_json::Map<String, Value> =
            p.iter().filter(|(k, _)| !k.starts_with("confluent:")).map(|(k, v)| (k.clone(), v.clone())).collect();
        if !p.is_empty() {
            out.insert("properties".into(), Value::Object(p));
        }
    }
    if let Some(Value::Object(t)) = m.get("tags") {
        let t: serde_json::Map<String, Value> = t
            .iter()
            .map(|(k, v)| {
                let mut l: Vec<String> =
                    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect();
                l.sort();
                l.dedup();
                (k.clone(), l.into_iter().map(Value::String).collect::<Vec<_>>().into())
            })
            .collect();
        if !t.is_empty() {
            out.insert("tags".into(), Value::Object(t));
        }
    }
    if let Some(Value::Array(s)) = m.get("sensitive") {
        if !s.is_empty() {
            out.insert("sensitive".into(), Value::Array(s.clone()));
        }
    }
    Value::Object(out)
}

/// The file's JSON without layout whitespace (the text as written when it is not plain JSON).
fn compact(text: &str) -> String {
    parse_json(text).map(|v| v.to_string()).unwrap_or_else(|_| text.to_string())
}

/// A schema file as serde JSON. Its nesting was already bounded by schemapipe's own reader
/// (`limits.max_depth`), and commands run on a large stack: serde_json's own limit of 128
/// levels would refuse valid deep schemas.
fn parse_json(text: &str) -> Result<Value, serde_json::Error> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// Referenced subjects first; ties by subject name. A cycle cannot be expressed with
/// references.
fn order(items: Vec<Desired>) -> Result<Vec<Desired>, String> {
    let mut remaining = items;
    remaining.sort_by(|a, b| a.subject.cmp(&b.subject));
    let mut done: HashSet<String> = HashSet::new();
    let all: HashSet<String> = remaining.iter().map(|d| d.subject.clone()).collect();
    let mut out = Vec::new();
    while !remaining.is_empty() {
        let (ready, rest): (Vec<Desired>, Vec<Desired>) =
            remaining.into_iter().partition(|d| d.references.iter().all(|(_, s)| done.contains(s) || !all.contains(s)));
        if ready.is_empty() {
            let names: Vec<&str> = rest.iter().map(|d| d.subject.as_str()).collect();
            return Err(format!("schemas reference each other in a cycle ({}); registry references cannot express that: set `registry.references: inline`", names.join(", ")));
        }
        for d in &ready {
            done.insert(d.subject.clone());
        }
        out.extend(ready);
        remaining = rest;
    }
    Ok(out)
}

/// The self-contained text of each file's schema (what `references: inline` registers), by
/// file index; every file is parsed once.
pub fn self_contained(set: &SchemaSet, files: &[FileInput]) -> HashMap<usize, Result<String, String>> {
    let inliner = Inliner::new(set, files);
    let texts = crate::core::par::map(files, |f| inliner.inline(f.index));
    files.iter().map(|f| f.index).zip(texts).collect()
}

/// Writes out self-contained schemas of a set: every file is parsed once, and the owner of a
/// type found by its file id.
struct Inliner<'a> {
    set: &'a SchemaSet,
    parsed: HashMap<usize, Result<Value, String>>,
    file_index: HashMap<FileId, usize>,
}

impl<'a> Inliner<'a> {
    fn new(set: &'a SchemaSet, files: &[FileInput]) -> Inliner<'a> {
        Inliner {
            set,
            parsed: files
                .iter()
                .map(|f| (f.index, parse_json(f.text).map_err(|e| format!("{}: {e}", f.path))))
                .collect(),
            file_index: files.iter().map(|f| (set.files[f.index].file, f.index)).collect(),
        }
    }

    /// A self-contained schema: every named type from another file is written out in full
    /// where it is first used (with its namespace made explicit), as Java resolves names.
    fn inline(&self, index: usize) -> Result<String, String> {
        let Some(root) = self.parsed.get(&index) else { return Err(format!("no file {index} in the set")) };
        let mut root: Value = root.clone()?;
        let lookup = |name: &str| -> Option<Value> {
            let id = self.set.lookup(name)?;
            let node = self.set.node(id);
            let owner = *self.file_index.get(&node.file)?;
            if owner == index {
                return None;
            }
            let mut def = self.parsed.get(&owner)?.as_ref().ok()?.pointer(&node.pointer)?.clone();
            let named = node.named()?;
            if let Value::Object(m) = &mut def {
                m.insert("name".into(), Value::String(named.name.clone()));
                m.insert("namespace".into(), Value::String(named.namespace.clone().unwrap_or_default()));
            }
            Some(def)
        };
        let mut defined = HashSet::new();
        walk(&mut root, None, &mut defined, &lookup, 0)?;
        Ok(root.to_string())
    }
}

fn full_name(name: &str, ns: Option<&str>) -> String {
    match (name.contains('.'), ns) {
        (false, Some(ns)) if !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.trim_start_matches('.').to_string(),
    }
}

fn walk(
    v: &mut Value,
    ns: Option<String>,
    defined: &mut HashSet<String>,
    lookup: &dyn Fn(&str) -> Option<Value>,
    depth: usize,
) -> Result<(), String> {
    if depth > 2000 {
        return Err("schema nests too deeply to inline".into());
    }
    match v {
        Value::String(s) => {
            if Primitive::from_name(s).is_some() {
                return Ok(());
            }
            let candidates =
                if s.contains('.') { vec![s.clone()] } else { vec![full_name(s, ns.as_deref()), s.clone()] };
            if candidates.iter().any(|c| defined.contains(c)) {
                return Ok(());
            }
            if let Some(def) = candidates.iter().find_map(|c| lookup(c)) {
                *v = def;
                walk(v, ns, defined, lookup, depth + 1)?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for i in items {
                walk(i, ns.clone(), defined, lookup, depth + 1)?;
            }
            Ok(())
        }
        Value::Object(m) => {
            let kind = m.get("type").and_then(Value::as_str).map(str::to_string);
            match kind.as_deref() {
                Some("record" | "error" | "enum" | "fixed") => {
                    let name = m.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                    let space = match m.get("namespace").and_then(Value::as_str) {
                        Some(s) => Some(s.to_string()),
                        None => ns.clone(),
                    };
                    let full = full_name(&name, space.as_deref());
                    let inner_ns = full.rsplit_once('.').map(|(n, _)| n.to_string()).or(Some(String::new()));
                    defined.insert(full);
                    if let Some(Value::Array(fields)) = m.get_mut("fields") {
                        for f in fields {
                            if let Some(t) = f.get_mut("type") {
                                walk(t, inner_ns.clone(), defined, lookup, depth + 1)?;
                            }
                        }
                    }
                    Ok(())
                }
                Some("array") => m.get_mut("items").map_or(Ok(()), |x| walk(x, ns, defined, lookup, depth + 1)),
                Some("map") => m.get_mut("values").map_or(Ok(()), |x| walk(x, ns, defined, lookup, depth + 1)),
                Some(t) if Primitive::from_name(t).is_some() => Ok(()),
                // `{"type": "com.x.Name"}` is a use of a name: it becomes the name itself.
                Some(t) => {
                    *v = Value::String(t.to_string());
                    walk(v, ns, defined, lookup, depth + 1)
                }
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{comparable_metadata, in_context};
    use serde_json::json;

    #[test]
    fn metadata_maps_owner_domain_tags_and_nested_field_classifications() {
        use crate::core::json::Limits;
        use crate::core::load::{load, Input};
        use crate::core::source::SourceMap;
        let text = r#"{"type": "record", "name": "User", "namespace": "a", "owner": "ops", "fields": [
            {"name": "email", "type": "string", "classification": "pii"},
            {"name": "home", "type": ["null", {"type": "record", "name": "Address", "fields": [
                {"name": "street", "type": "string", "tags": ["geo"]}]}], "default": null},
            {"name": "n", "type": "int"}]}"#;
        let set = load(vec![Input::new("u.avsc", text)], &Limits::default(), &mut SourceMap::new());
        let cfg = crate::core::config::parse(
            "metadata:\n  classifications: [pii, internal]\n  teams:\n    web: {}\n    ops: {}\n  schemas:\n    a.**:\n      owner: web\n      domain: users\n      tags: [gdpr]\n      fields:\n        street: {classification: internal}\n",
        )
        .unwrap();
        let m = super::registry_metadata(&set, 0, &cfg.metadata).unwrap();
        // The file's own `owner` wins over the config's.
        assert_eq!(m["properties"], json!({"owner": "ops", "domain": "users", "tags": "gdpr"}));
        assert_eq!(m["tags"], json!({"a.User.email": ["pii"], "a.Address.street": ["geo", "internal"]}));
        let bare = crate::core::metadata::Metadata::default();
        let plain = load(
            vec![Input::new("p.avsc", r#"{"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}"#)],
            &Limits::default(),
            &mut SourceMap::new(),
        );
        assert_eq!(super::registry_metadata(&plain, 0, &bare), None);
    }

    #[test]
    fn registered_metadata_is_compared_without_the_registrys_own_properties() {
        let sent = json!({"properties": {"owner": "pay"}, "tags": {"a.B.email": ["pii", "contact"]}});
        let back = json!({
            "properties": {"owner": "pay", "confluent:version": "2"},
            "tags": {"a.B.email": ["contact", "pii"]},
            "sensitive": []
        });
        assert_eq!(comparable_metadata(Some(&sent)), comparable_metadata(Some(&back)));
        assert_eq!(comparable_metadata(None), comparable_metadata(Some(&json!({"properties": {}}))));
        let other = json!({"properties": {"owner": "ops"}});
        assert_ne!(comparable_metadata(Some(&sent)), comparable_metadata(Some(&other)));
    }

    #[test]
    fn subjects_are_kept_only_in_the_configured_context() {
        assert_eq!(in_context("orders-value", None), Some("orders-value"));
        assert_eq!(in_context(":.staging:orders-value", None), None);
        assert_eq!(in_context(":.:orders-value", None), Some("orders-value"));
        assert_eq!(in_context(":.staging:orders-value", Some("staging")), Some("orders-value"));
        assert_eq!(in_context(":.staging:orders-value", Some(".staging")), Some("orders-value"));
        assert_eq!(in_context(":.prod:orders-value", Some("staging")), None);
        assert_eq!(in_context("orders-value", Some("staging")), None);
    }
}
