//! `ignored-logical-type`: A logical type is invalid, unknown or misplaced, so readers ignore it.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::{logical, Schema, SchemaKind};

pub static RULE: Rule = Rule {
    code: "ignored-logical-type",
    category: Category::Types,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "A logical type is invalid, unknown or misplaced, so readers ignore it.",
    what: "Reports `logicalType` attributes that Avro readers silently ignore: a known logical type with bad attributes or on the wrong type (a decimal whose scale exceeds its precision, `timestamp-millis` on an int), an unknown name (`timestamp-milis`), or a `logicalType` put on the field instead of inside its type.",
    why: "Java and the registry accept such schemas and drop the logical type: consumers see raw bytes or numbers while the producer believes it sends decimals or timestamps. Nothing fails until someone reads wrong values.",
    bad: r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "default": "", "doc": "Payment id from the PSP."},
    {"name": "fee", "type": {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 6}, "default": "", "doc": "PSP fee in EUR."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "default": "", "doc": "Payment id from the PSP."},
    {"name": "fee", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 6}, "default": "", "doc": "PSP fee in EUR."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        if node.logical.is_some() {
            continue;
        }
        if let Some(lt) = node.prop("logicalType") {
            let shown = lt.as_str().map(|s| format!("`{s}`")).unwrap_or_else(|| "here".into());
            let why = explain(node, lt.as_str());
            out.push(Hit {
                labels: Vec::new(),
                span: lt.span,
                pointer: format!("{}/logicalType", node.pointer),
                message: format!("logical type {shown} is ignored by readers: {why}"),
                help: "fix the logical type so readers see it, or remove it".into(),
            });
        }
    }
    for f in ctx.fields() {
        if let Some((_, lt)) = f.props.iter().find(|(k, _)| k == "logicalType") {
            if ctx.resolved(f.ty).logical.is_none() {
                out.push(Hit {
                    labels: Vec::new(),
                    span: lt.span,
                    pointer: format!("{}/logicalType", f.pointer),
                    message: format!(
                        "logical type on field `{}` is ignored by readers: it belongs inside the type",
                        f.name
                    ),
                    help:
                        "move it into the type: \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}"
                            .into(),
                });
            }
        }
    }
}

fn explain(node: &Schema, name: Option<&str>) -> String {
    let base = match &node.kind {
        SchemaKind::Primitive(p) => logical::Base::Primitive(*p),
        SchemaKind::Fixed(f) => logical::Base::Fixed(f.size),
        _ => logical::Base::Other("complex type"),
    };
    match (name, logical::evaluate(base, &node.props)) {
        (_, logical::Outcome::Invalid { reason, .. }) => reason,
        (Some(n), logical::Outcome::Unknown { suggestion, .. }) => match suggestion {
            Some(s) => format!("`{n}` is not a logical type (did you mean `{s}`?)"),
            None => format!("`{n}` is not a logical type"),
        },
        _ => "`logicalType` must be a string".into(),
    }
}
