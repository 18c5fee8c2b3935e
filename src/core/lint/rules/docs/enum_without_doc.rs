//! `enum-without-doc`: An enum has no `doc`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "enum-without-doc",
    category: Category::Docs,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "An enum has no `doc`.",
    what: "Reports enums without a `doc`, or with an empty one.",
    why: "Symbols such as `PENDING` or `SETTLED` mean different things in different systems; the doc is where the producing team says what they mean here.",
    bad: r#"{
  "type": "record",
  "name": "AccountClosed",
  "namespace": "com.acme.users",
  "doc": "An account was closed.",
  "fields": [
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "symbols": ["UNKNOWN", "ACTIVE"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status before closing."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "AccountClosed",
  "namespace": "com.acme.users",
  "doc": "An account was closed.",
  "fields": [
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status before closing."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        let SchemaKind::Enum(e) = &node.kind else { continue };
        if e.named.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            out.push(Hit {
                labels: Vec::new(),
                span: e.named.doc_span.unwrap_or(e.named.name_span),
                pointer: format!("{}/{}", node.pointer, if e.named.doc_span.is_some() { "doc" } else { "name" }),
                message: format!("enum `{}` has no doc", e.named.name),
                help: "add a \"doc\" that says what the symbols mean".into(),
            });
        }
    }
}
