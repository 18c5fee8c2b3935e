//! `namespace-not-lower-case`: A namespace has upper-case letters.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "namespace-not-lower-case",
    category: Category::Naming,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A namespace has upper-case letters.",
    what: "Reports namespaces with a part that is not lower-case letters, digits and `_`.",
    why: "Namespaces become Java packages and directory names; upper-case parts clash on case-insensitive file systems and break the Java convention every Avro code generator follows.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.Users",
  "doc": "A user created an account.",
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
    let mut seen = std::collections::HashSet::new();
    for (_, node) in ctx.nodes() {
        let Some(n) = node.named() else { continue };
        let Some(ns) = &n.namespace else { continue };
        let bad = ns.split('.').any(|p| !p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
        if bad && seen.insert(ns.clone()) {
            out.push(Hit {
                labels: Vec::new(),
                span: n.namespace_span.unwrap_or(n.name_span),
                pointer: format!("{}/{}", node.pointer, if n.namespace_span.is_some() { "namespace" } else { "name" }),
                message: format!("namespace `{ns}` is not lower-case"),
                help: format!("use `{}`", ns.to_lowercase()),
            });
        }
    }
}
