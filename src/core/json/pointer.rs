//! RFC 6901 JSON pointers: building them for findings and mapping them back to spans.

use super::{Node, Value};
use crate::core::source::Span;

/// Escapes one reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The span of the value a pointer such as `/fields/3/type` designates, if it exists.
pub fn pointer_span(root: &Node, pointer: &str) -> Option<Span> {
    pointer_node(root, pointer).map(|n| n.span)
}

/// The value a pointer designates, if it exists.
pub fn pointer_node<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut node = root;
    if pointer.is_empty() {
        return Some(node);
    }
    let rest = pointer.strip_prefix('/')?;
    for raw in rest.split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        node = match &node.value {
            Value::Object(members) => &members.iter().find(|m| m.key == token)?.value,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Equality of two JSON values, ignoring where they were written.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q)),
        (Value::Object(x), Value::Object(y)) if x.len() <= 8 => {
            x.len() == y.len() && x.iter().all(|m| y.iter().any(|n| n.key == m.key && same_value(&m.value, &n.value)))
        }
        (Value::Object(x), Value::Object(y)) => {
            // Keys looked up by hash: objects of many keys cost no quadratic search.
            let by_key: std::collections::HashMap<&str, &Node> = y.iter().map(|m| (&*m.key, &m.value)).collect();
            x.len() == y.len() && x.iter().all(|m| by_key.get(&*m.key).is_some_and(|v| same_value(&m.value, v)))
        }
        (Value::Number(x), Value::Number(y)) => x.raw == y.raw,
        (x, y) => x == y,
    }
}

/// A hash of a JSON value that ignores where it was written and the order of object keys, so
/// equal values (as [`same_value`] sees them) hash equally.
pub fn value_hash(n: &Node) -> u64 {
    fn mix(h: u64, x: u64) -> u64 {
        (h ^ x).wrapping_mul(0x0100_0000_01b3).rotate_left(5)
    }
    fn bytes(s: &str) -> u64 {
        s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }
    match &n.value {
        Value::Null => 1,
        Value::Bool(b) => 2 + *b as u64,
        Value::Number(x) => mix(4, bytes(&x.raw)),
        Value::String(s) => mix(5, bytes(s)),
        Value::Array(items) => items.iter().fold(6, |h, i| mix(h, value_hash(i))),
        // Members combine with a commutative sum: key order does not matter.
        Value::Object(members) => {
            mix(7, members.iter().fold(0u64, |h, m| h.wrapping_add(mix(bytes(&m.key), value_hash(&m.value)))))
        }
    }
}
