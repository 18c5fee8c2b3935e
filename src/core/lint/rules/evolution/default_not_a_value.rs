//! `default-not-a-value`: A default that Java's parser accepts but that is not a value of the
//! field's type.

use crate::core::finding::Severity;
use crate::core::json::{Node, Value};
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::{describe_type, Primitive, SchemaId, SchemaKind, SchemaSet};
use crate::core::source::Span;

pub static RULE: Rule = Rule {
    code: "default-not-a-value",
    category: Category::Evolution,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "A field's default is accepted by the parser but is not a value of the field's type.",
    what: "Reports field defaults that Avro's Java parser (and so the Schema Registry) lets through although a reader cannot use them: an enum symbol the enum does not have, a `fixed` default of another size, a `bytes` or `fixed` default with a character above U+00FF (not a byte), a `float` or `double` default beyond its range, and, inside array, map, record and union defaults, a value of the wrong kind or a record that leaves out a field without a default of its own. A union's default is read as Java's reader reads it: as the first branch of a fitting kind (any record, enum, array or map branch fits), whatever later branch the parser accepted it for.",
    why: "The parser only checks that a default is of roughly the right JSON kind, and takes a union's default if any branch fits. The harm comes later, when a reader fills the field in from the default (data written before the field existed): Java fails on an unknown enum symbol or a missing field, cuts or pads a wrong-sized fixed with zeros, turns a character above U+00FF into `?`, reads a too-large float as Infinity and a union's default as its first fitting branch; other languages refuse the schema outright.",
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
    /// Not of the type's JSON kind at all: the parser reports that of a field's default;
    /// deeper in, it is reported as a value the reader cannot use.
    Kind,
    /// No value the reader can use: where, and why.
    Value(Span, String),
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, rec) in ctx.records() {
        for f in &rec.fields {
            let Some(default) = &f.default else { continue };
            if let Err(Miss::Value(span, why)) = value_of(ctx.set, f.ty, default, 0, true) {
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

/// Whether `v` is a value of the type `id` as Java's reader encodes a default when it fills a
/// field in (`ResolvingGrammarGenerator.encode`); `top`: the field's own default, whose string
/// for a `float` or `double` the parser has read as a number already. Every part of the
/// default is looked at once.
fn value_of(set: &SchemaSet, id: SchemaId, v: &Node, depth: usize, top: bool) -> Result<(), Miss> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let node = set.resolved(id);
    let miss = |why: String| Err(Miss::Value(v.span, why));
    let not_byte = |s: &str| s.chars().find(|c| u32::from(*c) > 0xff);
    match (&node.kind, &v.value) {
        (SchemaKind::Enum(e), Value::String(s)) => {
            if e.symbols.iter().any(|(x, _)| x.as_str() == &**s) {
                Ok(())
            } else {
                miss(format!("`{s}` is not a symbol of enum `{}`", e.named.full_name))
            }
        }
        (SchemaKind::Fixed(f), Value::String(s)) => {
            if let Some(c) = not_byte(s) {
                return miss(format!("character U+{:04X} is not a byte", u32::from(c)));
            }
            let n = s.chars().count();
            if n == f.size as usize {
                return Ok(());
            }
            miss(format!(
                "{n} byte{}, but fixed `{}` holds exactly {}",
                if n == 1 { "" } else { "s" },
                f.named.full_name,
                f.size
            ))
        }
        (SchemaKind::Primitive(Primitive::Bytes), Value::String(s)) => match not_byte(s) {
            Some(c) => miss(format!("character U+{:04X} is not a byte", u32::from(c))),
            None => Ok(()),
        },
        (SchemaKind::Primitive(Primitive::Int), Value::Number(n)) => match n.as_i32() {
            Some(_) => Ok(()),
            None => miss(format!("{} is not an int", n.raw)),
        },
        (SchemaKind::Primitive(Primitive::Long), Value::Number(n)) => match n.as_i64() {
            Some(_) => Ok(()),
            None => miss(format!("{} is not a long", n.raw)),
        },
        (SchemaKind::Primitive(p @ (Primitive::Float | Primitive::Double)), Value::Number(_) | Value::String(_)) => {
            let text = match &v.value {
                Value::Number(n) => &*n.raw,
                Value::String(s) if top => s,
                _ => return Err(Miss::Kind),
            };
            if matches!(text, "NaN" | "Infinity" | "-Infinity") {
                return Ok(());
            }
            let x: f64 = text.trim().parse().unwrap_or(f64::NAN);
            let single = *p == Primitive::Float;
            if x.is_infinite() || (single && x.is_finite() && (x as f32).is_infinite()) {
                return miss(format!("{text} is beyond a {}'s range", if single { "float" } else { "double" }));
            }
            Ok(())
        }
        (SchemaKind::Primitive(Primitive::Null), Value::Null)
        | (SchemaKind::Primitive(Primitive::Boolean), Value::Bool(_))
        | (SchemaKind::Primitive(Primitive::String), Value::String(_)) => Ok(()),
        (SchemaKind::Array(items), Value::Array(xs)) => xs.iter().try_for_each(|x| inner(set, *items, x, depth + 1)),
        (SchemaKind::Map(values), Value::Object(members)) => {
            members.iter().try_for_each(|m| inner(set, *values, &m.value, depth + 1))
        }
        (SchemaKind::Record(r), Value::Object(members)) => {
            r.fields.iter().try_for_each(|f| match members.iter().find(|m| m.key == f.name.as_str()) {
                Some(m) => inner(set, f.ty, &m.value, depth + 1),
                None if f.default.is_some() => Ok(()),
                None => miss(format!(
                    "it leaves out field `{}` of record `{}`, which has no default of its own",
                    f.name, r.named.full_name
                )),
            })
        }
        // Java's reader takes the first branch of a fitting kind, not the one the parser
        // accepted the default for.
        (SchemaKind::Union(branches), _) => {
            let Some(b) = branches.iter().find(|b| fits_kind(set, **b, v)) else {
                return miss(format!("no branch of the union takes {}", v.kind_name()));
            };
            inner(set, *b, v, depth + 1)
        }
        _ => Err(Miss::Kind),
    }
}

/// [`value_of`] for a part of a default: a part of the wrong kind is a value the reader cannot
/// use.
fn inner(set: &SchemaSet, id: SchemaId, v: &Node, depth: usize) -> Result<(), Miss> {
    value_of(set, id, v, depth, false).map_err(|m| match m {
        Miss::Kind => Miss::Value(v.span, format!("{} is no value of {}", v.kind_name(), describe_type(set, id))),
        m => m,
    })
}

/// Whether Java's reader takes a union branch for a default of this JSON kind
/// (`ResolvingGrammarGenerator.isCompatible`).
fn fits_kind(set: &SchemaSet, id: SchemaId, v: &Node) -> bool {
    match &set.resolved(id).kind {
        SchemaKind::Primitive(Primitive::Null) => matches!(v.value, Value::Null),
        SchemaKind::Primitive(Primitive::Boolean) => matches!(v.value, Value::Bool(_)),
        SchemaKind::Primitive(Primitive::Int | Primitive::Long | Primitive::Float | Primitive::Double) => {
            matches!(v.value, Value::Number(_))
        }
        SchemaKind::Primitive(Primitive::Bytes | Primitive::String) | SchemaKind::Fixed(_) => {
            matches!(v.value, Value::String(_))
        }
        _ => true,
    }
}
