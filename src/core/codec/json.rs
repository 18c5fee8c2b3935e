//! The Avro JSON encoding, as Java's `JsonDecoder`/`JsonEncoder` read and write it: a union
//! value is `null` or `{"<branch full name>": value}`; bytes and fixed are strings whose
//! characters are the bytes (ISO-8859-1, U+0000–U+00FF); floats and doubles also take the
//! strings `"NaN"`, `"Infinity"` and `"-Infinity"`. Every record field must be present; a key
//! that names no field is refused (a misspelt field in a sample is a mistake worth knowing).
//!
//! Field defaults in schemas use the specification's other JSON form (a union's default is
//! the bare value of its first branch): [`from_default`].

use super::{Codec, Id, Type, Value, MAX_DEPTH};
use crate::core::json::{Node, Value as J};
use crate::core::source::Span;

/// A JSON value that does not fit the schema.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonValueError {
    pub span: Span,
    pub message: String,
    /// JSON pointer of the schema node that refused the value.
    pub pointer: String,
    /// Where in the event (`.customer.email`, `.lines[2]`).
    pub path: String,
}

struct Ctx<'a> {
    codec: &'a Codec,
    /// Defaults: unions are their first branch, unwrapped.
    default_form: bool,
}

/// Reads an event in the JSON encoding as a value of node `id`.
pub fn from_json(codec: &Codec, id: Id, node: &Node) -> Result<Value, JsonValueError> {
    let mut path = String::new();
    Ctx { codec, default_form: false }.value(id, node, &mut path, 0)
}

/// Reads a field default (the specification's form) as a value of node `id`.
pub fn from_default(codec: &Codec, id: Id, node: &Node) -> Result<Value, JsonValueError> {
    let mut path = String::new();
    Ctx { codec, default_form: true }.value(id, node, &mut path, 0)
}

fn iso_8859_1(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(c as u32).ok()).collect()
}

fn float_of(node: &Node) -> Option<f64> {
    match &node.value {
        J::Number(n) => n.raw.parse::<f64>().ok(),
        J::String(s) => match s.as_ref() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

impl Ctx<'_> {
    fn err(&self, id: Id, node: &Node, path: &str, message: String) -> JsonValueError {
        JsonValueError {
            span: node.span,
            message,
            pointer: self.codec.node(id).pointer.clone(),
            path: if path.is_empty() { ".".into() } else { path.to_string() },
        }
    }

    fn expected(&self, id: Id, node: &Node, path: &str) -> JsonValueError {
        let what = self.codec.describe(id);
        let shown = match &node.value {
            J::Number(n) => format!("the number {}", n.raw),
            J::String(s) if s.len() <= 40 => format!("the string \"{s}\""),
            _ => node.kind_name().to_string(),
        };
        self.err(id, node, path, format!("expected {what}, found {shown}"))
    }

    fn value(&self, id: Id, node: &Node, path: &mut String, depth: usize) -> Result<Value, JsonValueError> {
        if depth > MAX_DEPTH {
            return Err(self.err(id, node, path, format!("value nests deeper than {MAX_DEPTH} levels")));
        }
        let codec = self.codec;
        Ok(match &codec.node(id).ty {
            Type::Null => match node.value {
                J::Null => Value::Null,
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Boolean => match node.value {
                J::Bool(b) => Value::Boolean(b),
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Int => match &node.value {
                J::Number(n) if n.is_integer => match n.as_i32() {
                    Some(i) => Value::Int(i),
                    None => return Err(self.err(id, node, path, format!("{} is out of the int range", n.raw))),
                },
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Long => match &node.value {
                J::Number(n) if n.is_integer => match n.as_i64() {
                    Some(i) => Value::Long(i),
                    None => return Err(self.err(id, node, path, format!("{} is out of the long range", n.raw))),
                },
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Float => match float_of(node) {
                Some(x) => Value::Float(x as f32),
                None => return Err(self.expected(id, node, path)),
            },
            Type::Double => match float_of(node) {
                Some(x) => Value::Double(x),
                None => return Err(self.expected(id, node, path)),
            },
            Type::String => match &node.value {
                J::String(s) => Value::String(s.to_string()),
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Bytes => match &node.value {
                J::String(s) => match iso_8859_1(s) {
                    Some(b) => Value::Bytes(b),
                    None => return Err(self.err(id, node, path, "bytes are written as a string of characters U+0000 to U+00FF (ISO-8859-1), one per byte; this string has a character above U+00FF".into())),
                },
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Fixed { size, .. } => match &node.value {
                J::String(s) => match iso_8859_1(s) {
                    Some(b) if b.len() == *size => Value::Fixed(b),
                    Some(b) => {
                        return Err(self.err(id, node, path, format!("fixed of {size} bytes, found {} bytes", b.len())))
                    }
                    None => return Err(self.err(id, node, path, "fixed bytes are written as a string of characters U+0000 to U+00FF (ISO-8859-1); this string has a character above U+00FF".into())),
                },
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Enum { symbols, .. } => match &node.value {
                J::String(s) => match symbols.iter().position(|x| x == s.as_ref()) {
                    Some(i) => Value::Enum(i as u32),
                    None => {
                        let hint = crate::core::finding::did_you_mean(s, symbols.iter().map(String::as_str))
                            .map(|d| format!(" (did you mean `{d}`?)"))
                            .unwrap_or_default();
                        return Err(self.err(
                            id,
                            node,
                            path,
                            format!("`{s}` is not a symbol of {}{hint}", codec.describe(id)),
                        ));
                    }
                },
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Array(items) => match &node.value {
                J::Array(xs) => {
                    let mut out = Vec::with_capacity(xs.len());
                    for (i, x) in xs.iter().enumerate() {
                        let len = path.len();
                        path.push_str(&format!("[{i}]"));
                        out.push(self.value(*items, x, path, depth + 1)?);
                        path.truncate(len);
                    }
                    Value::Array(out)
                }
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Map(values) => match &node.value {
                J::Object(ms) => {
                    let mut out = Vec::with_capacity(ms.len());
                    for m in ms {
                        let len = path.len();
                        path.push_str(&format!("[\"{}\"]", m.key));
                        out.push((m.key.to_string(), self.value(*values, &m.value, path, depth + 1)?));
                        path.truncate(len);
                    }
                    Value::Map(out)
                }
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Record { fields, named } => match &node.value {
                J::Object(ms) => {
                    for m in ms {
                        if !fields.iter().any(|f| f.name == m.key.as_ref()) {
                            let hint = crate::core::finding::did_you_mean(&m.key, fields.iter().map(|f| f.name.as_str()))
                                .map(|d| format!(" (did you mean `{d}`?)"))
                                .unwrap_or_default();
                            return Err(JsonValueError {
                                span: m.key_span,
                                message: format!("record {} has no field `{}`{hint}", named.full_name, m.key),
                                pointer: codec.node(id).pointer.clone(),
                                path: if path.is_empty() { ".".into() } else { path.clone() },
                            });
                        }
                    }
                    let mut out = Vec::with_capacity(fields.len());
                    for f in fields {
                        let len = path.len();
                        path.push('.');
                        path.push_str(&f.name);
                        match ms.iter().find(|m| m.key.as_ref() == f.name) {
                            Some(m) => out.push(self.value(f.ty, &m.value, path, depth + 1)?),
                            None if self.default_form => match &f.default {
                                Some(d) => out.push(from_default(codec, f.ty, d)?),
                                None => {
                                    return Err(self.err(id, node, path, format!("field `{}` is missing", f.name)))
                                }
                            },
                            None => {
                                path.truncate(len);
                                return Err(self.err(
                                    id,
                                    node,
                                    path,
                                    format!("field `{}` of record {} is missing (the JSON encoding lists every field)", f.name, named.full_name),
                                ));
                            }
                        }
                        path.truncate(len);
                    }
                    Value::Record(out)
                }
                _ => return Err(self.expected(id, node, path)),
            },
            Type::Union(bs) => {
                if self.default_form {
                    // The first branch, as the specification says; Java 1.12 accepts any branch
                    // the default fits, the first that fits wins.
                    for (i, b) in bs.iter().enumerate() {
                        if let Ok(v) = self.value(*b, node, path, depth + 1) {
                            return Ok(Value::Union(i as u32, Box::new(v)));
                        }
                    }
                    return Err(self.expected(id, node, path));
                }
                match &node.value {
                    J::Null => match bs.iter().position(|b| matches!(codec.node(*b).ty, Type::Null)) {
                        Some(i) => Value::Union(i as u32, Box::new(Value::Null)),
                        None => return Err(self.err(id, node, path, format!("null is not a branch of {}", codec.describe(id)))),
                    },
                    J::Object(ms) if ms.len() == 1 => {
                        let key = ms[0].key.as_ref();
                        match bs.iter().position(|b| codec.branch_name(*b) == key) {
                            Some(i) => {
                                let v = self.value(bs[i], &ms[0].value, path, depth + 1)?;
                                Value::Union(i as u32, Box::new(v))
                            }
                            None => {
                                let names: Vec<&str> = bs.iter().map(|b| codec.branch_name(*b)).collect();
                                let hint = bs
                                    .iter()
                                    .find(|b| codec.branch_name(**b).rsplit('.').next() == Some(key))
                                    .map(|b| format!(" (branches of named types go by their full name: `{}`)", codec.branch_name(*b)))
                                    .unwrap_or_default();
                                return Err(JsonValueError {
                                    span: ms[0].key_span,
                                    message: format!("`{key}` is not a branch of the union; its branches are {}{hint}", names.join(", ")),
                                    pointer: codec.node(id).pointer.clone(),
                                    path: if path.is_empty() { ".".into() } else { path.clone() },
                                });
                            }
                        }
                    }
                    _ => {
                        let names: Vec<&str> = bs.iter().filter(|b| !matches!(codec.node(**b).ty, Type::Null)).map(|b| codec.branch_name(*b)).collect();
                        let example = names.first().map(|n| format!(" e.g. {{\"{n}\": ...}}")).unwrap_or_default();
                        return Err(self.err(
                            id,
                            node,
                            path,
                            format!("a union value is null or an object with one key naming the branch{example}; found {}", node.kind_name()),
                        ));
                    }
                }
            }
        })
    }
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_bytes(out: &mut String, b: &[u8]) {
    let s: String = b.iter().map(|&x| x as char).collect();
    push_json_string(out, &s);
}

fn push_float(out: &mut String, x: f64, single: bool) {
    if x.is_nan() {
        out.push_str("\"NaN\"");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "\"Infinity\"" } else { "\"-Infinity\"" });
    } else {
        let s = if single { format!("{}", x as f32) } else { format!("{x}") };
        out.push_str(&s);
        if !s.contains(['.', 'e', 'E']) {
            out.push_str(".0");
        }
    }
}

/// Writes `v` (a value of node `id`) in the JSON encoding, on one line.
pub fn to_json(codec: &Codec, id: Id, v: &Value, out: &mut String) {
    match (&codec.node(id).ty, v) {
        (_, Value::Null) => out.push_str("null"),
        (_, Value::Boolean(b)) => out.push_str(if *b { "true" } else { "false" }),
        (_, Value::Int(i)) => out.push_str(&i.to_string()),
        (_, Value::Long(i)) => out.push_str(&i.to_string()),
        (_, Value::Float(x)) => push_float(out, *x as f64, true),
        (_, Value::Double(x)) => push_float(out, *x, false),
        (_, Value::String(s)) => push_json_string(out, s),
        (_, Value::Bytes(b)) | (_, Value::Fixed(b)) => push_bytes(out, b),
        (Type::Enum { symbols, .. }, Value::Enum(i)) => {
            push_json_string(out, symbols.get(*i as usize).map(String::as_str).unwrap_or(""))
        }
        (Type::Array(items), Value::Array(xs)) => {
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                to_json(codec, *items, x, out);
            }
            out.push(']');
        }
        (Type::Map(values), Value::Map(xs)) => {
            out.push('{');
            for (i, (k, x)) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_json_string(out, k);
                out.push_str(": ");
                to_json(codec, *values, x, out);
            }
            out.push('}');
        }
        (Type::Record { fields, .. }, Value::Record(xs)) => {
            out.push('{');
            for (i, (f, x)) in fields.iter().zip(xs).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_json_string(out, &f.name);
                out.push_str(": ");
                to_json(codec, f.ty, x, out);
            }
            out.push('}');
        }
        (Type::Union(bs), Value::Union(i, x)) => {
            let b = bs[*i as usize];
            if matches!(**x, Value::Null) {
                out.push_str("null");
            } else {
                out.push('{');
                push_json_string(out, codec.branch_name(b));
                out.push_str(": ");
                to_json(codec, b, x, out);
                out.push('}');
            }
        }
        _ => out.push_str("null"),
    }
}
