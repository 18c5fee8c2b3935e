//! Java 17: one class per named type (records as immutable classes with a builder, enums as
//! Java enums, fixed as value classes), a class per schema file whose top level is not a named
//! type (a sealed interface for a union), a `<Name>Adapter<S>` per schema file, and unions of
//! several non-null branches as sealed interfaces with one record per branch. Everything is
//! serialized by the generated `SchemapipeRuntime` (templates/java): no dependency.
//!
//! Named types are written by their fully qualified names, so no import can clash.

use super::*;
use crate::core::schema::{Primitive, Schema};
use std::collections::{BTreeMap, HashSet};

/// The Java target. Its classes, adapters and union types are written by [`files`] (one file
/// per named type, laid out by Java's rules); the runtime is the template
/// `SchemapipeRuntime.java.j2`, rendered once.
pub struct Java;

const TEMPLATES: &[Template] = &[Template {
    name: "SchemapipeRuntime.java.j2",
    builtin: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/java/SchemapipeRuntime.java.j2")),
    scope: Scope::Run,
}];

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
    fn valid_package(&self, package: &str) -> bool {
        valid_package(package)
    }
    fn ident(&self, name: &str) -> String {
        class_ident(name)
    }
    fn field(&self, name: &str) -> String {
        ident(name)
    }
    fn type_expr(&self, _ty: &TypeRef, _names: &Names) -> String {
        "java.lang.Object".into()
    }
    fn default_expr(&self, _ty: &TypeRef, _value: &Value, _names: &Names) -> String {
        "null".into()
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

/// A long text as a Java expression: a constant string holds at most 65535 bytes.
fn long_string(s: &str) -> String {
    if s.len() < 16_000 {
        return string_literal(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let parts: Vec<String> = chars.chunks(8_000).map(|c| string_literal(&c.iter().collect::<String>())).collect();
    format!("java.lang.String.join(\"\",\n        {})", parts.join(",\n        "))
}

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

/// How a union is written: a nullable value, only null, or a sealed interface.
enum UnionShape {
    OnlyNull,
    Nullable(SchemaId),
    Sealed,
}

fn shape(set: &SchemaSet, branches: &[SchemaId]) -> UnionShape {
    let non_null: Vec<SchemaId> = branches
        .iter()
        .copied()
        .filter(|b| !matches!(set.resolved(*b).kind, SchemaKind::Primitive(Primitive::Null)))
        .collect();
    match non_null.len() {
        0 => UnionShape::OnlyNull,
        1 if branches.len() == 2 => UnionShape::Nullable(non_null[0]),
        1 if branches.len() == 1 => UnionShape::Nullable(non_null[0]),
        _ => UnionShape::Sealed,
    }
}

struct Gen<'a> {
    set: &'a SchemaSet,
    runtime: String,
    classes: HashMap<String, ClassName>,
}

/// The deepest type nesting generated; deeper schemas are refused.
const MAX_DEPTH: usize = 200;

/// What a union's sealed interface and its branch records are called.
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

    fn class(&self, node: &Schema) -> String {
        let n = node.named().expect("named");
        self.classes.get(&n.full_name).map(|c| c.fq()).unwrap_or_else(|| "java.lang.Object".into())
    }

    fn sealed_names(&self, branches: &[SchemaId], owner_fq: &str, simple: String) -> SealedNames {
        let mut used: HashSet<String> = HashSet::new();
        let names = branches
            .iter()
            .map(|b| {
                let node = self.set.resolved(*b);
                let base = match (&node.kind, node.named()) {
                    (SchemaKind::Primitive(Primitive::Null), _) => return None,
                    (_, Some(n)) => format!("Of{}", pascal(&n.name)),
                    (SchemaKind::Primitive(p), _) => format!("Of{}", pascal(p.name())),
                    (SchemaKind::Array(_), _) => "OfArray".into(),
                    (SchemaKind::Map(_), _) => "OfMap".into(),
                    _ => "OfValue".into(),
                };
                let mut name = base;
                while !used.insert(name.clone()) || name == simple {
                    name.push('_');
                }
                Some(name)
            })
            .collect();
        SealedNames { fq: format!("{owner_fq}.{simple}"), simple, branches: names }
    }

    /// The Java type of a node. `owner` is the class unions are declared in, `hint` the name of
    /// a union's interface there; the declarations are appended to `decls`.
    fn jtype(
        &self,
        id: SchemaId,
        boxed: bool,
        owner: &str,
        hint: &str,
        decls: &mut Decls,
        depth: usize,
    ) -> Result<String, String> {
        let node = self.set.resolved(id);
        if depth > MAX_DEPTH {
            return Err(format!("{} nests types more than {MAX_DEPTH} levels deep", node.pointer));
        }
        let r = self.r();
        Ok(match (&node.kind, node.logical) {
            (_, Some(LogicalType::Decimal { .. } | LogicalType::BigDecimal)) => "java.math.BigDecimal".into(),
            (_, Some(LogicalType::Uuid)) => "java.util.UUID".into(),
            (_, Some(LogicalType::Date)) => "java.time.LocalDate".into(),
            (_, Some(LogicalType::TimeMillis | LogicalType::TimeMicros)) => "java.time.LocalTime".into(),
            (_, Some(LogicalType::TimestampMillis | LogicalType::TimestampMicros | LogicalType::TimestampNanos)) => {
                "java.time.Instant".into()
            }
            (
                _,
                Some(
                    LogicalType::LocalTimestampMillis
                    | LogicalType::LocalTimestampMicros
                    | LogicalType::LocalTimestampNanos,
                ),
            ) => "java.time.LocalDateTime".into(),
            (SchemaKind::Fixed(_), Some(LogicalType::Duration)) => format!("{r}.Duration"),
            (SchemaKind::Record(_) | SchemaKind::Enum(_) | SchemaKind::Fixed(_), _) => self.class(node),
            (SchemaKind::Primitive(p), _) => match (p, boxed) {
                (Primitive::Null, _) => "java.lang.Void".into(),
                (Primitive::Boolean, false) => "boolean".into(),
                (Primitive::Boolean, true) => "java.lang.Boolean".into(),
                (Primitive::Int, false) => "int".into(),
                (Primitive::Int, true) => "java.lang.Integer".into(),
                (Primitive::Long, false) => "long".into(),
                (Primitive::Long, true) => "java.lang.Long".into(),
                (Primitive::Float, false) => "float".into(),
                (Primitive::Float, true) => "java.lang.Float".into(),
                (Primitive::Double, false) => "double".into(),
                (Primitive::Double, true) => "java.lang.Double".into(),
                (Primitive::Bytes, _) => "byte[]".into(),
                (Primitive::String, _) => "java.lang.String".into(),
            },
            (SchemaKind::Array(items), _) => {
                format!(
                    "java.util.List<{}>",
                    self.jtype(*items, true, owner, &format!("{hint}Item"), decls, depth + 1)?
                )
            }
            (SchemaKind::Map(values), _) => format!(
                "java.util.Map<java.lang.String, {}>",
                self.jtype(*values, true, owner, &format!("{hint}Value"), decls, depth + 1)?
            ),
            (SchemaKind::Union(b), _) => match shape(self.set, b) {
                UnionShape::OnlyNull => "java.lang.Void".into(),
                UnionShape::Nullable(t) => self.jtype(t, true, owner, hint, decls, depth + 1)?,
                UnionShape::Sealed => {
                    let key = id;
                    if let Some(n) = decls.sealed.get(&key) {
                        return Ok(n.fq.clone());
                    }
                    let mut simple = hint.to_string();
                    while decls.taken.contains(&simple) {
                        simple.push('_');
                    }
                    decls.taken.insert(simple.clone());
                    let names = self.sealed_names(b, owner, simple);
                    let mut body = String::new();
                    let permits: Vec<String> =
                        names.branches.iter().flatten().map(|n| format!("{}.{n}", names.simple)).collect();
                    body.push_str(&format!(
                        "    /** A value of one of the union's branches. */\n    public sealed interface {} permits {} {{\n",
                        names.simple,
                        permits.join(", ")
                    ));
                    let mut body_out = String::new();
                    for (bid, bn) in b.iter().zip(&names.branches) {
                        let Some(bn) = bn else { continue };
                        let bt = self.jtype(*bid, false, owner, &format!("{hint}{}", &bn[2..]), decls, depth + 1)?;
                        let body = if is_primitive_java(&bt) {
                            " {}".to_string()
                        } else {
                            format!(" {{\n            public {bn} {{\n                java.util.Objects.requireNonNull(value, \"{bn}\");\n            }}\n        }}")
                        };
                        body_text_push(&mut body_out, &format!("        /** The branch `{}`. */\n        record {bn}({bt} value) implements {}{body}\n", branch_label(self.set, *bid), names.simple));
                    }
                    body.push_str(&body_out);
                    body.push_str("    }\n\n");
                    decls.text.push_str(&body);
                    let fq = names.fq.clone();
                    decls.sealed.insert(key, names);
                    fq
                }
            },
            _ => "java.lang.Object".into(),
        })
    }

    /// Statements that write `expr` (of the node's Java type) with encoder `e`.
    fn enc(&self, id: SchemaId, expr: &str, decls: &Decls, depth: usize, ind: &str) -> String {
        let node = self.set.resolved(id);
        let r = self.r();
        let fixed_size = match &node.kind {
            SchemaKind::Fixed(f) => Some(f.size),
            _ => None,
        };
        match (node.logical, fixed_size) {
            (Some(LogicalType::Decimal { precision, scale }), None) => {
                return format!("{ind}e.writeBytes({r}.decimalBytes({expr}, {precision}, {scale}));\n")
            }
            (Some(LogicalType::Decimal { precision, scale }), Some(size)) => {
                return format!("{ind}e.writeFixed({r}.decimalFixed({expr}, {precision}, {scale}, {size}), {size});\n")
            }
            (Some(LogicalType::BigDecimal), _) => return format!("{ind}e.writeBytes({r}.bigDecimalBytes({expr}));\n"),
            (Some(LogicalType::Uuid), None) => return format!("{ind}e.writeString({r}.uuidString({expr}));\n"),
            (Some(LogicalType::Uuid), Some(_)) => return format!("{ind}e.writeFixed({r}.uuidFixed({expr}), 16);\n"),
            (Some(LogicalType::Duration), Some(_)) => {
                return format!("{ind}e.writeFixed({r}.durationFixed({expr}), 12);\n")
            }
            (Some(LogicalType::Date), _) => return format!("{ind}e.writeInt({r}.epochDay({expr}));\n"),
            (Some(LogicalType::TimeMillis), _) => return format!("{ind}e.writeInt({r}.timeMillis({expr}));\n"),
            (Some(LogicalType::TimeMicros), _) => return format!("{ind}e.writeLong({r}.timeMicros({expr}));\n"),
            (Some(LogicalType::TimestampMillis), _) => return format!("{ind}e.writeLong({r}.epochMillis({expr}));\n"),
            (Some(LogicalType::TimestampMicros), _) => return format!("{ind}e.writeLong({r}.epochMicros({expr}));\n"),
            (Some(LogicalType::TimestampNanos), _) => return format!("{ind}e.writeLong({r}.epochNanos({expr}));\n"),
            (Some(LogicalType::LocalTimestampMillis), _) => {
                return format!("{ind}e.writeLong({r}.localMillis({expr}));\n")
            }
            (Some(LogicalType::LocalTimestampMicros), _) => {
                return format!("{ind}e.writeLong({r}.localMicros({expr}));\n")
            }
            (Some(LogicalType::LocalTimestampNanos), _) => {
                return format!("{ind}e.writeLong({r}.localNanos({expr}));\n")
            }
            _ => {}
        }
        match &node.kind {
            SchemaKind::Primitive(p) => match p {
                Primitive::Null => format!("{ind}e.writeNull({expr});\n"),
                Primitive::Boolean => format!("{ind}e.writeBoolean({expr});\n"),
                Primitive::Int => format!("{ind}e.writeInt({expr});\n"),
                Primitive::Long => format!("{ind}e.writeLong({expr});\n"),
                Primitive::Float => format!("{ind}e.writeFloat({expr});\n"),
                Primitive::Double => format!("{ind}e.writeDouble({expr});\n"),
                Primitive::Bytes => format!("{ind}e.writeBytes({expr});\n"),
                Primitive::String => format!("{ind}e.writeString({expr});\n"),
            },
            SchemaKind::Record(_) | SchemaKind::Fixed(_) => format!("{ind}e.writeValue({expr});\n"),
            SchemaKind::Enum(_) => format!("{ind}e.writeInt({r}.nonNull({expr}).ordinal());\n"),
            SchemaKind::Array(items) => {
                let v = format!("x{depth}");
                let it = self.jtype_known(*items, decls);
                format!(
                    "{ind}{{\n{ind}    java.util.List<{it}> l{depth} = {r}.nonNull({expr});\n{ind}    e.writeLong((long) l{depth}.size());\n{ind}    for ({it} {v} : l{depth}) {{\n{}{ind}    }}\n{ind}    if (!l{depth}.isEmpty()) {{\n{ind}        e.writeLong(0L);\n{ind}    }}\n{ind}}}\n",
                    self.enc(*items, &v, decls, depth + 1, &format!("{ind}        "))
                )
            }
            SchemaKind::Map(values) => {
                let vt = self.jtype_known(*values, decls);
                format!(
                    "{ind}{{\n{ind}    java.util.Map<java.lang.String, {vt}> m{depth} = {r}.nonNull({expr});\n{ind}    e.writeLong((long) m{depth}.size());\n{ind}    for (java.util.Map.Entry<java.lang.String, {vt}> x{depth} : m{depth}.entrySet()) {{\n{ind}        e.writeString(x{depth}.getKey());\n{}{ind}    }}\n{ind}    if (!m{depth}.isEmpty()) {{\n{ind}        e.writeLong(0L);\n{ind}    }}\n{ind}}}\n",
                    self.enc(*values, &format!("x{depth}.getValue()"), decls, depth + 1, &format!("{ind}        "))
                )
            }
            SchemaKind::Union(b) => {
                let null_index =
                    b.iter().position(|x| matches!(self.set.resolved(*x).kind, SchemaKind::Primitive(Primitive::Null)));
                match shape(self.set, b) {
                    UnionShape::OnlyNull => format!("{ind}e.writeNull({expr});\n{ind}e.writeIndex(0);\n"),
                    UnionShape::Nullable(t) => {
                        let ti = b.iter().position(|x| *x == t).unwrap_or(0);
                        let v = format!("u{depth}");
                        let jt = self.jtype_known(t, decls);
                        let on_null = match null_index {
                            Some(n) => format!("{ind}    e.writeIndex({n});\n"),
                            None => format!("{ind}    throw {r}.nullValue();\n"),
                        };
                        format!(
                            "{ind}{{\n{ind}    {jt} {v} = {expr};\n{ind}    if ({v} == null) {{\n{on_null}{ind}    }} else {{\n{ind}        e.writeIndex({ti});\n{}{ind}    }}\n{ind}}}\n",
                            self.enc(t, &v, decls, depth + 1, &format!("{ind}        "))
                        )
                    }
                    UnionShape::Sealed => {
                        let names = &decls.sealed[&id];
                        let v = format!("u{depth}");
                        let mut s = format!("{ind}{{\n{ind}    {} {v} = {expr};\n", names.fq);
                        let on_null = match null_index {
                            Some(n) => format!("e.writeIndex({n});"),
                            None => format!("throw {r}.nullValue();"),
                        };
                        s.push_str(&format!("{ind}    if ({v} == null) {{\n{ind}        {on_null}\n{ind}    }}"));
                        for (i, (bid, bn)) in b.iter().zip(&names.branches).enumerate() {
                            let Some(bn) = bn else { continue };
                            let w = format!("w{depth}");
                            s.push_str(&format!(
                                " else if ({v} instanceof {}.{bn} {w}) {{\n{ind}        e.writeIndex({i});\n{}{ind}    }}",
                                names.fq,
                                self.enc(*bid, &format!("{w}.value()"), decls, depth + 1, &format!("{ind}        "))
                            ));
                        }
                        s.push_str(&format!(" else {{\n{ind}        throw {r}.nullValue();\n{ind}    }}\n{ind}}}\n"));
                        s
                    }
                }
            }
            _ => format!("{ind}throw {r}.nullValue();\n"),
        }
    }

    /// The Java type of a node whose unions are declared already (boxed).
    fn jtype_known(&self, id: SchemaId, decls: &Decls) -> String {
        let mut scratch = Decls { text: String::new(), sealed: HashMap::new(), taken: decls.taken.clone() };
        for (k, v) in &decls.sealed {
            scratch
                .sealed
                .insert(*k, SealedNames { fq: v.fq.clone(), simple: v.simple.clone(), branches: v.branches.clone() });
        }
        self.jtype(id, true, "", "", &mut scratch, 0).unwrap_or_else(|_| "java.lang.Object".into())
    }

    /// A default value (JSON) as a Java expression of the node's (boxed) type.
    fn default(&self, id: SchemaId, v: &serde_json::Value, decls: &Decls, depth: usize) -> Result<String, String> {
        let node = self.set.resolved(id);
        let r = self.r();
        if depth > MAX_DEPTH {
            return Err(format!("{}: a default nested too deep", node.pointer));
        }
        let bytes = |s: &str| -> String {
            let b: Vec<String> = s.chars().map(|c| ((c as u32).min(255) as u8 as i8).to_string()).collect();
            format!("new byte[] {{{}}}", b.join(", "))
        };
        let long = |v: &serde_json::Value| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)).unwrap_or(0);
        let fixed_size = match &node.kind {
            SchemaKind::Fixed(f) => Some(f.size),
            _ => None,
        };
        Ok(match (node.logical, v) {
            (Some(LogicalType::Decimal { scale, .. }), serde_json::Value::String(s)) => {
                format!("{r}.decimalOf({}, {scale})", bytes(s))
            }
            (Some(LogicalType::BigDecimal), serde_json::Value::String(s)) => format!("{r}.bigDecimalOf({})", bytes(s)),
            (Some(LogicalType::Uuid), serde_json::Value::String(s)) if fixed_size.is_none() => {
                format!("{r}.uuidOf({})", string_literal(s))
            }
            (Some(LogicalType::Uuid), serde_json::Value::String(s)) => format!("{r}.uuidOfFixed({})", bytes(s)),
            (Some(LogicalType::Duration), serde_json::Value::String(s)) => format!("{r}.durationOf({})", bytes(s)),
            (Some(LogicalType::Date), _) => format!("java.time.LocalDate.ofEpochDay({})", long(v)),
            (Some(LogicalType::TimeMillis), _) => format!("{r}.timeOfMillis({})", long(v)),
            (Some(LogicalType::TimeMicros), _) => format!("{r}.timeOfMicros({}L)", long(v)),
            (Some(LogicalType::TimestampMillis), _) => format!("{r}.instantOfMillis({}L)", long(v)),
            (Some(LogicalType::TimestampMicros), _) => format!("{r}.instantOfMicros({}L)", long(v)),
            (Some(LogicalType::TimestampNanos), _) => format!("{r}.instantOfNanos({}L)", long(v)),
            (Some(LogicalType::LocalTimestampMillis), _) => format!("{r}.localOfMillis({}L)", long(v)),
            (Some(LogicalType::LocalTimestampMicros), _) => format!("{r}.localOfMicros({}L)", long(v)),
            (Some(LogicalType::LocalTimestampNanos), _) => format!("{r}.localOfNanos({}L)", long(v)),
            _ => match (&node.kind, v) {
                (SchemaKind::Primitive(Primitive::Null), _) => "null".into(),
                (SchemaKind::Primitive(Primitive::Boolean), serde_json::Value::Bool(b)) => b.to_string(),
                (SchemaKind::Primitive(Primitive::Int), _) => format!("{}", long(v) as i32),
                (SchemaKind::Primitive(Primitive::Long), _) => format!("{}L", long(v)),
                (SchemaKind::Primitive(Primitive::Float), _) => {
                    let f = v.as_f64().unwrap_or(0.0) as f32;
                    if f.is_finite() {
                        format!("{f:?}f")
                    } else if f > 0.0 {
                        "java.lang.Float.POSITIVE_INFINITY".into()
                    } else {
                        "java.lang.Float.NEGATIVE_INFINITY".into()
                    }
                }
                (SchemaKind::Primitive(Primitive::Double), _) => {
                    let f = v.as_f64().unwrap_or(0.0);
                    if f.is_finite() {
                        format!("{f:?}")
                    } else if f > 0.0 {
                        "java.lang.Double.POSITIVE_INFINITY".into()
                    } else {
                        "java.lang.Double.NEGATIVE_INFINITY".into()
                    }
                }
                (SchemaKind::Primitive(Primitive::Bytes), serde_json::Value::String(s)) => bytes(s),
                (SchemaKind::Primitive(Primitive::String), serde_json::Value::String(s)) => string_literal(s),
                (SchemaKind::Fixed(_), serde_json::Value::String(s)) => {
                    format!("new {}({})", self.class(node), bytes(s))
                }
                (SchemaKind::Enum(e), serde_json::Value::String(s)) => {
                    let idents = enum_idents(&e.symbols.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>());
                    let i = e.symbols.iter().position(|(x, _)| x == s).unwrap_or(0);
                    format!("{}.{}", self.class(node), idents.get(i).cloned().unwrap_or_default())
                }
                (SchemaKind::Array(items), serde_json::Value::Array(xs)) => {
                    let it = self.jtype_known(*items, decls);
                    let mut s = format!("new {r}.ListBuilder<{it}>()");
                    for x in xs {
                        s.push_str(&format!(".add({})", self.default(*items, x, decls, depth + 1)?));
                    }
                    s.push_str(".build()");
                    s
                }
                (SchemaKind::Map(values), serde_json::Value::Object(m)) => {
                    let vt = self.jtype_known(*values, decls);
                    let mut s = format!("new {r}.MapBuilder<{vt}>()");
                    for (k, x) in m {
                        s.push_str(&format!(
                            ".put({}, {})",
                            string_literal(k),
                            self.default(*values, x, decls, depth + 1)?
                        ));
                    }
                    s.push_str(".build()");
                    s
                }
                (SchemaKind::Record(rec), serde_json::Value::Object(m)) => {
                    let idents = field_idents(&rec.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>());
                    let mut s = format!("{}.builder()", self.class(node));
                    for (f, fi) in rec.fields.iter().zip(&idents) {
                        if let Some(x) = m.get(&f.name) {
                            // The record's own unions are declared in its class.
                            let own = self.decls_of(node);
                            s.push_str(&format!(".{fi}({})", self.default(f.ty, x, &own, depth + 1)?));
                        }
                    }
                    s.push_str(".build()");
                    s
                }
                (SchemaKind::Union(b), _) => {
                    let Some(first) = b.first() else { return Ok("null".into()) };
                    if matches!(self.set.resolved(*first).kind, SchemaKind::Primitive(Primitive::Null)) {
                        return Ok("null".into());
                    }
                    let inner = self.default(*first, v, decls, depth + 1)?;
                    match shape(self.set, b) {
                        UnionShape::Sealed => {
                            let names = &decls.sealed[&id];
                            format!("new {}.{}({inner})", names.fq, names.branches[0].clone().unwrap_or_default())
                        }
                        _ => inner,
                    }
                }
                _ => "null".into(),
            },
        })
    }

    /// The union declarations of a record's class (computed again: they are deterministic).
    fn decls_of(&self, node: &Schema) -> Decls {
        let mut decls = Decls::default();
        let fq = self.class(node);
        decls.taken.insert(fq.rsplit('.').next().unwrap_or("").to_string());
        decls.taken.insert("Builder".into());
        if let SchemaKind::Record(rec) = &node.kind {
            for f in &rec.fields {
                let _ = self.jtype(f.ty, false, &fq, &pascal(&f.name), &mut decls, 0);
            }
        }
        decls
    }
}

fn body_text_push(out: &mut String, s: &str) {
    out.push_str(s);
}

/// Whether a default (JSON) is a value of the node: a default that is not (Java's parser accepts
/// some) is left out, and the field is then required.
pub fn default_fits(set: &SchemaSet, id: SchemaId, v: &serde_json::Value, depth: usize) -> bool {
    use serde_json::Value as J;
    let node = set.resolved(id);
    if depth > MAX_DEPTH {
        return false;
    }
    let latin1 = |s: &str| s.chars().all(|c| (c as u32) < 256);
    match (&node.kind, v) {
        (SchemaKind::Primitive(Primitive::String), J::String(s)) if node.logical == Some(LogicalType::Uuid) => {
            s.len() == 36
                && s.chars().enumerate().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        }
        (SchemaKind::Primitive(p), _) => match (p, v) {
            (Primitive::Null, J::Null) | (Primitive::Boolean, J::Bool(_)) | (Primitive::String, J::String(_)) => true,
            (Primitive::Int, J::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
            (Primitive::Long, J::Number(n)) => n.as_i64().is_some(),
            (Primitive::Float | Primitive::Double, J::Number(_)) => true,
            (Primitive::Bytes, J::String(s)) => latin1(s),
            _ => false,
        },
        (SchemaKind::Fixed(f), J::String(s)) => latin1(s) && s.chars().count() == f.size as usize,
        (SchemaKind::Enum(e), J::String(s)) => e.symbols.iter().any(|(x, _)| x == s),
        (SchemaKind::Array(items), J::Array(xs)) => xs.iter().all(|x| default_fits(set, *items, x, depth + 1)),
        (SchemaKind::Map(values), J::Object(m)) => m.values().all(|x| default_fits(set, *values, x, depth + 1)),
        (SchemaKind::Record(r), J::Object(m)) => r.fields.iter().all(|f| match m.get(&f.name) {
            Some(x) => default_fits(set, f.ty, x, depth + 1),
            None => f.default.as_ref().is_some_and(|d| default_fits(set, f.ty, &to_json(d), depth + 1)),
        }),
        (SchemaKind::Union(b), _) => b.first().is_some_and(|first| default_fits(set, *first, v, depth + 1)),
        _ => false,
    }
}

fn is_primitive_java(t: &str) -> bool {
    matches!(t, "boolean" | "int" | "long" | "float" | "double")
}

fn branch_label(set: &SchemaSet, id: SchemaId) -> String {
    let node = set.resolved(id);
    match (&node.kind, node.named()) {
        (_, Some(n)) => n.full_name.clone(),
        (SchemaKind::Primitive(p), _) => p.name().to_string(),
        (SchemaKind::Array(_), _) => "array".into(),
        (SchemaKind::Map(_), _) => "map".into(),
        _ => "value".into(),
    }
}

#[derive(Default)]
struct Decls {
    text: String,
    sealed: HashMap<SchemaId, SealedNames>,
    taken: HashSet<String>,
}

/// Field names as Java members: keywords and the class's own members get `_`, then
/// suffixed until unique.
pub fn field_idents(names: &[String]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    names
        .iter()
        .map(|n| {
            let mut id = ident(n);
            if MEMBERS.contains(&id.as_str()) {
                id.push('_');
            }
            while !used.insert(id.clone()) {
                id.push('_');
            }
            id
        })
        .collect()
}

/// Enum symbols as constants.
pub fn enum_idents(symbols: &[String]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    symbols
        .iter()
        .map(|n| {
            let mut id = ident(n);
            if ["SYMBOLS", "SCHEMA", "SUBJECTS"].contains(&id.as_str()) {
                id.push('_');
            }
            while !used.insert(id.clone()) {
                id.push('_');
            }
            id
        })
        .collect()
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
    /// A union with several non-null branches -> its interface and each branch's record.
    pub unions: HashMap<SchemaId, (String, Vec<Option<String>>)>,
    /// Schema file index -> its adapter class and the Java type of its values.
    pub tops: HashMap<usize, (String, String)>,
}

struct Plan<'a, 'b> {
    g: Gen<'a>,
    defs: Vec<(String, SchemaId)>,
    /// Schema files whose top level is not a named type, with their class.
    unnamed: Vec<(&'b FileInput<'b>, SchemaId, ClassName)>,
}

fn plan<'a, 'b>(set: &'a SchemaSet, inputs: &'b [FileInput<'b>], package: &str) -> Plan<'a, 'b> {
    // Every named type that counts (the first definition of a full name), in name order.
    let mut defs: Vec<(String, SchemaId)> = set.names.iter().map(|(k, v)| (k.clone(), *v)).collect();
    defs.sort();
    // Directories and classes taken, compared ignoring case (case-insensitive file systems).
    let mut taken: HashSet<String> = HashSet::new();
    let runtime_path = format!("{}/SchemapipeRuntime", package.replace('.', "/")).to_lowercase();
    taken.insert(runtime_path);
    let mut classes: HashMap<String, ClassName> = HashMap::new();
    let package_of = |ns: Option<&str>| -> String {
        let mut p = package.to_string();
        for part in ns.into_iter().flat_map(|n| n.split('.')).filter(|p| !p.is_empty()) {
            p.push('.');
            p.push_str(&shorten(&ident(part)));
        }
        p
    };
    // Packages first: a class never takes a package's name.
    for (_, id) in &defs {
        let n = set.node(*id).named().expect("named");
        let p = package_of(n.namespace.as_deref());
        let parts: Vec<&str> = p.split('.').collect();
        for i in 1..=parts.len() {
            taken.insert(parts[..i].join("/").to_lowercase());
        }
    }
    let claim = |package: String, base: String, taken: &mut HashSet<String>| -> ClassName {
        let free = |s: &str| {
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
    for (full, id) in &defs {
        let n = set.node(*id).named().expect("named");
        let c = claim(package_of(n.namespace.as_deref()), shorten(&class_ident(&n.name)), &mut taken);
        classes.insert(full.clone(), c);
    }
    let mut sorted_inputs: Vec<&FileInput> = inputs.iter().collect();
    sorted_inputs.sort_by_key(|f| f.path);
    let mut unnamed = Vec::new();
    for f in sorted_inputs {
        let Some(root) = set.files[f.index].root else { continue };
        if set.resolved(root).named().is_some() {
            continue;
        }
        let stem = f.path.rsplit('/').next().unwrap_or(f.path);
        let stem = stem.strip_suffix(".avsc").unwrap_or(stem);
        let base: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let class = claim(package.to_string(), shorten(&class_ident(&pascal(&base))), &mut taken);
        unnamed.push((f, root, class));
    }
    let runtime = format!("{package}.SchemapipeRuntime");
    Plan { g: Gen { set, runtime, classes }, defs, unnamed }
}

/// The Java names of every type generated for a set.
pub fn names(set: &SchemaSet, inputs: &[FileInput], package: &str) -> Result<JavaNames, String> {
    let p = plan(set, inputs, package);
    let mut out = JavaNames::default();
    for (full, c) in &p.g.classes {
        out.classes.insert(full.clone(), c.fq());
    }
    for (full, id) in &p.defs {
        let node = set.node(*id);
        match &node.kind {
            SchemaKind::Record(r) => {
                out.fields
                    .insert(full.clone(), field_idents(&r.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>()));
                for (k, v) in p.g.decls_of(node).sealed {
                    out.unions.insert(k, (v.fq, v.branches));
                }
            }
            SchemaKind::Enum(e) => {
                out.enums
                    .insert(full.clone(), enum_idents(&e.symbols.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>()));
            }
            _ => {}
        }
    }
    let file_of: HashMap<crate::core::source::FileId, usize> =
        inputs.iter().map(|f| (set.files[f.index].file, f.index)).collect();
    for f in inputs {
        let Some(root) = set.files[f.index].root else { continue };
        if let Some(n) = set.resolved(root).named() {
            if file_of.get(&set.node(set.names[&n.full_name]).file) == Some(&f.index) {
                let c = &p.g.classes[&n.full_name];
                let ty = p.g.jtype_known(set.names[&n.full_name], &Decls::default());
                out.tops.insert(f.index, (format!("{}Adapter", c.fq()), ty));
            }
        }
    }
    for (f, root, class) in &p.unnamed {
        let (_, ty, _, decls) = p.g.unnamed_class(*root, class, "", &[])?;
        for (k, v) in decls.sealed {
            out.unions.insert(k, (v.fq, v.branches));
        }
        out.tops.insert(f.index, (format!("{}Adapter", class.fq()), ty));
    }
    Ok(out)
}

/// Every generated file: path (relative to the output directory) -> text. `chosen` says which
/// schema files get their classes (all named types are named from the whole set).
pub fn files(
    set: &SchemaSet,
    inputs: &[FileInput],
    cfg: &Config,
    package: &str,
    chosen: &dyn Fn(&str) -> bool,
) -> Result<BTreeMap<String, String>, String> {
    let subjects = publish::subjects(set, inputs, cfg);
    // A schema with comments or a byte order mark (which the parser accepts, as Java's does)
    // is registered as plain JSON.
    let strict: Vec<String> = inputs.iter().map(|f| plain_json(f.text)).collect();
    let plain: Vec<FileInput> =
        inputs.iter().zip(&strict).map(|(f, text)| FileInput { index: f.index, path: f.path, text }).collect();
    let texts = publish::self_contained(set, &plain);
    let input_of: HashMap<crate::core::source::FileId, &FileInput> =
        inputs.iter().map(|f| (set.files[f.index].file, f)).collect();
    let Plan { g, defs, unnamed } = plan(set, inputs, package);
    let mut out = BTreeMap::new();
    // The schema files' top levels: text and subjects of the file defining each.
    let mut tops: HashMap<String, (String, Vec<String>)> = HashMap::new();
    let text_of = |f: &FileInput| {
        texts.get(&f.index).cloned().unwrap_or_else(|| Ok(String::new())).map_err(|e| {
            format!("`{}` cannot be generated: {e}: the generated class holds the schema as registered, and that text nests more than 2000 levels deep; make it shallower", f.path)
        })
    };
    for f in inputs {
        let Some(root) = set.files[f.index].root else { continue };
        if let Some(n) = set.resolved(root).named() {
            if input_of.get(&set.node(set.names[&n.full_name]).file).map(|x| x.index) == Some(f.index) {
                let subs = subjects.get(&n.full_name).cloned().unwrap_or_default();
                tops.insert(n.full_name.clone(), (text_of(f)?, subs));
            }
        }
    }
    for (full, id) in &defs {
        let node = set.node(*id);
        let Some(input) = input_of.get(&node.file) else { continue };
        if !chosen(input.path) {
            continue;
        }
        let class = g.classes[full].clone();
        let top = tops.get(full);
        let text = g.named_class(node, &class, top.map(|(t, s)| (t.as_str(), s.as_slice())))?;
        out.insert(class.path(), text);
        if top.is_some() {
            out.insert(
                format!("{}/{}Adapter.java", class.package.replace('.', "/"), class.simple),
                g.adapter(
                    &class,
                    &g.jtype_known(*id, &Decls::default()),
                    &g.enc(*id, "value", &Decls::default(), 0, ""),
                ),
            );
        }
    }
    for (f, root, class) in unnamed {
        if !chosen(f.path) {
            continue;
        }
        let (file, ty, enc, _) = g.unnamed_class(root, &class, &text_of(f)?, &[])?;
        out.insert(class.path(), file);
        out.insert(
            format!("{}/{}Adapter.java", class.package.replace('.', "/"), class.simple),
            g.adapter(&class, &ty, &enc),
        );
    }
    let dir = package.replace('.', "/");
    out.insert(
        format!("{dir}/pom-fragment.xml"),
        format!(
            "<!-- Generated by schemapipe (`schemapipe generate java`): the generated package `{package}` needs Java 17 and no dependency.\n     Put these in your pom.xml (or `java {{ toolchain {{ languageVersion = JavaLanguageVersion.of(17) }} }}` in build.gradle). -->\n<properties>\n  <maven.compiler.release>17</maven.compiler.release>\n  <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n</properties>\n"
        ),
    );
    Ok(out)
}

const HEADER: &str = "// Generated by schemapipe (`schemapipe generate java`). Do not edit: regenerate.\n";

impl Gen<'_> {
    fn adapter(&self, class: &ClassName, ty: &str, enc: &str) -> String {
        let r = self.r();
        let name = &class.simple;
        let enc: String = enc.lines().map(|l| format!("        {l}\n")).collect();
        format!(
            "{HEADER}package {pkg};\n\n/**\n * Adapts a source record (a database row, a document, ...) to {name} and serializes it in the\n * Schema Registry wire format. Implement {{@link #adapt}}; the rest is done.\n *\n * @param <S> the source type\n */\npublic abstract class {name}Adapter<S> {{\n    private final int schemaId;\n\n    /**\n     * An adapter writing with a known schema id.\n     *\n     * @param schemaId the id the registry gave the schema\n     */\n    protected {name}Adapter(int schemaId) {{\n        this.schemaId = schemaId;\n    }}\n\n    /**\n     * The schema id written in front of every payload.\n     *\n     * @return the id\n     */\n    public final int schemaId() {{\n        return schemaId;\n    }}\n\n    /**\n     * Maps a source record to the event.\n     *\n     * @param source the source record\n     * @return the event\n     */\n    public abstract {ty} adapt(S source);\n\n    /**\n     * The wire-format bytes of an adapted source record.\n     *\n     * @param source the source record\n     * @return magic byte 0, the schema id, the Avro binary payload\n     */\n    public final byte[] toBytes(S source) {{\n        return serialize(adapt(source));\n    }}\n\n    /**\n     * The wire-format bytes of an event.\n     *\n     * @param value the event\n     * @return magic byte 0, the schema id, the Avro binary payload\n     */\n    public final byte[] serialize({ty} value) {{\n        {r}.Encoder e = new {r}.Encoder();\n{enc}        return {r}.frame(schemaId, e.toByteArray());\n    }}\n}}\n",
            pkg = class.package
        )
    }

    fn constants(&self, text: &str, subjects: &[String], ind: &str, modifiers: &str) -> String {
        let subs: Vec<String> = subjects.iter().map(|s| string_literal(s)).collect();
        format!(
            "{ind}/** The schema as registered (named types of other files written out). */\n{ind}{modifiers}java.lang.String SCHEMA = {};\n\n{ind}/** The subjects it is published under. */\n{ind}{modifiers}java.util.List<java.lang.String> SUBJECTS = java.util.List.of({});\n\n",
            long_string(text),
            subs.join(", ")
        )
    }

    /// A schema file whose top level is not a named type: its class (a sealed interface for a
    /// union of several branches), the Java type of its values and the statements writing one.
    fn unnamed_class(
        &self,
        root: SchemaId,
        class: &ClassName,
        text: &str,
        subjects: &[String],
    ) -> Result<(String, String, String, Decls), String> {
        let node = self.set.resolved(root);
        let fq = class.fq();
        let mut decls = Decls::default();
        decls.taken.insert(class.simple.clone());
        if let SchemaKind::Union(b) = &node.kind {
            if matches!(shape(self.set, b), UnionShape::Sealed) {
                let names = self.sealed_names(b, &class.package, class.simple.clone());
                let mut inner = Decls::default();
                inner.taken.insert(class.simple.clone());
                let mut records = String::new();
                for (bid, bn) in b.iter().zip(&names.branches) {
                    let Some(bn) = bn else { continue };
                    let bt = self.jtype(*bid, false, &fq, &bn[2..], &mut inner, 1)?;
                    let body = if is_primitive_java(&bt) {
                        " {}".to_string()
                    } else {
                        format!(" {{\n        public {bn} {{\n            java.util.Objects.requireNonNull(value, \"{bn}\");\n        }}\n    }}")
                    };
                    records.push_str(&format!(
                        "    /** The branch `{}`. */\n    record {bn}({bt} value) implements {}{body}\n\n",
                        branch_label(self.set, *bid),
                        class.simple
                    ));
                }
                let permits: Vec<String> =
                    names.branches.iter().flatten().map(|n| format!("{}.{n}", class.simple)).collect();
                let mut file = format!("{HEADER}package {};\n\n", class.package);
                file.push_str(&format!(
                    "/** A value of `{}`: one of the union's branches. */\npublic sealed interface {} permits {} {{\n",
                    text_label(text),
                    class.simple,
                    permits.join(", ")
                ));
                file.push_str(&self.constants(text, subjects, "    ", ""));
                file.push_str(&records);
                file.push_str(&inner.text);
                file.push_str("}\n");
                let mut d = Decls::default();
                d.sealed.insert(root, names);
                for (k, v) in inner.sealed {
                    d.sealed.insert(k, v);
                }
                let enc = self.enc(root, "value", &d, 0, "");
                return Ok((file, fq, enc, d));
            }
        }
        let ty = self.jtype(root, true, &fq, "Value", &mut decls, 0)?;
        let enc = self.enc(root, "value", &decls, 0, "");
        let mut file = format!("{HEADER}package {};\n\n", class.package);
        file.push_str(&format!("/** The schema `{}` and the types of its values. */\npublic final class {} {{\n    private {}() {{\n    }}\n\n", text_label(text), class.simple, class.simple));
        file.push_str(&self.constants(text, subjects, "    ", "public static final "));
        file.push_str(&decls.text);
        file.push_str("}\n");
        Ok((file, ty, enc, decls))
    }

    fn named_class(&self, node: &Schema, class: &ClassName, top: Option<(&str, &[String])>) -> Result<String, String> {
        let r = self.r();
        let n = node.named().expect("named");
        let mut s = format!("{HEADER}package {};\n\n", class.package);
        let doc = n.doc.clone().unwrap_or_else(|| format!("The Avro {} `{}`.", kind_word(node), n.full_name));
        s.push_str(&doc_comment(&doc, ""));
        let name = &class.simple;
        let constants = |s: &mut String| {
            if let Some((text, subs)) = top {
                s.push_str(&self.constants(text, subs, "    ", "public static final "));
            }
        };
        match &node.kind {
            SchemaKind::Enum(e) => {
                let symbols: Vec<String> = e.symbols.iter().map(|(s, _)| s.clone()).collect();
                let idents = enum_idents(&symbols);
                s.push_str(&format!("public enum {name} {{\n"));
                let consts: Vec<String> = idents.iter().map(|i| format!("    {i}")).collect();
                s.push_str(&consts.join(",\n"));
                s.push_str(";\n\n");
                constants(&mut s);
                let lits: Vec<String> = symbols.iter().map(|x| string_literal(x)).collect();
                s.push_str(&format!("    private static final java.lang.String[] SYMBOLS = {{{}}};\n\n    /**\n     * The symbol as written in the schema.\n     *\n     * @return the symbol\n     */\n    public java.lang.String symbol() {{\n        return SYMBOLS[ordinal()];\n    }}\n", lits.join(", ")));
                if let Some((d, _)) = &e.default {
                    let i = symbols.iter().position(|x| x == d).unwrap_or(0);
                    s.push_str(&format!("\n    /**\n     * The schema's default symbol (readers that do not know a symbol read this one).\n     *\n     * @return the default\n     */\n    public static {name} schemaDefault() {{\n        return {};\n    }}\n", idents[i]));
                }
                s.push_str("}\n");
            }
            SchemaKind::Fixed(f) => {
                let size = f.size;
                s.push_str(&format!("public final class {name} implements {r}.Encodable {{\n    /** The number of bytes. */\n    public static final int SIZE = {size};\n\n"));
                constants(&mut s);
                s.push_str(&format!("    private final byte[] bytes;\n\n    /**\n     * A value of exactly {{@link #SIZE}} bytes.\n     *\n     * @param bytes the bytes (copied)\n     */\n    public {name}(byte[] bytes) {{\n        if (bytes.length != SIZE) {{\n            throw new {r}.EncodeException(\"{} takes \" + SIZE + \" bytes, not \" + bytes.length);\n        }}\n        this.bytes = bytes.clone();\n    }}\n\n    /**\n     * The bytes.\n     *\n     * @return a copy of the bytes\n     */\n    public byte[] bytes() {{\n        return bytes.clone();\n    }}\n\n    @Override\n    public void encode({r}.Encoder e) {{\n        e.writeFixed(bytes, SIZE);\n    }}\n\n    @Override\n    public boolean equals(java.lang.Object o) {{\n        return o instanceof {name} other && java.util.Arrays.equals(bytes, other.bytes);\n    }}\n\n    @Override\n    public int hashCode() {{\n        return java.util.Arrays.hashCode(bytes);\n    }}\n\n    @Override\n    public java.lang.String toString() {{\n        return \"{name}\" + java.util.Arrays.toString(bytes);\n    }}\n}}\n", n.full_name));
            }
            SchemaKind::Record(rec) => {
                let fq = class.fq();
                let mut decls = Decls::default();
                decls.taken.insert(name.clone());
                decls.taken.insert("Builder".into());
                let names: Vec<String> = rec.fields.iter().map(|f| f.name.clone()).collect();
                let idents = field_idents(&names);
                let mut types = Vec::new();
                let mut boxed = Vec::new();
                for f in &rec.fields {
                    types.push(self.jtype(f.ty, false, &fq, &pascal(&f.name), &mut decls, 0)?);
                    boxed.push(self.jtype_known(f.ty, &decls));
                }
                s.push_str(&format!("public final class {name} implements {r}.Encodable {{\n"));
                constants(&mut s);
                for (i, f) in rec.fields.iter().enumerate() {
                    let _ = f;
                    s.push_str(&format!("    private final {} {};\n", types[i], idents[i]));
                }
                if !rec.fields.is_empty() {
                    s.push('\n');
                }
                // Constructor from a builder.
                s.push_str(&format!("    private {name}(Builder b) {{\n"));
                for (i, f) in rec.fields.iter().enumerate() {
                    let id = &idents[i];
                    let nullable = self.nullable(f.ty);
                    let value = if nullable {
                        format!("b.{id}")
                    } else {
                        format!("{r}.required(b.{id}, {})", string_literal(&f.name))
                    };
                    let value = copy_expr(r, &types[i], &value);
                    s.push_str(&format!("        this.{id} = {value};\n"));
                }
                s.push_str("    }\n\n");
                for (i, f) in rec.fields.iter().enumerate() {
                    if let Some(doc) = &f.doc {
                        s.push_str(&doc_comment(doc, "    "));
                    }
                    let ret = if types[i] == "byte[]" {
                        format!("this.{0} == null ? null : this.{0}.clone()", idents[i])
                    } else {
                        format!("this.{}", idents[i])
                    };
                    s.push_str(&format!(
                        "    public {} {}() {{\n        return {ret};\n    }}\n\n",
                        types[i], idents[i]
                    ));
                }
                s.push_str("    /**\n     * A builder with the schema's defaults.\n     *\n     * @return a new builder\n     */\n    public static Builder builder() {\n        return new Builder();\n    }\n\n    /**\n     * A builder with this record's values.\n     *\n     * @return a new builder\n     */\n    public Builder toBuilder() {\n        Builder b = new Builder();\n");
                for id in &idents {
                    s.push_str(&format!("        b.{id} = this.{id};\n"));
                }
                s.push_str("        return b;\n    }\n\n");
                s.push_str(&format!("    @Override\n    public void encode({r}.Encoder e) {{\n"));
                for (i, f) in rec.fields.iter().enumerate() {
                    s.push_str(&format!("        e.at({});\n", string_literal(&f.name)));
                    s.push_str(&self.enc(f.ty, &format!("this.{}", idents[i]), &decls, 0, "        "));
                    s.push_str("        e.leave();\n");
                }
                s.push_str("    }\n\n");
                // equals, hashCode, toString
                let eqs: Vec<String> =
                    idents.iter().map(|id| format!("java.util.Objects.deepEquals(this.{id}, other.{id})")).collect();
                let eq = if eqs.is_empty() { "true".to_string() } else { eqs.join("\n            && ") };
                let fields: Vec<String> = idents.iter().map(|id| format!("this.{id}")).collect();
                let hash = format!("java.util.Arrays.deepHashCode(new java.lang.Object[] {{{}}})", fields.join(", "));
                let strs: Vec<String> =
                    idents.iter().zip(&names).map(|(id, n)| format!("\"{}=\" + {r}.show(this.{id})", n)).collect();
                let strs = if strs.is_empty() { "\"\"".to_string() } else { strs.join(" + \", \"\n            + ") };
                s.push_str(&format!("    @Override\n    public boolean equals(java.lang.Object o) {{\n        if (!(o instanceof {name} other)) {{\n            return false;\n        }}\n        return {eq};\n    }}\n\n    @Override\n    public int hashCode() {{\n        return {hash};\n    }}\n\n    @Override\n    public java.lang.String toString() {{\n        return \"{name}{{\" + {strs} + \"}}\";\n    }}\n\n"));
                // Builder.
                s.push_str(&format!("    /** Builds a {{@link {name}}}; fields not set take the schema's default. */\n    public static final class Builder {{\n"));
                for (i, f) in rec.fields.iter().enumerate() {
                    let init = match f.default.as_ref().map(to_json) {
                        Some(d) if default_fits(self.set, f.ty, &d, 0) => {
                            format!(" = {}", self.default(f.ty, &d, &decls, 0)?)
                        }
                        _ => String::new(),
                    };
                    s.push_str(&format!("        private {} {}{init};\n", boxed[i], idents[i]));
                }
                s.push_str("\n        private Builder() {\n        }\n\n");
                for (i, f) in rec.fields.iter().enumerate() {
                    let _ = f;
                    s.push_str(&format!("        public Builder {}({} value) {{\n            this.{} = value;\n            return this;\n        }}\n\n", idents[i], types[i], idents[i]));
                }
                s.push_str(&format!("        /**\n         * The record.\n         *\n         * @return the record\n         * @throws {r}.EncodeException when a field without a default was not set\n         */\n        public {name} build() {{\n            return new {name}(this);\n        }}\n    }}\n"));
                if !decls.text.is_empty() {
                    s.push('\n');
                    s.push_str(decls.text.trim_end());
                    s.push('\n');
                }
                s.push_str("}\n");
            }
            _ => {}
        }
        Ok(s)
    }

    /// Whether a node's Java value may be null (a union with null).
    fn nullable(&self, id: SchemaId) -> bool {
        match &self.set.resolved(id).kind {
            SchemaKind::Union(b) => {
                b.iter().any(|x| matches!(self.set.resolved(*x).kind, SchemaKind::Primitive(Primitive::Null)))
            }
            SchemaKind::Primitive(Primitive::Null) => true,
            _ => false,
        }
    }
}

fn copy_expr(r: &str, ty: &str, value: &str) -> String {
    if ty == "byte[]" {
        format!("{r}.copy({value})")
    } else if ty.starts_with("java.util.List<") {
        format!("{r}.copyList({value})")
    } else if ty.starts_with("java.util.Map<") {
        format!("{r}.copyMap({value})")
    } else {
        value.to_string()
    }
}

fn kind_word(node: &Schema) -> &'static str {
    match &node.kind {
        SchemaKind::Record(r) if r.is_error => "error",
        SchemaKind::Record(_) => "record",
        SchemaKind::Enum(_) => "enum",
        _ => "fixed",
    }
}

/// A short label of a schema text for a comment.
fn text_label(text: &str) -> String {
    let t: String = text.chars().take(60).filter(|c| !c.is_control() && *c != '`' && *c != '\\').collect();
    t.replace("*/", "* /").replace('@', "&#64;")
}
