//! Java 17: one class per named type (records as immutable classes with a builder, enums as
//! Java enums, fixed as value classes), a class per schema file whose top level is not a named
//! type (a sealed interface for a union), a `<Name>Adapter<S>` per schema file, and unions of
//! several non-null branches as sealed interfaces with one record per branch. Everything is
//! serialized by the generated `SchemapipeRuntime` (templates/java): no dependency.
//!
//! Named types are written by their fully qualified names, so no import can clash.
//!
//! This file is the Java table over the shared model (the type trees and typed defaults of
//! [`SetModel`] and the modules; never the schema set): names (escaping, classes named across
//! the whole set), Java types, and the spelling of defaults, which the shared
//! [`defaults::expr`] walks. How a value is written is the shared [`write::plan`], spelled by
//! the `write` macro of `templates/java/macros.java.j2`. The class layout is in the
//! templates under `templates/java/`, rendered from the shared model ([`Target::complete`]
//! puts the Java names and expressions in it).

use super::defaults;
use super::write::{self, shape, Shape, Write};
use super::*;
use crate::core::schema::SchemaId;
use std::collections::HashSet;
use std::rc::Rc;

/// The Java target. Its table (names, Java types, defaults) is this file;
/// [`Target::complete`] names every class across the whole set and puts the expressions in the
/// model; the templates under `templates/java/` write the classes, the adapters and the
/// runtime.
pub struct Java;

macro_rules! template {
    ($name:literal, $scope:expr) => {
        Template {
            name: $name,
            builtin: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/java/", $name)),
            scope: $scope,
        }
    };
}

const TEMPLATES: &[Template] = &[
    template!("class.java.j2", Scope::Type),
    template!("record.java.j2", Scope::Include),
    template!("enum.java.j2", Scope::Include),
    template!("fixed.java.j2", Scope::Include),
    template!("value.java.j2", Scope::Include),
    template!("macros.java.j2", Scope::Include),
    template!("adapter.java.j2", Scope::Module),
    template!("SchemapipeRuntime.java.j2", Scope::Run),
    template!("pom-fragment.xml.j2", Scope::Run),
];

fn javastr(s: String) -> String {
    string_literal(&s)
}

impl Target for Java {
    fn name(&self) -> &'static str {
        "java"
    }
    fn extension(&self) -> &'static str {
        "java"
    }
    fn templates(&self) -> &'static [Template] {
        TEMPLATES
    }
    fn filters(&self) -> &'static [Filter] {
        &[("javastr", javastr)]
    }
    fn valid_package(&self, package: &str) -> bool {
        valid_package(package)
    }
    fn ident(&self, name: &str) -> String {
        class_ident(name)
    }
    fn field(&self, name: &str) -> String {
        ident(name)
    }
    /// A Java type depends on the class it is written in (a union's sealed interface is
    /// declared there): [`Target::complete`] writes the real ones.
    fn type_expr(&self, _ty: &TypeRef, _names: &Names) -> String {
        "java.lang.Object".into()
    }
    fn default_expr(&self, _ty: &TypeRef, _value: &Value, _names: &Names) -> String {
        "null".into()
    }
    /// An enum of more symbols than a Java enum can hold ([`MAX_ENUM_SYMBOLS`]), a record of
    /// more fields than its class can ([`MAX_RECORD_FIELDS`]).
    fn refuse(&self, module: &Module) -> Option<String> {
        module.types.iter().find_map(|t| {
            let (count, what, max) = match t.kind {
                "enum" => (t.symbols.len(), "symbols", MAX_ENUM_SYMBOLS),
                _ => (t.fields.len(), "fields", MAX_RECORD_FIELDS),
            };
            (count > max).then(|| {
                format!(
                    "the {} `{}` has {count} {what}, more than the {max} its Java class can hold (javac writes code for every {} in one method, of at most 64 KB of bytecode)",
                    t.kind,
                    t.full_name,
                    &what[..what.len() - 1]
                )
            })
        })
    }
    fn max_nesting(&self) -> Option<usize> {
        Some(MAX_DEPTH)
    }
    fn reads_whole_set(&self) -> bool {
        true
    }
    fn complete(&self, set: &SetModel, package: &str, modules: &mut [Module]) -> Result<(), String> {
        complete(set, package, modules)
    }
}

const KEYWORDS: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "_",
    "var",
    "yield",
    "record",
    "sealed",
    "permits",
    "exports",
    "module",
    "requires",
    "open",
    "opens",
    "to",
    "uses",
    "provides",
    "with",
    "transitive",
];

/// Class names that would hide the `java.lang` types the generated code uses, and `java`,
/// which would hide the `java.` of fully qualified names.
const HIDDEN: &[&str] = &[
    "java",
    "String",
    "Object",
    "Integer",
    "Long",
    "Boolean",
    "Float",
    "Double",
    "Byte",
    "Void",
    "Math",
    "System",
    "Override",
    "SuppressWarnings",
    "Record",
    "Enum",
    "Class",
    "Number",
    "Exception",
    "Iterable",
    "RuntimeException",
    "IllegalArgumentException",
    "IllegalStateException",
    "NullPointerException",
    "StringBuilder",
    "SafeVarargs",
    "Deprecated",
    "FunctionalInterface",
    "Character",
    "Short",
    "Error",
    "Throwable",
    "ArithmeticException",
    "Comparable",
    "CharSequence",
    "Cloneable",
    "AutoCloseable",
    "Builder",
];

/// Members a generated record class or builder defines (or inherits) that a field's accessor
/// must not take.
const MEMBERS: &[&str] = &[
    "builder",
    "toBuilder",
    "encode",
    "build",
    "equals",
    "hashCode",
    "toString",
    "getClass",
    "notify",
    "notifyAll",
    "wait",
    "clone",
    "finalize",
    "SCHEMA",
    "SUBJECTS",
    "SYMBOLS",
    "SIZE",
    "symbol",
    "bytes",
];

/// Whether a dotted package name is a Java package name (no keyword parts).
pub fn valid_package(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|p| {
            let mut chars = p.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !KEYWORDS.contains(&p)
        })
}

/// A name made a Java identifier: keywords get a trailing `_`.
pub fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// A name of a class: also not a `java.lang` type's.
pub fn class_ident(name: &str) -> String {
    let n = ident(name);
    if HIDDEN.contains(&n.as_str()) {
        format!("{n}_")
    } else {
        n
    }
}

/// A name too long for a file (over 200 bytes) shortened to a readable prefix and a hash of
/// the whole name.
pub fn shorten(name: &str) -> String {
    if name.len() <= 200 {
        return name.to_string();
    }
    let hash = &manifest::sha256(name.as_bytes())[..10];
    format!("{}_{hash}", &name[..120])
}

/// The longest file name javac writes (bytes): a class file's, `Outer$Union$Branch.class`.
const MAX_CLASS_FILE: usize = 255;

/// The most bytes of the name of a class nested in the top-level class `outer` (a union's
/// sealed interface, a branch's record): the file of a branch's class, `outer`, the
/// interface's and the branch's names joined by `$` with `.class`, must fit
/// [`MAX_CLASS_FILE`].
fn nested_budget(outer: &str) -> usize {
    (MAX_CLASS_FILE.saturating_sub(outer.len() + ".class".len() + 2) / 2).max(12)
}

/// A nested class's name of at most `budget` bytes: `name` when it fits, else its first
/// bytes, `_` and 10 hex digits of the SHA-256 of the whole name.
pub fn nested_name(name: &str, budget: usize) -> String {
    if name.len() <= budget {
        return name.to_string();
    }
    let mut cut = budget.saturating_sub(11).max(1);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{}", &name[..cut], &manifest::sha256(name.as_bytes())[..10])
}

/// `payment_id` -> `PaymentId`.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// A Java string literal; non-ASCII as `\u` escapes.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// The bytes a character takes in a class file's constant pool (modified UTF-8: NUL in two
/// bytes, a character past U+FFFF as two surrogates of three).
fn constant_bytes(c: char) -> usize {
    match c as u32 {
        1..=0x7f => 1,
        0 | 0x80..=0x7ff => 2,
        0x800..=0xffff => 3,
        _ => 6,
    }
}

/// The most bytes of a string constant written: the constant pool holds 65,535, and javac
/// takes a string of fewer than 65,535 UTF-16 units.
const MAX_CONSTANT_BYTES: usize = 65_000;

/// A text as a Java expression: a string literal, or for a text over what a string constant
/// may take ([`MAX_CONSTANT_BYTES`]), the literals of its parts joined at run time.
pub fn long_string(s: &str) -> String {
    if s.chars().map(constant_bytes).sum::<usize>() <= MAX_CONSTANT_BYTES {
        return string_literal(s);
    }
    let mut parts = Vec::new();
    let (mut part, mut size) = (String::new(), 0);
    for c in s.chars() {
        if size + constant_bytes(c) > MAX_CONSTANT_BYTES {
            parts.push(string_literal(&std::mem::take(&mut part)));
            size = 0;
        }
        part.push(c);
        size += constant_bytes(c);
    }
    parts.push(string_literal(&part));
    format!("java.lang.String.join(\"\",\n        {})", parts.join(",\n        "))
}

/// The most symbols an enum may have: javac puts the construction of every constant in one
/// method (the class's static initializer, at most 64 KB of bytecode, about 16 bytes a
/// constant), which fails from about 4,100 symbols (measured with OpenJDK 17 and 25).
pub const MAX_ENUM_SYMBOLS: usize = 4_000;

/// The most fields a record may have: its class's constructor, `equals` and `toString` take
/// code for every field (up to about 20 bytes), in methods of at most 64 KB of bytecode
/// (`encode` is split); one of 3,500 fields of `bytes`, arrays and maps does not compile.
pub const MAX_RECORD_FIELDS: usize = 3_000;

/// Text safe inside a Javadoc comment: no early end, no unicode escapes.
pub fn doc_comment(doc: &str, indent: &str) -> String {
    let text = doc.replace('\\', "\\\\").replace("*/", "*&#47;").replace('@', "&#64;");
    let mut out = format!("{indent}/**\n");
    for line in text.lines() {
        let line: String = line.chars().filter(|c| !c.is_control()).collect();
        out.push_str(&format!("{indent} * {}\n", line.trim_end()).replace(" * \n", " *\n"));
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// A named type's Java class.
#[derive(Clone, Debug)]
struct ClassName {
    /// `schemapipe_events.com.acme`.
    package: String,
    simple: String,
}

impl ClassName {
    fn fq(&self) -> String {
        format!("{}.{}", self.package, self.simple)
    }
    fn path(&self) -> String {
        format!("{}/{}.java", self.package.replace('.', "/"), self.simple)
    }
}

struct Gen<'a> {
    model: &'a SetModel,
    runtime: String,
    classes: HashMap<String, ClassName>,
}

/// The deepest type nesting generated; deeper schemas are refused.
const MAX_DEPTH: usize = super::MAX_GENERATED_DEPTH;

/// What a union's sealed interface and its branch records are called.
#[derive(Clone)]
struct SealedNames {
    /// Fully qualified name of the interface.
    fq: String,
    simple: String,
    /// Per branch (in schema order; None for null): the record's simple name.
    branches: Vec<Option<String>>,
}

impl<'a> Gen<'a> {
    fn r(&self) -> &str {
        &self.runtime
    }

    /// The `--package` the classes are in.
    fn package(&self) -> &str {
        self.runtime.strip_suffix(".SchemapipeRuntime").unwrap_or(&self.runtime)
    }

    fn class(&self, full_name: &str) -> String {
        self.classes.get(full_name).map(|c| c.fq()).unwrap_or_else(|| "java.lang.Object".into())
    }

    /// `outer` is the simple name of the top-level class the interface is declared in (the
    /// interface itself for a schema file whose top level is the union).
    fn sealed_names(&self, branches: &[TypeRef], owner_fq: &str, simple: String, outer: &str) -> SealedNames {
        let budget = nested_budget(outer);
        let mut used: HashSet<String> = HashSet::new();
        let names = branches
            .iter()
            .map(|b| {
                let base = match b {
                    TypeRef::Primitive { name: "null", .. } => return None,
                    TypeRef::Named { name, .. } => format!("Of{}", pascal(name)),
                    TypeRef::Primitive { name, .. } => format!("Of{}", pascal(name)),
                    TypeRef::Array { .. } => "OfArray".into(),
                    TypeRef::Map { .. } => "OfMap".into(),
                    _ => "OfValue".into(),
                };
                // A class may not be named like a class it is declared in.
                let mut base = base;
                let mut name = nested_name(&base, budget);
                while used.contains(&name) || name == simple || name == outer {
                    base.push('_');
                    name = nested_name(&base, budget);
                }
                used.insert(name.clone());
                Some(name)
            })
            .collect();
        SealedNames { fq: format!("{owner_fq}.{simple}"), simple, branches: names }
    }

    /// The Java type of a type of the model. `owner` is the class unions are declared in,
    /// `hint` the name of a union's interface there; the declarations are appended to `decls`.
    fn jtype(
        &self,
        ty: &TypeRef,
        boxed: bool,
        owner: &str,
        hint: &str,
        decls: &mut Decls,
        depth: usize,
    ) -> Result<String, String> {
        if depth > MAX_DEPTH {
            return Err(format!("a type nests more than {MAX_DEPTH} levels deep"));
        }
        let r = self.r();
        if let Some(t) = logical_jtype(ty, r) {
            return Ok(t);
        }
        Ok(match ty {
            TypeRef::Named { full_name, .. } => self.class(full_name),
            TypeRef::Primitive { name, .. } => primitive_jtype(name, boxed).into(),
            TypeRef::Array { items } => {
                format!("java.util.List<{}>", self.jtype(items, true, owner, &format!("{hint}Item"), decls, depth + 1)?)
            }
            TypeRef::Map { values } => format!(
                "java.util.Map<java.lang.String, {}>",
                self.jtype(values, true, owner, &format!("{hint}Value"), decls, depth + 1)?
            ),
            TypeRef::Union { branches, id, .. } => match shape(branches) {
                Shape::OnlyNull => "java.lang.Void".into(),
                Shape::Optional(_, t) => self.jtype(t, true, owner, hint, decls, depth + 1)?,
                Shape::Sum => {
                    if let Some(n) = decls.sealed.get(id) {
                        return Ok(n.fq.clone());
                    }
                    let outer = owner.rsplit('.').next().unwrap_or(owner);
                    let budget = nested_budget(outer);
                    let mut base = hint.to_string();
                    let mut simple = nested_name(&base, budget);
                    while decls.taken.contains(&simple) {
                        base.push('_');
                        simple = nested_name(&base, budget);
                    }
                    decls.taken.insert(simple.clone());
                    let names = self.sealed_names(branches, owner, simple, outer);
                    let mut declared = Vec::new();
                    for (b, bn) in branches.iter().zip(&names.branches) {
                        let Some(bn) = bn else { continue };
                        let bt = self.jtype(b, false, owner, &format!("{hint}{}", &bn[2..]), decls, depth + 1)?;
                        declared.push(branch(b, bn, bt));
                    }
                    // Declared after the unions its branches declare.
                    decls.unions.push(serde_json::json!({ "name": names.simple, "branches": declared }));
                    let fq = names.fq.clone();
                    decls.sealed.insert(*id, names);
                    fq
                }
            },
            TypeRef::Deep => "java.lang.Object".into(),
        })
    }

    /// The Java type of a type whose unions are declared already (boxed).
    fn jtype_known(&self, ty: &TypeRef, decls: &Decls) -> String {
        let mut scratch = Decls { unions: Vec::new(), sealed: decls.sealed.clone(), taken: decls.taken.clone() };
        self.jtype(ty, true, "", "", &mut scratch, 0).unwrap_or_else(|_| "java.lang.Object".into())
    }

    /// A default, as the shared model types it, as a Java expression of the type's (boxed)
    /// Java type, the unions named as `decls` (the class's) declares them; `None` when the
    /// generated classes cannot hold it (Java's parser accepts some such defaults): the field
    /// is then left without one, and required.
    fn dexpr(&self, ty: &TypeRef, v: &Value, decls: &Rc<Decls>) -> Option<String> {
        defaults::expr(self, self.model, ty, v, decls, 0)
    }

    /// The union declarations of a record's class (computed again: they are deterministic).
    fn decls_of(&self, rec: &NamedType) -> Decls {
        let mut decls = Decls::default();
        let fq = self.class(&rec.full_name);
        decls.taken.insert(fq.rsplit('.').next().unwrap_or("").to_string());
        decls.taken.insert("Builder".into());
        for f in &rec.fields {
            let _ = self.jtype(&f.ty, false, &fq, &pascal(&f.name), &mut decls, 0);
        }
        decls
    }
}

/// Java's spelling of defaults ([`defaults::expr`] walks them): the context is the class whose
/// sealed interfaces the expression names.
impl defaults::Spell for Gen<'_> {
    type Ctx = Rc<Decls>;

    /// Primitives, enums and fixed, and the logical types on them: what Java's time types and
    /// the runtime's conversions cannot hold is refused — a time of day outside one day, a
    /// timestamp within a second of the long's limits, bytes that are no big-decimal, a uuid
    /// that is not in its text form.
    fn leaf(&self, ty: &TypeRef, v: &Value) -> Option<String> {
        let r = self.r();
        // Bytes as a text of characters 0-255, one a byte: code of a few bytes for any length
        // (an array initializer takes bytecode for every byte, and a method holds at most 64 KB).
        let bytes = |b: &[u8]| -> String {
            let text: String = b.iter().map(|x| char::from(*x)).collect();
            format!("{r}.latin1({})", long_string(&text))
        };
        let scale = ty.scale();
        let logical = match (ty.logical(), v) {
            (Some("decimal"), Value::Bytes { value } | Value::Fixed { value, .. }) => {
                Some(Some(format!("{r}.decimalOf({}, {scale})", bytes(value))))
            }
            (Some("big-decimal"), Value::Bytes { value }) => {
                Some(big_decimal_bytes(value).then(|| format!("{r}.bigDecimalOf({})", bytes(value))))
            }
            (Some("uuid"), Value::String { value }) => {
                Some(uuid_text(value).then(|| format!("{r}.uuidOf({})", string_literal(value))))
            }
            (Some("uuid"), Value::Fixed { value, .. }) => Some(Some(format!("{r}.uuidOfFixed({})", bytes(value)))),
            (Some("duration"), Value::Fixed { value, .. }) => Some(Some(format!("{r}.durationOf({})", bytes(value)))),
            (Some("date"), Value::Int { value }) => Some(Some(format!("java.time.LocalDate.ofEpochDay({value})"))),
            (Some("time-millis"), Value::Int { value }) => {
                Some((0..86_400_000).contains(value).then(|| format!("{r}.timeOfMillis({value})")))
            }
            (Some("time-micros"), Value::Long { value }) => {
                Some((0..86_400_000_000).contains(value).then(|| format!("{r}.timeOfMicros({value}L)")))
            }
            (Some(l), Value::Long { value }) => {
                let of = match l {
                    "timestamp-millis" => "instantOfMillis",
                    "timestamp-micros" => "instantOfMicros",
                    "timestamp-nanos" => "instantOfNanos",
                    "local-timestamp-millis" => "localOfMillis",
                    "local-timestamp-micros" => "localOfMicros",
                    "local-timestamp-nanos" => "localOfNanos",
                    _ => "",
                };
                (!of.is_empty()).then(|| (*value >= i64::MIN + 1_000_000_000).then(|| format!("{r}.{of}({value}L)")))
            }
            _ => None,
        };
        if let Some(expr) = logical {
            return expr;
        }
        // A float or double: its text as the model keeps it, or one of Java's constants.
        let float = |text: &str, boxed: &str, single: bool| -> Option<String> {
            let x: f64 = match text {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                t => t.parse().ok()?,
            };
            let (finite, nan, pos) = if single {
                let f = x as f32;
                (f.is_finite().then(|| format!("{f:?}f")), f.is_nan(), f > 0.0)
            } else {
                (x.is_finite().then(|| format!("{x:?}")), x.is_nan(), x > 0.0)
            };
            Some(finite.unwrap_or_else(|| match (nan, pos) {
                (true, _) => format!("java.lang.{boxed}.NaN"),
                (false, true) => format!("java.lang.{boxed}.POSITIVE_INFINITY"),
                (false, false) => format!("java.lang.{boxed}.NEGATIVE_INFINITY"),
            }))
        };
        match (ty, v) {
            (TypeRef::Primitive { name: "null", .. }, Value::Null) => Some("null".into()),
            (TypeRef::Primitive { name: "boolean", .. }, Value::Boolean { value }) => Some(value.to_string()),
            (TypeRef::Primitive { name: "int", .. }, Value::Int { value }) => Some(value.to_string()),
            (TypeRef::Primitive { name: "long", .. }, Value::Long { value }) => Some(format!("{value}L")),
            (TypeRef::Primitive { name: "float", .. }, Value::Float { text }) => float(text, "Float", true),
            (TypeRef::Primitive { name: "double", .. }, Value::Double { text }) => float(text, "Double", false),
            (TypeRef::Primitive { name: "bytes", .. }, Value::Bytes { value }) => Some(bytes(value)),
            (TypeRef::Primitive { name: "string", .. }, Value::String { value }) => Some(long_string(value)),
            (TypeRef::Named { ty: "fixed", full_name, .. }, Value::Fixed { value, .. }) => {
                Some(format!("new {}({})", self.class(full_name), bytes(value)))
            }
            (TypeRef::Named { ty: "enum", full_name, .. }, Value::Enum { symbol, .. }) => {
                let e = self.model.named.get(full_name)?;
                let i = e.symbols.iter().position(|x| x == symbol)?;
                let ident = enum_idents(&e.symbols, self.package()).swap_remove(i);
                Some(format!("{}.{ident}", self.class(full_name)))
            }
            _ => None,
        }
    }
    fn element(&self, ctx: &Rc<Decls>) -> Rc<Decls> {
        ctx.clone()
    }
    fn array(&self, ctx: &Rc<Decls>, items: &TypeRef, elements: Vec<String>) -> String {
        let mut s = format!("new {}.ListBuilder<{}>()", self.r(), self.jtype_known(items, ctx));
        for e in elements {
            s.push_str(&format!(".add({e})"));
        }
        s + ".build()"
    }
    fn map(&self, ctx: &Rc<Decls>, values: &TypeRef, entries: Vec<(&str, String)>) -> String {
        let mut s = format!("new {}.MapBuilder<{}>()", self.r(), self.jtype_known(values, ctx));
        for (key, e) in entries {
            s.push_str(&format!(".put({}, {e})", long_string(key)));
        }
        s + ".build()"
    }
    /// A record's own unions are declared in its class.
    fn fields(&self, _ctx: &Rc<Decls>, rec: &NamedType) -> Vec<Rc<Decls>> {
        // One declaration set for every field, shared.
        std::iter::repeat_n(Rc::new(self.decls_of(rec)), rec.fields.len()).collect()
    }
    /// The builder, given the fields the default gives; the others take their own defaults.
    fn record(&self, _ctx: &Rc<Decls>, rec: &NamedType, fields: Vec<(String, bool)>) -> Option<String> {
        let idents = field_idents(&rec.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>(), self.package());
        let mut s = format!("{}.builder()", self.class(&rec.full_name));
        for (fi, (e, given)) in idents.iter().zip(fields) {
            if given {
                s.push_str(&format!(".{fi}({e})"));
            }
        }
        Some(s + ".build()")
    }
    fn branch(&self, ctx: &Rc<Decls>, _branches: &[TypeRef], _index: usize) -> Rc<Decls> {
        ctx.clone()
    }
    /// `null`, the value itself, or the value in its branch's record of the sealed interface.
    fn union(&self, ctx: &Rc<Decls>, union: &TypeRef, index: usize, value: Option<String>) -> Option<String> {
        let (TypeRef::Union { branches, id, .. }, Some(inner)) = (union, value) else { return Some("null".into()) };
        Some(match shape(branches) {
            Shape::Sum => {
                let names = ctx.sealed.get(id)?;
                format!("new {}.{}({inner})", names.fq, names.branches.get(index)?.clone()?)
            }
            _ => inner,
        })
    }
}

/// The Java type of a logical type's values (a duration only on a fixed), if it has one.
fn logical_jtype(ty: &TypeRef, r: &str) -> Option<String> {
    Some(match ty.logical()? {
        "decimal" | "big-decimal" => "java.math.BigDecimal".into(),
        "uuid" => "java.util.UUID".into(),
        "date" => "java.time.LocalDate".into(),
        "time-millis" | "time-micros" => "java.time.LocalTime".into(),
        "timestamp-millis" | "timestamp-micros" | "timestamp-nanos" => "java.time.Instant".into(),
        "local-timestamp-millis" | "local-timestamp-micros" | "local-timestamp-nanos" => {
            "java.time.LocalDateTime".into()
        }
        "duration" if matches!(ty, TypeRef::Named { ty: "fixed", .. }) => format!("{r}.Duration"),
        _ => return None,
    })
}

/// The Java type of a primitive (`boxed`: as a type argument or a nullable value).
fn primitive_jtype(name: &str, boxed: bool) -> &'static str {
    match (name, boxed) {
        ("boolean", false) => "boolean",
        ("boolean", true) => "java.lang.Boolean",
        ("int", false) => "int",
        ("int", true) => "java.lang.Integer",
        ("long", false) => "long",
        ("long", true) => "java.lang.Long",
        ("float", false) => "float",
        ("float", true) => "java.lang.Float",
        ("double", false) => "double",
        ("double", true) => "java.lang.Double",
        ("bytes", _) => "byte[]",
        ("string", _) => "java.lang.String",
        _ => "java.lang.Void",
    }
}

/// Whether bytes are a `big-decimal`: the unscaled value's length and bytes, then a scale that
/// is an `int`, and nothing after.
fn big_decimal_bytes(b: &[u8]) -> bool {
    let varint = |pos: &mut usize| -> Option<i64> {
        let mut z: u64 = 0;
        for shift in (0..64).step_by(7) {
            let x = *b.get(*pos)?;
            *pos += 1;
            z |= u64::from(x & 0x7f) << shift;
            if x & 0x80 == 0 {
                return Some((z >> 1) as i64 ^ -((z & 1) as i64));
            }
        }
        None
    };
    let mut pos = 0;
    let Some(len) = varint(&mut pos).and_then(|n| usize::try_from(n).ok()) else { return false };
    let Some(after) = pos.checked_add(len).filter(|e| *e <= b.len()) else { return false };
    pos = after;
    varint(&mut pos).is_some_and(|scale| i32::try_from(scale).is_ok()) && pos == b.len()
}

/// Whether a text is a uuid in the form `java.util.UUID` reads and writes
/// (`8-4-4-4-12` hexadecimal digits).
fn uuid_text(s: &str) -> bool {
    s.len() == 36
        && s.chars()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

fn is_primitive_java(t: &str) -> bool {
    matches!(t, "boolean" | "int" | "long" | "float" | "double")
}

/// Whether a field or constant of that name would hide a package the generated code names
/// in full: `java` (`java.util.List`) or the first part of `--package`
/// (`schemapipe_events.SchemapipeRuntime`); a variable wins over a package in Java.
fn hides_package(id: &str, package: &str) -> bool {
    id == "java" || package.split('.').next() == Some(id)
}

/// Field names as Java members (`package`: the `--package` the classes are in): keywords,
/// the class's own members and names that would hide a package get `_`, then suffixed until
/// unique.
pub fn field_idents(names: &[String], package: &str) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    names
        .iter()
        .map(|n| {
            let mut id = ident(n);
            if MEMBERS.contains(&id.as_str()) || hides_package(&id, package) {
                id.push('_');
            }
            while !used.insert(id.clone()) {
                id.push('_');
            }
            id
        })
        .collect()
}

/// Enum symbols as constants (`package` as for [`field_idents`]).
pub fn enum_idents(symbols: &[String], package: &str) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    symbols
        .iter()
        .map(|n| {
            let mut id = ident(n);
            if ["SYMBOLS", "SCHEMA", "SUBJECTS"].contains(&id.as_str()) || hides_package(&id, package) {
                id.push('_');
            }
            while !used.insert(id.clone()) {
                id.push('_');
            }
            id
        })
        .collect()
}

/// The name a union branch is told by in a comment: a named type's full name, a primitive's
/// name, `array` or `map`.
fn branch_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Union { .. } | TypeRef::Deep => "value".into(),
        t => t.tag(),
    }
}

/// The sealed interfaces of unions declared in one class, and the names taken there.
#[derive(Default, Clone)]
struct Decls {
    /// Each interface as the templates get it (`name`, `branches`), in declaration order.
    unions: Vec<serde_json::Value>,
    /// By the union's identity ([`TypeRef::Union`]'s `id`).
    sealed: HashMap<SchemaId, SealedNames>,
    taken: HashSet<String>,
}

/// A branch of a union's sealed interface: its record's name, the Java type of its value,
/// the branch's name in the schema, and whether the value is a Java primitive (never null).
fn branch(b: &TypeRef, name: &str, ty: String) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "primitive": is_primitive_java(&ty),
        "type": ty,
        "label": branch_label(b),
    })
}

/// The Java names of a schema set, for code that builds values of the generated classes.
#[derive(Debug, Default)]
pub struct JavaNames {
    /// Full name -> fully qualified class.
    pub classes: HashMap<String, String>,
    /// Record full name -> its fields' members.
    pub fields: HashMap<String, Vec<String>>,
    /// Enum full name -> its constants.
    pub enums: HashMap<String, Vec<String>>,
    /// A union with several non-null branches (by its identity) -> its interface and each
    /// branch's record.
    pub unions: HashMap<SchemaId, (String, Vec<Option<String>>)>,
    /// Schema file (path under the root) -> its adapter class and the Java type of its values.
    pub tops: HashMap<String, (String, String)>,
}

struct Plan<'a> {
    g: Gen<'a>,
    /// Schema files whose top level is not a named type: path, top level, class.
    unnamed: Vec<(&'a str, &'a TypeRef, ClassName)>,
}

/// Names every class of the set: the named types' in the order of their full names, then
/// the classes of the files whose top level is not named, in the order of their paths.
fn plan<'a>(model: &'a SetModel, package: &str) -> Plan<'a> {
    // Directories and classes taken, compared ignoring case (case-insensitive file systems).
    let mut taken: HashSet<String> = HashSet::new();
    let runtime_path = format!("{}/SchemapipeRuntime", package.replace('.', "/")).to_lowercase();
    taken.insert(runtime_path);
    let mut classes: HashMap<String, ClassName> = HashMap::new();
    let package_of = |ns: Option<&str>| -> String {
        let mut p = package.to_string();
        for (i, part) in ns.into_iter().flat_map(|n| n.split('.')).filter(|p| !p.is_empty()).enumerate() {
            let mut dir = shorten(&ident(part));
            // Beside the runtime class, a package of its name would clash with it.
            if i == 0 && dir.eq_ignore_ascii_case("SchemapipeRuntime") {
                dir.push('_');
            }
            p.push('.');
            p.push_str(&dir);
        }
        p
    };
    // Packages first: a class never takes a package's name.
    for t in model.named.values() {
        let p = package_of(t.namespace.as_deref());
        let parts: Vec<&str> = p.split('.').collect();
        for i in 1..=parts.len() {
            taken.insert(parts[..i].join("/").to_lowercase());
        }
    }
    let claim = |package: String, base: String, taken: &mut HashSet<String>| -> ClassName {
        // A class named like the first part of `--package` would hide it where the code
        // names classes in full.
        let root = package.split('.').next().unwrap_or_default();
        let free = |s: &str| {
            if s == root {
                return false;
            }
            let p = format!("{}/{}", package.replace('.', "/"), s).to_lowercase();
            !taken.contains(&p) && !taken.contains(&format!("{p}adapter"))
        };
        let mut simple = base.clone();
        let mut n = 1;
        while !free(&simple) {
            n += 1;
            simple = format!("{base}_{n}");
        }
        taken.insert(format!("{}/{}", package.replace('.', "/"), simple).to_lowercase());
        taken.insert(format!("{}/{}adapter", package.replace('.', "/"), simple).to_lowercase());
        ClassName { package, simple }
    };
    for (full, t) in &model.named {
        let c = claim(package_of(t.namespace.as_deref()), shorten(&class_ident(&t.name)), &mut taken);
        classes.insert(full.clone(), c);
    }
    let mut unnamed = Vec::new();
    for (path, top) in &model.tops {
        if matches!(top, TypeRef::Named { .. }) {
            continue;
        }
        let stem = path.rsplit('/').next().unwrap_or(path);
        let stem = stem.strip_suffix(".avsc").unwrap_or(stem);
        let base: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let class = claim(package.to_string(), shorten(&class_ident(&pascal(&base))), &mut taken);
        unnamed.push((path.as_str(), top, class));
    }
    let runtime = format!("{package}.SchemapipeRuntime");
    Plan { g: Gen { model, runtime, classes }, unnamed }
}

/// The Java names of every type generated for a set.
pub fn names(model: &SetModel, package: &str) -> Result<JavaNames, String> {
    let p = plan(model, package);
    let mut out = JavaNames::default();
    for (full, c) in &p.g.classes {
        out.classes.insert(full.clone(), c.fq());
    }
    for (full, t) in &model.named {
        match t.kind {
            "record" | "error" => {
                out.fields.insert(
                    full.clone(),
                    field_idents(&t.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>(), package),
                );
                for (k, v) in p.g.decls_of(t).sealed {
                    out.unions.insert(k, (v.fq, v.branches));
                }
            }
            "enum" => {
                out.enums.insert(full.clone(), enum_idents(&t.symbols, package));
            }
            _ => {}
        }
    }
    for (path, top) in &model.tops {
        if let TypeRef::Named { full_name, .. } = top {
            if model.named.get(full_name).is_some_and(|t| t.file == *path) {
                let c = &p.g.classes[full_name];
                let ty = p.g.jtype_known(top, &Decls::default());
                out.tops.insert(path.clone(), (format!("{}Adapter", c.fq()), ty));
            }
        }
    }
    for (path, top, class) in &p.unnamed {
        let u = p.g.unnamed(top, class)?;
        for (k, v) in u.decls.sealed {
            out.unions.insert(k, (v.fq, v.branches));
        }
        out.tops.insert(path.to_string(), (format!("{}Adapter", class.fq()), u.ty));
    }
    Ok(out)
}

/// A schema file whose top level is not a named type: the Java type of its values, the
/// statements writing one, the unions its class declares and, when the class is the sealed
/// interface of a union of several branches, those branches.
struct Unnamed {
    ty: String,
    write: Write,
    decls: Decls,
    branches: Option<Vec<serde_json::Value>>,
}

/// A Java expression of the schema text and the subjects, for a class's `SCHEMA` and
/// `SUBJECTS` constants.
fn constants(text: &str, subjects: &[String]) -> serde_json::Value {
    let subjects: Vec<String> = subjects.iter().map(|s| string_literal(s)).collect();
    serde_json::json!({ "schema": long_string(text), "subjects": subjects })
}

/// Fills what the templates write from the Java names of the whole set: every class's name
/// and file, its fields' Java types, defaults and encoding statements, its unions' sealed
/// interfaces, the class of a top level that is not named, and each adapter.
fn complete(model: &SetModel, package: &str, modules: &mut [Module]) -> Result<(), String> {
    use serde_json::json;
    let Plan { g, unnamed } = plan(model, package);
    let unnamed: HashMap<&str, (&TypeRef, ClassName)> =
        unnamed.into_iter().map(|(path, top, class)| (path, (top, class))).collect();
    let adapter = |m: &mut Module, class: &ClassName, ty: String, write: Write| {
        m.path = format!("{}/{}Adapter.java", class.package.replace('.', "/"), class.simple);
        m.class_name = class.simple.clone();
        m.adapter_name = format!("{}Adapter", class.simple);
        m.value_type_expr = ty;
        m.extra.insert("package".into(), json!(class.package));
        m.write = Some(write);
    };
    // Every module on its own, side by side (the table is only read).
    let one = |m: &mut Module| -> Result<(), String> {
        // A module without a class of its own (its top level a copy of, or a reference to, a
        // type another file defines) gets no file.
        m.path = String::new();
        let top = m.named.then(|| m.full_name.clone());
        for t in &mut m.types {
            t.path = None;
            let Some(named) = model.named.get(&t.full_name) else { continue };
            if named.file != m.file {
                continue;
            }
            let class = &g.classes[&t.full_name];
            t.class_name = class.simple.clone();
            t.path = Some(class.path());
            let doc = t.doc.clone().unwrap_or_else(|| format!("The Avro {} `{}`.", t.kind, t.full_name));
            let own = if top.as_deref() == Some(t.full_name.as_str()) {
                constants(&m.schema_json, &m.subjects)
            } else {
                serde_json::Value::Null
            };
            let mut decls = Decls::default();
            match named.kind {
                "record" | "error" => {
                    let fq = class.fq();
                    decls.taken.insert(class.simple.clone());
                    decls.taken.insert("Builder".into());
                    let idents =
                        field_idents(&named.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>(), package);
                    for ((fd, f), ident) in t.fields.iter_mut().zip(&named.fields).zip(idents) {
                        fd.type_expr = g.jtype(&f.ty, false, &fq, &pascal(&f.name), &mut decls, 0).map_err(|why| {
                            format!(
                                "`{}` cannot be generated for java: field `{}` of `{}`: {why}",
                                m.file, f.name, t.full_name
                            )
                        })?;
                        fd.extra.insert("boxed".into(), json!(g.jtype_known(&f.ty, &decls)));
                        fd.extra.insert("nullable".into(), json!(nullable(&f.ty)));
                        fd.extra.insert("javadoc".into(), json!(fd.doc.as_ref().map(|d| doc_comment(d, "    "))));
                        fd.ident = ident;
                    }
                    // Defaults and encoding once every union of the class is declared.
                    let declared = Rc::new(decls);
                    for (fd, f) in t.fields.iter_mut().zip(&named.fields) {
                        fd.default_expr = fd.default_value.as_ref().and_then(|d| g.dexpr(&f.ty, d, &declared));
                        fd.write = Some(write::plan(&f.ty, &WriteTable { g: &g, decls: &declared }, 0));
                    }
                    decls = Rc::unwrap_or_clone(declared);
                }
                "enum" => {
                    for (s, ident) in t.symbols.iter_mut().zip(enum_idents(&named.symbols, package)) {
                        s.ident = ident;
                    }
                    // The symbols as one text split at run time: an array initializer would
                    // take bytecode of the static initializer for every symbol.
                    t.extra.insert(
                        "symbols".into(),
                        json!(format!("{}.split(\" \", -1)", long_string(&named.symbols.join(" ")))),
                    );
                }
                _ => {}
            }
            t.extra.insert("package".into(), json!(class.package));
            t.extra.insert("javadoc".into(), json!(doc_comment(&doc, "")));
            t.extra.insert("constants".into(), own);
            t.extra.insert("unions".into(), json!(decls.unions));
        }
        if let Some(full) = top {
            if let Some(named) = model.named.get(&full).filter(|t| t.file == m.file) {
                let class = g.classes[&full].clone();
                let ty = g.jtype_known(&named.ty, &Decls::default());
                let w = write::plan(&named.ty, &WriteTable { g: &g, decls: &Decls::default() }, 0);
                adapter(m, &class, ty, w);
            }
        } else if let Some((root, class)) = unnamed.get(m.file.as_str()) {
            let u =
                g.unnamed(root, class).map_err(|why| format!("`{}` cannot be generated for java: {why}", m.file))?;
            let mut extra = Extra::new();
            extra.insert("package".into(), json!(class.package));
            extra.insert("label".into(), json!(text_label(&m.schema_json)));
            extra.insert("constants".into(), constants(&m.schema_json, &m.subjects));
            extra.insert("unions".into(), json!(u.decls.unions));
            extra.insert("branches".into(), json!(u.branches));
            m.types.push(TypeDef {
                kind: "value",
                full_name: m.full_name.clone(),
                name: m.name.clone(),
                doc: None,
                class_name: class.simple.clone(),
                fields: Vec::new(),
                symbols: Vec::new(),
                enum_default: None,
                size: None,
                logical: None,
                precision: None,
                scale: None,
                recursive: false,
                path: Some(class.path()),
                extra,
            });
            adapter(m, class, u.ty, u.write);
        }
        Ok(())
    };
    crate::core::par::map_mut(modules, one).into_iter().collect()
}

impl Gen<'_> {
    /// The Java side of a schema file whose top level is not a named type.
    fn unnamed(&self, root: &TypeRef, class: &ClassName) -> Result<Unnamed, String> {
        let fq = class.fq();
        let mut decls = Decls::default();
        decls.taken.insert(class.simple.clone());
        if let TypeRef::Union { branches, id, .. } = root {
            if matches!(shape(branches), Shape::Sum) {
                let names = self.sealed_names(branches, &class.package, class.simple.clone(), &class.simple);
                let mut declared = Vec::new();
                for (b, bn) in branches.iter().zip(&names.branches) {
                    let Some(bn) = bn else { continue };
                    let bt = self.jtype(b, false, &fq, &bn[2..], &mut decls, 1)?;
                    declared.push(branch(b, bn, bt));
                }
                decls.sealed.insert(*id, names);
                let write = write::plan(root, &WriteTable { g: self, decls: &decls }, 0);
                return Ok(Unnamed { ty: fq, write, decls, branches: Some(declared) });
            }
        }
        let ty = self.jtype(root, true, &fq, "Value", &mut decls, 0)?;
        let write = write::plan(root, &WriteTable { g: self, decls: &decls }, 0);
        Ok(Unnamed { ty, write, decls, branches: None })
    }
}

/// Whether a Java value of the type may be null (a union with null).
fn nullable(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Union { branches, .. } => branches.iter().any(TypeRef::is_null),
        t => t.is_null(),
    }
}

/// The Java names [`write::plan`] needs: the boxed type of a variable, a union's sealed
/// interface (declared in `decls`, the class's) and its branches' records.
struct WriteTable<'a, 'g> {
    g: &'a Gen<'g>,
    decls: &'a Decls,
}

impl write::WriteNames for WriteTable<'_, '_> {
    fn type_expr(&self, ty: &TypeRef) -> Option<String> {
        Some(self.g.jtype_known(ty, self.decls))
    }
    fn union(&self, union: &TypeRef) -> Option<(String, Vec<Option<String>>)> {
        let TypeRef::Union { id, .. } = union else { return None };
        self.decls.sealed.get(id).map(|n| (n.fq.clone(), n.branches.clone()))
    }
}

/// A short label of a schema text for a comment.
fn text_label(text: &str) -> String {
    let t: String = text.chars().take(60).filter(|c| !c.is_control() && *c != '`' && *c != '\\').collect();
    t.replace("*/", "* /").replace('@', "&#64;")
}
