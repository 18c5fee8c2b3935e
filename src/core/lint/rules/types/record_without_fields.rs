//! `record-without-fields`: A record has no fields.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "record-without-fields",
    category: Category::Types,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A record has no fields.",
    what: "Reports records with an empty `fields` array.",
    why: "An empty record carries no data; it is usually a placeholder that got published, and any field added later needs a default to stay compatible.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": []
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (node, r) in ctx.records() {
        if r.fields.is_empty() {
            out.push(Hit {
                labels: Vec::new(),
                span: r.named.name_span,
                pointer: format!("{}/name", node.pointer),
                message: format!("record `{}` has no fields", r.named.name),
                help: "add the fields the event carries".into(),
            });
        }
    }
}
