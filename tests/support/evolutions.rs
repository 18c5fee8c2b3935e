//! Random schema evolutions (proptest strategies): a record of a few fields of every kind of
//! type, and one evolution step applied to it (a field added, removed, retyped, made optional,
//! an enum symbol or fixed size changed, a rename, a default added or removed). No aliases.
#![allow(dead_code)] // each test crate uses a part of it

use proptest::prelude::*;
use serde_json::{json, Value};

/// (old, new) pairs: a random record and one evolution of it.
pub fn pairs() -> impl Strategy<Value = (Value, Value)> {
    record().prop_flat_map(|old| (Just(old.clone()), evolve(old)))
}

pub fn prim() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("null")),
        Just(json!("boolean")),
        Just(json!("int")),
        Just(json!("long")),
        Just(json!("float")),
        Just(json!("double")),
        Just(json!("bytes")),
        Just(json!("string")),
    ]
}

/// A field type, named types given fresh names from `tag` so a schema never defines one twice.
pub fn field_type(tag: String) -> impl Strategy<Value = Value> {
    let t1 = tag.clone();
    let t2 = tag.clone();
    prop_oneof![
        4 => prim(),
        1 => prim().prop_map(|p| json!({"type": "array", "items": p})),
        1 => prim().prop_map(|p| json!({"type": "map", "values": p})),
        2 => prim().prop_filter("null branch", |p| p != "null").prop_map(|p| json!(["null", p])),
        1 => (prop::collection::btree_set("[A-D]", 1..4), any::<bool>()).prop_map(move |(s, d)| {
            let syms: Vec<String> = s.into_iter().collect();
            let mut e = json!({"type": "enum", "name": format!("E{t1}"), "symbols": syms});
            if d { e["default"] = json!(syms[0]); }
            e
        }),
        1 => (1u32..5).prop_map(move |n| json!({"type": "fixed", "name": format!("F{t2}"), "size": n})),
    ]
}

pub fn record() -> impl Strategy<Value = Value> {
    prop::collection::vec((0u8..6, any::<bool>()), 1..6)
        .prop_flat_map(|specs| {
            let types: Vec<_> = specs.iter().enumerate().map(|(i, _)| field_type(format!("{i}"))).collect();
            (Just(specs), types)
        })
        .prop_map(|(specs, types)| {
            let mut seen = std::collections::HashSet::new();
            let fields: Vec<Value> = specs
                .iter()
                .zip(types)
                .filter(|((n, _), _)| seen.insert(*n))
                .map(|((n, with_default), t)| {
                    let mut f = json!({"name": format!("f{n}"), "type": t});
                    if *with_default {
                        if let Some(d) = default_for(&f["type"]) {
                            f["default"] = d;
                        }
                    }
                    f
                })
                .collect();
            json!({"type": "record", "name": "R", "namespace": "gen", "fields": fields})
        })
}

pub fn default_for(t: &Value) -> Option<Value> {
    Some(match t {
        Value::String(s) => match s.as_str() {
            "null" => Value::Null,
            "boolean" => json!(false),
            "int" | "long" => json!(0),
            "float" | "double" => json!(0.5),
            _ => json!(""),
        },
        Value::Array(_) => Value::Null,
        Value::Object(o) => match o["type"].as_str()? {
            "array" => json!([]),
            "map" => json!({}),
            "enum" => o["symbols"][0].clone(),
            _ => return None,
        },
        _ => return None,
    })
}

/// One evolution step applied to a record.
pub fn evolve(old: Value) -> impl Strategy<Value = Value> {
    let n = old["fields"].as_array().unwrap().len();
    (0usize..7, 0..n.max(1), field_type("N".into()), any::<bool>()).prop_map(move |(op, i, t, flag)| {
        let mut new = old.clone();
        let fields = new["fields"].as_array_mut().unwrap();
        match op {
            0 => {
                let mut f = json!({"name": "added", "type": t});
                if flag {
                    if let Some(d) = default_for(&f["type"]) {
                        f["default"] = d;
                    }
                }
                fields.push(f);
            }
            1 if !fields.is_empty() => {
                fields.remove(i);
            }
            2 if !fields.is_empty() => {
                fields[i]["type"] = t;
                if let Some(d) = default_for(&fields[i]["type"]) {
                    fields[i]["default"] = d;
                } else {
                    fields[i].as_object_mut().unwrap().remove("default");
                }
            }
            3 if !fields.is_empty() => {
                let ty = fields[i]["type"].clone();
                fields[i]["type"] = match &ty {
                    Value::Array(b) if flag => json!([b[0]]),
                    Value::Array(b) => json!([b[0], b[1], "string"])
                        .as_array()
                        .map(|a| {
                            let mut v = a.clone();
                            v.dedup();
                            Value::Array(v)
                        })
                        .unwrap(),
                    other => json!(["null", other])
                        .as_array()
                        .map(|a| if a[1] == "null" { a[1].clone() } else { Value::Array(a.clone()) })
                        .unwrap(),
                };
                if fields[i]["default"].is_null() || fields[i].get("default").is_some() {
                    let d = default_for(&fields[i]["type"]);
                    match d {
                        Some(d) if fields[i]["type"].is_array() => fields[i]["default"] = d,
                        _ => {
                            fields[i].as_object_mut().unwrap().remove("default");
                        }
                    }
                }
            }
            4 if !fields.is_empty() => {
                if let Some(o) = fields[i]["type"].as_object_mut() {
                    if let Some(s) = o.get_mut("symbols").and_then(Value::as_array_mut) {
                        if flag {
                            s.push(json!("Z"));
                        } else if s.len() > 1 {
                            s.pop();
                        }
                    } else if let Some(size) = o.get("size").and_then(Value::as_u64) {
                        o.insert("size".into(), json!(size + 1));
                    }
                }
            }
            5 if !fields.is_empty() => {
                fields[i]["name"] = json!("renamed");
            }
            _ => {
                if !fields.is_empty() {
                    if flag {
                        fields[i].as_object_mut().unwrap().remove("default");
                    } else if let Some(d) = default_for(&fields[i]["type"]) {
                        fields[i]["default"] = d;
                    }
                }
            }
        }
        new
    })
}
