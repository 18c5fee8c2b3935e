//! Semantic diff of two versions of a schema, field by field, for review.
//!
//! Walks the old and the new version together, the way a reader meets a writer: record fields
//! match by name (or by a new field's alias naming an old field: a rename), union branches by
//! their type (primitive name, full name, `array`, `map`), named types by full name (or by
//! the new type's alias, or the same simple name: a rename or a namespace move). What differs
//! becomes a [`Change`] with its place in both versions and a readable path such as
//! `amount.currency`, `items[].price` or `attributes{}`.
//!
//! A named type is compared once per diff, where it is first met, however many fields use it.
//! The walk uses an explicit stack: nesting depth costs no native stack.
//!
//! Whether a change breaks readers or writers is not guessed here: [`annotate`] marks the
//! changes at which the compatibility checker found an incompatibility.
//!
//! Pure: works on loaded versions through [`View`].

use crate::core::compat::level::Direction;
use crate::core::compat::{Incompatibility, IncompatibilityKind, NodeRef, Site, View};
use crate::core::json::{same_value, Node, Value};
use crate::core::schema::{Field, Named, Order, Schema, SchemaKind};
use std::collections::{HashMap, HashSet};

/// What kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    TypeChanged,
    TypeRenamed,
    DefaultAdded,
    DefaultRemoved,
    DefaultChanged,
    SymbolAdded,
    SymbolRemoved,
    SymbolsReordered,
    EnumDefaultChanged,
    BranchAdded,
    BranchRemoved,
    BranchesReordered,
    SizeChanged,
    LogicalTypeChanged,
    AliasesChanged,
    OrderChanged,
    DocChanged,
    PropertyChanged,
    /// A named type from another file, met through more references to other files than
    /// [`Options::max_file_hops`]: not compared in this schema's entry (its own entry, or that of
    /// the schema whose file changed, lists what changed in it).
    NotRepeated,
}

impl ChangeKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::FieldAdded => "field-added",
            Self::FieldRemoved => "field-removed",
            Self::FieldRenamed => "field-renamed",
            Self::TypeChanged => "type-changed",
            Self::TypeRenamed => "type-renamed",
            Self::DefaultAdded => "default-added",
            Self::DefaultRemoved => "default-removed",
            Self::DefaultChanged => "default-changed",
            Self::SymbolAdded => "symbol-added",
            Self::SymbolRemoved => "symbol-removed",
            Self::SymbolsReordered => "symbols-reordered",
            Self::EnumDefaultChanged => "enum-default-changed",
            Self::BranchAdded => "branch-added",
            Self::BranchRemoved => "branch-removed",
            Self::BranchesReordered => "branches-reordered",
            Self::SizeChanged => "size-changed",
            Self::LogicalTypeChanged => "logical-type-changed",
            Self::AliasesChanged => "aliases-changed",
            Self::OrderChanged => "order-changed",
            Self::DocChanged => "doc-changed",
            Self::PropertyChanged => "property-changed",
            Self::NotRepeated => "not-repeated",
        }
    }

    /// `+` for something added, `-` for something removed, `~` for a change.
    pub fn sign(self) -> char {
        match self {
            Self::FieldAdded | Self::SymbolAdded | Self::BranchAdded | Self::DefaultAdded => '+',
            Self::FieldRemoved | Self::SymbolRemoved | Self::BranchRemoved | Self::DefaultRemoved => '-',
            _ => '~',
        }
    }

    /// Changes that only touch documentation and metadata: readers and writers never notice.
    pub fn cosmetic(self) -> bool {
        matches!(self, Self::DocChanged | Self::PropertyChanged | Self::OrderChanged | Self::AliasesChanged)
    }

    /// How an incompatibility is tied to the change: at the change's place exactly, anywhere
    /// under it, or never (documentation cannot break anything).
    fn scope(self) -> Scope {
        match self {
            Self::FieldAdded | Self::FieldRemoved | Self::TypeChanged => Scope::Subtree,
            Self::FieldRenamed | Self::DefaultRemoved | Self::DefaultChanged => Scope::Exact,
            Self::BranchAdded | Self::BranchRemoved => Scope::Exact,
            Self::TypeRenamed | Self::SizeChanged => Scope::Exact,
            Self::SymbolAdded | Self::SymbolRemoved | Self::SymbolsReordered | Self::EnumDefaultChanged => Scope::Exact,
            // Readers match union branches by type and symbols by name: order never breaks;
            // logical types are invisible to the checker.
            Self::BranchesReordered | Self::LogicalTypeChanged | Self::DefaultAdded => Scope::Never,
            Self::AliasesChanged | Self::OrderChanged | Self::DocChanged | Self::PropertyChanged => Scope::Never,
            Self::NotRepeated => Scope::Never,
        }
    }

    /// Whether an incompatibility of this kind, in this direction, can come from the change: a
    /// symbol or branch added can only break old readers, one removed only new readers.
    fn can_cause(self, kind: IncompatibilityKind, dir: Direction) -> bool {
        use IncompatibilityKind as K;
        match self {
            Self::TypeRenamed => kind == K::NameMismatch,
            Self::SizeChanged => kind == K::FixedSizeMismatch,
            Self::SymbolAdded => kind == K::MissingEnumSymbols && dir == Direction::Forward,
            Self::SymbolRemoved => kind == K::MissingEnumSymbols && dir == Direction::Backward,
            Self::SymbolsReordered | Self::EnumDefaultChanged => kind == K::MissingEnumSymbols,
            Self::BranchAdded => kind == K::MissingUnionBranch && dir == Direction::Forward,
            Self::BranchRemoved => kind == K::MissingUnionBranch && dir == Direction::Backward,
            Self::FieldRenamed | Self::DefaultRemoved | Self::DefaultChanged => {
                kind == K::ReaderFieldMissingDefaultValue || kind == K::AmbiguousFieldAlias
            }
            _ => true,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Exact,
    Subtree,
    Never,
}

/// One difference between the old and the new version.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where, from the schema's top: `amount.currency`, `items[].price`, `tags{}`; empty for
    /// the schema itself.
    pub path: String,
    pub message: String,
    /// What it was and what it is (a type, a default, a doc), when that is one value.
    pub before: Option<String>,
    pub after: Option<String>,
    /// The place in the old version (absent for an addition).
    pub old: Option<Site>,
    /// The place in the new version (absent for a removal).
    pub new: Option<Site>,
    /// The directions in which the compatibility checker found an incompatibility here.
    pub breaks: Vec<Direction>,
    /// For an addition, the record it was added to, as it was (for a removal, as it is):
    /// where the checker may report it when the record is a union branch.
    pub context: Option<Site>,
}

fn site(s: &Schema) -> Site {
    Site { file: s.file, span: s.named().map(|n| n.name_span).unwrap_or(s.span), pointer: s.pointer.clone() }
}

fn field_site(record: &Schema, f: &Field) -> Site {
    Site { file: record.file, span: f.name_span, pointer: f.pointer.clone() }
}

/// A JSON value in one line, cut at about 80 characters.
pub fn compact(node: &Node) -> String {
    fn escape(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    fn write(n: &Node, out: &mut String) {
        if out.len() > 80 {
            return;
        }
        match &n.value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(x) => out.push_str(&x.raw),
            Value::String(s) => escape(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    escape(&m.key, out);
                    out.push_str(": ");
                    write(&m.value, out);
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    write(node, &mut out);
    if out.len() > 80 {
        let cut = (0..=77).rev().find(|i| out.is_char_boundary(*i)).unwrap_or(0);
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// A readable type: `long (timestamp-millis)`, `com.acme.common.Money`, `array<string>`,
/// `[null, string]`.
pub fn describe(view: &dyn View, r: NodeRef) -> String {
    fn go(view: &dyn View, r: NodeRef, depth: usize, out: &mut String) {
        let s = view.node(view.resolve(r));
        if let Some(n) = s.named() {
            out.push_str(&n.full_name);
            return;
        }
        if depth > 3 {
            out.push('…');
            return;
        }
        match &s.kind {
            SchemaKind::Primitive(p) => {
                out.push_str(p.name());
                if let Some(l) = &s.logical {
                    out.push_str(&format!(" ({})", logical_name(l)));
                }
            }
            SchemaKind::Array(i) => {
                out.push_str("array<");
                go(view, NodeRef { unit: r.unit, id: *i }, depth + 1, out);
                out.push('>');
            }
            SchemaKind::Map(v) => {
                out.push_str("map<");
                go(view, NodeRef { unit: r.unit, id: *v }, depth + 1, out);
                out.push('>');
            }
            SchemaKind::Union(b) => {
                out.push('[');
                for (i, x) in b.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    go(view, NodeRef { unit: r.unit, id: *x }, depth + 1, out);
                }
                out.push(']');
            }
            SchemaKind::Ref(n) => out.push_str(&n.written),
            _ => out.push('?'),
        }
    }
    let mut out = String::new();
    go(view, r, 0, &mut out);
    out
}

fn logical_name(l: &crate::core::schema::logical::LogicalType) -> String {
    match l {
        crate::core::schema::logical::LogicalType::Decimal { precision, scale } => {
            format!("decimal({precision},{scale})")
        }
        other => other.name().to_string(),
    }
}

/// How a union branch is matched across versions (Java allows one branch of each unnamed type).
fn branch_key(view: &dyn View, r: NodeRef) -> String {
    let s = view.node(view.resolve(r));
    match (&s.kind, s.named()) {
        (_, Some(n)) => n.full_name.clone(),
        (SchemaKind::Primitive(p), _) => p.name().to_string(),
        (SchemaKind::Array(_), _) => "array".into(),
        (SchemaKind::Map(_), _) => "map".into(),
        _ => "?".into(),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn shown(path: &str) -> String {
    if path.is_empty() {
        "the schema".into()
    } else {
        format!("`{path}`")
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// Properties compared as metadata: logical types are compared on their own.
fn custom_props(s: &Schema) -> Vec<&(String, Node)> {
    s.props.iter().filter(|(k, _)| !matches!(k.as_str(), "logicalType" | "precision" | "scale")).collect()
}

/// How far a diff follows references into other files.
pub struct Options<'a> {
    /// A named type met through more references into other files than this is not compared
    /// again in the schema that uses it (a `not-repeated` change names it when it may differ):
    /// a ring or chain of n files would otherwise repeat the same change n times, at paths
    /// through up to n references (n² output and work). Normal schemas use types a few files
    /// away at most and see every change inline.
    pub max_file_hops: u32,
    /// Whether what lies under a named type of the old version (in that unit) and one of the
    /// new version (in this unit) may differ in a way not already shown, given the units of the
    /// new version that the diff walked; `false` only when it certainly does not.
    pub may_differ: &'a dyn Fn(u32, u32, &HashSet<u32>) -> bool,
}

/// References followed into other files before a named type is left to its own entry.
pub const MAX_FILE_HOPS: u32 = 4;

impl Default for Options<'_> {
    fn default() -> Self {
        Options { max_file_hops: MAX_FILE_HOPS, may_differ: &|_, _, _| true }
    }
}

enum Task {
    Walk { old: NodeRef, new: NodeRef, path: String, hops: u32 },
    Emit(Box<Change>),
}

struct Differ<'a> {
    old: &'a dyn View,
    new: &'a dyn View,
    seen: HashSet<(NodeRef, NodeRef)>,
    out: Vec<Change>,
    options: &'a Options<'a>,
    /// The units of the two roots.
    roots: (u32, u32),
    /// Named types left out as too far away, and where their `not-repeated` change is in `out`:
    /// one met again nearer is compared there, and its note dropped.
    noted: HashSet<(NodeRef, NodeRef)>,
    notes: Vec<(usize, (NodeRef, NodeRef))>,
    /// Units of the new version compared here (changes in them are shown).
    entered: HashSet<u32>,
}

impl Differ<'_> {
    fn change(&self, kind: ChangeKind, path: &str, message: String) -> Change {
        Change {
            kind,
            path: path.to_string(),
            message,
            before: None,
            after: None,
            old: None,
            new: None,
            breaks: vec![],
            context: None,
        }
    }

    fn props(&mut self, o: &Schema, n: &Schema, path: &str, sites: (Site, Site)) {
        let (op, np) = (custom_props(o), custom_props(n));
        let mut keys: Vec<&str> = op.iter().chain(&np).map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        let (om, nm): (HashMap<&str, &Node>, HashMap<&str, &Node>) =
            (op.iter().map(|(k, v)| (k.as_str(), v)).collect(), np.iter().map(|(k, v)| (k.as_str(), v)).collect());
        for k in keys {
            let a = om.get(k).copied();
            let b = nm.get(k).copied();
            let same = match (a, b) {
                (Some(a), Some(b)) => same_value(a, b),
                (None, None) => true,
                _ => false,
            };
            if !same {
                let what = match (a, b) {
                    (None, _) => "added",
                    (_, None) => "removed",
                    _ => "changed",
                };
                let mut c =
                    self.change(ChangeKind::PropertyChanged, path, format!("property `{k}` {what} on {}", shown(path)));
                c.before = a.map(compact);
                c.after = b.map(compact);
                c.old = Some(sites.0.clone());
                c.new = Some(sites.1.clone());
                self.out.push(c);
            }
        }
    }

    fn named(&mut self, a: &Named, b: &Named, path: &str, sites: (Site, Site)) {
        if a.full_name != b.full_name {
            let how = if b.aliases.contains(&a.full_name) {
                format!(" (the new type lists `{}` as an alias)", a.full_name)
            } else {
                String::new()
            };
            let mut c = self.change(
                ChangeKind::TypeRenamed,
                path,
                format!("type `{}` renamed to `{}`{how}", a.full_name, b.full_name),
            );
            c.before = Some(a.full_name.clone());
            c.after = Some(b.full_name.clone());
            c.old = Some(sites.0.clone());
            c.new = Some(sites.1.clone());
            self.out.push(c);
        }
        let (mut x, mut y) = (a.aliases.clone(), b.aliases.clone());
        x.sort();
        y.sort();
        if x != y {
            let mut c = self.change(ChangeKind::AliasesChanged, path, format!("aliases of `{}` changed", b.full_name));
            c.before = Some(list(&x));
            c.after = Some(list(&y));
            c.old = Some(sites.0.clone());
            c.new = Some(sites.1.clone());
            self.out.push(c);
        }
        if a.doc != b.doc {
            let mut c = self.change(ChangeKind::DocChanged, path, format!("doc of `{}` changed", b.full_name));
            c.before = a.doc.clone();
            c.after = b.doc.clone();
            c.old = Some(sites.0);
            c.new = Some(sites.1);
            self.out.push(c);
        }
    }

    /// Whether two named types are the same type across versions (same full name, a rename
    /// the new type declares with an alias, or a move to another namespace).
    fn same_named(a: &Named, b: &Named) -> bool {
        a.full_name == b.full_name || b.aliases.contains(&a.full_name) || a.name == b.name
    }

    fn type_changed(&mut self, o: NodeRef, n: NodeRef, path: &str) {
        let (mut before, mut after) = (describe(self.old, o), describe(self.new, n));
        if before == after {
            // The same name for another kind of type (a record that became an enum).
            let kind = |s: &Schema| match &s.kind {
                SchemaKind::Record(_) => "record",
                SchemaKind::Enum(_) => "enum",
                SchemaKind::Fixed(_) => "fixed",
                _ => "type",
            };
            before = format!("{} {before}", kind(self.old.node(self.old.resolve(o))));
            after = format!("{} {after}", kind(self.new.node(self.new.resolve(n))));
        }
        let mut c = self.change(ChangeKind::TypeChanged, path, format!("type of {} changed", shown(path)));
        c.message = format!("type of {} changed from `{before}` to `{after}`", shown(path));
        c.before = Some(before);
        c.after = Some(after);
        c.old = Some(site(self.old.node(o)));
        c.new = Some(site(self.new.node(n)));
        self.out.push(c);
    }

    /// Compares two nodes; returns the tasks for what lies below them, in display order.
    fn walk(&mut self, o_at: NodeRef, n_at: NodeRef, path: &str, hops: u32) -> Vec<Task> {
        let (o, n) = (self.old.resolve(o_at), self.new.resolve(n_at));
        let (os, ns) = (self.old.node(o), self.new.node(n));
        let sites = || (site(os), site(ns));
        let mut below = Vec::new();
        // A reference resolved into another file is one more hop.
        let hops = hops + u32::from(o.unit != o_at.unit || n.unit != n_at.unit);
        // The schema's own file is always walked in full.
        let own = o.unit == self.roots.0 || n.unit == self.roots.1;
        if hops > self.options.max_file_hops && !own {
            if let (Some(a), Some(b)) = (os.named(), ns.named()) {
                if Self::same_named(a, b) && std::mem::discriminant(&os.kind) == std::mem::discriminant(&ns.kind) {
                    if self.noted.insert((o, n)) {
                        let mut c = self.change(
                            ChangeKind::NotRepeated,
                            path,
                            format!("`{}` is {hops} files away: changes under it are not repeated here", b.full_name),
                        );
                        c.before = Some(a.full_name.clone());
                        c.after = Some(b.full_name.clone());
                        (c.old, c.new) = (Some(site(os)), Some(site(ns)));
                        self.notes.push((self.out.len(), (o, n)));
                        self.out.push(c);
                    }
                    return below;
                }
            }
        }
        if n.unit != n_at.unit {
            self.entered.insert(n.unit);
        }
        let sub = |r: NodeRef, id| NodeRef { unit: r.unit, id };
        match (&os.kind, &ns.kind) {
            (SchemaKind::Record(a), SchemaKind::Record(b)) if Self::same_named(&a.named, &b.named) => {
                if !self.seen.insert((o, n)) {
                    return below;
                }
                self.named(&a.named, &b.named, path, sites());
                self.props(os, ns, path, sites());
                below = self.fields(o, n, path, hops);
            }
            (SchemaKind::Enum(a), SchemaKind::Enum(b)) if Self::same_named(&a.named, &b.named) => {
                if !self.seen.insert((o, n)) {
                    return below;
                }
                self.named(&a.named, &b.named, path, sites());
                self.props(os, ns, path, sites());
                self.symbols(a, b, path, sites());
            }
            (SchemaKind::Fixed(a), SchemaKind::Fixed(b)) if Self::same_named(&a.named, &b.named) => {
                if !self.seen.insert((o, n)) {
                    return below;
                }
                self.named(&a.named, &b.named, path, sites());
                self.props(os, ns, path, sites());
                if a.size != b.size {
                    let mut c = self.change(
                        ChangeKind::SizeChanged,
                        path,
                        format!("size of fixed `{}` changed from {} to {}", b.named.full_name, a.size, b.size),
                    );
                    c.before = Some(a.size.to_string());
                    c.after = Some(b.size.to_string());
                    (c.old, c.new) = (Some(site(os)), Some(site(ns)));
                    self.out.push(c);
                }
                self.logical(os, ns, path);
            }
            (SchemaKind::Array(a), SchemaKind::Array(b)) => {
                self.props(os, ns, path, sites());
                below.push(Task::Walk { old: sub(o, *a), new: sub(n, *b), path: format!("{path}[]"), hops });
            }
            (SchemaKind::Map(a), SchemaKind::Map(b)) => {
                self.props(os, ns, path, sites());
                below.push(Task::Walk { old: sub(o, *a), new: sub(n, *b), path: format!("{path}{{}}"), hops });
            }
            (SchemaKind::Union(a), SchemaKind::Union(b)) => below = self.branches(o, a, n, b, path, hops),
            (SchemaKind::Primitive(p), SchemaKind::Primitive(q)) if p == q => {
                self.logical(os, ns, path);
                self.props(os, ns, path, sites());
            }
            (SchemaKind::Union(a), _) => {
                // `["null", X]` -> `X`: the type changed; what is inside X is still compared.
                self.type_changed(o_at, n_at, path);
                let key = branch_key(self.new, n);
                if let Some(x) = a.iter().find(|x| branch_key(self.old, sub(o, **x)) == key) {
                    below.push(Task::Walk { old: sub(o, *x), new: n, path: path.to_string(), hops });
                }
            }
            (_, SchemaKind::Union(b)) => {
                self.type_changed(o_at, n_at, path);
                let key = branch_key(self.old, o);
                if let Some(x) = b.iter().find(|x| branch_key(self.new, sub(n, **x)) == key) {
                    below.push(Task::Walk { old: o, new: sub(n, *x), path: path.to_string(), hops });
                }
            }
            (SchemaKind::Invalid, _) | (_, SchemaKind::Invalid) => {}
            _ => self.type_changed(o_at, n_at, path),
        }
        below
    }

    fn logical(&mut self, os: &Schema, ns: &Schema, path: &str) {
        if os.logical != ns.logical {
            let name = |s: &Schema| s.logical.as_ref().map(logical_name).unwrap_or_else(|| "none".into());
            let mut c = self.change(
                ChangeKind::LogicalTypeChanged,
                path,
                format!("logical type of {} changed from {} to {}", shown(path), name(os), name(ns)),
            );
            c.before = Some(name(os));
            c.after = Some(name(ns));
            (c.old, c.new) = (Some(site(os)), Some(site(ns)));
            self.out.push(c);
        }
    }

    fn symbols(
        &mut self,
        a: &crate::core::schema::Enum,
        b: &crate::core::schema::Enum,
        path: &str,
        sites: (Site, Site),
    ) {
        let old: Vec<&str> = a.symbols.iter().map(|(s, _)| s.as_str()).collect();
        let new: Vec<&str> = b.symbols.iter().map(|(s, _)| s.as_str()).collect();
        // Sets for membership: an enum of many symbols costs no quadratic search.
        let (old_set, new_set): (HashSet<&str>, HashSet<&str>) =
            (old.iter().copied().collect(), new.iter().copied().collect());
        let name = &b.named.full_name;
        for s in new.iter().filter(|s| !old_set.contains(*s)) {
            let mut c = self.change(ChangeKind::SymbolAdded, path, format!("symbol `{s}` added to enum `{name}`"));
            c.after = Some(s.to_string());
            (c.old, c.new) = (Some(sites.0.clone()), Some(sites.1.clone()));
            self.out.push(c);
        }
        for s in old.iter().filter(|s| !new_set.contains(*s)) {
            let mut c =
                self.change(ChangeKind::SymbolRemoved, path, format!("symbol `{s}` removed from enum `{name}`"));
            c.before = Some(s.to_string());
            (c.old, c.new) = (Some(sites.0.clone()), Some(sites.1.clone()));
            self.out.push(c);
        }
        let kept_old: Vec<&&str> = old.iter().filter(|s| new_set.contains(*s)).collect();
        let kept_new: Vec<&&str> = new.iter().filter(|s| old_set.contains(*s)).collect();
        if kept_old != kept_new {
            let mut c = self.change(
                ChangeKind::SymbolsReordered,
                path,
                format!("symbols of enum `{name}` reordered (ordinals change; Avro readers match symbols by name)"),
            );
            c.before = Some(list(&old.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
            c.after = Some(list(&new.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
            (c.old, c.new) = (Some(sites.0.clone()), Some(sites.1.clone()));
            self.out.push(c);
        }
        let (da, db) = (a.default.as_ref().map(|d| d.0.clone()), b.default.as_ref().map(|d| d.0.clone()));
        if da != db {
            let show = |d: &Option<String>| d.as_ref().map(|d| format!("`{d}`")).unwrap_or_else(|| "none".into());
            let mut c = self.change(
                ChangeKind::EnumDefaultChanged,
                path,
                format!("default symbol of enum `{name}` changed from {} to {}", show(&da), show(&db)),
            );
            (c.before, c.after) = (da, db);
            (c.old, c.new) = (Some(sites.0), Some(sites.1));
            self.out.push(c);
        }
    }

    fn branches(
        &mut self,
        o: NodeRef,
        a: &[crate::core::schema::SchemaId],
        n: NodeRef,
        b: &[crate::core::schema::SchemaId],
        path: &str,
        hops: u32,
    ) -> Vec<Task> {
        let sub = |r: NodeRef, id| NodeRef { unit: r.unit, id };
        let ok: Vec<String> = a.iter().map(|x| branch_key(self.old, sub(o, *x))).collect();
        let nk: Vec<String> = b.iter().map(|x| branch_key(self.new, sub(n, *x))).collect();
        // A renamed named branch pairs with the old one through the new type's alias.
        let alias_of = |new_branch: &crate::core::schema::SchemaId| -> Vec<String> {
            self.new.node(self.new.resolve(sub(n, *new_branch))).named().map(|x| x.aliases.clone()).unwrap_or_default()
        };
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut used_old = vec![false; a.len()];
        // Old branches by key and by simple name, new keys as a set: unions of thousands of
        // branches pair up without a quadratic search.
        let mut old_by_key: HashMap<&str, usize> = HashMap::new();
        for (i, k) in ok.iter().enumerate().rev() {
            old_by_key.insert(k.as_str(), i);
        }
        let new_keys: HashSet<&str> = nk.iter().map(String::as_str).collect();
        let mut old_by_simple: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, x) in a.iter().enumerate() {
            if let Some(named) = self.old.node(self.old.resolve(sub(o, *x))).named() {
                old_by_simple.entry(named.name.clone()).or_default().push(i);
            }
        }
        for (j, key) in nk.iter().enumerate() {
            let found = old_by_key.get(key.as_str()).copied().filter(|i| !used_old[*i]).or_else(|| {
                let aliases = alias_of(&b[j]);
                aliases.iter().filter_map(|al| old_by_key.get(al.as_str()).copied()).filter(|i| !used_old[*i]).min()
            });
            // A named branch moved to another namespace keeps its simple name (and its kind).
            let found = found.or_else(|| {
                let nn = self.new.node(self.new.resolve(sub(n, b[j])));
                let simple = &nn.named()?.name;
                old_by_simple.get(simple)?.iter().copied().find(|i| {
                    let on = self.old.node(self.old.resolve(sub(o, a[*i])));
                    !used_old[*i]
                        && !new_keys.contains(ok[*i].as_str())
                        && std::mem::discriminant(&on.kind) == std::mem::discriminant(&nn.kind)
                })
            });
            if let Some(i) = found {
                used_old[i] = true;
                pairs.push((i, j));
            }
        }
        let paired_new: HashSet<usize> = pairs.iter().map(|p| p.1).collect();
        let (os, ns) = (self.old.node(o), self.new.node(n));
        let non_null = |keys: &[String]| keys.iter().filter(|k| *k != "null").count();
        let marked = non_null(&ok) > 1 || non_null(&nk) > 1;
        for (j, key) in nk.iter().enumerate() {
            if !paired_new.contains(&j) {
                let mut c = self.change(
                    ChangeKind::BranchAdded,
                    path,
                    format!("branch `{key}` added to the union at {}", shown(path)),
                );
                c.before = Some(describe(self.old, o));
                c.after = Some(describe(self.new, n));
                // The unions' places: the checker reports a missing branch at the reader's union.
                (c.old, c.new) = (Some(site(os)), Some(site(ns)));
                self.out.push(c);
            }
        }
        for (i, key) in ok.iter().enumerate() {
            if !used_old[i] {
                let mut c = self.change(
                    ChangeKind::BranchRemoved,
                    path,
                    format!("branch `{key}` removed from the union at {}", shown(path)),
                );
                c.before = Some(describe(self.old, o));
                c.after = Some(describe(self.new, n));
                (c.old, c.new) = (Some(site(os)), Some(site(ns)));
                self.out.push(c);
            }
        }
        let order_old: Vec<usize> = {
            let mut p = pairs.clone();
            p.sort_by_key(|x| x.1);
            p.iter().map(|x| x.0).collect()
        };
        if order_old.windows(2).any(|w| w[0] > w[1]) {
            let mut c = self.change(
                ChangeKind::BranchesReordered,
                path,
                format!(
                    "branches of the union at {} reordered (a field default must match the first branch)",
                    shown(path)
                ),
            );
            c.before = Some(describe(self.old, o));
            c.after = Some(describe(self.new, n));
            (c.old, c.new) = (Some(site(os)), Some(site(ns)));
            self.out.push(c);
        }
        pairs
            .into_iter()
            .map(|(i, j)| {
                let p = if marked { format!("{path}<{}>", nk[j]) } else { path.to_string() };
                Task::Walk { old: sub(o, a[i]), new: sub(n, b[j]), path: p, hops }
            })
            .collect()
    }

    fn fields(&mut self, o: NodeRef, n: NodeRef, path: &str, hops: u32) -> Vec<Task> {
        let (os, ns) = (self.old.node(o), self.new.node(n));
        let (SchemaKind::Record(a), SchemaKind::Record(b)) = (&os.kind, &ns.kind) else { return Vec::new() };
        let mut used_old = vec![false; a.fields.len()];
        let mut tasks = Vec::new();
        let ty = |r: NodeRef, id| NodeRef { unit: r.unit, id };
        // By name first, then renames (a new field's alias naming an unmatched old field). Old
        // fields by name: a record of thousands of fields costs no quadratic search.
        let by_name: std::collections::HashMap<&str, usize> =
            a.fields.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).rev().collect();
        let mut matched: Vec<Option<usize>> = b
            .fields
            .iter()
            .map(|nf| {
                let i = *by_name.get(nf.name.as_str())?;
                used_old[i] = true;
                Some(i)
            })
            .collect();
        for (j, nf) in b.fields.iter().enumerate() {
            if matched[j].is_none() {
                let renamed =
                    nf.aliases.iter().filter_map(|al| by_name.get(al.as_str()).copied()).find(|i| !used_old[*i]);
                if let Some(i) = renamed {
                    used_old[i] = true;
                    matched[j] = Some(i);
                }
            }
        }
        for (j, nf) in b.fields.iter().enumerate() {
            let fpath = join(path, &nf.name);
            let new_site = field_site(ns, nf);
            let Some(i) = matched[j] else {
                let t = describe(self.new, ty(n, nf.ty));
                let default = match &nf.default {
                    Some(d) => format!("default {}", compact(d)),
                    None => "no default".into(),
                };
                let mut c =
                    self.change(ChangeKind::FieldAdded, &fpath, format!("field `{fpath}` added: `{t}`, {default}"));
                c.after = Some(t);
                c.new = Some(new_site);
                c.context = Some(site(os));
                tasks.push(Task::Emit(Box::new(c)));
                continue;
            };
            let of = &a.fields[i];
            let old_site = field_site(os, of);
            let both = |mut c: Change| {
                c.old = Some(old_site.clone());
                c.new = Some(new_site.clone());
                Task::Emit(Box::new(c))
            };
            if of.name != nf.name {
                let mut c = self.change(
                    ChangeKind::FieldRenamed,
                    &fpath,
                    format!("field `{}` renamed to `{fpath}` (with `{}` as an alias)", join(path, &of.name), of.name),
                );
                c.before = Some(of.name.clone());
                c.after = Some(nf.name.clone());
                tasks.push(both(c));
            }
            match (&of.default, &nf.default) {
                (None, Some(d)) => {
                    let mut c = self.change(
                        ChangeKind::DefaultAdded,
                        &fpath,
                        format!("default {} added to `{fpath}`", compact(d)),
                    );
                    c.after = Some(compact(d));
                    tasks.push(both(c));
                }
                (Some(d), None) => {
                    let mut c = self.change(
                        ChangeKind::DefaultRemoved,
                        &fpath,
                        format!("default {} removed from `{fpath}`", compact(d)),
                    );
                    c.before = Some(compact(d));
                    tasks.push(both(c));
                }
                (Some(x), Some(y)) if !same_value(x, y) => {
                    let mut c = self.change(
                        ChangeKind::DefaultChanged,
                        &fpath,
                        format!("default of `{fpath}` changed from {} to {}", compact(x), compact(y)),
                    );
                    c.before = Some(compact(x));
                    c.after = Some(compact(y));
                    tasks.push(both(c));
                }
                _ => {}
            }
            if of.order != nf.order {
                let word = |o: Order| match o {
                    Order::Ascending => "ascending",
                    Order::Descending => "descending",
                    Order::Ignore => "ignore",
                };
                let mut c = self.change(
                    ChangeKind::OrderChanged,
                    &fpath,
                    format!("sort order of `{fpath}` changed from {} to {}", word(of.order), word(nf.order)),
                );
                c.before = Some(word(of.order).into());
                c.after = Some(word(nf.order).into());
                tasks.push(both(c));
            }
            let (mut x, mut y) = (of.aliases.clone(), nf.aliases.clone());
            x.sort();
            y.sort();
            if x != y {
                let mut c = self.change(ChangeKind::AliasesChanged, &fpath, format!("aliases of `{fpath}` changed"));
                c.before = Some(list(&x));
                c.after = Some(list(&y));
                tasks.push(both(c));
            }
            if of.doc != nf.doc {
                let mut c = self.change(ChangeKind::DocChanged, &fpath, format!("doc of `{fpath}` changed"));
                c.before = of.doc.clone();
                c.after = nf.doc.clone();
                tasks.push(both(c));
            }
            for (k, v) in &nf.props {
                let before = of.props.iter().find(|(x, _)| x == k).map(|(_, v)| v);
                if before.is_none_or(|b| !same_value(b, v)) {
                    let mut c = self.change(
                        ChangeKind::PropertyChanged,
                        &fpath,
                        format!("property `{k}` of `{fpath}` {}", if before.is_some() { "changed" } else { "added" }),
                    );
                    c.before = before.map(compact);
                    c.after = Some(compact(v));
                    tasks.push(both(c));
                }
            }
            for (k, v) in &of.props {
                if !nf.props.iter().any(|(x, _)| x == k) {
                    let mut c = self.change(
                        ChangeKind::PropertyChanged,
                        &fpath,
                        format!("property `{k}` of `{fpath}` removed"),
                    );
                    c.before = Some(compact(v));
                    tasks.push(both(c));
                }
            }
            tasks.push(Task::Walk { old: ty(o, of.ty), new: ty(n, nf.ty), path: fpath, hops });
        }
        for (i, of) in a.fields.iter().enumerate() {
            if used_old[i] {
                continue;
            }
            let fpath = join(path, &of.name);
            let t = describe(self.old, ty(o, of.ty));
            let default = match &of.default {
                Some(d) => format!("default {}", compact(d)),
                None => "no default".into(),
            };
            let mut c = self.change(
                ChangeKind::FieldRemoved,
                &fpath,
                format!("field `{fpath}` removed (was `{t}`, {default})"),
            );
            c.before = Some(t);
            c.context = Some(site(ns));
            c.old = Some(field_site(os, of));
            tasks.push(Task::Emit(Box::new(c)));
        }
        tasks
    }
}

/// Every difference between the old version (rooted at `old_root`) and the new one, in the
/// order of the new schema's fields, removals of a record after its fields.
pub fn diff(old: &dyn View, old_root: NodeRef, new: &dyn View, new_root: NodeRef) -> Vec<Change> {
    diff_with(old, old_root, new, new_root, &Options::default())
}

/// [`diff`], following references into other files as far as `options` say.
pub fn diff_with(
    old: &dyn View,
    old_root: NodeRef,
    new: &dyn View,
    new_root: NodeRef,
    options: &Options<'_>,
) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        seen: HashSet::new(),
        out: Vec::new(),
        options,
        roots: (old_root.unit, new_root.unit),
        noted: HashSet::new(),
        notes: Vec::new(),
        entered: HashSet::new(),
    };
    let mut stack = vec![Task::Walk { old: old_root, new: new_root, path: String::new(), hops: 0 }];
    while let Some(task) = stack.pop() {
        match task {
            Task::Emit(c) => d.out.push(*c),
            Task::Walk { old, new, path, hops } => {
                let below = d.walk(old, new, &path, hops);
                stack.extend(below.into_iter().rev());
            }
        }
    }
    // A type met again nearer was compared there; one under which nothing but what was shown
    // changed needs no note.
    let dropped: HashSet<usize> = d
        .notes
        .iter()
        .filter(|(_, (o, n))| d.seen.contains(&(*o, *n)) || !(options.may_differ)(o.unit, n.unit, &d.entered))
        .map(|(i, _)| *i)
        .collect();
    if !dropped.is_empty() {
        let mut i = 0;
        d.out.retain(|_| {
            i += 1;
            !dropped.contains(&(i - 1))
        });
    }
    d.out
}

/// Marks each change with the directions in which an incompatibility lies at its place:
/// `backward` holds what the new schema cannot read of old data (reader = new), `forward`
/// what the old schema cannot read of new data (reader = old).
///
/// Java reports a union branch that no reader branch can read at the union, not at the change
/// inside the branch that caused it: changes inside such a branch are marked too.
pub fn annotate(changes: &mut [Change], backward: &[Incompatibility], forward: &[Incompatibility]) {
    fn under(inner: &Site, outer: &Site) -> bool {
        inner.file == outer.file
            && (inner.pointer == outer.pointer
                || (inner.pointer.starts_with(&outer.pointer) && inner.pointer[outer.pointer.len()..].starts_with('/')))
    }
    fn at(inc: &Site, change: &Site, scope: Scope) -> bool {
        match scope {
            Scope::Exact => inc.file == change.file && inc.pointer == change.pointer,
            Scope::Subtree => under(inc, change),
            Scope::Never => false,
        }
    }
    for c in changes.iter_mut() {
        let scope = c.kind.scope();
        if scope == Scope::Never {
            continue;
        }
        for (dir, list) in [(Direction::Backward, backward), (Direction::Forward, forward)] {
            let hit = list.iter().filter(|i| c.kind.can_cause(i.kind, dir)).any(|i| {
                let (new_side, old_side) = match dir {
                    Direction::Backward => (&i.reader, &i.writer),
                    Direction::Forward => (&i.writer, &i.reader),
                };
                // The writer's side of the change: an addition's record, as it was, for
                // backward; a removal's, as it is, for forward.
                let writer_side = match dir {
                    Direction::Backward => c.old.as_ref().or(c.context.as_ref().filter(|_| c.new.is_some())),
                    Direction::Forward => c.new.as_ref().or(c.context.as_ref().filter(|_| c.old.is_some())),
                };
                let in_branch = i.kind == IncompatibilityKind::MissingUnionBranch
                    && !matches!(c.kind, ChangeKind::BranchAdded | ChangeKind::BranchRemoved)
                    && writer_side.is_some_and(|s| under(s, &i.writer));
                in_branch
                    || c.new.as_ref().is_some_and(|s| at(new_side, s, scope))
                    || c.old.as_ref().is_some_and(|s| at(old_side, s, scope))
            });
            if hit && !c.breaks.contains(&dir) {
                c.breaks.push(dir);
            }
        }
    }
}

#[cfg(test)]
mod tests;
