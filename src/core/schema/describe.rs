//! How a schema is named in messages: its type in a few words, and the identity Java uses for
//! union branches. Shared by resolution and by the equality check of definitions.

use super::{SchemaId, SchemaKind, SchemaSet};

/// The identity Java uses to tell union branches apart: the full name of a named type, the
/// type name otherwise (so two arrays or two maps clash, whatever their items).
pub(super) fn branch_key(set: &SchemaSet, id: SchemaId) -> Option<String> {
    branch_name(set, id).map(str::to_string)
}

/// [`branch_key`], borrowed.
pub(super) fn branch_name(set: &SchemaSet, id: SchemaId) -> Option<&str> {
    if let Some(n) = set.full_name_of(id) {
        return Some(n);
    }
    match &set.node(id).kind {
        SchemaKind::Primitive(p) => Some(p.name()),
        SchemaKind::Array(_) => Some("array"),
        SchemaKind::Map(_) => Some("map"),
        SchemaKind::Union(_) => Some("union"),
        _ => None,
    }
}

/// A description of a type for messages: `int`, `record com.x.Y`, `union [null, string]`.
pub fn describe_type(set: &SchemaSet, id: SchemaId) -> String {
    let node = set.resolved(id);
    match &node.kind {
        SchemaKind::Primitive(p) => format!("`{}`", p.name()),
        SchemaKind::Record(r) => format!("record `{}`", r.named.full_name),
        SchemaKind::Enum(e) => format!("enum `{}`", e.named.full_name),
        SchemaKind::Fixed(f) => format!("fixed `{}`", f.named.full_name),
        SchemaKind::Array(_) => "array".into(),
        SchemaKind::Map(_) => "map".into(),
        SchemaKind::Union(b) => {
            let names: Vec<String> =
                b.iter().take(6).map(|&x| branch_key(set, x).unwrap_or_else(|| "?".into())).collect();
            format!("union [{}]", names.join(", "))
        }
        SchemaKind::Ref(_) | SchemaKind::Invalid => "type".into(),
    }
}
