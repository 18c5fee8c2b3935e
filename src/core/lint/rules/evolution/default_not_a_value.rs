//! `default-not-a-value`: A default that Java's parser accepts but that is not a value of the
//! field's type.

use crate::core::finding::Severity;
use crate::core::json::{Node, Value};
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::{Primitive, SchemaId, SchemaKind, SchemaSet};
use crate::core::source::Span;

pub static RULE: Rule = Rule {
    code: "default-not-a-value",
    category: Category::Evolution,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "A field's default is accepted by the parser but is not a value of the field's type.",
    what: "Reports field defaults that Avro's Java parser (and so the Schema Registry) lets through although they are no value of the type: an enum symbol the enum does not have, a `fixed` default of another size, a `bytes` or `fixed` default with a character above U+00FF (not a byte), a `float` default beyond the float's range. It looks inside array, map, record and union defaults too.",
    why: "The parser only checks that such a default is a string or a number. The harm comes later, when a reader fills the field in from the default (data written before the field existed): Java fails on an unknown enum symbol, writes a wrong-sized fixed that shifts every byte after it, turns a character above U+00FF into `?`, and reads a too-large float as Infinity; other languages refuse the schema outright.",
    bad: r#"{
  "type": "record",
  "name": "PaymentMade",
  "namespace": "com.acme.payments",
  "doc": "A payment went through.",
  "fields": [
    {"name": "method", "type": {"type": "enum", "name": "PaymentMethod", "doc": "How a payment is made.", "symbols": ["UNKNOWN", "CARD", "TRANSFER"], "default": "UNKNOWN"}, "default": "CASH", "doc": "How it was paid."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "PaymentMade",
  "namespace": "com.acme.payments",
  "doc": "A payment went through.",
  "fields": [
    {"name": "method", "type": {"type": "enum", "name": "PaymentMethod", "doc": "How a payment is made.", "symbols": ["UNKNOWN", "CARD", "TRANSFER"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "How it was paid."}
  ]
}"#,
    bad_path: None,
    check,
};

/// How deep defaults are followed.
const MAX_DEPTH: usize = 64;

/// Why a default is no value of a type.
enum Miss {
    /// Not even of the type's JSON kind (the parser reports those; in a union, another branch
    /// may take it).
    Kind,
    /// Of the right kind, but no value: where, and why.
    Value(Span, String),
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, rec) in ctx.records() {
        for f in &rec.fields {
            let Some(default) = &f.default else { continue };
            if let Err(Miss::Value(span, why)) = value_of(ctx.set, f.ty, default, 0) {
                out.push(Hit {
                    labels: Vec::new(),
                    span,
                    pointer: format!("{}/default", f.pointer),
                    message: format!("the default of field `{}` is no value of its type: {why}", f.name),
                    help: "give a default that is a value of the type; a reader that fills the field in from this one fails or reads other data".into(),
                });
            }
        }
    }
}

/// Whether `v` is a value of the type `id`, as a reader filling a field in needs it.
fn value_of(set: &SchemaSet, id: SchemaId, v: &Node, depth: usize) -> Result<(), Miss> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let node = set.resolved(id);
    let not_bytes = |s: &str| s.chars().find(|c| u32::from(*c) > 0xff);
    match (&node.kind, &v.value) {
        (SchemaKind::Enum(e), Value::String(s)) => {
            if e.symbols.iter().any(|(x, _)| x.as_str() == &**s) {
                Ok(())
            } else {
                Err(Miss::Value(v.span, format!("`{s}` is not a symbol of enum `{}`", e.named.full_name)))
            }
        }
        (SchemaKind::Fixed(f), Value::String(s)) => {
            if let Some(c) = not_bytes(s) {
                return Err(Miss::Value(v.span, format!("character U+{:04X} is not a byte", u32::from(c))));
            }
            let n = s.chars().count();
            if n != f.size as usize {
                return Err(Miss::Value(
                    v.span,
                    format!(
                        "{n} byte{}, but fixed `{}` holds exactly {}",
                        if n == 1 { "" } else { "s" },
                        f.named.full_name,
                        f.size
                    ),
                ));
            }
            Ok(())
        }
        (SchemaKind::Primitive(Primitive::Bytes), Value::String(s)) => match not_bytes(s) {
            Some(c) => Err(Miss::Value(v.span, format!("character U+{:04X} is not a byte", u32::from(c)))),
            None => Ok(()),
        },
        (SchemaKind::Primitive(Primitive::Float), Value::Number(n)) => {
            let x = n.as_f64();
            if x.is_finite() && (x as f32).is_infinite() {
                Err(Miss::Value(v.span, format!("{} is beyond a float's range", n.raw)))
            } else {
                Ok(())
            }
        }
        (SchemaKind::Primitive(p), v) => {
            let kind = match p {
                Primitive::Null => matches!(v, Value::Null),
                Primitive::Boolean => matches!(v, Value::Bool(_)),
                Primitive::Int | Primitive::Long => matches!(v, Value::Number(_)),
                // Java reads a string default of a float or double with `Double.parseDouble`.
                Primitive::Float | Primitive::Double => matches!(v, Value::Number(_) | Value::String(_)),
                Primitive::String | Primitive::Bytes => matches!(v, Value::String(_)),
            };
            if kind {
                Ok(())
            } else {
                Err(Miss::Kind)
            }
        }
        (SchemaKind::Array(items), Value::Array(xs)) => {
            xs.iter().try_for_each(|x| value_of(set, *items, x, depth + 1).or_else(only_values))
        }
        (SchemaKind::Map(values), Value::Object(members)) => {
            members.iter().try_for_each(|m| value_of(set, *values, &m.value, depth + 1).or_else(only_values))
        }
        (SchemaKind::Record(r), Value::Object(members)) => {
            r.fields.iter().try_for_each(|f| match members.iter().find(|m| m.key == f.name.as_str()) {
                Some(m) => value_of(set, f.ty, &m.value, depth + 1).or_else(only_values),
                None => Ok(()),
            })
        }
        // A union's default may be a value of any branch (Avro 1.12): one is enough.
        (SchemaKind::Union(branches), _) => {
            let mut first = None;
            for b in branches {
                match value_of(set, *b, v, depth + 1) {
                    Ok(()) => return Ok(()),
                    Err(Miss::Value(span, why)) => {
                        first.get_or_insert(Miss::Value(span, why));
                    }
                    Err(Miss::Kind) => {}
                }
            }
            Err(first.unwrap_or(Miss::Kind))
        }
        _ => Err(Miss::Kind),
    }
}

/// Inside an array, map or record default, only a value that is of the right kind but no value
/// is reported (a wrong kind there is the parser's to report).
fn only_values(m: Miss) -> Result<(), Miss> {
    match m {
        Miss::Kind => Ok(()),
        m => Err(m),
    }
}
