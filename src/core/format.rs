//! `schemapipe fmt`: one canonical layout for `.avsc` files.
//!
//! Every schema object gets one fixed key order, whatever order it was written in (registries
//! return keys in their own order: Karapace sorts them), so what `pull` writes is what `fmt`
//! keeps: [`SCHEMA_ORDER`] for schema objects of every kind (record, error, enum, fixed, array,
//! map, a primitive with a logical type, union branches), [`FIELD_ORDER`] for fields, then the
//! custom properties in the order they were written. Everything that is data rather than schema
//! (defaults, the values of custom properties) keeps its own key order. Every string and number is copied from the source text as written, escapes included,
//! so no value can change. 2-space indent, one member per line, a final newline. Formatting is
//! idempotent. Files with comments or duplicate keys are refused: formatting them would lose
//! something.
//!
//! Pure: text in, text out.

use crate::core::json::{self, JsonError, Limits, Member, Node, Value};

/// What a node is, which decides how its object keys are ordered.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Schema,
    Field,
    Data,
}

/// The keys of a schema object, in the order `fmt` writes them. The kinds' own keys do not
/// overlap, so one list serves all: a record has `fields`, an enum `symbols` and `default`, a
/// fixed `size`, an array `items`, a map `values`; logical types add `logicalType` and its
/// attributes. Any other key is a custom property and follows, in its original order.
pub const SCHEMA_ORDER: [&str; 14] = [
    "type",
    "name",
    "namespace",
    "doc",
    "aliases",
    "fields",
    "symbols",
    "default",
    "size",
    "items",
    "values",
    "logicalType",
    "precision",
    "scale",
];
/// The keys of a record field, in the order `fmt` writes them; custom properties follow.
pub const FIELD_ORDER: [&str; 6] = ["name", "type", "default", "order", "doc", "aliases"];

/// Formats a schema file, or says why it cannot be formatted safely.
pub fn format(text: &str, limits: &Limits) -> Result<String, JsonError> {
    let parsed = json::parse(text, limits)?;
    if let Some(e) = parsed.issues.into_iter().next() {
        return Err(e);
    }
    if let Some(mut w) = parsed.warnings.into_iter().next() {
        w.message = "the file has comments, which formatting would drop; move them into `doc` attributes first".into();
        return Err(w);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    emit(text, &parsed.root, Role::Schema, 0, &mut out);
    out.push('\n');
    Ok(out)
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// The role of a member's value, given the role of the object it is in.
fn child_role(parent: Role, key: &str) -> Role {
    match (parent, key) {
        (Role::Schema, "items" | "values") => Role::Schema,
        (Role::Field, "type") => Role::Schema,
        _ => Role::Data,
    }
}

fn ordered<'a>(members: &'a [Member], order: &[&str]) -> Vec<&'a Member> {
    let mut out: Vec<&Member> = order.iter().filter_map(|k| members.iter().find(|m| m.key == *k)).collect();
    out.extend(members.iter().filter(|m| !order.contains(&&*m.key)));
    out
}

fn emit(src: &str, node: &Node, role: Role, level: usize, out: &mut String) {
    match &node.value {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&src[node.span.start..node.span.end])
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            // A union's branches are schemas; `fields` holds fields; other arrays are data.
            let item_role = role;
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                emit(src, item, item_role, level + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, level);
            out.push(']');
        }
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Object(members) => {
            let list: Vec<&Member> = match role {
                Role::Schema => ordered(members, &SCHEMA_ORDER),
                Role::Field => ordered(members, &FIELD_ORDER),
                Role::Data => members.iter().collect(),
            };
            out.push_str("{\n");
            for (i, m) in list.iter().enumerate() {
                indent(out, level + 1);
                out.push_str(&src[m.key_span.start..m.key_span.end]);
                out.push_str(": ");
                let r = match (role, &*m.key) {
                    (Role::Schema, "fields") => Role::Field,
                    (Role::Schema, "type") if !matches!(m.value.value, Value::String(_)) => Role::Schema,
                    _ => child_role(role, &m.key),
                };
                // `fields` is an array of fields; a union array keeps its schema role.
                emit(src, &m.value, r, level + 1, out);
                out.push_str(if i + 1 < list.len() { ",\n" } else { "\n" });
            }
            indent(out, level);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format(s, &Limits::default()).unwrap()
    }

    #[test]
    fn orders_schema_and_field_keys_and_keeps_data_order() {
        let s = r#"{"fields":[{"doc":"d","type":["null",{"size":2,"name":"F","type":"fixed"}],"name":"f","default":null,"x-owner":{"b":1,"a":2}}],"name":"R","type":"record","doc":"r","namespace":"n"}"#;
        let out = fmt(s);
        assert_eq!(
            out,
            r#"{
  "type": "record",
  "name": "R",
  "namespace": "n",
  "doc": "r",
  "fields": [
    {
      "name": "f",
      "type": [
        "null",
        {
          "type": "fixed",
          "name": "F",
          "size": 2
        }
      ],
      "default": null,
      "doc": "d",
      "x-owner": {
        "b": 1,
        "a": 2
      }
    }
  ]
}
"#
        );
        assert_eq!(fmt(&out), out, "idempotent");
    }

    #[test]
    fn every_kind_has_one_key_order_and_custom_properties_follow() {
        // As Karapace returns them: keys sorted.
        let sorted = r#"{"aliases":["A"],"default":"B","doc":"d","name":"E","namespace":"n","symbols":["A","B"],"type":"enum","x-a":1}"#;
        assert_eq!(
            fmt(sorted),
            "{\n  \"type\": \"enum\",\n  \"name\": \"E\",\n  \"namespace\": \"n\",\n  \"doc\": \"d\",\n  \"aliases\": [\n    \"A\"\n  ],\n  \"symbols\": [\n    \"A\",\n    \"B\"\n  ],\n  \"default\": \"B\",\n  \"x-a\": 1\n}\n"
        );
        let fixed = fmt(
            r#"{"x-z":0,"scale":2,"precision":9,"logicalType":"decimal","size":8,"name":"F","type":"fixed","x-a":1}"#,
        );
        let keys: Vec<&str> = fixed.lines().filter_map(|l| l.trim().split('"').nth(1)).collect();
        assert_eq!(keys, ["type", "name", "size", "logicalType", "precision", "scale", "x-z", "x-a"]);
        let field = fmt(
            r#"{"type":"record","name":"R","fields":[{"x-b":1,"aliases":["g"],"doc":"d","order":"descending","default":{"b":1,"a":2},"type":{"values":"long","type":"map"},"name":"f","x-a":2}]}"#,
        );
        let keys: Vec<&str> = field.lines().filter_map(|l| l.trim().split('"').nth(1)).collect();
        assert_eq!(
            keys,
            [
                "type", "name", "fields", "name", "type", "type", "values", "default", "b", "a", "order", "doc",
                "aliases", "g", "x-b", "x-a"
            ]
        );
        let array = fmt(
            r#"["null",{"items":{"scale":1,"logicalType":"decimal","precision":4,"type":"bytes"},"type":"array"}]"#,
        );
        let keys: Vec<&str> = array.lines().filter_map(|l| l.trim().split('"').nth(1)).collect();
        assert_eq!(keys, ["null", "type", "items", "type", "logicalType", "precision", "scale"]);
    }

    #[test]
    fn strings_and_numbers_are_copied_as_written() {
        let out = fmt(
            r#"{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":1.50E+3,"doc":"caf\u00e9 \"q\" \ud83d\ude00"}]}"#,
        );
        assert!(out.contains(r#""default": 1.50E+3"#), "{out}");
        assert!(out.contains(r#""doc": "caf\u00e9 \"q\" \ud83d\ude00""#), "{out}");
    }

    #[test]
    fn refuses_what_it_would_lose() {
        assert_eq!(
            format(r#"{"type":"int","type":"long"}"#, &Limits::default()).unwrap_err().code,
            "duplicate-json-key"
        );
        assert_eq!(format("// c\n\"int\"", &Limits::default()).unwrap_err().code, "json-comment");
        assert_eq!(format("{", &Limits::default()).unwrap_err().code, "invalid-json");
    }
}
