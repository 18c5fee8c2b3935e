//! Java's `Schema.equals` (Avro 1.12): what decides whether a second definition of a name is
//! the *same* type (`ParseContext.put` accepts it) or a different one ("Can't redefine").
//!
//! What Java compares:
//! * every schema: its type and its custom properties (`logicalType` and its attributes
//!   included), as JSON values, in any key order;
//! * named types: the full name (however it was written: `namespace` + `name` or a dotted name);
//!   records their fields in order, enums their symbols in order, fixed types their size;
//! * a field: its name, type, default value (as a JSON value: `1` and `1.0` differ, key order
//!   of an object does not), sort order and custom properties;
//! * arrays and maps their item and value types, unions their branches in order.
//!
//! What Java ignores: `doc` (of types and fields), `aliases` (of types and fields), an enum's
//! `default`, and whether a record was declared `record` or `error`. Recursive types compare
//! as equal when a pair is met again while being compared (Java's `SEEN_EQUALS`).

use super::{Primitive, SchemaId, SchemaKind, SchemaSet};
use crate::core::json::{Node, Value};
use std::collections::{HashMap, HashSet};

/// Remembers pairs proven equal across calls, so comparing many copies of large types stays
/// linear in their size.
#[derive(Default)]
pub struct Equality {
    proven: HashSet<(SchemaId, SchemaId)>,
}

/// Why two definitions differ: a short description of the first difference, for messages.
pub type Difference = String;

impl Equality {
    /// Whether `a` and `b` are equal as Java's `Schema.equals` sees them; the first
    /// difference otherwise.
    pub fn compare(&mut self, set: &SchemaSet, a: SchemaId, b: SchemaId) -> Result<(), Difference> {
        let mut seen = HashSet::new();
        let r = eq(set, a, b, &mut seen, &self.proven, 0);
        if r.is_ok() {
            // Comparison stops at the first difference, so every pair visited was equal.
            self.proven.extend(seen);
        }
        r
    }
}

fn kind_name(set: &SchemaSet, id: SchemaId) -> String {
    super::describe::describe_type(set, id)
}

fn eq(
    set: &SchemaSet,
    a: SchemaId,
    b: SchemaId,
    seen: &mut HashSet<(SchemaId, SchemaId)>,
    proven: &HashSet<(SchemaId, SchemaId)>,
    depth: usize,
) -> Result<(), Difference> {
    let (a, b) = (set.deref(a), set.deref(b));
    if a == b || proven.contains(&(a, b)) || !seen.insert((a, b)) {
        return Ok(());
    }
    // Nesting is bounded by the JSON depth limit; this guards the recursion anyway.
    if depth > 4_000 {
        return Ok(());
    }
    let (x, y) = (set.node(a), set.node(b));
    let differ = || Err(format!("{} here, {} there", kind_name(set, b), kind_name(set, a)));
    match (&x.kind, &y.kind) {
        (SchemaKind::Primitive(p), SchemaKind::Primitive(q)) if p == q => {}
        (SchemaKind::Record(r), SchemaKind::Record(s)) => {
            if r.named.full_name != s.named.full_name {
                return differ();
            }
            if r.fields.len() != s.fields.len() {
                return Err(format!(
                    "`{}` has {} fields here, {} there",
                    s.named.full_name,
                    s.fields.len(),
                    r.fields.len()
                ));
            }
            for (f, g) in r.fields.iter().zip(&s.fields) {
                if f.name != g.name {
                    return Err(format!(
                        "`{}` has field `{}` here where it has `{}` there",
                        s.named.full_name, g.name, f.name
                    ));
                }
                let at = |what: &str| format!("field `{}` of `{}` differs in its {what}", g.name, s.named.full_name);
                if f.order != g.order {
                    return Err(at("sort order"));
                }
                if !same_default(set, f.ty, f.default.as_ref(), g.default.as_ref()) {
                    return Err(at("default"));
                }
                if !same_props(&f.props, &g.props) {
                    return Err(at("properties"));
                }
                eq(set, f.ty, g.ty, seen, proven, depth + 1)
                    .map_err(|e| format!("field `{}` of `{}`: {e}", g.name, s.named.full_name))?;
            }
        }
        (SchemaKind::Enum(e), SchemaKind::Enum(f)) => {
            if e.named.full_name != f.named.full_name {
                return differ();
            }
            if e.symbols.len() != f.symbols.len() || e.symbols.iter().zip(&f.symbols).any(|(s, t)| s.0 != t.0) {
                return Err(format!("enum `{}` has other symbols", f.named.full_name));
            }
        }
        (SchemaKind::Fixed(e), SchemaKind::Fixed(f)) => {
            if e.named.full_name != f.named.full_name {
                return differ();
            }
            if e.size != f.size {
                return Err(format!("fixed `{}` has size {} here, {} there", f.named.full_name, f.size, e.size));
            }
        }
        (SchemaKind::Array(i), SchemaKind::Array(j)) | (SchemaKind::Map(i), SchemaKind::Map(j)) => {
            eq(set, *i, *j, seen, proven, depth + 1)?;
        }
        (SchemaKind::Union(u), SchemaKind::Union(v)) => {
            if u.len() != v.len() {
                return differ();
            }
            for (i, j) in u.iter().zip(v) {
                eq(set, *i, *j, seen, proven, depth + 1)?;
            }
        }
        // A name that did not resolve was reported already; the same written name counts as
        // the same type.
        (SchemaKind::Ref(r), SchemaKind::Ref(s)) if r.candidates.first() == s.candidates.first() => {}
        (SchemaKind::Invalid, SchemaKind::Invalid) => {}
        _ => return differ(),
    }
    if !same_props(&x.props, &y.props) {
        return Err(format!("{} has other properties (e.g. a logical type) here", kind_name(set, b)));
    }
    Ok(())
}

/// Custom properties as Java's `propsEqual` compares them: the same keys with equal values, in
/// any order.
fn same_props(a: &[(String, Node)], b: &[(String, Node)]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= 8 {
        return a.iter().all(|(k, v)| b.iter().any(|(l, w)| k == l && json_equal(v, w)));
    }
    let by_key: HashMap<&str, &Node> = b.iter().map(|(k, v)| (k.as_str(), v)).collect();
    a.iter().all(|(k, v)| by_key.get(k.as_str()).is_some_and(|w| json_equal(v, w)))
}

/// Java's `Field.defaultValueEquals`: equal JSON values, where a float or double field's string
/// default is the number it spells (the parser converts it).
fn same_default(set: &SchemaSet, ty: SchemaId, a: Option<&Node>, b: Option<&Node>) -> bool {
    let (a, b) = match (a, b) {
        (None, None) => return true,
        (Some(a), Some(b)) => (a, b),
        _ => return false,
    };
    let floating = matches!(set.resolved(ty).kind, SchemaKind::Primitive(Primitive::Float | Primitive::Double));
    if floating {
        let num = |n: &Node| match &n.value {
            Value::String(s) => java_double(s),
            Value::Number(x) if !x.is_integer => Some(x.as_f64()),
            _ => None,
        };
        if let (Some(x), Some(y)) = (num(a), num(b)) {
            return x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan());
        }
    }
    json_equal(a, b)
}

fn java_double(s: &str) -> Option<f64> {
    let t = s.trim();
    match t.trim_start_matches('+') {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        other => other.trim_end_matches(['d', 'D', 'f', 'F']).parse().ok(),
    }
}

/// Jackson's `JsonNode.equals`: integers equal by value, other numbers by their double value
/// (an integer never equals a non-integer), arrays in order, objects in any key order.
pub fn json_equal(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Number(x), Value::Number(y)) => match (x.is_integer, y.is_integer) {
            (true, true) => match (x.raw.parse::<i128>(), y.raw.parse::<i128>()) {
                (Ok(p), Ok(q)) => p == q,
                _ => x.raw == y.raw,
            },
            (false, false) => x.as_f64().to_bits() == y.as_f64().to_bits(),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            if x.len() <= 8 {
                return x.iter().all(|m| y.iter().any(|n| n.key == m.key && json_equal(&m.value, &n.value)));
            }
            let by_key: HashMap<&str, &Node> = y.iter().map(|m| (&*m.key, &m.value)).collect();
            x.iter().all(|m| by_key.get(&*m.key).is_some_and(|v| json_equal(&m.value, v)))
        }
        (Value::Null, Value::Null) => true,
        (Value::Bool(p), Value::Bool(q)) => p == q,
        (Value::String(p), Value::String(q)) => p == q,
        _ => false,
    }
}
