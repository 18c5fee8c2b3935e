//! The catalog as Apache Atlas v2 entities: the JSON body the `POST /api/atlas/v2/entity/bulk`
//! endpoint takes (`{"entities": [...]}`), with `avro_schema`, `avro_field` and `kafka_topic`
//! entities and their relationships. The type definitions they use ship beside them
//! ([`TYPEDEFS`], `POST /api/atlas/v2/types/typedefs` once). qualifiedNames are stable across
//! runs: `<full name>@<cluster>`, `<full name>.<field path>@<cluster>`, `<topic>@<cluster>`.

use super::Catalog;
use serde_json::{json, Map, Value};

/// The Atlas type definitions of the export.
pub const TYPEDEFS: &str = include_str!("../../../templates/catalog/atlas-typedefs.json");

fn object_id(type_name: &str, qualified_name: &str, guids: &std::collections::HashMap<String, String>) -> Value {
    let mut m = Map::new();
    if let Some(g) = guids.get(qualified_name) {
        m.insert("guid".into(), json!(g));
    }
    m.insert("typeName".into(), json!(type_name));
    m.insert("uniqueAttributes".into(), json!({ "qualifiedName": qualified_name }));
    Value::Object(m)
}

/// The entities document.
pub fn render(c: &Catalog, cluster: &str) -> Value {
    let qn_schema = |n: &str| format!("{n}@{cluster}");
    let qn_field = |n: &str, p: &str| format!("{n}.{p}@{cluster}");
    let qn_topic = |t: &str| format!("{t}@{cluster}");
    // Placeholder guids (negative, as Atlas wants for entities created in one request), in
    // output order: deterministic.
    let mut guids = std::collections::HashMap::new();
    let mut next = 0;
    let mut guid = |qn: String| {
        next += 1;
        guids.insert(qn, format!("-{next}"));
    };
    for t in &c.topics {
        guid(qn_topic(&t.name));
    }
    for s in &c.schemas {
        guid(qn_schema(&s.name));
        for f in &s.fields {
            guid(qn_field(&s.name, &f.path));
        }
    }
    let mut entities = Vec::new();
    for t in &c.topics {
        let schemas: Vec<Value> = t.schemas.iter().map(|s| object_id("avro_schema", &qn_schema(s), &guids)).collect();
        entities.push(json!({
            "typeName": "kafka_topic",
            "guid": guids[&qn_topic(&t.name)],
            "attributes": {
                "qualifiedName": qn_topic(&t.name),
                "name": t.name,
                "topic": t.name,
                "uri": format!("kafka://{cluster}/{}", t.name),
                "producers": t.producers,
                "consumers": t.consumers,
            },
            "relationshipAttributes": { "schemas": schemas },
        }));
    }
    for s in &c.schemas {
        let (namespace, name) = match s.name.rsplit_once('.') {
            Some((ns, n)) => (Some(ns), n),
            None => (None, s.name.as_str()),
        };
        let mut attrs = Map::new();
        attrs.insert("qualifiedName".into(), json!(qn_schema(&s.name)));
        attrs.insert("name".into(), json!(name));
        attrs.insert("fullName".into(), json!(s.name));
        if let Some(ns) = namespace {
            attrs.insert("namespace".into(), json!(ns));
        }
        attrs.insert("type".into(), json!(s.kind));
        if let Some(d) = &s.doc {
            attrs.insert("doc".into(), json!(d));
            attrs.insert("description".into(), json!(d));
        }
        if let Some(o) = &s.owner {
            attrs.insert("owner".into(), json!(o));
        }
        if let Some(d) = &s.domain {
            attrs.insert("domain".into(), json!(d));
        }
        attrs.insert("tags".into(), json!(s.tags));
        attrs.insert("subjects".into(), json!(s.subjects));
        attrs.insert("compatibility".into(), json!(s.level));
        attrs.insert("symbols".into(), json!(s.symbols));
        attrs.insert("schemaDefinition".into(), json!(s.canonical_form));
        attrs.insert("versionCount".into(), json!(s.versions.len()));
        if let Some(l) = &s.last_change {
            attrs.insert("lastChange".into(), json!(l));
        }
        let topics: Vec<Value> = s.topics.iter().map(|t| object_id("kafka_topic", &qn_topic(t), &guids)).collect();
        let uses: Vec<Value> = s
            .uses
            .iter()
            .filter(|u| c.schema(u).is_some())
            .map(|u| object_id("avro_schema", &qn_schema(u), &guids))
            .collect();
        entities.push(json!({
            "typeName": "avro_schema",
            "guid": guids[&qn_schema(&s.name)],
            "attributes": attrs,
            "relationshipAttributes": { "topics": topics, "uses": uses },
        }));
        for f in &s.fields {
            let mut a = Map::new();
            a.insert("qualifiedName".into(), json!(qn_field(&s.name, &f.path)));
            a.insert("name".into(), json!(f.name));
            a.insert("path".into(), json!(f.path));
            a.insert("type".into(), json!(f.ty));
            if let Some(l) = &f.logical_type {
                a.insert("logicalType".into(), json!(l));
            }
            if let Some(d) = &f.default {
                a.insert("default".into(), json!(d));
            }
            if let Some(d) = &f.doc {
                a.insert("doc".into(), json!(d));
                a.insert("description".into(), json!(d));
            }
            if let Some(c) = &f.classification {
                a.insert("classification".into(), json!(c));
            }
            a.insert("aliases".into(), json!(f.aliases));
            a.insert("tags".into(), json!(f.tags));
            let mut e = json!({
                "typeName": "avro_field",
                "guid": guids[&qn_field(&s.name, &f.path)],
                "attributes": a,
                "relationshipAttributes": { "schema": object_id("avro_schema", &qn_schema(&s.name), &guids) },
            });
            if let Some(c) = &f.classification {
                // Atlas classifications are types of their own; the field's class is also an
                // attribute, so the export loads without creating classification types first.
                e["labels"] = json!([format!("classification-{c}")]);
            }
            entities.push(e);
        }
    }
    json!({ "entities": entities })
}
