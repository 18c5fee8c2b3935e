//! Rust: a crate (`<package>/Cargo.toml`, `lib.rs`) with a module per schema file holding a
//! struct per record, an enum per Avro enum, a newtype per fixed, an enum per union of several
//! non-null branches, `SCHEMA`, `SUBJECTS`, `serialize` and the adapter trait; serde derives on
//! every type; serialized by the generated `runtime.rs` (templates/rust), whose only dependency
//! is serde. Types are written by full paths (`crate::module::Type`, `::std::vec::Vec`), so no
//! name of a schema can hide another.
//!
//! This file is the Rust table over the shared model (the type trees and typed defaults of
//! [`SetModel`] and the modules; never the schema set): names, Rust types, and the spelling of
//! defaults, which the shared [`defaults::expr`] walks.

use super::defaults;
use super::write::{self, shape, Shape};
use super::*;
use crate::core::schema::SchemaId;
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
    // how values are written are filled in by `finish`, which reads the whole set's model.
    fn type_expr(&self, _ty: &TypeRef, _names: &Names) -> String {
        String::new()
    }
    fn default_expr(&self, _ty: &TypeRef, _value: &Value, _names: &Names) -> String {
        String::new()
    }
    fn max_nesting(&self) -> Option<usize> {
        Some(MAX_RUST_DEPTH)
    }
    fn reads_whole_set(&self) -> bool {
        true
    }
    fn finish(&self, ctx: &mut Context) -> Result<(), String> {
        finish(ctx)
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
    /// A union of several non-null branches (by its identity) -> its enum and each branch's
    /// variant.
    pub unions: HashMap<SchemaId, (String, Vec<String>)>,
    /// (record full name, field index) whose values are boxed.
    pub boxed: HashSet<(String, usize)>,
    /// Schema file (path under the root) -> its module path (`crate::m`).
    pub modules: HashMap<String, String>,
}

struct Gen<'a> {
    model: &'a SetModel,
    names: RustNames,
    /// The branches of every union named as an enum, by its identity.
    branches: HashMap<SchemaId, &'a [TypeRef]>,
}

const R: &str = "crate::runtime";

/// The deepest nesting of arrays, maps and unions generated for Rust: rustc's trait solver
/// gives up on the derives of deeper types (`Vec` nested 127 levels fails with its default
/// recursion limit of 128; 100 builds).
pub const MAX_RUST_DEPTH: usize = 100;

/// The runtime's type of a logical type's values (a duration only on a fixed), if it has one.
fn logical_rtype(ty: &TypeRef) -> Option<String> {
    let t = match ty.logical()? {
        "decimal" | "big-decimal" => "Decimal",
        "uuid" => "Uuid",
        "date" => "Date",
        "time-millis" => "TimeMillis",
        "time-micros" => "TimeMicros",
        "timestamp-millis" => "TimestampMillis",
        "timestamp-micros" => "TimestampMicros",
        "timestamp-nanos" => "TimestampNanos",
        "local-timestamp-millis" => "LocalTimestampMillis",
        "local-timestamp-micros" => "LocalTimestampMicros",
        "local-timestamp-nanos" => "LocalTimestampNanos",
        "duration" if matches!(ty, TypeRef::Named { ty: "fixed", .. }) => "Duration",
        _ => return None,
    };
    Some(format!("{R}::{t}"))
}

/// Whether a type is a record (or error) of its own, no logical type on it.
fn is_record(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named { ty: "record" | "error", logical: None, .. })
}

impl Gen<'_> {
    fn rtype(&self, ty: &TypeRef, depth: usize) -> String {
        if depth > MAX_GENERATED_DEPTH {
            return "()".into();
        }
        if let Some(t) = logical_rtype(ty) {
            return t;
        }
        match ty {
            TypeRef::Named { full_name, .. } => self.names.types.get(full_name).cloned().unwrap_or_else(|| "()".into()),
            TypeRef::Primitive { name, .. } => match *name {
                "boolean" => "bool".into(),
                "int" => "i32".into(),
                "long" => "i64".into(),
                "float" => "f32".into(),
                "double" => "f64".into(),
                "bytes" => "::std::vec::Vec<u8>".into(),
                "string" => "::std::string::String".into(),
                _ => "()".into(),
            },
            TypeRef::Array { items } => format!("::std::vec::Vec<{}>", self.rtype(items, depth + 1)),
            TypeRef::Map { values } => {
                format!("::std::collections::BTreeMap<::std::string::String, {}>", self.rtype(values, depth + 1))
            }
            TypeRef::Union { branches, id, .. } => match shape(branches) {
                Shape::OnlyNull => "()".into(),
                Shape::Optional(_, t) => format!("::std::option::Option<{}>", self.rtype(t, depth + 1)),
                Shape::Sum => self.names.unions.get(id).map(|u| u.0.clone()).unwrap_or_else(|| "()".into()),
            },
            TypeRef::Deep => "()".into(),
        }
    }

    /// A record's type boxed when `boxed` (recursion).
    fn boxed_type(&self, ty: &TypeRef, depth: usize, boxed: bool) -> String {
        let t = self.rtype(ty, depth);
        if boxed && is_record(ty) {
            format!("::std::boxed::Box<{t}>")
        } else {
            t
        }
    }
}

/// The Rust names [`write::plan`] needs: a union's enum and its variants (no variable is
/// declared with a type).
impl write::WriteNames for Gen<'_> {
    fn type_expr(&self, _ty: &TypeRef) -> Option<String> {
        None
    }
    fn union(&self, union: &TypeRef) -> Option<(String, Vec<Option<String>>)> {
        let TypeRef::Union { id, .. } = union else { return None };
        self.names.unions.get(id).map(|(t, v)| (t.clone(), v.iter().cloned().map(Some).collect()))
    }
}

/// Rust's spelling of defaults ([`defaults::expr`] walks them): the context is whether a
/// record value is boxed there (recursion).
impl defaults::Spell for Gen<'_> {
    type Ctx = bool;

    /// Primitives, enums and fixed, and the logical types the runtime represents (a default
    /// of another shape than the runtime's type, a decimal of more than 16 bytes, a
    /// big-decimal, a uuid not in its text form are refused).
    fn leaf(&self, ty: &TypeRef, v: &Value) -> Option<String> {
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
        let scale = ty.scale();
        match (ty.logical(), v) {
            (Some("decimal"), _) => {
                let b = raw?;
                if b.len() > 16 {
                    return None;
                }
                let mut full = if b.first().is_some_and(|x| x & 0x80 != 0) { [0xff_u8; 16] } else { [0_u8; 16] };
                full[16 - b.len()..].copy_from_slice(b);
                return Some(format!("{R}::Decimal::new({}_i128, {scale})", i128::from_be_bytes(full)));
            }
            (Some("big-decimal"), _) => return None,
            (Some("uuid"), Value::String { value }) => {
                let hex: String = value.chars().filter(|c| *c != '-').collect();
                if hex.len() != 32 || value.len() != 36 {
                    return None;
                }
                return Some(format!("{R}::Uuid({}_u128)", u128::from_str_radix(&hex, 16).ok()?));
            }
            (Some("uuid"), Value::Fixed { value, .. }) => {
                let b: [u8; 16] = value.as_slice().try_into().ok()?;
                return Some(format!("{R}::Uuid({}_u128)", u128::from_be_bytes(b)));
            }
            (Some("duration"), Value::Fixed { value, .. }) if value.len() == 12 => {
                let u = |i: usize| u32::from_le_bytes([value[i], value[i + 1], value[i + 2], value[i + 3]]);
                return Some(format!("{R}::Duration {{ months: {}, days: {}, millis: {} }}", u(0), u(4), u(8)));
            }
            (Some(l), Value::Int { value } | Value::Long { value })
                if matches!(ty, TypeRef::Primitive { name: "int" | "long", .. }) =>
            {
                let t = self.rtype(ty, 0);
                if !t.starts_with(R) {
                    return None;
                }
                let suffix = if matches!(l, "date" | "time-millis") { "i32" } else { "i64" };
                return Some(format!("{t}({value}_{suffix})"));
            }
            _ => {}
        }
        if ty.logical().is_some() && !matches!(ty, TypeRef::Named { ty: "record" | "error" | "enum", .. }) {
            // A logical type the runtime represents but whose default is of another shape.
            let plain = self.rtype(ty, 0);
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
        Some(match (ty, v) {
            (TypeRef::Primitive { name: "null", .. }, Value::Null) => "()".to_string(),
            (TypeRef::Primitive { name: "boolean", .. }, Value::Boolean { value }) => value.to_string(),
            (TypeRef::Primitive { name: "int", .. }, Value::Int { value }) => format!("{value}_i32"),
            (TypeRef::Primitive { name: "long", .. }, Value::Long { value } | Value::Int { value }) => {
                format!("{value}_i64")
            }
            (TypeRef::Primitive { name: "float", .. }, Value::Float { text }) => float(text, "f32")?,
            (TypeRef::Primitive { name: "double", .. }, Value::Double { text } | Value::Float { text }) => {
                float(text, "f64")?
            }
            (TypeRef::Primitive { name: "bytes", .. }, Value::Bytes { value }) => bytes(value),
            (TypeRef::Primitive { name: "string", .. }, Value::String { value }) => {
                format!("::std::string::String::from({})", string_literal(value))
            }
            (TypeRef::Named { ty: "fixed", .. }, Value::Fixed { value, .. }) => {
                format!("{}({})", self.rtype(ty, 0), bytes(value))
            }
            (TypeRef::Named { ty: "enum", full_name: full, .. }, Value::Enum { symbol, .. }) => {
                let i = self.model.named.get(full)?.symbols.iter().position(|s| s == symbol)?;
                format!("{}::{}", self.names.types.get(full)?, self.names.variants.get(full)?.get(i)?)
            }
            _ => return None,
        })
    }
    fn element(&self, _boxed: &bool) -> bool {
        false
    }
    fn array(&self, _boxed: &bool, _items: &TypeRef, elements: Vec<String>) -> String {
        if elements.is_empty() {
            "::std::vec::Vec::new()".to_string()
        } else {
            format!("::std::vec![{}]", elements.join(", "))
        }
    }
    fn map(&self, _boxed: &bool, _values: &TypeRef, entries: Vec<(&str, String)>) -> String {
        if entries.is_empty() {
            return "::std::collections::BTreeMap::new()".to_string();
        }
        let parts: Vec<String> = entries
            .into_iter()
            .map(|(key, e)| format!("(::std::string::String::from({}), {e})", string_literal(key)))
            .collect();
        format!("::std::collections::BTreeMap::from([{}])", parts.join(", "))
    }
    /// A field is boxed where it leads back to its record.
    fn fields(&self, _boxed: &bool, rec: &NamedType) -> Vec<bool> {
        (0..rec.fields.len()).map(|i| self.names.boxed.contains(&(rec.full_name.clone(), i))).collect()
    }
    /// A struct literal of every field (those the default leaves out with their own default).
    fn record(&self, boxed: &bool, rec: &NamedType, fields: Vec<(String, bool)>) -> Option<String> {
        let idents = self.names.fields.get(&rec.full_name)?;
        let parts: Vec<String> = idents.iter().zip(fields).map(|(ident, (x, _))| format!("{ident}: {x}")).collect();
        let e = format!("{} {{ {} }}", self.names.types.get(&rec.full_name)?, parts.join(", "));
        Some(if *boxed { format!("::std::boxed::Box::new({e})") } else { e })
    }
    /// A branch of an enum of the union is boxed where it is a record.
    fn branch(&self, boxed: &bool, branches: &[TypeRef], _index: usize) -> bool {
        matches!(shape(branches), Shape::Sum) || *boxed
    }
    fn union(&self, _boxed: &bool, union: &TypeRef, index: usize, value: Option<String>) -> Option<String> {
        let TypeRef::Union { branches, id, .. } = union else { return None };
        Some(match (shape(branches), value) {
            (Shape::OnlyNull, _) => "()".to_string(),
            (Shape::Optional(..), None) => "::std::option::Option::None".to_string(),
            (Shape::Optional(..), Some(x)) => format!("::std::option::Option::Some({x})"),
            (Shape::Sum, value) => {
                let (ty, variants) = self.names.unions.get(id)?;
                let variant = variants.get(index)?;
                match value {
                    None => format!("{ty}::{variant}"),
                    Some(x) => format!("{ty}::{variant}({x})"),
                }
            }
        })
    }
}

impl Gen<'_> {
    /// A record field's Rust type.
    fn field_type(&self, full: &str, i: usize, ty: &TypeRef) -> String {
        let boxed = self.names.boxed.contains(&(full.to_string(), i));
        match ty {
            TypeRef::Union { branches, .. } if boxed => match shape(branches) {
                Shape::Optional(_, t) => format!("::std::option::Option<{}>", self.boxed_type(t, 0, true)),
                _ => self.rtype(ty, 0),
            },
            _ => self.boxed_type(ty, 0, boxed),
        }
    }
}

/// The record a field holds without indirection (its type, or the other branch of an
/// optional union), if any.
fn inline_record(ty: &TypeRef) -> Option<&str> {
    let t = match ty {
        TypeRef::Union { branches, .. } => match shape(branches) {
            Shape::Optional(_, t) => t,
            _ => return None,
        },
        t => t,
    };
    match t {
        TypeRef::Named { ty: "record" | "error", full_name, .. } => Some(full_name),
        _ => None,
    }
}

fn reaches(model: &SetModel, from: &str, to: &str) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(t) = model.named.get(&n) {
            stack.extend(t.fields.iter().filter_map(|f| inline_record(&f.ty)).map(str::to_string));
        }
    }
    false
}

/// A branch's variant name.
fn variant_of(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named { name, .. } => type_ident(name),
        TypeRef::Primitive { name, .. } => java::pascal(name),
        TypeRef::Array { .. } => "Array".into(),
        TypeRef::Map { .. } => "Map".into(),
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

fn plan(model: &SetModel) -> Gen<'_> {
    let mut names = RustNames::default();
    // Modules, one per schema file, in path order; unique ignoring case.
    let mut taken_modules: HashSet<String> = ["runtime".to_string(), "lib".to_string()].into_iter().collect();
    for (path, top) in &model.tops {
        let base = match top {
            TypeRef::Named { full_name, .. } => module_name(full_name),
            _ => module_name(&path.trim_end_matches(".avsc").replace('/', ".")),
        };
        let mut m = base;
        while !taken_modules.insert(m.to_lowercase()) {
            m.push('_');
        }
        names.modules.insert(path.clone(), format!("crate::{m}"));
    }
    // Types, per module, unique in it; the module's adapter trait (`<Top>Adapter`) is taken
    // first.
    let mut taken: HashMap<String, HashSet<String>> = HashMap::new();
    for (path, top) in &model.tops {
        let Some(m) = names.modules.get(path) else { continue };
        let top = match top {
            TypeRef::Named { name, .. } => type_ident(&java::shorten(name)),
            _ => type_ident(&java::shorten(&stem_ident(path))),
        };
        taken.entry(m.clone()).or_default().insert(format!("{top}Adapter"));
    }
    for (full, t) in &model.named {
        let Some(m) = names.modules.get(&t.file).cloned() else { continue };
        let taken = taken.entry(m.clone()).or_default();
        let name = unique(std::iter::once(type_ident(&java::shorten(&t.name))), taken).remove(0);
        names.types.insert(full.clone(), format!("{m}::{name}"));
        match t.kind {
            "record" | "error" => {
                names
                    .fields
                    .insert(full.clone(), field_idents(&t.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>()));
                for (i, f) in t.fields.iter().enumerate() {
                    if inline_record(&f.ty).is_some_and(|held| reaches(model, held, full)) {
                        names.boxed.insert((full.clone(), i));
                    }
                }
            }
            "enum" => {
                names.variants.insert(full.clone(), variant_idents(&t.symbols));
            }
            _ => {}
        }
    }
    // Union enums: named after the record and field (or the file), in the record's module.
    let mut unions: Vec<(&TypeRef, String, String)> = Vec::new(); // (union, module, base name)
    fn visit<'t>(ty: &'t TypeRef, module: &str, base: String, unions: &mut Vec<(&'t TypeRef, String, String)>) {
        let mut stack = vec![(ty, base, 0usize)];
        while let Some((ty, base, depth)) = stack.pop() {
            if depth > MAX_GENERATED_DEPTH {
                continue;
            }
            match ty {
                TypeRef::Array { items } => stack.push((items, format!("{base}Item"), depth + 1)),
                TypeRef::Map { values } => stack.push((values, format!("{base}Value"), depth + 1)),
                TypeRef::Union { branches, .. } => {
                    if matches!(shape(branches), Shape::Sum) {
                        unions.push((ty, module.to_string(), base.clone()));
                    }
                    for b in branches {
                        stack.push((b, format!("{base}{}", variant_of(b)), depth + 1));
                    }
                }
                _ => {}
            }
        }
    }
    for (full, t) in &model.named {
        let Some(m) = names.modules.get(&t.file) else { continue };
        let tn = last(&names.types[full]).to_string();
        for f in &t.fields {
            visit(&f.ty, m, format!("{tn}{}", java::pascal(&f.name)), &mut unions);
        }
    }
    for (path, top) in &model.tops {
        if matches!(top, TypeRef::Named { .. }) {
            continue;
        }
        let m = &names.modules[path];
        visit(top, m, type_ident(&java::shorten(&stem_ident(path))), &mut unions);
    }
    let mut branches_of = HashMap::new();
    for (union, m, base) in unions {
        let TypeRef::Union { branches, id, .. } = union else { continue };
        if names.unions.contains_key(id) {
            continue;
        }
        let t = taken.entry(m.clone()).or_default();
        let name = unique(std::iter::once(type_ident(&base)), t).remove(0);
        let mut vt = HashSet::new();
        let variants = unique(branches.iter().map(variant_of), &mut vt);
        names.unions.insert(*id, (format!("{m}::{name}"), variants));
        branches_of.insert(*id, branches.as_slice());
    }
    Gen { model, names, branches: branches_of }
}

/// The Rust names of every type generated for a set.
pub fn names(model: &SetModel) -> RustNames {
    plan(model).names
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
fn finish(ctx: &mut Context) -> Result<(), String> {
    let g = plan(&ctx.set);
    let subjects = &ctx.subjects;
    let dir = ctx.package.replace('.', "/");
    // The union enums of each module (`crate::m`), by name.
    let mut unions: HashMap<String, Vec<UnionDef>> = HashMap::new();
    for (id, (p, variants)) in &g.names.unions {
        let Some(branches) = g.branches.get(id) else { continue };
        let name = last(p);
        let branches = branches
            .iter()
            .zip(variants)
            .map(|(b, vn)| BranchDef { name: vn.clone(), type_expr: (!b.is_null()).then(|| g.boxed_type(b, 0, true)) })
            .collect();
        let module = p[..p.len() - name.len()].trim_end_matches("::").to_string();
        unions.entry(module).or_default().push(UnionDef { class_name: name.to_string(), branches });
    }
    for list in unions.values_mut() {
        list.sort_by(|a, b| a.class_name.cmp(&b.class_name));
    }
    for m in &mut ctx.schemas {
        let (Some(path), Some(root)) = (g.names.modules.get(&m.file), g.model.tops.get(&m.file)) else { continue };
        m.module = path.trim_start_matches("crate::").to_string();
        m.path = format!("{dir}/{}.rs", m.module);
        m.value_type_expr = g.rtype(root, 0);
        // The value type's name: a type of the crate by its last segment, else the type itself.
        m.class_name = match root {
            TypeRef::Named { .. } => last(&m.value_type_expr).to_string(),
            _ => m.value_type_expr.clone(),
        };
        m.adapter_name = match root {
            TypeRef::Named { full_name, .. } if g.model.named.get(full_name).is_some_and(|t| t.file == m.file) => {
                format!("{}Adapter", m.class_name)
            }
            TypeRef::Named { name, .. } => format!("{}Adapter", type_ident(name)),
            _ => format!("{}Adapter", type_ident(&java::shorten(&stem_ident(&m.file)))),
        };
        // What publish registers: the subjects of the top-level type, a reference resolved;
        // a top level that is not named keeps the subjects of its file.
        if let TypeRef::Named { full_name, .. } = root {
            m.subjects = subjects.get(full_name).cloned().unwrap_or_default();
        }
        m.write = Some(write::plan(root, &g, 0));
        for t in &mut m.types {
            let Some(named) = g.model.named.get(&t.full_name) else { continue };
            let Some(ty) = g.names.types.get(&t.full_name) else { continue };
            t.class_name = last(ty).to_string();
            match named.kind {
                "record" | "error" => {
                    let idents = &g.names.fields[&t.full_name];
                    for (i, (f, fd)) in t.fields.iter_mut().zip(&named.fields).enumerate() {
                        let boxed = g.names.boxed.contains(&(t.full_name.clone(), i));
                        f.ident = idents[i].clone();
                        f.type_expr = g.field_type(&t.full_name, i, &fd.ty);
                        f.default_expr =
                            f.default_value.as_ref().and_then(|d| defaults::expr(&g, g.model, &fd.ty, d, &boxed, 0));
                        f.write = Some(write::plan(&fd.ty, &g, 0));
                    }
                }
                "enum" => {
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
