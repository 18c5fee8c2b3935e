//! Rust: a crate (`<package>/Cargo.toml`, `lib.rs`) with a module per schema file holding a
//! struct per record, an enum per Avro enum, a newtype per fixed, an enum per union of several
//! non-null branches, `SCHEMA`, `SUBJECTS`, `serialize` and the adapter trait; serde derives on
//! every type; serialized by the generated `runtime.rs` (templates/rust), whose only dependency
//! is serde. Types are written by full paths (`crate::module::Type`, `::std::vec::Vec`), so no
//! name of a schema can hide another.

use super::write::{self, shape, Shape};
use super::*;
use crate::core::schema::Primitive;
use std::collections::HashSet;

/// The Rust target: templates (a module per schema file, `lib.rs`, the runtime, `Cargo.toml`)
/// and its table (names, type expressions and defaults, see [`finish`]); how a value is written is
/// the shared [`write::plan`], spelled by the `write` macro of `templates/rust/module.rs.j2`.
pub struct Rust;

const TEMPLATES: &[Template] = &[
    Template {
        name: "module.rs.j2",
        builtin: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/rust/module.rs.j2")),
        scope: Scope::Module,
    },
    Template {
        name: "lib.rs.j2",
        builtin: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/rust/lib.rs.j2")),
        scope: Scope::Run,
    },
    Template {
        name: "runtime.rs.j2",
        builtin: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/rust/runtime.rs.j2")),
        scope: Scope::Run,
    },
    Template {
        name: "Cargo.toml.j2",
        builtin: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/rust/Cargo.toml.j2")),
        scope: Scope::Run,
    },
];

impl Target for Rust {
    fn name(&self) -> &'static str {
        "rust"
    }
    fn extension(&self) -> &'static str {
        "rs"
    }
    fn templates(&self) -> &'static [Template] {
        TEMPLATES
    }
    fn filters(&self) -> &'static [Filter] {
        &[
            ("rsstr", |s| string_literal(&s)),
            ("rsraw", |s| raw_string(&s)),
            ("rsdoc", doc_text),
            ("rsdocline", doc_line),
        ]
    }
    fn valid_package(&self, package: &str) -> bool {
        valid_package(package)
    }
    fn ident(&self, name: &str) -> String {
        type_ident(name)
    }
    fn field(&self, name: &str) -> String {
        ident(&snake(name))
    }
    // Rust writes types by their path in the crate, unions as enums named after their place
    // and recursive records boxed: names a type tree alone does not give. Types, defaults and
    // how values are written are filled in by `finish`, which sees the whole set.
    fn type_expr(&self, _ty: &TypeRef, _names: &Names) -> String {
        String::new()
    }
    fn default_expr(&self, _ty: &TypeRef, _value: &Value, _names: &Names) -> String {
        String::new()
    }
    fn max_nesting(&self) -> Option<usize> {
        Some(MAX_RUST_DEPTH)
    }
    fn finish(&self, set: &SchemaSet, files: &[FileInput], ctx: &mut Context) -> Result<(), String> {
        let package = ctx.package.clone();
        finish(set, files, ctx, &package)
    }
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union", "_",
];

/// Names a module defines itself.
const MODULE_NAMES: &[&str] = &["SCHEMA", "SUBJECTS", "Encode", "Encoder", "EncodeError"];

/// A crate name: letters, digits, `_` and `-`, starting with a letter.
pub fn valid_package(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !KEYWORDS.contains(&name)
}

/// An identifier: keywords get a trailing `_`.
pub fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) || name.is_empty() {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// `PaymentCaptured` -> `payment_captured`.
pub fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_uppercase()) && next.is_some_and(|n| n.is_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(*c);
        }
    }
    out
}

/// A type name: CamelCase, keywords and the module's own names escaped.
pub fn type_ident(name: &str) -> String {
    let mut p = java::pascal(name);
    if KEYWORDS.contains(&p.as_str()) || MODULE_NAMES.contains(&p.as_str()) {
        p.push('_');
    }
    p
}

/// A string literal (Rust's escapes).
pub fn string_literal(s: &str) -> String {
    format!("{s:?}")
}

/// Names unique in a list: a suffix `_` until free.
fn unique(names: impl Iterator<Item = String>, taken: &mut HashSet<String>) -> Vec<String> {
    names
        .map(|mut n| {
            while !taken.insert(n.clone()) {
                n.push('_');
            }
            n
        })
        .collect()
}

/// Record fields as Rust fields; a name of only underscores and digits (`__`, `_0`), which
/// clippy refuses as an argument of `new`, gets an `f` in front.
pub fn field_idents(names: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    let field = |n: &String| {
        let i = ident(&snake(n));
        if i.chars().all(|c| c == '_' || c.is_ascii_digit()) {
            format!("f{i}")
        } else {
            i
        }
    };
    unique(names.iter().map(field), &mut taken)
}

/// Enum symbols as variants.
pub fn variant_idents(symbols: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    unique(symbols.iter().map(|n| type_ident(n)), &mut taken)
}

/// The Rust names of a schema set, for code that builds values of the generated types.
#[derive(Debug, Default)]
pub struct RustNames {
    /// Full name -> `crate::module::Type`.
    pub types: HashMap<String, String>,
    pub fields: HashMap<String, Vec<String>>,
    pub variants: HashMap<String, Vec<String>>,
    /// A union of several non-null branches -> its enum and each branch's variant.
    pub unions: HashMap<SchemaId, (String, Vec<String>)>,
    /// (record full name, field index) whose values are boxed.
    pub boxed: HashSet<(String, usize)>,
    /// Schema file index -> its module path (`crate::m`).
    pub modules: HashMap<usize, String>,
}

struct Gen<'a> {
    set: &'a SchemaSet,
    names: RustNames,
    /// Record full name -> its fields' typed defaults.
    defaults: HashMap<String, Vec<Option<Value>>>,
}

const R: &str = "crate::runtime";

/// The deepest nesting of arrays, maps and unions generated for Rust: rustc's trait solver
/// gives up on the derives of deeper types (`Vec` nested 127 levels fails with its default
/// recursion limit of 128; 100 builds).
pub const MAX_RUST_DEPTH: usize = 100;

impl Gen<'_> {
    fn rtype(&self, id: SchemaId, depth: usize) -> String {
        let node = self.set.resolved(id);
        if depth > MAX_GENERATED_DEPTH {
            return "()".into();
        }
        match (&node.kind, node.logical) {
            (_, Some(LogicalType::Decimal { .. } | LogicalType::BigDecimal)) => format!("{R}::Decimal"),
            (_, Some(LogicalType::Uuid)) => format!("{R}::Uuid"),
            (_, Some(LogicalType::Date)) => format!("{R}::Date"),
            (_, Some(LogicalType::TimeMillis)) => format!("{R}::TimeMillis"),
            (_, Some(LogicalType::TimeMicros)) => format!("{R}::TimeMicros"),
            (_, Some(LogicalType::TimestampMillis)) => format!("{R}::TimestampMillis"),
            (_, Some(LogicalType::TimestampMicros)) => format!("{R}::TimestampMicros"),
            (_, Some(LogicalType::TimestampNanos)) => format!("{R}::TimestampNanos"),
            (_, Some(LogicalType::LocalTimestampMillis)) => format!("{R}::LocalTimestampMillis"),
            (_, Some(LogicalType::LocalTimestampMicros)) => format!("{R}::LocalTimestampMicros"),
            (_, Some(LogicalType::LocalTimestampNanos)) => format!("{R}::LocalTimestampNanos"),
            (SchemaKind::Fixed(_), Some(LogicalType::Duration)) => format!("{R}::Duration"),
            (SchemaKind::Record(_) | SchemaKind::Enum(_) | SchemaKind::Fixed(_), _) => {
                self.names.types.get(&node.named().expect("named").full_name).cloned().unwrap_or_else(|| "()".into())
            }
            (SchemaKind::Primitive(p), _) => match p {
                Primitive::Null => "()".into(),
                Primitive::Boolean => "bool".into(),
                Primitive::Int => "i32".into(),
                Primitive::Long => "i64".into(),
                Primitive::Float => "f32".into(),
                Primitive::Double => "f64".into(),
                Primitive::Bytes => "::std::vec::Vec<u8>".into(),
                Primitive::String => "::std::string::String".into(),
            },
            (SchemaKind::Array(i), _) => format!("::std::vec::Vec<{}>", self.rtype(*i, depth + 1)),
            (SchemaKind::Map(v), _) => {
                format!("::std::collections::BTreeMap<::std::string::String, {}>", self.rtype(*v, depth + 1))
            }
            (SchemaKind::Union(b), _) => match shape(self.set, b) {
                Shape::OnlyNull => "()".into(),
                Shape::Optional(t) => format!("::std::option::Option<{}>", self.rtype(t, depth + 1)),
                Shape::Sum => {
                    self.names.unions.get(&self.set.deref(id)).map(|u| u.0.clone()).unwrap_or_else(|| "()".into())
                }
            },
            _ => "()".into(),
        }
    }

    /// A record's type boxed when `boxed` (recursion).
    fn boxed_type(&self, id: SchemaId, depth: usize, boxed: bool) -> String {
        let t = self.rtype(id, depth);
        if boxed
            && matches!(self.set.resolved(id).kind, SchemaKind::Record(_))
            && self.set.resolved(id).logical.is_none()
        {
            format!("::std::boxed::Box<{t}>")
        } else {
            t
        }
    }
}

/// The Rust names [`write::plan`] needs: a union's enum and its variants (no variable is
/// declared with a type).
impl write::WriteNames for Gen<'_> {
    fn type_expr(&self, _id: SchemaId) -> Option<String> {
        None
    }
    fn union(&self, id: SchemaId) -> Option<(String, Vec<Option<String>>)> {
        self.names.unions.get(&self.set.deref(id)).map(|(t, v)| (t.clone(), v.iter().cloned().map(Some).collect()))
    }
}

impl Gen<'_> {
    /// A default as an expression of the field's Rust type (`boxed`: a record is boxed there);
    /// `None` when the generated types cannot hold it (the field is then required).
    fn dexpr(&self, id: SchemaId, v: &Value, boxed: bool, depth: usize) -> Option<String> {
        if depth > MAX_GENERATED_DEPTH {
            return None;
        }
        let node = self.set.resolved(id);
        let bytes = |b: &[u8]| {
            if b.is_empty() {
                "::std::vec::Vec::new()".to_string()
            } else {
                format!("::std::vec![{}]", b.iter().map(|x| format!("{x}_u8")).collect::<Vec<_>>().join(", "))
            }
        };
        let raw = match v {
            Value::Bytes { value } | Value::Fixed { value, .. } => Some(value.as_slice()),
            _ => None,
        };
        match (node.logical, v) {
            (Some(LogicalType::Decimal { scale, .. }), _) => {
                let b = raw?;
                if b.len() > 16 {
                    return None;
                }
                let mut full = if b.first().is_some_and(|x| x & 0x80 != 0) { [0xff_u8; 16] } else { [0_u8; 16] };
                full[16 - b.len()..].copy_from_slice(b);
                return Some(format!("{R}::Decimal::new({}_i128, {scale})", i128::from_be_bytes(full)));
            }
            (Some(LogicalType::BigDecimal), _) => return None,
            (Some(LogicalType::Uuid), Value::String { value }) => {
                let hex: String = value.chars().filter(|c| *c != '-').collect();
                if hex.len() != 32 || value.len() != 36 {
                    return None;
                }
                return Some(format!("{R}::Uuid({}_u128)", u128::from_str_radix(&hex, 16).ok()?));
            }
            (Some(LogicalType::Uuid), Value::Fixed { value, .. }) => {
                let b: [u8; 16] = value.as_slice().try_into().ok()?;
                return Some(format!("{R}::Uuid({}_u128)", u128::from_be_bytes(b)));
            }
            (Some(LogicalType::Duration), Value::Fixed { value, .. }) if value.len() == 12 => {
                let u = |i: usize| u32::from_le_bytes([value[i], value[i + 1], value[i + 2], value[i + 3]]);
                return Some(format!("{R}::Duration {{ months: {}, days: {}, millis: {} }}", u(0), u(4), u(8)));
            }
            (Some(l), Value::Int { value } | Value::Long { value })
                if matches!(node.kind, SchemaKind::Primitive(Primitive::Int | Primitive::Long)) =>
            {
                let ty = self.rtype(id, 0);
                if !ty.starts_with(R) {
                    return None;
                }
                let suffix = if matches!(l, LogicalType::Date | LogicalType::TimeMillis) { "i32" } else { "i64" };
                return Some(format!("{ty}({value}_{suffix})"));
            }
            _ => {}
        }
        if node.logical.is_some() && !matches!(node.kind, SchemaKind::Record(_) | SchemaKind::Enum(_)) {
            // A logical type the runtime represents but whose default is of another shape.
            let plain = self.rtype(id, 0);
            if plain.starts_with(R) {
                return None;
            }
        }
        let float = |text: &str, ty: &str| -> Option<String> {
            Some(match text {
                "NaN" => format!("{ty}::NAN"),
                "Infinity" => format!("{ty}::INFINITY"),
                "-Infinity" => format!("{ty}::NEG_INFINITY"),
                t => {
                    let x: f64 = t.parse().ok()?;
                    if ty == "f32" {
                        let x = x as f32;
                        if !x.is_finite() {
                            return Some(format!("f32::{}", if x > 0.0 { "INFINITY" } else { "NEG_INFINITY" }));
                        }
                        format!("{x:?}_f32")
                    } else {
                        if !x.is_finite() {
                            return None;
                        }
                        format!("{x:?}_f64")
                    }
                }
            })
        };
        let e = match (&node.kind, v) {
            (SchemaKind::Primitive(Primitive::Null), Value::Null) => "()".to_string(),
            (SchemaKind::Primitive(Primitive::Boolean), Value::Boolean { value }) => value.to_string(),
            (SchemaKind::Primitive(Primitive::Int), Value::Int { value }) => format!("{value}_i32"),
            (SchemaKind::Primitive(Primitive::Long), Value::Long { value } | Value::Int { value }) => {
                format!("{value}_i64")
            }
            (SchemaKind::Primitive(Primitive::Float), Value::Float { text }) => float(text, "f32")?,
            (SchemaKind::Primitive(Primitive::Double), Value::Double { text } | Value::Float { text }) => {
                float(text, "f64")?
            }
            (SchemaKind::Primitive(Primitive::Bytes), Value::Bytes { value }) => bytes(value),
            (SchemaKind::Primitive(Primitive::String), Value::String { value }) => {
                format!("::std::string::String::from({})", string_literal(value))
            }
            (SchemaKind::Fixed(_), Value::Fixed { value, .. }) => {
                format!("{}({})", self.rtype(id, 0), bytes(value))
            }
            (SchemaKind::Enum(e), Value::Enum { symbol, .. }) => {
                let full = &node.named()?.full_name;
                let i = e.symbols.iter().position(|(s, _)| s == symbol)?;
                format!("{}::{}", self.names.types.get(full)?, self.names.variants.get(full)?.get(i)?)
            }
            (SchemaKind::Array(items), Value::Array { items: xs }) => {
                if xs.is_empty() {
                    "::std::vec::Vec::new()".to_string()
                } else {
                    let parts =
                        xs.iter().map(|x| self.dexpr(*items, x, false, depth + 1)).collect::<Option<Vec<_>>>()?;
                    format!("::std::vec![{}]", parts.join(", "))
                }
            }
            (SchemaKind::Map(values), Value::Map { entries }) => {
                if entries.is_empty() {
                    "::std::collections::BTreeMap::new()".to_string()
                } else {
                    let parts = entries
                        .iter()
                        .map(|en| {
                            Some(format!(
                                "(::std::string::String::from({}), {})",
                                string_literal(&en.key),
                                self.dexpr(*values, &en.value, false, depth + 1)?
                            ))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    format!("::std::collections::BTreeMap::from([{}])", parts.join(", "))
                }
            }
            (SchemaKind::Record(r), Value::Record { fields, .. }) => {
                let full = &node.named()?.full_name;
                let idents = self.names.fields.get(full)?;
                let mut parts = Vec::new();
                for (i, f) in r.fields.iter().enumerate() {
                    let b = self.names.boxed.contains(&(full.clone(), i));
                    let x = match fields.iter().find(|en| en.key == f.name) {
                        Some(en) => self.dexpr(f.ty, &en.value, b, depth + 1)?,
                        None => {
                            let d = self.defaults.get(full)?.get(i)?.as_ref()?;
                            self.dexpr(f.ty, d, b, depth + 1)?
                        }
                    };
                    parts.push(format!("{}: {x}", idents[i]));
                }
                let e = format!("{} {{ {} }}", self.names.types.get(full)?, parts.join(", "));
                if boxed {
                    format!("::std::boxed::Box::new({e})")
                } else {
                    e
                }
            }
            (SchemaKind::Union(b), Value::Union { index, value, .. }) => {
                let bid = *b.get(*index)?;
                let is_null = matches!(self.set.resolved(bid).kind, SchemaKind::Primitive(Primitive::Null));
                match shape(self.set, b) {
                    Shape::OnlyNull => "()".to_string(),
                    Shape::Optional(_) if is_null => "::std::option::Option::None".to_string(),
                    Shape::Optional(t) => {
                        format!("::std::option::Option::Some({})", self.dexpr(t, value, boxed, depth + 1)?)
                    }
                    Shape::Sum => {
                        let (ty, variants) = self.names.unions.get(&self.set.deref(id))?;
                        if is_null {
                            format!("{ty}::{}", variants[*index])
                        } else {
                            format!("{ty}::{}({})", variants[*index], self.dexpr(bid, value, true, depth + 1)?)
                        }
                    }
                }
            }
            _ => return None,
        };
        Some(e)
    }

    /// A record field's Rust type.
    fn field_type(&self, full: &str, i: usize, ty: SchemaId) -> String {
        let boxed = self.names.boxed.contains(&(full.to_string(), i));
        match &self.set.resolved(ty).kind {
            SchemaKind::Union(b) if boxed => match shape(self.set, b) {
                Shape::Optional(t) => format!("::std::option::Option<{}>", self.boxed_type(t, 0, true)),
                _ => self.rtype(ty, 0),
            },
            _ => self.boxed_type(ty, 0, boxed),
        }
    }
}

/// Records a record reaches without indirection (fields and nullable fields of record type).
fn inline_records(set: &SchemaSet, id: SchemaId) -> Vec<String> {
    let mut out = Vec::new();
    if let SchemaKind::Record(r) = &set.resolved(id).kind {
        for f in &r.fields {
            let t = match &set.resolved(f.ty).kind {
                SchemaKind::Union(b) => match shape(set, b) {
                    Shape::Optional(t) => t,
                    _ => continue,
                },
                _ => f.ty,
            };
            let n = set.resolved(t);
            if let (SchemaKind::Record(_), Some(named)) = (&n.kind, n.named()) {
                out.push(named.full_name.clone());
            }
        }
    }
    out
}

fn reaches(set: &SchemaSet, from: &str, to: &str) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(id) = set.names.get(&n) {
            stack.extend(inline_records(set, *id));
        }
    }
    false
}

/// A branch's variant name.
fn variant_of(set: &SchemaSet, id: SchemaId) -> String {
    let node = set.resolved(id);
    match (&node.kind, node.named()) {
        (_, Some(n)) => type_ident(&n.name),
        (SchemaKind::Primitive(p), _) => java::pascal(p.name()),
        (SchemaKind::Array(_), _) => "Array".into(),
        (SchemaKind::Map(_), _) => "Map".into(),
        _ => "Value".into(),
    }
}

fn module_name(full: &str) -> String {
    // Modules are files: ASCII names (rustc loads no other), other characters as `u<hex>`.
    let m: String = snake(&full.replace('.', "_"))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c.to_string() } else { format!("u{:x}", c as u32) })
        .collect();
    let m = m.to_lowercase();
    let m = java::shorten(&m);
    // `main` is refused as a module's name (rustc's `special_module_name`).
    if m.starts_with(|c: char| c.is_ascii_digit())
        || ["runtime", "lib", "main"].contains(&m.as_str())
        || KEYWORDS.contains(&m.as_str())
    {
        format!("m_{m}")
    } else {
        m
    }
}

/// A schema file's stem (`com/acme/ids.avsc` -> `ids`) with every character but letters and
/// digits made `_`: the base of the names of a top level that is not named.
fn stem_ident(path: &str) -> String {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".avsc");
    stem.chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect()
}

fn plan<'a>(set: &'a SchemaSet, inputs: &[FileInput]) -> Gen<'a> {
    let mut names = RustNames::default();
    let file_of: HashMap<crate::core::source::FileId, usize> =
        inputs.iter().map(|f| (set.files[f.index].file, f.index)).collect();
    // Modules, one per schema file, in path order; unique ignoring case.
    let mut sorted: Vec<&FileInput> = inputs.iter().collect();
    sorted.sort_by_key(|f| f.path);
    let mut taken_modules: HashSet<String> = ["runtime".to_string(), "lib".to_string()].into_iter().collect();
    for f in &sorted {
        let Some(root) = set.files[f.index].root else { continue };
        let base = match set.resolved(root).named() {
            Some(n) => module_name(&n.full_name),
            None => module_name(&f.path.trim_end_matches(".avsc").replace('/', ".")),
        };
        let mut m = base;
        while !taken_modules.insert(m.to_lowercase()) {
            m.push('_');
        }
        names.modules.insert(f.index, format!("crate::{m}"));
    }
    // Types, per module, unique in it; the module's adapter trait (`<Top>Adapter`) is taken
    // first.
    let mut defs: Vec<(String, SchemaId)> = set.names.iter().map(|(k, v)| (k.clone(), *v)).collect();
    defs.sort();
    let mut taken: HashMap<String, HashSet<String>> = HashMap::new();
    for f in &sorted {
        let (Some(root), Some(m)) = (set.files[f.index].root, names.modules.get(&f.index)) else { continue };
        let top = match set.resolved(root).named() {
            Some(n) => type_ident(&java::shorten(&n.name)),
            None => type_ident(&java::shorten(&stem_ident(f.path))),
        };
        taken.entry(m.clone()).or_default().insert(format!("{top}Adapter"));
    }
    for (full, id) in &defs {
        let node = set.node(*id);
        let Some(m) = file_of.get(&node.file).and_then(|i| names.modules.get(i)).cloned() else { continue };
        let n = node.named().expect("named");
        let t = taken.entry(m.clone()).or_default();
        let name = unique(std::iter::once(type_ident(&java::shorten(&n.name))), t).remove(0);
        names.types.insert(full.clone(), format!("{m}::{name}"));
        match &node.kind {
            SchemaKind::Record(r) => {
                names
                    .fields
                    .insert(full.clone(), field_idents(&r.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>()));
                for (i, f) in r.fields.iter().enumerate() {
                    let t = match &set.resolved(f.ty).kind {
                        SchemaKind::Union(b) => match shape(set, b) {
                            Shape::Optional(t) => t,
                            _ => continue,
                        },
                        _ => f.ty,
                    };
                    if let (SchemaKind::Record(_), Some(tn)) = (&set.resolved(t).kind, set.resolved(t).named()) {
                        if reaches(set, &tn.full_name, full) {
                            names.boxed.insert((full.clone(), i));
                        }
                    }
                }
            }
            SchemaKind::Enum(e) => {
                names.variants.insert(
                    full.clone(),
                    variant_idents(&e.symbols.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>()),
                );
            }
            _ => {}
        }
    }
    // Union enums: named after the record and field (or the file), in the record's module.
    let mut unions: Vec<(SchemaId, String, String)> = Vec::new(); // (union id, module, base name)
    let visit =
        |set: &SchemaSet, id: SchemaId, module: &str, base: String, unions: &mut Vec<(SchemaId, String, String)>| {
            let mut stack = vec![(id, base, 0usize)];
            while let Some((id, base, depth)) = stack.pop() {
                if depth > MAX_GENERATED_DEPTH {
                    continue;
                }
                let node = set.resolved(id);
                if node.named().is_some() && depth > 0 {
                    continue;
                }
                match &node.kind {
                    SchemaKind::Array(i) => stack.push((*i, format!("{base}Item"), depth + 1)),
                    SchemaKind::Map(v) => stack.push((*v, format!("{base}Value"), depth + 1)),
                    SchemaKind::Union(b) => {
                        if matches!(shape(set, b), Shape::Sum) {
                            unions.push((set.deref(id), module.to_string(), base.clone()));
                        }
                        for x in b {
                            stack.push((*x, format!("{base}{}", variant_of(set, *x)), depth + 1));
                        }
                    }
                    _ => {}
                }
            }
        };
    for (full, id) in &defs {
        let node = set.node(*id);
        let Some(m) = file_of.get(&node.file).and_then(|i| names.modules.get(i)).cloned() else { continue };
        if let SchemaKind::Record(r) = &node.kind {
            let tn = names.types[full].rsplit("::").next().unwrap_or("").to_string();
            for f in &r.fields {
                visit(set, f.ty, &m, format!("{tn}{}", java::pascal(&f.name)), &mut unions);
            }
        }
    }
    for f in &sorted {
        let Some(root) = set.files[f.index].root else { continue };
        if set.resolved(root).named().is_some() {
            continue;
        }
        let m = names.modules[&f.index].clone();
        visit(set, root, &m, type_ident(&java::shorten(&stem_ident(f.path))), &mut unions);
    }
    for (id, m, base) in unions {
        if names.unions.contains_key(&id) {
            continue;
        }
        let t = taken.entry(m.clone()).or_default();
        let name = unique(std::iter::once(type_ident(&base)), t).remove(0);
        let SchemaKind::Union(b) = &set.resolved(id).kind else { continue };
        let mut vt = HashSet::new();
        let variants = unique(b.iter().map(|x| variant_of(set, *x)), &mut vt);
        names.unions.insert(id, (format!("{m}::{name}"), variants));
    }
    Gen { set, names, defaults: HashMap::new() }
}

/// The Rust names of every type generated for a set.
pub fn names(set: &SchemaSet, inputs: &[FileInput]) -> RustNames {
    plan(set, inputs).names
}

/// The last segment of a path (`crate::m::T` -> `T`).
fn last(p: &str) -> &str {
    p.rsplit("::").next().unwrap_or(p)
}

/// A raw string literal holding `s`; an escaped one when `s` holds a character a raw literal
/// would show as is and rustc or clippy refuse or hide there (controls other than newline and
/// tab, invisible and bidirectional characters: whatever `{:?}` escapes).
pub fn raw_string(s: &str) -> String {
    if s.chars().any(|c| !matches!(c, '\n' | '\t' | '"' | '\\' | '\'') && c.escape_debug().next() == Some('\\')) {
        return string_literal(s);
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
}

/// Characters a doc comment leaves out: controls, and invisible or bidirectional formatting
/// characters (rustc refuses the bidirectional ones in comments).
fn hidden_in_doc(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0xad | 0x34f | 0x61c | 0x115f | 0x1160 | 0x17b4 | 0x17b5 | 0x180b..=0x180f | 0x200b..=0x200f
            | 0x202a..=0x202e | 0x2060..=0x206f | 0x3164 | 0xfe00..=0xfe0f | 0xfeff | 0xffa0 | 0xfff0..=0xfffb
            | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a | 0xe0000..=0xe0fff)
}

/// A line of a doc comment: without the characters [`hidden_in_doc`] and trailing space.
fn doc_line(line: String) -> String {
    line.chars().filter(|c| !hidden_in_doc(*c)).collect::<String>().trim_end().to_string()
}

/// A doc as the lines of a `///` comment (each as [`doc_line`] writes it, any line break a
/// break), without empty lines first and last: empty when nothing of it shows. A doc with a
/// line Markdown would read as structure (a list item, a quote, a heading, a code block, a
/// table, a link definition: anything not starting with a letter or a digit, or indented) is
/// a `text` block, shown as written: clippy checks the structure of docs (list items and
/// their continuation lines, the code in code blocks), which a schema's doc does not follow.
fn doc_text(doc: String) -> String {
    let doc = doc.replace("\r\n", "\n");
    let lines: Vec<String> = doc.split(['\n', '\r', '\u{2028}', '\u{2029}']).map(|l| doc_line(l.to_string())).collect();
    let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|l| !l.is_empty()).map_or(first, |i| i + 1);
    let lines = &lines[first..end];
    let structure = |l: &String| {
        let digits = l.trim_start_matches(|c: char| c.is_ascii_digit());
        !l.is_empty()
            && (!l.starts_with(char::is_alphanumeric)
                || (digits.len() < l.len()
                    && (digits.starts_with(". ") || digits.starts_with(") ") || digits == "." || digits == ")")))
    };
    if !lines.iter().any(structure) {
        return lines.join("\n");
    }
    // A fence longer than any run of backticks in the doc.
    let mut fence = String::from("```");
    while lines.iter().any(|l| l.contains(fence.as_str())) {
        fence.push('`');
    }
    format!("{fence}text\n{}\n{fence}", lines.join("\n"))
}

/// The Rust names and expressions of the model: modules flat in the crate (`crate::m`), types
/// by their path, fields and variants as [`plan`] names them, a field's default as an
/// expression of its type (none when the types cannot hold it: the field is then an argument
/// of `new`), statements encoding every field and the module's value, and the unions of
/// several non-null branches as enums of their module.
fn finish(set: &SchemaSet, inputs: &[FileInput], ctx: &mut Context, package: &str) -> Result<(), String> {
    let mut g = plan(set, inputs);
    // The defaults of every record's fields, typed by the walk (for records in defaults that
    // leave fields out).
    g.defaults = ctx
        .schemas
        .iter()
        .flat_map(|m| &m.types)
        .map(|t| (t.full_name.clone(), t.fields.iter().map(|f| f.default_value.clone()).collect()))
        .collect();
    let subjects = &ctx.subjects;
    let index_of: HashMap<&str, usize> = inputs.iter().map(|f| (f.path, f.index)).collect();
    let dir = package.replace('.', "/");
    let file_of: HashMap<crate::core::source::FileId, usize> =
        inputs.iter().map(|f| (set.files[f.index].file, f.index)).collect();
    // The union enums of each module (`crate::m`), by name.
    let mut unions: HashMap<String, Vec<UnionDef>> = HashMap::new();
    for (id, (p, variants)) in &g.names.unions {
        let SchemaKind::Union(b) = &set.resolved(*id).kind else { continue };
        let name = last(p);
        let branches = b
            .iter()
            .zip(variants)
            .map(|(bid, vn)| BranchDef {
                name: vn.clone(),
                type_expr: (!matches!(set.resolved(*bid).kind, SchemaKind::Primitive(Primitive::Null)))
                    .then(|| g.boxed_type(*bid, 0, true)),
            })
            .collect();
        let module = p[..p.len() - name.len()].trim_end_matches("::").to_string();
        unions.entry(module).or_default().push(UnionDef { class_name: name.to_string(), branches });
    }
    for list in unions.values_mut() {
        list.sort_by(|a, b| a.class_name.cmp(&b.class_name));
    }
    for m in &mut ctx.schemas {
        let Some(&index) = index_of.get(m.file.as_str()) else { continue };
        let (Some(path), Some(root)) = (g.names.modules.get(&index), set.files[index].root) else { continue };
        m.module = path.trim_start_matches("crate::").to_string();
        m.path = format!("{dir}/{}.rs", m.module);
        let node = set.resolved(root);
        m.value_type_expr = g.rtype(root, 0);
        // The value type's name: a type of the crate by its last segment, else the type itself.
        m.class_name = match node.named() {
            Some(_) => last(&m.value_type_expr).to_string(),
            None => m.value_type_expr.clone(),
        };
        let owner = node.named().and_then(|n| file_of.get(&set.node(set.names[&n.full_name]).file)).copied();
        m.adapter_name = match node.named() {
            Some(_) if owner == Some(index) => format!("{}Adapter", m.class_name),
            Some(n) => format!("{}Adapter", type_ident(&n.name)),
            None => format!("{}Adapter", type_ident(&java::shorten(&stem_ident(&m.file)))),
        };
        // What publish registers: the subjects of the top-level type, a reference resolved;
        // a top level that is not named keeps the subjects of its file.
        if let Some(n) = node.named() {
            m.subjects = subjects.get(&n.full_name).cloned().unwrap_or_default();
        }
        m.write = Some(write::plan(set, root, &g, 0));
        for t in &mut m.types {
            let Some(&id) = set.names.get(&t.full_name) else { continue };
            let Some(ty) = g.names.types.get(&t.full_name) else { continue };
            t.class_name = last(ty).to_string();
            match &set.node(id).kind {
                SchemaKind::Record(r) => {
                    let idents = &g.names.fields[&t.full_name];
                    for (i, (f, fd)) in t.fields.iter_mut().zip(&r.fields).enumerate() {
                        let boxed = g.names.boxed.contains(&(t.full_name.clone(), i));
                        f.ident = idents[i].clone();
                        f.type_expr = g.field_type(&t.full_name, i, fd.ty);
                        f.default_expr = f.default_value.as_ref().and_then(|d| g.dexpr(fd.ty, d, boxed, 0));
                        f.write = Some(write::plan(set, fd.ty, &g, 0));
                    }
                }
                SchemaKind::Enum(_) => {
                    for (s, v) in t.symbols.iter_mut().zip(&g.names.variants[&t.full_name]) {
                        s.ident = v.clone();
                    }
                }
                _ => {}
            }
        }
        m.types.sort_by(|a, b| a.full_name.cmp(&b.full_name));
        m.unions = unions.remove(path.as_str()).unwrap_or_default();
    }
    Ok(())
}
