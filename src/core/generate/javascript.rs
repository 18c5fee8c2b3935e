//! JavaScript naming, JSDoc types and literals.

use super::*;

const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "let",
    "static",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "await",
    "arguments",
    "eval",
    "undefined",
    "NaN",
    "Infinity",
    "Object",
    "Array",
    "Date",
    "Map",
    "Uint8Array",
    "BigInt",
    "Number",
    "String",
    "Boolean",
    "Symbol",
    "Error",
    "JSON",
    "Math",
    "SCHEMA",
    "SUBJECTS",
];

/// A name made a JavaScript binding: reserved words and the module's own names get `_`.
pub fn ident(name: &str) -> String {
    if RESERVED.contains(&name) || name.starts_with("_schemapipe") {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// The JSDoc type of a node; named types by the names the module knows them by.
pub fn type_expr(set: &SchemaSet, id: SchemaId, names: &HashMap<String, String>, depth: usize) -> String {
    let node: &Schema = set.resolved(id);
    if let Some(n) = node.named() {
        if let (Some(LogicalType::Decimal { .. }), SchemaKind::Fixed(_)) = (&node.logical, &node.kind) {
            return "string|number|bigint".into();
        }
        return match &node.kind {
            SchemaKind::Enum(_) | SchemaKind::Record(_) => {
                names.get(&n.full_name).cloned().unwrap_or_else(|| "*".into())
            }
            _ => "Uint8Array".into(),
        };
    }
    if depth > 64 {
        return "*".into();
    }
    match &node.kind {
        SchemaKind::Primitive(p) => match (&node.logical, p) {
            (Some(LogicalType::Decimal { .. }), _) => "string|number|bigint".into(),
            (Some(LogicalType::Date), _) => "Date|number".into(),
            (
                Some(
                    LogicalType::TimestampMillis
                    | LogicalType::TimestampMicros
                    | LogicalType::LocalTimestampMillis
                    | LogicalType::LocalTimestampMicros,
                ),
                _,
            ) => "Date|number|bigint".into(),
            (_, Primitive::Null) => "null".into(),
            (_, Primitive::Boolean) => "boolean".into(),
            (_, Primitive::Int | Primitive::Float | Primitive::Double) => "number".into(),
            (_, Primitive::Long) => "number|bigint".into(),
            (_, Primitive::Bytes) => "Uint8Array".into(),
            (_, Primitive::String) => "string".into(),
        },
        SchemaKind::Array(i) => format!("Array<{}>", type_expr(set, *i, names, depth + 1)),
        SchemaKind::Map(v) => format!("Object<string, {}>", type_expr(set, *v, names, depth + 1)),
        SchemaKind::Union(b) => {
            let mut parts: Vec<String> = Vec::new();
            for x in b {
                let t = type_expr(set, *x, names, depth + 1);
                if !parts.contains(&t) {
                    parts.push(t);
                }
            }
            format!("({})", parts.join("|"))
        }
        _ => "*".into(),
    }
}

/// How JavaScript writes a default: bytes as `Uint8Array`, longs past 2^53 as `BigInt`,
/// object keys computed (so `__proto__` is a property, not the prototype). The expression
/// is evaluated for every new object: lists and objects are never shared.
pub const STYLE: LiteralStyle = LiteralStyle {
    leaf: |node, v| match (&node.kind, v) {
        (SchemaKind::Primitive(Primitive::Bytes) | SchemaKind::Fixed(_), serde_json::Value::String(s)) => {
            let bytes: Vec<String> = s.chars().map(|c| format!("0x{:02x}", (c as u32).min(255))).collect();
            Some(format!("Uint8Array.of({})", bytes.join(", ")))
        }
        (SchemaKind::Primitive(Primitive::Long), serde_json::Value::Number(n)) => {
            n.as_i64().filter(|i| i.unsigned_abs() > (1u64 << 53)).map(|i| format!("{i}n"))
        }
        _ => None,
    },
    key: |k| format!("[{}]", python::string_literal(k)),
    plain: |v| serde_json::to_string(v).unwrap_or_else(|_| "null".into()),
};
