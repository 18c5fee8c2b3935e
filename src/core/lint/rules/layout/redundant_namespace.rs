//! `redundant-namespace`: A nested type repeats the namespace it would inherit anyway.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "redundant-namespace",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A nested type repeats the namespace it would inherit anyway.",
    what: "Reports named types nested in a file that declare a `namespace` equal to the one they would inherit from the top-level type.",
    why: "A repeated namespace is noise today and a trap tomorrow: when the file moves to another namespace, the nested type silently stays behind.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "namespace": "com.acme.users", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status right after sign-up."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status right after sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let root_ns = ctx.set.node(ctx.root).named().and_then(|n| n.namespace.clone());
    for (id, node) in ctx.nodes() {
        if id == ctx.root {
            continue;
        }
        let Some(n) = node.named() else { continue };
        if let Some(span) = n.namespace_span {
            if n.namespace == root_ns {
                out.push(Hit {
                    labels: Vec::new(),
                    span,
                    pointer: format!("{}/namespace", node.pointer),
                    message: format!("`{}` repeats the namespace it inherits", n.name),
                    help: "remove the nested type's `namespace`".into(),
                });
            }
        }
    }
}
