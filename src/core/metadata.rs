//! Ownership and lineage metadata: who owns each schema, which domain it belongs to, which
//! topics carry it, which services produce and consume it, and how its fields are classified.
//!
//! Two sources, merged per schema (docs/catalog.md):
//!
//! 1. `metadata:` in schemapipe.yaml: teams, services (and sinks), classifications, and entries
//!    per schema full name or glob over full names (`com.acme.payments.**`);
//! 2. properties in the schema file itself: `owner`, `domain`, `tags` on the top-level type,
//!    `classification` and `tags` on a field.
//!
//! Precedence: a property in the schema file wins over schemapipe.yaml; among config entries,
//! the most specific pattern (an exact name, then the longest pattern) wins for single values
//! (owner, domain, description, a field's classification), and lists (tags, topics, producers,
//! consumers) are the union of every matching entry and the file's own.
//!
//! Pure: the caller reads the file.

use crate::core::finding::did_you_mean;
use crate::core::glob::glob_match;
use crate::core::schema::{Field, Schema};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Classifications used when the config names none.
pub const DEFAULT_CLASSIFICATIONS: &[&str] = &["public", "internal", "confidential", "sensitive", "pii"];

/// What a service is, for the lineage diagram and the Atlas export.
pub const SERVICE_KINDS: &[&str] = &["service", "connector", "sink", "job"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetadata {
    classifications: Option<Vec<String>>,
    teams: Option<BTreeMap<String, RawTeam>>,
    services: Option<BTreeMap<String, RawService>>,
    schemas: Option<BTreeMap<String, RawSchemaMeta>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    contact: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    kind: Option<String>,
    team: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchemaMeta {
    owner: Option<String>,
    domain: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
    topics: Option<Vec<String>>,
    producers: Option<Vec<String>>,
    consumers: Option<Vec<String>>,
    fields: Option<BTreeMap<String, RawFieldMeta>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFieldMeta {
    classification: Option<String>,
    tags: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Team {
    pub name: String,
    pub contact: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub name: String,
    /// `service`, `connector`, `sink` or `job`.
    pub kind: String,
    pub team: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldMeta {
    pub classification: Option<String>,
    pub tags: Vec<String>,
}

/// The metadata of one schema (one config entry, or the merge for a schema).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SchemaMeta {
    pub owner: Option<String>,
    pub domain: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub topics: Vec<String>,
    pub producers: Vec<String>,
    pub consumers: Vec<String>,
    /// By field name.
    pub fields: BTreeMap<String, FieldMeta>,
}

/// `metadata:` in schemapipe.yaml, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Whether the config has a `metadata:` section: the ownership rules then apply to every
    /// schema.
    pub declared: bool,
    pub classifications: Vec<String>,
    pub teams: BTreeMap<String, Team>,
    pub services: BTreeMap<String, Service>,
    /// Pattern (full name or glob over dotted names) -> entry, most specific last.
    pub entries: Vec<(String, SchemaMeta)>,
}

/// A problem in `metadata:`, located in the config text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
}

/// 1-based line and column of `value` as the value of `key` (or a list item) after
/// `metadata:` and after the line introducing `anchor`, for errors about references.
fn locate_value(text: &str, anchor: &str, key: &str, value: &str) -> (Option<usize>, Option<usize>) {
    let start = text.find("\nmetadata:").map(|i| i + 1).or_else(|| text.starts_with("metadata:").then_some(0));
    let Some(start) = start else { return (None, None) };
    let mut offset = 0;
    let mut after_anchor = anchor.is_empty();
    let mut in_key = false;
    for (i, line) in text.lines().enumerate() {
        let line_start = offset;
        offset += line.len() + 1;
        if line_start < start {
            continue;
        }
        let trimmed = line.trim_start();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if !after_anchor {
            if bare.starts_with(anchor) && bare[anchor.len()..].trim_start_matches(['"', '\'']).starts_with(':') {
                after_anchor = true;
            } else {
                continue;
            }
        }
        // `key:` as a block key, or inside a flow mapping (`{owner: x}`) on this line.
        let key_at = find_token(line, key).filter(|&p| line[p + key.len()..].starts_with(':'));
        let on_key = key_at.is_some();
        if on_key {
            in_key = true;
        } else if !trimmed.starts_with("- ") {
            in_key = false;
        }
        if on_key || (in_key && trimmed.starts_with("- ")) {
            let from = key_at.map(|p| p + key.len() + 1).unwrap_or(0);
            if let Some(pos) = find_token(&line[from..], value) {
                return (Some(i + 1), Some(from + pos + 1));
            }
        }
    }
    (None, None)
}

/// Position of `value` as a whole token (not part of a longer name) in `s`.
fn find_token(s: &str, value: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.';
    let mut from = 0;
    while let Some(p) = s[from..].find(value) {
        let at = from + p;
        let before = s[..at].chars().next_back();
        let after = s[at + value.len()..].chars().next();
        if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
            return Some(at);
        }
        from = at + value.len().max(1);
    }
    None
}

fn clean_list(v: Option<Vec<String>>) -> Vec<String> {
    let mut v: Vec<String> = v.unwrap_or_default().into_iter().map(|s| s.trim().to_string()).collect();
    v.retain(|s| !s.is_empty());
    let mut seen = BTreeSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

/// How specific a pattern is: exact names first, then longer patterns.
fn specificity(pattern: &str) -> (bool, usize) {
    (!pattern.contains('*') && !pattern.contains('?'), pattern.len())
}

impl Metadata {
    /// Validates `metadata:`: services name declared teams and kinds, entries name declared
    /// teams, services and classifications. Unknown keys were refused while reading.
    pub fn build(raw: RawMetadata, text: &str) -> Result<Metadata, MetaError> {
        let mut md = Metadata { declared: true, ..Metadata::default() };
        let unknown = |what: &str, value: &str, anchor: &str, key: &str, known: &[&str], hint: &str| {
            let (line, column) = locate_value(text, anchor, key, value);
            let help = match did_you_mean(value, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => hint.to_string(),
                None => format!("declared: {}; {hint}", known.join(", ")),
            };
            MetaError { message: format!("unknown {what} `{value}`"), line, column, help: Some(help) }
        };
        md.classifications = match raw.classifications {
            Some(c) => clean_list(Some(c)),
            None => DEFAULT_CLASSIFICATIONS.iter().map(|s| s.to_string()).collect(),
        };
        for (name, t) in raw.teams.unwrap_or_default() {
            md.teams.insert(name.clone(), Team { name, contact: t.contact, description: t.description });
        }
        let teams: Vec<&str> = md.teams.keys().map(String::as_str).collect();
        for (name, s) in raw.services.unwrap_or_default() {
            let kind = s.kind.unwrap_or_else(|| "service".into());
            if !SERVICE_KINDS.contains(&kind.as_str()) {
                return Err(unknown(
                    "service kind",
                    &kind,
                    &name,
                    "kind",
                    SERVICE_KINDS,
                    "use service, connector, sink or job",
                ));
            }
            if let Some(t) = &s.team {
                if !md.teams.contains_key(t) {
                    return Err(unknown("team", t, &name, "team", &teams, "declare it under `metadata.teams`"));
                }
            }
            md.services.insert(name.clone(), Service { name, kind, team: s.team, description: s.description });
        }
        let services: Vec<&str> = md.services.keys().map(String::as_str).collect();
        let classes: Vec<&str> = md.classifications.iter().map(String::as_str).collect();
        let mut entries = Vec::new();
        for (pattern, e) in raw.schemas.unwrap_or_default() {
            if let Some(o) = &e.owner {
                if !md.teams.contains_key(o) {
                    return Err(unknown("team", o, &pattern, "owner", &teams, "declare it under `metadata.teams`"));
                }
            }
            let producers = clean_list(e.producers);
            let consumers = clean_list(e.consumers);
            for (key, list) in [("producers", &producers), ("consumers", &consumers)] {
                for s in list {
                    if !md.services.contains_key(s) {
                        return Err(unknown(
                            "service",
                            s,
                            &pattern,
                            key,
                            &services,
                            "declare it under `metadata.services`",
                        ));
                    }
                }
            }
            let mut fields = BTreeMap::new();
            for (fname, f) in e.fields.unwrap_or_default() {
                if let Some(c) = &f.classification {
                    if !md.classifications.contains(c) {
                        return Err(unknown(
                            "classification",
                            c,
                            &pattern,
                            "classification",
                            &classes,
                            "add it to `metadata.classifications`",
                        ));
                    }
                }
                fields.insert(fname, FieldMeta { classification: f.classification, tags: clean_list(f.tags) });
            }
            let meta = SchemaMeta {
                owner: e.owner,
                domain: e.domain,
                description: e.description,
                tags: clean_list(e.tags),
                topics: clean_list(e.topics),
                producers,
                consumers,
                fields,
            };
            entries.push((pattern, meta));
        }
        entries.sort_by_key(|(p, _)| specificity(p));
        md.entries = entries;
        Ok(md)
    }

    /// The config's metadata for a schema: every matching entry merged, the most specific
    /// winning single values.
    pub fn for_name(&self, full_name: &str) -> SchemaMeta {
        let mut out = SchemaMeta::default();
        let dotted = full_name.replace('.', "/");
        for (pattern, e) in &self.entries {
            if pattern != full_name && !glob_match(&pattern.replace('.', "/"), &dotted) {
                continue;
            }
            merge_into(&mut out, e);
        }
        out
    }

    pub fn team_known(&self, name: &str) -> bool {
        !self.declared || self.teams.is_empty() || self.teams.contains_key(name)
    }

    pub fn classification_known(&self, name: &str) -> bool {
        if self.declared {
            self.classifications.iter().any(|c| c == name)
        } else {
            DEFAULT_CLASSIFICATIONS.contains(&name)
        }
    }
}

fn union(into: &mut Vec<String>, from: &[String]) {
    for x in from {
        if !into.contains(x) {
            into.push(x.clone());
        }
    }
}

/// `from` is more specific than what `into` holds: its single values win, lists join.
fn merge_into(into: &mut SchemaMeta, from: &SchemaMeta) {
    for (dst, src) in
        [(&mut into.owner, &from.owner), (&mut into.domain, &from.domain), (&mut into.description, &from.description)]
    {
        if src.is_some() {
            dst.clone_from(src);
        }
    }
    union(&mut into.tags, &from.tags);
    union(&mut into.topics, &from.topics);
    union(&mut into.producers, &from.producers);
    union(&mut into.consumers, &from.consumers);
    for (name, f) in &from.fields {
        let e = into.fields.entry(name.clone()).or_default();
        if f.classification.is_some() {
            e.classification.clone_from(&f.classification);
        }
        union(&mut e.tags, &f.tags);
    }
}

fn string_list(node: Option<&crate::core::json::Node>) -> Vec<String> {
    match node {
        Some(n) => match n.as_array() {
            Some(items) => items.iter().filter_map(|i| i.as_str()).map(str::to_string).collect(),
            None => n.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
        },
        None => Vec::new(),
    }
}

/// The metadata properties written in a schema file on its top-level type.
pub fn of_schema(root: &Schema) -> SchemaMeta {
    let s = |k: &str| root.prop(k).and_then(|n| n.as_str()).map(str::to_string);
    SchemaMeta {
        owner: s("owner"),
        domain: s("domain"),
        description: None,
        tags: string_list(root.prop("tags")),
        ..SchemaMeta::default()
    }
}

/// A field's own `classification` and `tags` (`confluent:tags` counts as tags).
pub fn of_field(f: &Field) -> FieldMeta {
    let prop = |k: &str| f.props.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let mut tags = string_list(prop("tags"));
    union(&mut tags, &string_list(prop("confluent:tags")));
    FieldMeta { classification: prop("classification").and_then(|n| n.as_str()).map(str::to_string), tags }
}

/// Whether a schema file carries metadata of its own (which turns the ownership rules on
/// for it even without `metadata:` in the config).
pub fn file_has_metadata<'a>(root: &Schema, mut fields: impl Iterator<Item = &'a Field>) -> bool {
    ["owner", "domain", "tags"].iter().any(|k| root.prop(k).is_some())
        || fields.any(|f| f.props.iter().any(|(k, _)| k == "classification"))
}

/// A schema's metadata: the config's merged entries, then the file's own properties on top.
pub fn resolve(md: &Metadata, full_name: &str, root: &Schema) -> SchemaMeta {
    let mut out = md.for_name(full_name);
    merge_into(&mut out, &of_schema(root));
    out
}

/// A field's metadata: the config's entry for its name, then its own properties on top.
pub fn field_meta(schema: &SchemaMeta, f: &Field) -> FieldMeta {
    let mut out = schema.fields.get(&f.name).cloned().unwrap_or_default();
    let own = of_field(f);
    if own.classification.is_some() {
        out.classification = own.classification;
    }
    union(&mut out.tags, &own.tags);
    out
}

/// Words that make a field name look like personal data.
const PERSONAL_WORDS: &[&str] = &[
    "email",
    "mail",
    "phone",
    "mobile",
    "msisdn",
    "ip",
    "ipv4",
    "ipv6",
    "address",
    "street",
    "postcode",
    "zip",
    "postal",
    "birth",
    "birthday",
    "birthdate",
    "dob",
    "ssn",
    "passport",
    "surname",
    "firstname",
    "lastname",
    "fullname",
    "username",
    "iban",
    "latitude",
    "longitude",
    "gender",
];
/// Words that, before `name`, make it a person's name.
const NAME_QUALIFIERS: &[&str] = &[
    "first",
    "last",
    "full",
    "given",
    "family",
    "middle",
    "display",
    "user",
    "customer",
    "holder",
    "contact",
    "legal",
    "nick",
    "recipient",
];

/// Lower-case words of a name: `dateOfBirth`, `date_of_birth` -> date, of, birth.
fn split_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a field name looks like personal data (`email`, `billing_address`, `first_name`,
/// `dateOfBirth`, `client_ip`), and which word says so.
pub fn personal_word(name: &str) -> Option<String> {
    let words = split_words(name);
    for (i, w) in words.iter().enumerate() {
        if PERSONAL_WORDS.contains(&w.as_str()) {
            return Some(w.clone());
        }
        if w == "name" && (words.len() == 1 || i > 0 && NAME_QUALIFIERS.contains(&words[i - 1].as_str())) {
            return Some(if i > 0 { format!("{}_{w}", words[i - 1]) } else { w.clone() });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(yaml: &str) -> Result<Metadata, MetaError> {
        let raw: RawMetadata = serde_saphyr::from_str(yaml).unwrap();
        let text = format!("metadata:\n{}", yaml.lines().map(|l| format!("  {l}\n")).collect::<String>());
        Metadata::build(raw, &text)
    }

    #[test]
    fn entries_merge_by_specificity() {
        let md = build("teams:\n  pay: {}\n  risk: {}\nservices:\n  api: {team: pay}\n  dwh: {kind: sink}\nschemas:\n  com.acme.**:\n    owner: risk\n    tags: [a]\n    consumers: [dwh]\n  com.acme.Pay:\n    owner: pay\n    tags: [b]\n    producers: [api]\n    fields:\n      email: {classification: pii}\n").unwrap();
        let m = md.for_name("com.acme.Pay");
        assert_eq!(m.owner.as_deref(), Some("pay"));
        assert_eq!(m.tags, ["a", "b"]);
        assert_eq!(m.consumers, ["dwh"]);
        assert_eq!(m.producers, ["api"]);
        assert_eq!(m.fields["email"].classification.as_deref(), Some("pii"));
        assert_eq!(md.for_name("com.acme.Other").owner.as_deref(), Some("risk"));
        assert_eq!(md.for_name("org.Other").owner, None);
    }

    #[test]
    fn undeclared_references_are_located_with_a_did_you_mean() {
        let e = build("teams:\n  payments: {}\nschemas:\n  com.acme.Pay:\n    owner: paymnts\n").unwrap_err();
        assert_eq!(e.message, "unknown team `paymnts`");
        assert_eq!(e.help.as_deref(), Some("did you mean `payments`?"));
        assert_eq!((e.line, e.column), (Some(6), Some(14)));
        let e = build("services:\n  checkout: {}\nschemas:\n  a.B:\n    consumers:\n      - checkot\n").unwrap_err();
        assert_eq!(e.message, "unknown service `checkot`");
        assert_eq!((e.line, e.column), (Some(7), Some(11)));
        let e = build("schemas:\n  a.B:\n    fields:\n      email: {classification: pi}\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `pii`?"));
        assert!(build("services:\n  x: {kind: snk}\n").unwrap_err().help.unwrap().contains("sink"));
        assert!(build("services:\n  x: {team: nobody}\n").is_err());
    }

    #[test]
    fn personal_names() {
        for n in [
            "email",
            "customer_email",
            "phoneNumber",
            "client_ip",
            "billing_address",
            "first_name",
            "dateOfBirth",
            "name",
        ] {
            assert!(personal_word(n).is_some(), "{n}");
        }
        for n in ["product_name", "ship_to_zone", "amount", "tip", "description", "order_id", "file_name"] {
            assert!(personal_word(n).is_none(), "{n}");
        }
    }
}
