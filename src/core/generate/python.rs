//! Python naming and literals.

use super::*;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Names a generated module binds itself: the modules it imports (under private
/// aliases), the runtime's functions, its constants and the class attributes it adds.
pub const RESERVED: &[&str] = &[
    "_dataclasses",
    "_datetime",
    "_decimal",
    "_enum",
    "_typing",
    "_Schema",
    "_frame",
    "_latest_schema_id",
    "SCHEMA",
    "SUBJECTS",
    "_AVRO_NAME",
    "_AVRO_ATTRIBUTES",
    "annotations",
];

/// A name made a Python identifier: keywords and the module's own names get a trailing `_`.
pub fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) || RESERVED.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// An enum symbol as a member name: `Enum` reserves `mro` and names that start with `_`
/// (`_missing_`, `_ignore_`, dunders), which then get a `symbol` prefix.
pub fn member(symbol: &str) -> String {
    if symbol.starts_with('_') {
        format!("symbol{symbol}")
    } else if symbol == "mro" {
        "mro_".into()
    } else {
        ident(symbol)
    }
}

/// `PaymentCaptured` -> `payment_captured`, `HTTPRequest` -> `http_request`.
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

/// A Python string literal (JSON's escapes are Python's).
pub fn string_literal(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A `bytes` literal from an Avro bytes/fixed default (code points 0-255).
pub fn bytes_literal(s: &str) -> String {
    let mut out = String::from("b\"");
    for c in s.chars() {
        let b = (c as u32).min(255) as u8;
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// A JSON value as a Python literal.
pub fn literal(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "None".into(),
        serde_json::Value::Bool(true) => "True".into(),
        serde_json::Value::Bool(false) => "False".into(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => string_literal(s),
        serde_json::Value::Array(items) => {
            format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", "))
        }
        serde_json::Value::Object(m) => format!(
            "{{{}}}",
            m.iter().map(|(k, v)| format!("{}: {}", string_literal(k), literal(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The Python type of a node; named types by the names the module knows them by.
pub fn type_expr(set: &SchemaSet, id: SchemaId, names: &HashMap<String, String>, depth: usize) -> String {
    let node: &Schema = set.resolved(id);
    if let Some(n) = node.named() {
        if let (Some(LogicalType::Decimal { .. }), SchemaKind::Fixed(_)) = (&node.logical, &node.kind) {
            return "_decimal.Decimal".into();
        }
        return names.get(&n.full_name).cloned().unwrap_or_else(|| "_typing.Any".into());
    }
    if depth > 64 {
        return "_typing.Any".into();
    }
    match &node.kind {
        SchemaKind::Primitive(p) => match (&node.logical, p) {
            (Some(LogicalType::Decimal { .. }), _) => "_decimal.Decimal".into(),
            (Some(LogicalType::Date), _) => "_datetime.date".into(),
            (Some(LogicalType::TimeMillis | LogicalType::TimeMicros), _) => "_datetime.time".into(),
            (
                Some(
                    LogicalType::TimestampMillis
                    | LogicalType::TimestampMicros
                    | LogicalType::LocalTimestampMillis
                    | LogicalType::LocalTimestampMicros,
                ),
                _,
            ) => "_datetime.datetime".into(),
            (_, Primitive::Null) => "None".into(),
            (_, Primitive::Boolean) => "bool".into(),
            (_, Primitive::Int | Primitive::Long) => "int".into(),
            (_, Primitive::Float | Primitive::Double) => "float".into(),
            (_, Primitive::Bytes) => "bytes".into(),
            (_, Primitive::String) => "str".into(),
        },
        SchemaKind::Array(i) => format!("list[{}]", type_expr(set, *i, names, depth + 1)),
        SchemaKind::Map(v) => format!("dict[str, {}]", type_expr(set, *v, names, depth + 1)),
        SchemaKind::Union(b) => {
            let mut parts: Vec<String> = Vec::new();
            for x in b {
                let t = type_expr(set, *x, names, depth + 1);
                if !parts.contains(&t) {
                    parts.push(t);
                }
            }
            parts.join(" | ")
        }
        _ => "_typing.Any".into(),
    }
}

/// How Python writes a default: strings of bytes and fixed types as `bytes` literals.
pub const STYLE: LiteralStyle = LiteralStyle {
    leaf: |node, v| match (&node.kind, v) {
        (SchemaKind::Primitive(Primitive::Bytes) | SchemaKind::Fixed(_), serde_json::Value::String(s)) => {
            Some(bytes_literal(s))
        }
        _ => None,
    },
    key: string_literal,
    plain: literal,
};

/// A field default as Python: a literal, or a factory for mutable values.
pub fn default_expr(set: &SchemaSet, ty: SchemaId, default: &serde_json::Value) -> String {
    let text = typed_default(set, ty, default, 0, &STYLE);
    match default {
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            format!("_dataclasses.field(default_factory=lambda: {text})")
        }
        _ => text,
    }
}
