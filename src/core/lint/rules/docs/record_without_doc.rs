//! `record-without-doc`: A record has no `doc`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "record-without-doc",
    category: Category::Docs,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A record has no `doc`.",
    what: "Reports records (and errors) without a `doc`, or with an empty one.",
    why: "The schema is the contract other teams build on; without a description they guess what the event means and when it is emitted, and the registry's catalog shows nothing.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
  ]
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
        if r.named.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            out.push(Hit {
                labels: Vec::new(),
                span: r.named.doc_span.unwrap_or(r.named.name_span),
                pointer: format!("{}/{}", node.pointer, if r.named.doc_span.is_some() { "doc" } else { "name" }),
                message: format!("record `{}` has no doc", r.named.name),
                help: "add a \"doc\": what the event means, who produces it and when".into(),
            });
        }
    }
}
