//! Convention rules: whether a legal schema is a *good* contract for everyone downstream.
//!
//! A rule is one file under `rules/<category>/` holding one [`Rule`] (its code, category,
//! default severity, preset, summary, docs and a bad and a good example) and its check; the
//! registry is [`rules::ALL`], one line per rule. Listing and explaining rules reads these
//! declarations, and one generic test runs every rule's examples.
//!
//! Pure: rules look at a loaded [`SchemaSet`] and the file's path relative to the schema root.

pub mod rules;

use crate::core::finding::{did_you_mean, Finding, Kind, Label, Severity};
use crate::core::glob::glob_match;
use crate::core::schema::{Field, Primitive, Record, Schema, SchemaId, SchemaKind, SchemaSet};
use crate::core::source::{FileId, Span};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Naming,
    Docs,
    Evolution,
    Types,
    Layout,
}

impl Category {
    pub const ALL: [Category; 5] =
        [Category::Naming, Category::Docs, Category::Evolution, Category::Types, Category::Layout];
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Naming => "naming",
            Category::Docs => "docs",
            Category::Evolution => "evolution",
            Category::Types => "types",
            Category::Layout => "layout",
        }
    }
}

/// Rule sets: each contains the one before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    Minimal,
    Recommended,
    Strict,
}

impl Preset {
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Minimal => "minimal",
            Preset::Recommended => "recommended",
            Preset::Strict => "strict",
        }
    }
    pub fn parse(s: &str) -> Option<Preset> {
        [Preset::Minimal, Preset::Recommended, Preset::Strict].into_iter().find(|p| p.as_str() == s)
    }
}

/// A rule's setting in the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    Warn,
    Error,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "warn" | "warning" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// The style field names must follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldCase {
    Snake,
    Camel,
    /// Whichever of the two most multi-word field names of the set follow (the default).
    Consistent,
}

impl FieldCase {
    pub fn parse(s: &str) -> Option<FieldCase> {
        match s {
            "snake" | "snake_case" => Some(FieldCase::Snake),
            "camel" | "camelCase" => Some(FieldCase::Camel),
            "consistent" => Some(FieldCase::Consistent),
            _ => None,
        }
    }
}

/// How strictly a file's name must match its top-level type's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileNameMatch {
    /// Exactly `<Name>.avsc`.
    Strict,
    /// Ignoring case, `_` and `-`: `payment_event.avsc` holds `PaymentEvent` (the default).
    Loose,
}

/// The field-name style in force for a run, and the counts it was chosen from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldStyle {
    pub case: FieldCase,
    /// `(snake_case names, camelCase names)` among multi-word field names, when the style was
    /// chosen from the set (`consistent`).
    pub counts: Option<(usize, usize)>,
}

/// Counts the multi-word field names of the set in each style and picks the one most follow;
/// a tie picks snake_case (the style of the Avro specification's examples, and the earlier
/// default), so the choice never depends on file order.
pub fn dominant_field_case(set: &SchemaSet) -> FieldStyle {
    let (mut snake, mut camel) = (0, 0);
    for n in &set.nodes {
        if let SchemaKind::Record(r) = &n.kind {
            for f in &r.fields {
                // One pass over the bytes: an ASCII letter is never part of a multi-byte character.
                let b = f.name.as_bytes();
                let (underscore, upper) =
                    b.iter().fold((false, false), |(u, up), c| (u || *c == b'_', up || c.is_ascii_uppercase()));
                let lower_words = underscore && !upper;
                let camel_words = !underscore && b.first().is_some_and(u8::is_ascii_lowercase) && upper;
                snake += usize::from(lower_words);
                camel += usize::from(camel_words);
            }
        }
    }
    let case = if camel > snake { FieldCase::Camel } else { FieldCase::Snake };
    FieldStyle { case, counts: Some((snake, camel)) }
}

/// One finding of a rule, before it becomes a [`Finding`].
pub struct Hit {
    /// Other places the finding refers to ("first defined here").
    pub labels: Vec<Label>,
    pub span: Span,
    pub pointer: String,
    pub message: String,
    pub help: String,
}

/// What a rule sees of one file.
pub struct FileCtx<'a> {
    pub set: &'a SchemaSet,
    pub file: FileId,
    pub root: SchemaId,
    pub nodes: std::ops::Range<u32>,
    /// The file's path relative to the schema root (`/`-separated), when it is under one.
    pub rel_path: Option<&'a str>,
    pub options: &'a LintOptions,
    /// The field-name style in force (`options.field_case`, or the set's own for `consistent`).
    pub field_style: FieldStyle,
    /// Full names used by reference from anywhere in the set.
    pub referenced: &'a HashSet<String>,
}

impl<'a> FileCtx<'a> {
    /// Every node of the file.
    pub fn nodes(&self) -> impl Iterator<Item = (SchemaId, &'a Schema)> + '_ {
        self.nodes.clone().map(move |i| (SchemaId(i), self.set.node(SchemaId(i))))
    }
    /// Every record (and error) defined in the file.
    pub fn records(&self) -> impl Iterator<Item = (&'a Schema, &'a Record)> + '_ {
        self.nodes().filter_map(|(_, n)| match &n.kind {
            SchemaKind::Record(r) => Some((n, r.as_ref())),
            _ => None,
        })
    }
    /// Every field of every record in the file.
    pub fn fields(&self) -> impl Iterator<Item = &'a Field> + '_ {
        self.records().flat_map(|(_, r)| r.fields.iter())
    }
    /// The schema a field's type resolves to.
    pub fn resolved(&self, id: SchemaId) -> &'a Schema {
        self.set.resolved(id)
    }
    /// The branches of a union type, or `None`.
    pub fn union(&self, id: SchemaId) -> Option<&'a [SchemaId]> {
        match &self.set.resolved(id).kind {
            SchemaKind::Union(b) => Some(b),
            _ => None,
        }
    }
    pub fn is_null(&self, id: SchemaId) -> bool {
        matches!(self.set.resolved(id).kind, SchemaKind::Primitive(Primitive::Null))
    }
    /// A union with a `null` branch.
    pub fn is_nullable(&self, id: SchemaId) -> bool {
        self.union(id).is_some_and(|b| b.iter().any(|x| self.is_null(*x)))
    }
    /// The non-null type of a field: the type itself, or the single non-null branch of an
    /// optional union.
    pub fn value_type(&self, id: SchemaId) -> Option<&'a Schema> {
        match self.union(id) {
            Some(b) => {
                let non_null: Vec<&SchemaId> = b.iter().filter(|x| !self.is_null(**x)).collect();
                (non_null.len() == 1).then(|| self.set.resolved(*non_null[0]))
            }
            None => Some(self.set.resolved(id)),
        }
    }
    /// Span of a field's `type` value.
    pub fn type_span(&self, f: &Field) -> Span {
        self.set.node(f.ty).span
    }
}

/// Splits a name into lower-case words: `createdAt`, `created_at` and `CreatedAt` all give
/// `created`, `at`.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '.' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase()) && chars[i - 1].is_uppercase());
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A rule: its declaration and its check.
pub struct Rule {
    /// Kebab-case code naming the problem.
    pub code: &'static str,
    pub category: Category,
    /// Severity when the rule is on and the config does not say otherwise.
    pub severity: Severity,
    /// The smallest preset that turns the rule on.
    pub preset: Preset,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// "What it does" paragraph.
    pub what: &'static str,
    /// "Why is this bad?" paragraph.
    pub why: &'static str,
    /// A schema file the rule reports (and no other rule does).
    pub bad: &'static str,
    /// The same schema done right: no rule reports it.
    pub good: &'static str,
    /// Where the bad example lies, relative to the schema root, when its path matters;
    /// otherwise examples lie at the path their full name gives.
    pub bad_path: Option<&'static str>,
    pub check: fn(&FileCtx, &mut Vec<Hit>),
}

impl Rule {
    /// The rule's documentation, as Markdown.
    pub fn docs(&self) -> String {
        format!(
            "# {code}\n\n{summary}\n\n- category: {cat}\n- default severity: {sev}\n- preset: {preset}\n\n## What it does\n\n{what}\n\n## Why is this bad?\n\n{why}\n\n## Example\n\n```json\n{bad}\n```\n\nUse instead:\n\n```json\n{good}\n```\n",
            code = self.code,
            summary = self.summary,
            cat = self.category.as_str(),
            sev = self.severity.as_str(),
            preset = self.preset.as_str(),
            what = self.what,
            why = self.why,
            bad = self.bad.trim(),
            good = self.good.trim(),
        )
    }
}

/// A rule or category name as written in the config, and the level it is set to.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub name: String,
    pub level: Level,
}

/// Lint settings, from `lint:` in schemapipe.yaml.
#[derive(Clone, Debug, PartialEq)]
pub struct LintOptions {
    pub preset: Preset,
    pub field_case: FieldCase,
    pub file_name: FileNameMatch,
    /// Deepest nesting of records inside records before `nesting-too-deep`.
    pub max_nesting: usize,
    /// Rule and category settings, in order.
    pub settings: Vec<Setting>,
    /// Per-path settings: globs relative to the schema root, and their settings.
    pub overrides: Vec<(Vec<String>, Vec<Setting>)>,
    /// `metadata:` from schemapipe.yaml, for the ownership rules.
    pub metadata: std::sync::Arc<crate::core::metadata::Metadata>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            preset: Preset::Recommended,
            field_case: FieldCase::Consistent,
            file_name: FileNameMatch::Loose,
            max_nesting: 5,
            settings: Vec::new(),
            overrides: Vec::new(),
            metadata: Default::default(),
        }
    }
}

/// The rule or category a config name denotes, with a did-you-mean when it is neither.
pub fn check_name(name: &str) -> Result<(), String> {
    if rules::ALL.iter().any(|r| r.code == name) || Category::ALL.iter().any(|c| c.as_str() == name) {
        return Ok(());
    }
    let candidates = rules::ALL.iter().map(|r| r.code).chain(Category::ALL.iter().map(|c| c.as_str()));
    Err(match did_you_mean(name, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            "run `schemapipe rules` for every rule name; categories are naming, docs, evolution, types, layout".into()
        }
    })
}

fn apply(settings: &[Setting], rule: &Rule, current: Option<Severity>) -> Option<Severity> {
    let mut sev = current;
    // Categories first, then rules: the narrower setting wins whatever the order.
    for pass in [true, false] {
        for s in settings {
            let matches = if pass { s.name == rule.category.as_str() } else { s.name == rule.code };
            if matches {
                sev = match s.level {
                    Level::Off => None,
                    Level::Warn => Some(Severity::Warning),
                    Level::Error => Some(Severity::Error),
                };
            }
        }
    }
    sev
}

/// The severity a rule has for a file, or `None` when it is off there.
pub fn severity_for(rule: &Rule, options: &LintOptions, rel_path: Option<&str>) -> Option<Severity> {
    let mut sev = (rule.preset <= options.preset).then_some(rule.severity);
    sev = apply(&options.settings, rule, sev);
    if let Some(path) = rel_path {
        for (globs, settings) in &options.overrides {
            if globs.iter().any(|g| glob_match(g, path)) {
                sev = apply(settings, rule, sev);
            }
        }
    }
    sev
}

/// One file to lint: its index in `set.files`, and its path relative to the schema root.
pub struct Target<'a> {
    pub index: usize,
    pub rel_path: Option<&'a str>,
}

/// Names used by reference anywhere in the set (through a name, not an inline definition).
pub fn referenced_names(set: &SchemaSet) -> HashSet<String> {
    set.nodes
        .iter()
        .filter_map(|n| match &n.kind {
            SchemaKind::Ref(r) => r.target.and_then(|t| set.node(t).named()).map(|n| n.full_name.clone()),
            _ => None,
        })
        .collect()
}

/// Runs every enabled rule over the targets (on several threads when there are many: files
/// are linted independently).
pub fn lint(set: &SchemaSet, targets: &[Target], options: &LintOptions) -> Vec<Finding> {
    let referenced = referenced_names(set);
    let field_style = match options.field_case {
        FieldCase::Consistent => dominant_field_case(set),
        case => FieldStyle { case, counts: None },
    };
    let one = |t: &Target| -> Vec<Finding> {
        let mut out = Vec::new();
        let fs = &set.files[t.index];
        let Some(root) = fs.root else { return out };
        let ctx = FileCtx {
            set,
            file: fs.file,
            root,
            nodes: fs.nodes.clone(),
            rel_path: t.rel_path,
            options,
            field_style,
            referenced: &referenced,
        };
        for rule in rules::ALL {
            let Some(severity) = severity_for(rule, options, t.rel_path) else { continue };
            let mut hits = Vec::new();
            (rule.check)(&ctx, &mut hits);
            for h in hits {
                out.push(Finding {
                    code: rule.code,
                    kind: Kind::Lint,
                    severity,
                    message: h.message,
                    file: Some(fs.file),
                    span: Some(h.span),
                    path: Some(h.pointer),
                    labels: h.labels,
                    help: Some(h.help),
                    details: Vec::new(),
                });
            }
        }
        out
    };
    // Files differ a lot in size: the rules run on every core, in runs taken in turn, and the
    // findings come back in target order.
    crate::core::par::map(targets, one).into_iter().flatten().collect()
}

#[cfg(test)]
mod tests;

/// `docs/rules.md`: the table of every rule and each rule's documentation, from the registry.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Lint rules\n\n<!-- Generated from the rule registry (src/core/lint/rules); a test keeps it current. -->\n\n`schemapipe lint` (and `check`) run these rules. Presets: `minimal` ⊂ `recommended` (the default) ⊂ `strict`; set severities per rule or category under `lint:` in schemapipe.yaml (see docs/config.md).\n\n| code | category | default severity | preset | summary |\n| --- | --- | --- | --- | --- |\n",
    );
    for r in rules::ALL {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} | {} |\n",
            r.code,
            r.code,
            r.category.as_str(),
            r.severity.as_str(),
            r.preset.as_str(),
            r.summary
        ));
    }
    for r in rules::ALL {
        out.push('\n');
        out.push_str(
            &r.docs()
                .replacen("# ", "## ", 1)
                .replace("\n## What", "\n### What")
                .replace("\n## Why", "\n### Why")
                .replace("\n## Example", "\n### Example"),
        );
    }
    out
}
