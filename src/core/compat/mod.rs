//! Reader/writer compatibility with the semantics of Java's
//! `org.apache.avro.SchemaCompatibility` (the checker Confluent Schema Registry runs), and the
//! seven Confluent levels.
//!
//! The checker walks a reader and a writer schema together and returns **every**
//! incompatibility, each with Java's type, a message, Java's reader-side location (a JSON
//! pointer) and the exact places in both schemas. Behaviours matched on purpose:
//!
//! * promotions are exactly int→long/float/double, long→float/double, float→double and
//!   string↔bytes; logical types are invisible;
//! * named types compare by *unqualified* name, or by a reader alias (qualified with the reader's
//!   namespace) equal to the writer's full name; writer aliases are ignored;
//! * a reader field missing from the writer needs a default — only its presence counts; a reader
//!   enum's `default` lets unknown writer symbols through, a field default does not; a reader
//!   field of an enum type with an enum default and no field default is checked against the
//!   writer *record* (Java does so; it is a type mismatch);
//! * a writer union needs every branch readable; a reader union needs one branch that reads the
//!   writer; union branches are checked from a fresh location, as in Java;
//! * a reader field matched by more than one writer field (name and aliases) makes Java throw;
//!   Confluent reports that as incompatible, and so does this checker;
//! * a pair already being checked counts as compatible (recursion ends), and results are memoised
//!   per pair of resolved nodes.
//!
//! Pure: works on already-loaded schema sets through [`View`].

pub mod level;

use crate::core::hashing::FastMap;
use crate::core::schema::{Primitive, Schema, SchemaId, SchemaKind, SchemaSet};
use crate::core::source::{FileId, Span};
use std::collections::HashMap;
use std::rc::Rc;

/// A node of a [`View`]: which loaded set (unit) and which node in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeRef {
    pub unit: u32,
    pub id: SchemaId,
}

/// One version of a schema as the checker sees it: one or more loaded sets and how names
/// resolve between them.
pub trait View {
    fn set(&self, unit: u32) -> &SchemaSet;
    /// Follows a reference to its definition; other nodes are returned unchanged.
    fn resolve(&self, r: NodeRef) -> NodeRef;
    fn node(&self, r: NodeRef) -> &Schema {
        self.set(r.unit).node(r.id)
    }
    /// Verdicts shared with the other views over the same loaded sets, when this view resolves
    /// every name the same way they do (so a pair of nodes means the same thing in each).
    fn shared_verdicts(&self) -> Option<&SharedVerdicts> {
        None
    }
}

/// Pairs of nodes (reader, writer) known compatible, shared between the checkers of many
/// versions: a change to a type at the end of a chain of n schemas that use each other is then
/// checked in n pair checks, not n². Only verdicts that did not rest on a pair still being
/// checked further up (a recursive type) are shared.
#[derive(Default)]
pub struct SharedVerdicts {
    compatible: std::cell::RefCell<crate::core::hashing::FastSet<(NodeRef, NodeRef)>>,
}

/// A view of one set in which every name is resolved already.
pub struct SetView<'a>(pub &'a SchemaSet);

impl View for SetView<'_> {
    fn set(&self, _unit: u32) -> &SchemaSet {
        self.0
    }
    fn resolve(&self, r: NodeRef) -> NodeRef {
        NodeRef { unit: r.unit, id: self.0.deref(r.id) }
    }
}

/// Java's `SchemaIncompatibilityType`, plus the case where Java throws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncompatibilityKind {
    NameMismatch,
    FixedSizeMismatch,
    MissingEnumSymbols,
    MissingUnionBranch,
    ReaderFieldMissingDefaultValue,
    TypeMismatch,
    /// A reader field matched by several writer fields (its name and aliases): Java throws.
    AmbiguousFieldAlias,
}

impl IncompatibilityKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::NameMismatch => "name-mismatch",
            Self::FixedSizeMismatch => "fixed-size-mismatch",
            Self::MissingEnumSymbols => "missing-enum-symbols",
            Self::MissingUnionBranch => "missing-union-branch",
            Self::ReaderFieldMissingDefaultValue => "reader-field-missing-default-value",
            Self::TypeMismatch => "type-mismatch",
            Self::AmbiguousFieldAlias => "ambiguous-field-alias",
        }
    }
    /// Java's enum constant name.
    pub fn java_name(self) -> &'static str {
        match self {
            Self::NameMismatch => "NAME_MISMATCH",
            Self::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            Self::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            Self::MissingUnionBranch => "MISSING_UNION_BRANCH",
            Self::ReaderFieldMissingDefaultValue => "READER_FIELD_MISSING_DEFAULT_VALUE",
            Self::TypeMismatch => "TYPE_MISMATCH",
            Self::AmbiguousFieldAlias => "AVRO_RUNTIME_EXCEPTION",
        }
    }
}

/// A place in one schema version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub file: FileId,
    pub span: Span,
    /// JSON pointer into that file.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incompatibility {
    pub kind: IncompatibilityKind,
    pub message: String,
    /// Java's location: a JSON pointer from the schema being checked, on the reader side.
    pub location: String,
    pub reader: Site,
    pub writer: Site,
}

enum Memo {
    /// Being checked, at this depth of the recursion.
    InProgress(usize),
    /// The result, and whether it rested on a pair in progress further up.
    Done(Rc<Vec<Incompatibility>>, bool),
}

/// Java's `ReaderWriterCompatibilityChecker` for one reader view and one writer view.
pub struct Checker<'a> {
    reader: &'a dyn View,
    writer: &'a dyn View,
    memo: FastMap<(NodeRef, NodeRef), Memo>,
    /// The result of every compatible pair, shared.
    none: Rc<Vec<Incompatibility>>,
    /// Reader unions indexed by what their branches can read, built once per union.
    unions: FastMap<NodeRef, Rc<UnionIndex>>,
    /// Pairs compared so far (each pair once, thanks to the memo): a measure of the work done.
    pub pairs_checked: usize,
    /// Pairs being checked right now (the recursion stack): Java counts them compatible.
    in_progress: Vec<(NodeRef, NodeRef)>,
    /// The shallowest in-progress pair the current subtree's result rested on.
    low: usize,
    shared: Option<&'a SharedVerdicts>,
}

/// Which branches of a reader union can possibly read a writer type. Java tries every branch
/// in turn; a branch of another kind, or a named type whose name (or alias) does not match,
/// can never be compatible, so only the candidates here need a check and a union of n
/// branches read against a union of n branches costs n checks, not n².
#[derive(Default)]
struct UnionIndex {
    /// (kind, unqualified name) of named branches.
    by_name: HashMap<(u8, String), Vec<usize>>,
    /// (kind, alias full name) of named branches.
    by_alias: HashMap<(u8, String), Vec<usize>>,
    primitives: Vec<usize>,
    arrays: Vec<usize>,
    maps: Vec<usize>,
    /// Branches that did not resolve: the checker counts them compatible with anything.
    unknown: Vec<usize>,
    /// Resolved branch -> its positions, to find a branch whose pair is in progress.
    by_node: FastMap<NodeRef, Vec<usize>>,
}

fn named_kind(s: &Schema) -> Option<u8> {
    match &s.kind {
        SchemaKind::Record(_) => Some(0),
        SchemaKind::Enum(_) => Some(1),
        SchemaKind::Fixed(_) => Some(2),
        _ => None,
    }
}

fn type_name(s: &Schema) -> &'static str {
    match &s.kind {
        SchemaKind::Primitive(p) => p.name(),
        SchemaKind::Record(_) => "record",
        SchemaKind::Enum(_) => "enum",
        SchemaKind::Fixed(_) => "fixed",
        SchemaKind::Array(_) => "array",
        SchemaKind::Map(_) => "map",
        SchemaKind::Union(_) => "union",
        SchemaKind::Ref(_) | SchemaKind::Invalid => "unknown",
    }
}

/// A readable name for a type in messages: `int`, `record com.x.Y`, `array`.
fn describe(s: &Schema) -> String {
    match s.named() {
        Some(n) => format!("{} `{}`", type_name(s), n.full_name),
        None => format!("`{}`", type_name(s)),
    }
}

fn site(s: &Schema) -> Site {
    Site { file: s.file, span: s.named().map(|n| n.name_span).unwrap_or(s.span), pointer: s.pointer.clone() }
}

/// Java's `Schema.Type` identity: all primitives differ, and so do the complex kinds.
fn same_type(a: &Schema, b: &Schema) -> bool {
    match (&a.kind, &b.kind) {
        (SchemaKind::Primitive(x), SchemaKind::Primitive(y)) => x == y,
        _ => std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind),
    }
}

/// One step of Java's location: a fixed word or an index; a string only when reported.
#[derive(Clone, Copy, Debug)]
enum Token {
    Word(&'static str),
    Index(usize),
}

fn pointer(location: &[Token]) -> String {
    let mut s = String::new();
    for t in location {
        match t {
            Token::Word("") => {}
            Token::Word(w) => {
                s.push('/');
                s.push_str(w);
            }
            Token::Index(i) => {
                s.push('/');
                s.push_str(&i.to_string());
            }
        }
    }
    s
}

impl<'a> Checker<'a> {
    pub fn new(reader: &'a dyn View, writer: &'a dyn View) -> Self {
        Checker {
            reader,
            writer,
            memo: FastMap::default(),
            none: Rc::new(Vec::new()),
            unions: FastMap::default(),
            pairs_checked: 0,
            in_progress: Vec::new(),
            low: usize::MAX,
            shared: match (reader.shared_verdicts(), writer.shared_verdicts()) {
                (Some(a), Some(b)) if std::ptr::eq(a, b) => Some(a),
                _ => None,
            },
        }
    }

    /// Every incompatibility of reading data written with `writer` using `reader`.
    pub fn check(&mut self, reader: NodeRef, writer: NodeRef) -> Rc<Vec<Incompatibility>> {
        let mut location = Vec::new();
        self.compat("", reader, writer, &mut location)
    }

    fn compat(
        &mut self,
        token: &'static str,
        reader: NodeRef,
        writer: NodeRef,
        location: &mut Vec<Token>,
    ) -> Rc<Vec<Incompatibility>> {
        let reader = self.reader.resolve(reader);
        let writer = self.writer.resolve(writer);
        location.push(Token::Word(token));
        let key = (reader, writer);
        let result = match self.memo.get(&key) {
            Some(Memo::InProgress(depth)) => {
                self.low = self.low.min(*depth);
                self.none.clone()
            }
            Some(Memo::Done(r, tainted)) => {
                if *tainted {
                    // It rested on a pair that may still be in progress: so does this result.
                    self.low = 0;
                }
                r.clone()
            }
            None if self.shared.is_some_and(|s| s.compatible.borrow().contains(&key)) => self.none.clone(),
            None => {
                let depth = self.in_progress.len();
                self.memo.insert(key, Memo::InProgress(depth));
                self.pairs_checked += 1;
                self.in_progress.push(key);
                let outer_low = std::mem::replace(&mut self.low, usize::MAX);
                let found = self.calculate(reader, writer, location);
                self.in_progress.pop();
                // Resting only on itself (or nothing) in progress, the verdict holds anywhere.
                let tainted = self.low < depth;
                self.low = self.low.min(outer_low);
                let r = if found.is_empty() { self.none.clone() } else { Rc::new(found) };
                if r.is_empty() && !tainted {
                    if let Some(s) = self.shared {
                        s.compatible.borrow_mut().insert(key);
                    }
                }
                self.memo.insert(key, Memo::Done(r.clone(), tainted));
                r
            }
        };
        location.pop();
        result
    }

    fn incompatible(
        &self,
        kind: IncompatibilityKind,
        message: String,
        location: &[Token],
        reader: Site,
        writer: Site,
    ) -> Incompatibility {
        Incompatibility { kind, message, location: pointer(location), reader, writer }
    }

    fn type_mismatch(&self, r: &Schema, w: &Schema, location: &[Token]) -> Vec<Incompatibility> {
        vec![self.incompatible(
            IncompatibilityKind::TypeMismatch,
            format!("reader type {} cannot read writer type {}", describe(r), describe(w)),
            location,
            site(r),
            site(w),
        )]
    }

    fn calculate(&mut self, reader: NodeRef, writer: NodeRef, location: &mut Vec<Token>) -> Vec<Incompatibility> {
        let (rv, wv) = (self.reader, self.writer);
        let r = rv.node(reader);
        let w = wv.node(writer);
        let mut out = Vec::new();
        // Unresolvable or invalid nodes were reported by validation; nothing to compare.
        if matches!(r.kind, SchemaKind::Ref(_) | SchemaKind::Invalid)
            || matches!(w.kind, SchemaKind::Ref(_) | SchemaKind::Invalid)
        {
            return out;
        }
        if same_type(r, w) {
            match (&r.kind, &w.kind) {
                (SchemaKind::Primitive(_), _) => {}
                (SchemaKind::Array(ri), SchemaKind::Array(wi)) => {
                    let (ri, wi) = (NodeRef { unit: reader.unit, id: *ri }, NodeRef { unit: writer.unit, id: *wi });
                    out.extend(self.compat("items", ri, wi, location).iter().cloned());
                }
                (SchemaKind::Map(rv_), SchemaKind::Map(wv_)) => {
                    let (ri, wi) = (NodeRef { unit: reader.unit, id: *rv_ }, NodeRef { unit: writer.unit, id: *wv_ });
                    out.extend(self.compat("values", ri, wi, location).iter().cloned());
                }
                (SchemaKind::Fixed(rf), SchemaKind::Fixed(wf)) => {
                    out.extend(self.check_names(r, w, location));
                    if rf.size != wf.size {
                        location.push(Token::Word("size"));
                        out.push(self.incompatible(
                            IncompatibilityKind::FixedSizeMismatch,
                            format!(
                                "fixed `{}` has size {} in the reader but {} in the writer",
                                rf.named.full_name, rf.size, wf.size
                            ),
                            location,
                            site(r),
                            site(w),
                        ));
                        location.pop();
                    }
                }
                (SchemaKind::Enum(re), SchemaKind::Enum(we)) => {
                    out.extend(self.check_names(r, w, location));
                    location.push(Token::Word("symbols"));
                    // A set of the reader's symbols: enums of many symbols cost no quadratic search.
                    let reader_symbols: std::collections::HashSet<&str> =
                        re.symbols.iter().map(|(x, _)| x.as_str()).collect();
                    let missing: Vec<&(String, Span)> =
                        we.symbols.iter().filter(|(s, _)| !reader_symbols.contains(s.as_str())).collect();
                    let reader_default_ok =
                        re.default.as_ref().is_some_and(|(d, _)| reader_symbols.contains(d.as_str()));
                    if !missing.is_empty() && !reader_default_ok {
                        let mut names: Vec<&str> = missing.iter().map(|(s, _)| s.as_str()).collect();
                        names.sort();
                        let mut ws = site(w);
                        ws.span = missing[0].1;
                        out.push(self.incompatible(
                            IncompatibilityKind::MissingEnumSymbols,
                            format!(
                                "writer symbols [{}] are missing from reader enum `{}`, which has no default symbol",
                                names.join(", "),
                                re.named.full_name
                            ),
                            location,
                            site(r),
                            ws,
                        ));
                    }
                    location.pop();
                }
                (SchemaKind::Record(_), SchemaKind::Record(_)) => {
                    out.extend(self.check_names(r, w, location));
                    out.extend(self.check_fields(reader, writer, location));
                }
                (SchemaKind::Union(_), SchemaKind::Union(wb)) => {
                    for (i, b) in wb.iter().enumerate() {
                        location.push(Token::Index(i));
                        let branch = NodeRef { unit: writer.unit, id: *b };
                        let sub = self.check(reader, branch);
                        if !sub.is_empty() {
                            let bn = wv.node(wv.resolve(branch));
                            let mut ws = site(bn);
                            ws.span = wv.node(branch).span;
                            out.push(self.incompatible(
                                IncompatibilityKind::MissingUnionBranch,
                                format!(
                                    "reader union has no branch that can read writer union branch {} ({})",
                                    i,
                                    describe(bn)
                                ),
                                location,
                                site(r),
                                ws,
                            ));
                        }
                        location.pop();
                    }
                }
                _ => {}
            }
            return out;
        }
        // Different types.
        if let SchemaKind::Union(wb) = &w.kind {
            for b in wb {
                let sub = self.check(reader, NodeRef { unit: writer.unit, id: *b });
                out.extend(sub.iter().cloned());
            }
            return out;
        }
        use Primitive as P;
        match &r.kind {
            SchemaKind::Primitive(rp) => {
                let promoted = matches!(
                    (rp, &w.kind),
                    (P::Long, SchemaKind::Primitive(P::Int))
                        | (P::Float, SchemaKind::Primitive(P::Int | P::Long))
                        | (P::Double, SchemaKind::Primitive(P::Int | P::Long | P::Float))
                        | (P::Bytes, SchemaKind::Primitive(P::String))
                        | (P::String, SchemaKind::Primitive(P::Bytes))
                );
                if !promoted {
                    out.extend(self.type_mismatch(r, w, location));
                }
            }
            SchemaKind::Union(rb) => {
                let index = self.union_index(reader, rb);
                let mut candidates: Vec<usize> = match named_kind(w) {
                    Some(k) => {
                        let n = w.named().expect("a named kind has a name");
                        let mut c = index.by_name.get(&(k, n.name.clone())).cloned().unwrap_or_default();
                        c.extend(index.by_alias.get(&(k, n.full_name.clone())).into_iter().flatten());
                        c
                    }
                    None => match &w.kind {
                        SchemaKind::Primitive(_) => index.primitives.clone(),
                        SchemaKind::Array(_) => index.arrays.clone(),
                        SchemaKind::Map(_) => index.maps.clone(),
                        _ => Vec::new(),
                    },
                };
                candidates.extend(&index.unknown);
                // A branch whose pair with this writer is being checked (a recursive type) is
                // compatible for Java, whatever its name.
                for (r, w_) in &self.in_progress {
                    if *w_ == writer {
                        candidates.extend(index.by_node.get(r).into_iter().flatten());
                    }
                }
                // Java's order: the first compatible branch ends the search.
                candidates.sort_unstable();
                candidates.dedup();
                for i in candidates {
                    if self.check(NodeRef { unit: reader.unit, id: rb[i] }, writer).is_empty() {
                        return out;
                    }
                }
                out.push(self.incompatible(
                    IncompatibilityKind::MissingUnionBranch,
                    format!("reader union has no branch that can read writer type {}", describe(w)),
                    location,
                    site(r),
                    site(w),
                ));
            }
            _ => out.extend(self.type_mismatch(r, w, location)),
        }
        out
    }

    fn union_index(&mut self, union: NodeRef, branches: &[SchemaId]) -> Rc<UnionIndex> {
        if let Some(i) = self.unions.get(&union) {
            return i.clone();
        }
        let rv = self.reader;
        let mut index = UnionIndex::default();
        for (i, b) in branches.iter().enumerate() {
            let resolved = rv.resolve(NodeRef { unit: union.unit, id: *b });
            index.by_node.entry(resolved).or_default().push(i);
            let node = rv.node(resolved);
            if let (Some(k), Some(n)) = (named_kind(node), node.named()) {
                index.by_name.entry((k, n.name.clone())).or_default().push(i);
                for a in &n.aliases {
                    index.by_alias.entry((k, a.clone())).or_default().push(i);
                }
                continue;
            }
            match &node.kind {
                SchemaKind::Primitive(_) => index.primitives.push(i),
                SchemaKind::Array(_) => index.arrays.push(i),
                SchemaKind::Map(_) => index.maps.push(i),
                // A nested union cannot be valid; an unresolved name counts as compatible.
                _ => index.unknown.push(i),
            }
        }
        let index = Rc::new(index);
        self.unions.insert(union, index.clone());
        index
    }

    /// Java's `schemaNameEquals`: unqualified names, or a reader alias equal to the writer's full name.
    fn check_names(&self, r: &Schema, w: &Schema, location: &mut Vec<Token>) -> Vec<Incompatibility> {
        let (Some(rn), Some(wn)) = (r.named(), w.named()) else { return Vec::new() };
        if rn.name == wn.name || rn.aliases.contains(&wn.full_name) {
            return Vec::new();
        }
        location.push(Token::Word("name"));
        let i = self.incompatible(
            IncompatibilityKind::NameMismatch,
            format!(
                "reader type `{}` does not match writer type `{}` (names compare without namespace, or through the reader's aliases)",
                rn.full_name, wn.full_name
            ),
            location,
            site(r),
            site(w),
        );
        location.pop();
        vec![i]
    }

    fn check_fields(&mut self, reader: NodeRef, writer: NodeRef, location: &mut Vec<Token>) -> Vec<Incompatibility> {
        let (rv, wv) = (self.reader, self.writer);
        let (SchemaKind::Record(rr), SchemaKind::Record(wr)) = (&rv.node(reader).kind, &wv.node(writer).kind) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        location.push(Token::Word("fields"));
        // Java's `Schema.getField` is a hash lookup: so is this, for records of many fields.
        let by_name: Option<HashMap<&str, usize>> = (wr.fields.len() > 16)
            .then(|| wr.fields.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).rev().collect());
        let find = |name: &str| match &by_name {
            Some(m) => m.get(name).copied(),
            None => wr.fields.iter().position(|wf| wf.name == name),
        };
        for (pos, rf) in rr.fields.iter().enumerate() {
            location.push(Token::Index(pos));
            let mut matches: Vec<usize> = find(&rf.name).into_iter().collect();
            for alias in &rf.aliases {
                if let Some(i) = find(alias) {
                    matches.push(i);
                }
            }
            let field_site = |f: &crate::core::schema::Field, file: FileId| Site {
                file,
                span: f.name_span,
                pointer: f.pointer.clone(),
            };
            let rsite = field_site(rf, rv.node(reader).file);
            match matches.as_slice() {
                [] => {
                    if rf.default.is_none() {
                        let ft = NodeRef { unit: reader.unit, id: rf.ty };
                        let is_enum_with_default =
                            matches!(&rv.node(rv.resolve(ft)).kind, SchemaKind::Enum(e) if e.default.is_some());
                        if is_enum_with_default {
                            // Java compares the field's enum with the writer *record* here.
                            out.extend(self.compat("type", ft, writer, location).iter().cloned());
                        } else {
                            out.push(self.incompatible(
                                IncompatibilityKind::ReaderFieldMissingDefaultValue,
                                format!(
                                    "reader field `{}` is not in the writer record `{}` and has no default",
                                    rf.name, wr.named.full_name
                                ),
                                location,
                                rsite,
                                site(wv.node(writer)),
                            ));
                        }
                    }
                }
                [i] => {
                    let wf = &wr.fields[*i];
                    out.extend(
                        self.compat(
                            "type",
                            NodeRef { unit: reader.unit, id: rf.ty },
                            NodeRef { unit: writer.unit, id: wf.ty },
                            location,
                        )
                        .iter()
                        .cloned(),
                    );
                }
                several => {
                    let names: Vec<&str> = several.iter().map(|i| wr.fields[*i].name.as_str()).collect();
                    out.push(self.incompatible(
                        IncompatibilityKind::AmbiguousFieldAlias,
                        format!(
                            "reader field `{}` matches several writer fields ({}) through its name and aliases; the registry's Java checker fails on this and reports it incompatible",
                            rf.name,
                            names.join(", ")
                        ),
                        location,
                        rsite,
                        field_site(&wr.fields[several[0]], wv.node(writer).file),
                    ));
                }
            }
            location.pop();
        }
        location.pop();
        out
    }
}

/// Incompatibilities of reading `writer` data with `reader` (a fresh checker).
pub fn check(reader_view: &dyn View, reader: NodeRef, writer_view: &dyn View, writer: NodeRef) -> Vec<Incompatibility> {
    let mut c = Checker::new(reader_view, writer_view);
    c.check(reader, writer).as_ref().clone()
}

#[cfg(test)]
mod tests;
