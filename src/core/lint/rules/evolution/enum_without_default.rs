//! `enum-without-default`: An enum has no `default` symbol.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "enum-without-default",
    category: Category::Evolution,
    severity: Severity::Warning,
    preset: Preset::Minimal,
    summary: "An enum has no `default` symbol.",
    what: "Reports enums without a `default`.",
    why: "Adding a symbol later breaks every reader that does not know it: its data cannot be decoded. With a `default` symbol (such as `UNKNOWN`), old readers map new symbols to it instead of failing.",
    bad: r#"{
  "type": "record",
  "name": "AccountClosed",
  "namespace": "com.acme.users",
  "doc": "An account was closed.",
  "fields": [
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE", "CLOSED"]}, "default": "UNKNOWN", "doc": "Status before closing."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "AccountClosed",
  "namespace": "com.acme.users",
  "doc": "An account was closed.",
  "fields": [
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE", "CLOSED"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status before closing."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        let SchemaKind::Enum(e) = &node.kind else { continue };
        if e.default.is_none() {
            out.push(Hit {
                labels: Vec::new(),
                span: e.named.name_span,
                pointer: format!("{}/name", node.pointer),
                message: format!("enum `{}` has no default symbol", e.named.name),
                help: "add a symbol such as `UNKNOWN` and set \"default\": \"UNKNOWN\"".into(),
            });
        }
    }
}
