//! RFC 6901 JSON pointers: building them for findings and mapping them back to spans.

use super::{Node, Value};
use crate::core::source::Span;

/// Escapes one reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The span of the value a pointer such as `/fields/3/type` designates, if it exists.
pub fn pointer_span(root: &Node, pointer: &str) -> Option<Span> {
    let mut node = root;
    if pointer.is_empty() {
        return Some(node.span);
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
    Some(node.span)
}
