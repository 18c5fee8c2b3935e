//! How a value is written in Avro binary, for targets whose generated code writes it itself
//! (Java, Rust): one walk of the schema, shared by every such target. The walk decides what
//! is written and in which order (a logical type's conversion, a block of array items or map
//! entries, a union's branch index); the target's table only names the types its code
//! declares ([`WriteNames`]); the target's templates spell each step (a recursive `write`
//! macro in `templates/<target>/`).
//!
//! The tree is part of the model the templates get (`field.write`, `schema.write`),
//! documented in docs/generate.md.

use super::{TypeRef, MAX_GENERATED_DEPTH};
use crate::core::schema::{Primitive, SchemaId, SchemaKind, SchemaSet};
use serde::Serialize;

/// How a value of one type is written: `op` says what to write, the other keys what it
/// is written from. A key that does not apply to the node (a fixed's
/// size on an int, an array's items on a union) is left out of the model.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Write {
    /// `null`, `boolean`, `int`, `long`, `float`, `double`, `bytes`, `string`, `record`,
    /// `enum`, `fixed`, `array`, `map`, `union`; `none` for nothing writable (nested deeper
    /// than generated code follows).
    pub kind: &'static str,
    /// What is written, decided here for every target, so that a template spells each
    /// operation and decides nothing: a primitive (`null` … `string`: its kind); `record`,
    /// `enum`, `fixed` (the named type writes itself); `array`, `map`; a union: `null-union`
    /// (no branch but `null`), `optional` (one other branch, with or without `null`) or `sum`
    /// (several); a logical type's conversion: `decimal` (on bytes), `decimal-fixed`,
    /// `big-decimal`, `uuid` (on a string), `uuid-fixed`, `duration`, `date`, `time-millis`,
    /// `time-micros`, `timestamp-millis`, `timestamp-micros`, `timestamp-nanos`,
    /// `local-timestamp-millis`, `local-timestamp-micros`, `local-timestamp-nanos`; `none`.
    pub op: &'static str,
    /// The logical type (`decimal`, `uuid`, `date`, `timestamp-micros`, …), whose conversion
    /// comes first.
    pub logical: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// A fixed's size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
    /// The target's type of the value where its code declares a variable of it: an array's
    /// items, a map's values, the non-null branch of an optional union.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_expr: Option<String>,
    /// An array's items or a map's values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Write>>,
    /// A union: the index of its `null` branch.
    pub null_index: Option<usize>,
    /// A union: its branches in the schema's order (an optional union: only the other one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<WriteBranch>,
    /// A union of several branches: the target's type of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub union_type: Option<String>,
}

/// One branch of a union.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct WriteBranch {
    /// Its index in the union (what is written before its value).
    pub index: usize,
    /// Its name in the target's type of a union of several branches (Java leaves `null`
    /// unnamed).
    pub name: Option<String>,
    pub value: Write,
}

/// What a target's table names for [`plan`].
pub trait WriteNames {
    /// The type of a variable holding a value of `ty`; `None` when the target's code
    /// declares none (its templates do not use `type_expr`).
    fn type_expr(&self, ty: &TypeRef) -> Option<String>;
    /// A union of several non-null branches (a [`TypeRef::Union`]): the target's type for it
    /// and each branch's name.
    fn union(&self, union: &TypeRef) -> Option<(String, Vec<Option<String>>)>;
}

/// How a union is written.
pub enum Shape<'a> {
    /// No branch but `null` (or none at all).
    OnlyNull,
    /// One branch besides an optional `null`: that branch and its index.
    Optional(usize, &'a TypeRef),
    /// Several branches besides `null`.
    Sum,
}

/// The shape of a union's branches.
pub fn shape(branches: &[TypeRef]) -> Shape<'_> {
    let mut non_null = branches.iter().enumerate().filter(|(_, b)| !b.is_null());
    match (non_null.next(), non_null.next()) {
        (None, _) => Shape::OnlyNull,
        (Some((i, t)), None) if branches.len() <= 2 => Shape::Optional(i, t),
        _ => Shape::Sum,
    }
}

fn leaf(kind: &'static str) -> Write {
    Write {
        kind,
        op: kind,
        logical: None,
        precision: None,
        scale: None,
        size: None,
        type_expr: None,
        items: None,
        null_index: None,
        branches: Vec::new(),
        union_type: None,
    }
}

/// How a value of type `ty` is written. Deeper than [`MAX_GENERATED_DEPTH`] (refused by the
/// targets before) is `none`.
pub fn plan(ty: &TypeRef, names: &dyn WriteNames, depth: usize) -> Write {
    if depth > MAX_GENERATED_DEPTH {
        return leaf("none");
    }
    let mut w = leaf("none");
    if let TypeRef::Primitive { logical, precision, scale, .. } | TypeRef::Named { logical, precision, scale, .. } = ty
    {
        (w.logical, w.precision, w.scale) = (*logical, *precision, *scale);
    }
    // A value a variable of the target's code holds.
    let held = |t: &TypeRef| {
        let mut w = plan(t, names, depth + 1);
        w.type_expr = names.type_expr(t);
        Box::new(w)
    };
    match ty {
        TypeRef::Primitive { name, .. } => w.kind = name,
        TypeRef::Named { ty: "enum", .. } => w.kind = "enum",
        TypeRef::Named { ty: "fixed", size, .. } => {
            w.kind = "fixed";
            w.size = *size;
        }
        TypeRef::Named { .. } => w.kind = "record",
        TypeRef::Array { items } => {
            w.kind = "array";
            w.items = Some(held(items));
        }
        TypeRef::Map { values } => {
            w.kind = "map";
            w.items = Some(held(values));
        }
        TypeRef::Union { branches, .. } => {
            w.kind = "union";
            w.null_index = branches.iter().position(TypeRef::is_null);
            match shape(branches) {
                Shape::OnlyNull => w.op = "null-union",
                Shape::Optional(index, t) => {
                    w.op = "optional";
                    w.branches.push(WriteBranch { index, name: None, value: *held(t) });
                }
                Shape::Sum => {
                    w.op = "sum";
                    let (union_type, variants) = names.union(ty).unwrap_or_default();
                    w.union_type = Some(union_type);
                    for (index, b) in branches.iter().enumerate() {
                        let name = variants.get(index).cloned().flatten();
                        w.branches.push(WriteBranch { index, name, value: plan(b, names, depth + 1) });
                    }
                }
            }
        }
        TypeRef::Deep => {}
    }
    if w.kind != "union" {
        w.op = match (w.logical, w.kind) {
            (Some("decimal"), "fixed") => "decimal-fixed",
            (Some("uuid"), "fixed") => "uuid-fixed",
            (Some("duration"), "fixed") => "duration",
            // A duration is a fixed of 12; anything else is written as its type.
            (Some("duration"), kind) | (None, kind) => kind,
            (Some(logical), _) => logical,
        };
    }
    w
}

/// Where a type nests deeper than `max` levels of arrays, maps and unions (a named type is
/// a type of its own, where counting starts again; a `null` branch adds no level): the JSON
/// pointer of the first node too deep. The targets that write code for every level refuse
/// such a schema ([`MAX_GENERATED_DEPTH`] for Java; less for Rust, whose compiler gives up on
/// deeper types).
pub fn too_deep(set: &SchemaSet, id: SchemaId, max: usize) -> Option<&str> {
    fn walk(set: &SchemaSet, id: SchemaId, depth: usize, max: usize) -> Option<SchemaId> {
        if depth > max {
            return Some(id);
        }
        let node = set.resolved(id);
        if node.named().is_some() {
            return None;
        }
        match &node.kind {
            SchemaKind::Array(x) | SchemaKind::Map(x) => walk(set, *x, depth + 1, max),
            SchemaKind::Union(b) => b
                .iter()
                .filter(|x| !matches!(set.resolved(**x).kind, SchemaKind::Primitive(Primitive::Null)))
                .find_map(|x| walk(set, *x, depth + 1, max)),
            _ => None,
        }
    }
    // The place in this file (a reference's own, not its target's).
    walk(set, id, 0, max).map(|x| set.node(x).pointer.as_str())
}

/// The message for a type [`too_deep`] found.
pub fn too_deep_message(file: &str, target: &str, pointer: &str, max: usize) -> String {
    format!(
        "`{file}` cannot be generated for {target}: {pointer} nests arrays, maps and unions more than {max} levels deep; make it shallower (a named record in between starts the count again)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::Limits;
    use crate::core::load::{load, Input};
    use crate::core::source::SourceMap;

    /// Names every variable `T<node>` and every union `U<node>` with branches `B<index>`,
    /// `null` unnamed.
    struct Fake;
    impl WriteNames for Fake {
        fn type_expr(&self, ty: &TypeRef) -> Option<String> {
            Some(format!("T{}", ty.tag()))
        }
        fn union(&self, union: &TypeRef) -> Option<(String, Vec<Option<String>>)> {
            let TypeRef::Union { id, .. } = union else { return None };
            Some((format!("U{}", id.0), vec![Some("B0".into()), None, Some("B2".into())]))
        }
    }

    /// The plan of the first field of a record holding `ty`.
    fn field(ty: &str) -> (Write, Option<String>) {
        let text = format!(r#"{{"type":"record","name":"R","fields":[{{"name":"f","type":{ty}}}]}}"#);
        let set = load(vec![Input::new("r.avsc", text.as_bytes())], &Limits::default(), &mut SourceMap::new());
        assert!(!set.has_errors(), "{ty}");
        let root = set.resolved(set.files[0].root.unwrap());
        let SchemaKind::Record(r) = &root.kind else { panic!("{ty}") };
        let id = r.fields[0].ty;
        (
            plan(&crate::core::generate::type_ref(&set, id, MAX_GENERATED_DEPTH + 1), &Fake, 0),
            too_deep(&set, id, MAX_GENERATED_DEPTH).map(str::to_string),
        )
    }

    #[test]
    fn primitives_and_logical_types_keep_their_kind_and_conversion() {
        let (w, _) = field(r#"{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}"#);
        assert_eq!(
            (w.kind, w.logical, w.precision, w.scale, w.size),
            ("bytes", Some("decimal"), Some(9), Some(2), None)
        );
        let (w, _) = field(r#"{"type":"fixed","name":"D","size":12,"logicalType":"duration"}"#);
        assert_eq!((w.kind, w.logical, w.size), ("fixed", Some("duration"), Some(12)));
        let (w, _) = field(r#"{"type":"long","logicalType":"local-timestamp-nanos"}"#);
        assert_eq!((w.kind, w.logical), ("long", Some("local-timestamp-nanos")));
        // A logical type Avro ignores (a date on a string) is no conversion.
        let (w, _) = field(r#"{"type":"string","logicalType":"date"}"#);
        assert_eq!((w.kind, w.logical), ("string", None));
        let (w, _) = field(r#"{"type":"enum","name":"E","symbols":["A"]}"#);
        assert_eq!((w.kind, w.type_expr, w.items.is_none()), ("enum", None, true));
    }

    #[test]
    fn containers_name_the_type_of_what_they_hold() {
        let (w, _) = field(r#"{"type":"map","values":{"type":"array","items":"int"}}"#);
        assert_eq!(w.kind, "map");
        let values = w.items.unwrap();
        assert_eq!((values.kind, values.type_expr.is_some()), ("array", true));
        let items = values.items.unwrap();
        assert_eq!((items.kind, items.type_expr.is_some()), ("int", true));
        assert_ne!(values.type_expr, items.type_expr);
    }

    #[test]
    fn unions_are_told_apart_by_shape_with_every_index_kept() {
        // null second: the other branch is written with index 0, null with 1.
        let (w, _) = field(r#"["string","null"]"#);
        assert_eq!((w.kind, w.op, w.null_index), ("union", "optional", Some(1)));
        assert_eq!(w.branches.len(), 1);
        assert_eq!((w.branches[0].index, w.branches[0].value.kind), (0, "string"));
        assert!(w.branches[0].value.type_expr.is_some());
        // One branch and no null: optional, with nothing to write for a null.
        let (w, _) = field(r#"["long"]"#);
        assert_eq!((w.op, w.null_index, w.branches[0].index), ("optional", None, 0));
        let (w, _) = field(r#"["null"]"#);
        assert_eq!((w.op, w.null_index, w.branches.len()), ("null-union", Some(0), 0));
        // Several branches: every branch in order, named by the target.
        let (w, _) = field(r#"["int","null",{"type":"array","items":"string"}]"#);
        assert_eq!((w.op, w.null_index), ("sum", Some(1)));
        assert!(w.union_type.as_deref().is_some_and(|t| t.starts_with('U')));
        let got: Vec<(usize, Option<&str>, &str)> =
            w.branches.iter().map(|b| (b.index, b.name.as_deref(), b.value.kind)).collect();
        assert_eq!(got, vec![(0, Some("B0"), "int"), (1, None, "null"), (2, Some("B2"), "array")]);
        // A sum's branches declare no variable of their own.
        assert!(w.branches.iter().all(|b| b.value.type_expr.is_none()));
    }

    #[test]
    fn nesting_deeper_than_generated_is_found_and_named_types_start_the_count_again() {
        let nested = |depth: usize, inner: &str| {
            format!("{}{inner}{}", r#"{"type":"array","items":"#.repeat(depth), "}".repeat(depth))
        };
        let (w, deep) = field(&nested(MAX_GENERATED_DEPTH, r#""int""#));
        assert_eq!(deep, None);
        let mut leaf = &w;
        while let Some(items) = &leaf.items {
            leaf = items;
        }
        assert_eq!(leaf.kind, "int");
        let (w, deep) = field(&nested(MAX_GENERATED_DEPTH + 1, r#""int""#));
        let pointer = deep.expect("too deep");
        assert_eq!(pointer, format!("/fields/0/type{}", "/items".repeat(MAX_GENERATED_DEPTH + 1)));
        let mut leaf = &w;
        while let Some(items) = &leaf.items {
            leaf = items;
        }
        assert_eq!(leaf.kind, "none");
        // A record in between: each part is shallow enough.
        let inner =
            format!(r#"{{"type":"record","name":"In","fields":[{{"name":"g","type":{}}}]}}"#, nested(150, r#""int""#));
        let (_, deep) = field(&nested(150, &inner));
        assert_eq!(deep, None);
    }
}
