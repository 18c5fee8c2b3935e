//! Whether two schema texts are the same schema as `publish` registers it: `pull` compares a
//! local file with the registry's version this way, not textually, because a registry returns
//! the schema in its own layout and key order (Karapace sorts keys; Confluent writes Java's
//! `Schema.toString()`).
//!
//! `publish` registers the file's whole JSON (compacted), so everything in it counts: two
//! texts are the same when their Parsing Canonical Forms are equal AND everything the
//! canonical form strips is equal too — `doc`, `aliases`, field and enum `default`s, field
//! `order`, logical types and their attributes (`precision`, `scale`), and custom properties.
//! What does not count: layout, key order, how a name is spelled (`"name": "com.acme.X"` or
//! `"name": "X", "namespace": "com.acme"`, a namespace repeated from the enclosing one),
//! `{"type": "int"}` for `"int"`, `"order": "ascending"` (the default, which Java omits), the
//! order of aliases, the key order inside default values, and how a number is written
//! (`1.5E3` is `1500.0`): Java's `Schema.toString()` normalizes all of these.
//!
//! Pure: text in, answer out.

use crate::core::canonical::parsing_canonical_form;
use crate::core::json::{self, Limits, Node, Value};
use crate::core::load::{load, Input};
use crate::core::schema::Primitive;
use crate::core::source::SourceMap;
use serde_json::{Map, Value as J};

const MAX_DEPTH: usize = 10_000;

/// `Ok(None)` when the two texts are the same schema, `Ok(Some(where))` naming the first
/// difference (a JSON pointer into the normalized schema and what differs there), `Err` when
/// a text is not readable JSON (then they cannot be compared, and are not the same).
pub fn compare(a: &str, b: &str, limits: &Limits) -> Result<Option<String>, String> {
    let na = normalize(a, limits).map_err(|e| format!("the first schema: {e}"))?;
    let nb = normalize(b, limits).map_err(|e| format!("the second schema: {e}"))?;
    if let Some(d) = first_difference(&na, &nb, String::new()) {
        return Ok(Some(d));
    }
    // Belt and braces: when both load on their own (no references to other subjects), their
    // canonical forms must agree too.
    if let (Some(pa), Some(pb)) = (pcf(a, limits), pcf(b, limits)) {
        if pa != pb {
            return Ok(Some("the Parsing Canonical Forms differ".into()));
        }
    }
    Ok(None)
}

/// Whether the two texts are the same schema (false when either cannot be read).
pub fn same(a: &str, b: &str, limits: &Limits) -> bool {
    matches!(compare(a, b, limits), Ok(None))
}

fn pcf(text: &str, limits: &Limits) -> Option<String> {
    let set = load(vec![Input::new("schema.avsc", text)], limits, &mut SourceMap::new());
    if set.has_errors() {
        return None;
    }
    Some(parsing_canonical_form(&set, set.files.first()?.root?))
}

/// The schema in a normal form: names full, keys sorted, every attribute that publishing
/// registers kept, the spellings Java normalizes made one.
pub fn normalize(text: &str, limits: &Limits) -> Result<J, String> {
    let parsed = json::parse(text, limits).map_err(|e| e.message)?;
    if let Some(e) = parsed.issues.into_iter().next() {
        return Err(e.message);
    }
    schema(&parsed.root, "", 0)
}

fn full_name(name: &str, ns: &str) -> String {
    if name.contains('.') || ns.is_empty() {
        name.trim_start_matches('.').to_string()
    } else {
        format!("{ns}.{name}")
    }
}

fn namespace_of(full: &str) -> &str {
    full.rsplit_once('.').map(|(n, _)| n).unwrap_or("")
}

fn sorted(m: Vec<(String, J)>) -> J {
    let mut m = m;
    m.sort_by(|a, b| a.0.cmp(&b.0));
    J::Object(m.into_iter().collect::<Map<String, J>>())
}

fn schema(n: &Node, ns: &str, depth: usize) -> Result<J, String> {
    if depth > MAX_DEPTH {
        return Err("the schema nests too deeply to compare".into());
    }
    match &n.value {
        Value::String(s) if Primitive::from_name(s).is_some() => Ok(J::String(s.to_string())),
        Value::String(s) => Ok(J::String(full_name(s, ns))),
        Value::Array(items) => {
            items.iter().map(|i| schema(i, ns, depth + 1)).collect::<Result<Vec<_>, _>>().map(J::Array)
        }
        Value::Object(members) => {
            let get = |k: &str| members.iter().rev().find(|m| &*m.key == k).map(|m| &m.value);
            let ty = get("type");
            let kind = ty.and_then(|t| t.as_str()).unwrap_or("");
            let mut out: Vec<(String, J)> = Vec::new();
            match kind {
                "record" | "error" | "enum" | "fixed" => {
                    let name = get("name").and_then(|x| x.as_str()).unwrap_or("");
                    let space = get("namespace").and_then(|x| x.as_str()).unwrap_or(ns);
                    let full = full_name(name, space);
                    let inner = namespace_of(&full).to_string();
                    for m in members {
                        let v = match &*m.key {
                            "name" => J::String(full.clone()),
                            "namespace" => continue,
                            "aliases" => aliases(&m.value, &inner),
                            "fields" => match &m.value.value {
                                Value::Array(fs) => J::Array(
                                    fs.iter().map(|f| field(f, &inner, depth + 1)).collect::<Result<Vec<_>, _>>()?,
                                ),
                                _ => data(&m.value, depth + 1)?,
                            },
                            _ => data(&m.value, depth + 1)?,
                        };
                        out.push((m.key.to_string(), v));
                    }
                }
                "array" | "map" => {
                    for m in members {
                        let v = match &*m.key {
                            "items" | "values" => schema(&m.value, ns, depth + 1)?,
                            _ => data(&m.value, depth + 1)?,
                        };
                        out.push((m.key.to_string(), v));
                    }
                }
                _ => {
                    // A primitive (with attributes or not), a use of a name, or a wrapper
                    // whose `type` is itself a schema.
                    let inner = match ty {
                        Some(t) => schema(t, ns, depth + 1)?,
                        None => J::Null,
                    };
                    if members.iter().all(|m| &*m.key == "type") {
                        return Ok(inner);
                    }
                    for m in members {
                        let v = if &*m.key == "type" { inner.clone() } else { data(&m.value, depth + 1)? };
                        out.push((m.key.to_string(), v));
                    }
                }
            }
            dedup_last(&mut out);
            Ok(sorted(out))
        }
        _ => data(n, depth),
    }
}

/// Aliases of a named type: full names (relative ones are in the type's namespace), in no
/// particular order.
fn aliases(n: &Node, ns: &str) -> J {
    match &n.value {
        Value::Array(items) => {
            let mut names: Vec<J> = items
                .iter()
                .map(|i| match i.as_str() {
                    Some(s) => J::String(full_name(s, ns)),
                    None => data(i, 0).unwrap_or(J::Null),
                })
                .collect();
            names.sort_by_key(|v| v.to_string());
            names.dedup();
            J::Array(names)
        }
        _ => data(n, 0).unwrap_or(J::Null),
    }
}

fn field(n: &Node, ns: &str, depth: usize) -> Result<J, String> {
    let Value::Object(members) = &n.value else { return data(n, depth) };
    let mut out: Vec<(String, J)> = Vec::new();
    for m in members {
        let v = match &*m.key {
            "type" => schema(&m.value, ns, depth + 1)?,
            "order" if m.value.as_str() == Some("ascending") => continue,
            "aliases" => match &m.value.value {
                Value::Array(items) => {
                    let mut a: Vec<J> = items.iter().map(|i| data(i, depth + 1)).collect::<Result<_, _>>()?;
                    a.sort_by_key(|v| v.to_string());
                    a.dedup();
                    J::Array(a)
                }
                _ => data(&m.value, depth + 1)?,
            },
            _ => data(&m.value, depth + 1)?,
        };
        out.push((m.key.to_string(), v));
    }
    dedup_last(&mut out);
    Ok(sorted(out))
}

/// A duplicate key keeps its last value, as Jackson's tree does.
fn dedup_last(out: &mut Vec<(String, J)>) {
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<(String, J)> = Vec::with_capacity(out.len());
    for (k, v) in out.drain(..).rev() {
        if seen.insert(k.clone()) {
            keep.push((k, v));
        }
    }
    keep.reverse();
    *out = keep;
}

/// A value that is data (a default, a custom property): numbers by value, object keys in no
/// particular order, arrays in order.
fn data(n: &Node, depth: usize) -> Result<J, String> {
    if depth > MAX_DEPTH {
        return Err("the schema nests too deeply to compare".into());
    }
    Ok(match &n.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(x) => number(&x.raw),
        Value::String(s) => J::String(s.to_string()),
        Value::Array(items) => J::Array(items.iter().map(|i| data(i, depth + 1)).collect::<Result<_, _>>()?),
        Value::Object(members) => {
            let mut out: Vec<(String, J)> = members
                .iter()
                .map(|m| Ok((m.key.to_string(), data(&m.value, depth + 1)?)))
                .collect::<Result<_, String>>()?;
            dedup_last(&mut out);
            sorted(out)
        }
    })
}

/// A number by its value: `1`, `1.0` and `1E0` are one number; integers beyond f64's exact
/// range keep their digits.
fn number(raw: &str) -> J {
    if let Ok(i) = raw.parse::<i64>() {
        return J::from(i);
    }
    if let Ok(u) = raw.parse::<u64>() {
        return J::from(u);
    }
    let is_integer = !raw.contains(['.', 'e', 'E']);
    match raw.parse::<f64>() {
        Ok(f) if !is_integer && f.is_finite() => {
            if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
                J::from(f as i64)
            } else {
                serde_json::Number::from_f64(f).map(J::Number).unwrap_or_else(|| J::String(raw.to_string()))
            }
        }
        // A huge integer or an overflowing float: compared by its digits.
        _ => J::String(format!("number:{raw}")),
    }
}

fn first_difference(a: &J, b: &J, at: String) -> Option<String> {
    match (a, b) {
        (J::Object(x), J::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let here = format!("{at}/{}", json::escape_pointer_token(k));
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => {
                        if let Some(d) = first_difference(va, vb, here) {
                            return Some(d);
                        }
                    }
                    (Some(_), None) => return Some(format!("`{here}` is only in the first")),
                    (None, Some(_)) => return Some(format!("`{here}` is only in the second")),
                    (None, None) => {}
                }
            }
            None
        }
        (J::Array(x), J::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (va, vb))| first_difference(va, vb, format!("{at}/{i}")))
        }
        _ if a == b => None,
        _ => Some(format!("`{}` differs: {} vs {}", if at.is_empty() { "/" } else { &at }, short(a), short(b))),
    }
}

fn short(v: &J) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Option<String> {
        compare(a, b, &Limits::default()).unwrap()
    }

    const LOCAL: &str = r#"{
      "type": "record", "name": "Order", "namespace": "com.acme", "doc": "An order.",
      "aliases": ["OldOrder", "legacy.Order"],
      "fields": [
        {"name": "id", "type": "long", "doc": "the id"},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}, "default": "\u0000"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"], "default": "NEW"}, "default": "NEW", "order": "ascending"},
        {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"}]}}, "default": []},
        {"name": "again", "type": ["null", "Line", "com.acme.Status"], "default": null},
        {"name": "meta", "type": {"type": "map", "values": "string"}, "default": {"b": "1", "a": "2"}, "x-owner": {"team": "payments", "since": 2}},
        {"name": "ratio", "type": "double", "default": 1.5E3}
      ],
      "connect.name": "com.acme.Order"
    }"#;

    /// What a registry that sorts keys and spells names fully returns for LOCAL.
    const SORTED: &str = r#"{"aliases":["com.acme.OldOrder","legacy.Order"],"connect.name":"com.acme.Order","doc":"An order.","fields":[{"doc":"the id","name":"id","type":"long"},{"default":"\u0000","name":"amount","type":{"logicalType":"decimal","precision":9,"scale":2,"type":"bytes"}},{"default":"NEW","name":"status","type":{"default":"NEW","name":"com.acme.Status","symbols":["NEW","PAID"],"type":"enum"}},{"default":[],"name":"lines","type":{"items":{"fields":[{"name":"sku","type":{"type":"string"}}],"name":"Line","namespace":"com.acme","type":"record"},"type":"array"}},{"default":null,"name":"again","type":["null","com.acme.Line","Status"]},{"default":{"a":"2","b":"1"},"name":"meta","type":{"type":"map","values":"string"},"x-owner":{"since":2,"team":"payments"}},{"default":1500.0,"name":"ratio","type":"double"}],"name":"com.acme.Order","type":"record"}"#;

    #[test]
    fn layout_key_order_and_name_spelling_do_not_count() {
        assert_eq!(cmp(LOCAL, SORTED), None);
        assert_eq!(cmp(SORTED, LOCAL), None);
        assert_eq!(cmp(LOCAL, LOCAL), None);
        assert_eq!(cmp(r#"{"type":"int"}"#, r#""int""#), None);
    }

    #[test]
    fn every_registered_attribute_counts() {
        let changes = [
            (r#""doc": "An order.""#, r#""doc": "An order!""#, "/doc"),
            (r#""doc": "the id""#, r#""doc": "the ID""#, "/fields/0/doc"),
            (r#""default": "NEW", "order""#, r#""default": "PAID", "order""#, "/fields/2/default"),
            (
                r#""symbols": ["NEW", "PAID"], "default": "NEW""#,
                r#""symbols": ["NEW", "PAID"], "default": "PAID""#,
                "/fields/2/type/default",
            ),
            (r#""order": "ascending""#, r#""order": "descending""#, "/fields/2/order"),
            (r#""precision": 9"#, r#""precision": 10"#, "/fields/1/type/precision"),
            (r#""logicalType": "decimal", "#, "", "/fields/1/type/logicalType"),
            (r#""OldOrder""#, r#""Older""#, "/aliases/0"),
            (r#""team": "payments""#, r#""team": "billing""#, "/fields/5/x-owner/team"),
            (r#""connect.name": "com.acme.Order""#, r#""connect.name": "x""#, "/connect.name"),
            (r#""default": 1.5E3"#, r#""default": 1.5"#, "/fields/6/default"),
            (r#""default": {"b": "1", "a": "2"}"#, r#""default": {"b": "1", "a": "3"}"#, "/fields/5/default/a"),
            (r#""namespace": "com.acme", "#, "", "/aliases/0"),
            (r#"["NEW", "PAID"]"#, r#"["PAID", "NEW"]"#, "/fields/2/type/symbols/0"),
        ];
        for (from, to, at) in changes {
            assert!(LOCAL.contains(from), "{from}");
            let changed = LOCAL.replacen(from, to, 1);
            let d = cmp(LOCAL, &changed).unwrap_or_else(|| panic!("{from} -> {to}: not seen"));
            assert!(d.contains(&format!("`{at}")), "{from} -> {to}: {d}");
            assert!(cmp(SORTED, &changed).is_some());
        }
        // A key-reordered copy of a changed schema is still different.
        assert!(cmp(SORTED, &LOCAL.replace("\"the id\"", "\"other\"")).is_some());
    }

    #[test]
    fn unreadable_texts_are_not_the_same() {
        assert!(compare("{", "{}", &Limits::default()).is_err());
        assert!(compare(r#"{"type":"int","type":"long"}"#, r#""long""#, &Limits::default()).is_err());
        assert!(!same("{", "{", &Limits::default()));
        let deep = format!("{}\"int\"{}", "[".repeat(5000), "]".repeat(5000));
        let _ = compare(&deep, &deep, &Limits::default());
    }

    #[test]
    fn numbers_compare_by_value() {
        let a = r#"{"type":"record","name":"R","fields":[{"name":"d","type":"double","default":1}]}"#;
        assert_eq!(cmp(a, &a.replace(":1}", ":1.0}")), None);
        assert_eq!(cmp(a, &a.replace(":1}", ":1E0}")), None);
        assert!(cmp(a, &a.replace(":1}", ":2}")).is_some());
        let big = a.replace(":1}", ":123456789012345678901234567890}");
        assert_eq!(cmp(&big, &big), None);
        assert!(cmp(&big, &a.replace(":1}", ":123456789012345678901234567891}")).is_some());
    }
}
