//! A default as an expression of a target's own types, for targets whose generated code
//! builds typed values (Java, Rust): one walk of a typed default ([`Value`]) along its type
//! tree ([`TypeRef`]), shared by every such target. The walk decides where each part of the
//! value goes and what no generated type holds — a part nested deeper than generated, a fixed
//! of another size, a union branch the value does not name, a record that leaves out a field
//! whose own default cannot be held; the target's table only spells each part ([`Spell`]).
//!
//! A default the walk gives no expression leaves the field without one: the generated code
//! then makes the field required, as Java's builder and Rust's `new` do.

use super::{Entry, NamedType, SetModel, TypeRef, Value, MAX_GENERATED_DEPTH};

/// How a target writes the parts of a default. `Ctx` is what the spelling of a part depends
/// on besides its type: the class whose unions a Java expression names, whether a Rust value
/// is boxed.
pub trait Spell {
    type Ctx: Clone;
    /// A value of a primitive, an enum or a fixed (a logical type's among them); `None` when
    /// the target's types cannot hold it.
    fn leaf(&self, ty: &TypeRef, v: &Value) -> Option<String>;
    /// The context of an array's elements and a map's values.
    fn element(&self, ctx: &Self::Ctx) -> Self::Ctx;
    /// An array of `items`, its elements spelled.
    fn array(&self, ctx: &Self::Ctx, items: &TypeRef, elements: Vec<String>) -> String;
    /// A map of `values`, its entries (key, value) spelled.
    fn map(&self, ctx: &Self::Ctx, values: &TypeRef, entries: Vec<(&str, String)>) -> String;
    /// The context of each field of a value of the record `rec`, in the fields' order.
    fn fields(&self, ctx: &Self::Ctx, rec: &NamedType) -> Vec<Self::Ctx>;
    /// A value of the record `rec`: per field in order, its expression and whether the
    /// default gives it (else it is the field's own default).
    fn record(&self, ctx: &Self::Ctx, rec: &NamedType, fields: Vec<(String, bool)>) -> Option<String>;
    /// The context of the branch `index` of a union of `branches`.
    fn branch(&self, ctx: &Self::Ctx, branches: &[TypeRef], index: usize) -> Self::Ctx;
    /// A value of the union `union` (a [`TypeRef::Union`]): the branch's index and its value
    /// spelled, `None` for its `null`.
    fn union(&self, ctx: &Self::Ctx, union: &TypeRef, index: usize, value: Option<String>) -> Option<String>;
}

/// The expression of the default `v` of a value of type `ty` (`depth`: how deep in the
/// default it is); `None` when the generated types cannot hold it.
pub fn expr<S: Spell>(s: &S, model: &SetModel, ty: &TypeRef, v: &Value, ctx: &S::Ctx, depth: usize) -> Option<String> {
    if depth > MAX_GENERATED_DEPTH {
        return None;
    }
    match (ty, v) {
        // A fixed's default of another size is no value of it.
        (TypeRef::Named { ty: "fixed", size: Some(size), .. }, Value::Fixed { value, .. })
            if value.len() != *size as usize =>
        {
            None
        }
        (TypeRef::Array { items }, Value::Array { items: xs }) => {
            let inner = s.element(ctx);
            let elements =
                xs.iter().map(|x| expr(s, model, items, x, &inner, depth + 1)).collect::<Option<Vec<_>>>()?;
            Some(s.array(ctx, items, elements))
        }
        (TypeRef::Map { values }, Value::Map { entries }) => {
            let inner = s.element(ctx);
            let entries = entries
                .iter()
                .map(|Entry { key, value }| Some((key.as_str(), expr(s, model, values, value, &inner, depth + 1)?)))
                .collect::<Option<Vec<_>>>()?;
            Some(s.map(ctx, values, entries))
        }
        (TypeRef::Named { ty: "record" | "error", full_name, .. }, Value::Record { fields, .. }) => {
            let rec = model.named.get(full_name)?;
            let contexts = s.fields(ctx, rec);
            let mut parts = Vec::with_capacity(rec.fields.len());
            for (f, fctx) in rec.fields.iter().zip(&contexts) {
                // A field the default leaves out takes its own default, which must be held too.
                let (value, given) = match fields.iter().find(|e| e.key == f.name) {
                    Some(e) => (&e.value, true),
                    None => (f.default_value.as_ref()?, false),
                };
                parts.push((expr(s, model, &f.ty, value, fctx, depth + 1)?, given));
            }
            s.record(ctx, rec, parts)
        }
        (TypeRef::Union { branches, .. }, Value::Union { index, value, .. }) => {
            let branch = branches.get(*index)?;
            let inner = if branch.is_null() {
                None
            } else {
                Some(expr(s, model, branch, value, &s.branch(ctx, branches, *index), depth + 1)?)
            };
            s.union(ctx, ty, *index, inner)
        }
        (TypeRef::Array { .. } | TypeRef::Map { .. } | TypeRef::Union { .. } | TypeRef::Deep, _) => None,
        (TypeRef::Named { ty: "record" | "error", .. }, _) => None,
        _ => s.leaf(ty, v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::Limits;
    use crate::core::load::{load, Input};
    use crate::core::publish::FileInput;
    use crate::core::source::SourceMap;

    /// Spells a default as a readable tree; the context counts the records passed through.
    struct Fake;
    impl Spell for Fake {
        type Ctx = usize;
        fn leaf(&self, ty: &TypeRef, v: &Value) -> Option<String> {
            match (ty, v) {
                (_, Value::Int { value } | Value::Long { value }) => Some(value.to_string()),
                (_, Value::String { value }) => Some(format!("{value:?}")),
                (_, Value::Fixed { value, .. }) => Some(format!("fixed{value:?}")),
                _ => None,
            }
        }
        fn element(&self, ctx: &usize) -> usize {
            *ctx
        }
        fn array(&self, _: &usize, _: &TypeRef, elements: Vec<String>) -> String {
            format!("[{}]", elements.join(","))
        }
        fn map(&self, _: &usize, _: &TypeRef, entries: Vec<(&str, String)>) -> String {
            let parts: Vec<String> = entries.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{{{}}}", parts.join(","))
        }
        fn fields(&self, ctx: &usize, rec: &NamedType) -> Vec<usize> {
            vec![ctx + 1; rec.fields.len()]
        }
        fn record(&self, ctx: &usize, rec: &NamedType, fields: Vec<(String, bool)>) -> Option<String> {
            let parts: Vec<String> =
                fields.into_iter().map(|(e, given)| format!("{e}{}", if given { "" } else { "*" })).collect();
            Some(format!("{}@{ctx}({})", rec.name, parts.join(",")))
        }
        fn branch(&self, ctx: &usize, _: &[TypeRef], _: usize) -> usize {
            *ctx
        }
        fn union(&self, _: &usize, _: &TypeRef, index: usize, value: Option<String>) -> Option<String> {
            Some(format!("#{index}:{}", value.unwrap_or_else(|| "null".into())))
        }
    }

    /// The expression of each field's own default of the record `R` in `text`.
    fn spelled(text: &str) -> Vec<Option<String>> {
        let set = load(vec![Input::new("r.avsc", text.as_bytes())], &Limits::default(), &mut SourceMap::new());
        assert!(!set.has_errors(), "{text}");
        let model = SetModel::new(&set, &[FileInput { index: 0, path: "r.avsc", text }], MAX_GENERATED_DEPTH + 1);
        let r = &model.named["R"];
        r.fields.iter().map(|f| expr(&Fake, &model, &f.ty, f.default_value.as_ref()?, &0, 0)).collect()
    }

    #[test]
    fn the_walk_places_every_part_and_refuses_what_no_type_holds() {
        let got = spelled(
            r#"{"type":"record","name":"R","fields":[
            {"name":"a","type":{"type":"array","items":{"type":"map","values":"int"}},"default":[{"x":1},{}]},
            {"name":"u","type":["null","string"],"default":null},
            {"name":"v","type":["string","null"],"default":"s"},
            {"name":"in","type":{"type":"record","name":"In","fields":[
                {"name":"p","type":"int","default":4},{"name":"q","type":"long"}]},"default":{"q":9}},
            {"name":"f","type":{"type":"fixed","name":"F","size":2},"default":"ab"},
            {"name":"short","type":"F","default":"a"},
            {"name":"bad","type":{"type":"record","name":"Bad","fields":[{"name":"g","type":"F","default":"abc"}]},"default":{}},
            {"name":"none","type":"int"}]}"#,
        );
        assert_eq!(
            got,
            [
                Some("[{x=1},{}]".to_string()),
                Some("#0:null".into()),
                Some("#0:\"s\"".into()),
                // Given fields as given, the others with their own default (`*`), one level
                // of context deeper.
                Some("In@0(4*,9)".into()),
                Some("fixed[97, 98]".into()),
                None,
                None,
                None,
            ]
        );
    }
}
