//! `type-name-not-pascal-case`: A record, enum or fixed name is not in PascalCase.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "type-name-not-pascal-case",
    category: Category::Naming,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A record, enum or fixed name is not in PascalCase.",
    what: "Reports named types whose name does not start with an upper-case letter or contains underscores.",
    why: "Type names become class names in every generated adapter; a consistent PascalCase keeps them idiomatic in Java, Go, Python and TypeScript and tells types apart from fields at a glance.",
    bad: r#"{
  "type": "record",
  "name": "user_signed_up",
  "namespace": "com.acme.users",
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

fn is_pascal(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `user_signed_up` -> `UserSignedUp`.
pub fn to_pascal(s: &str) -> String {
    crate::core::lint::words(s)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        let Some(n) = node.named() else { continue };
        if !is_pascal(&n.name) {
            out.push(Hit {
                labels: Vec::new(),
                span: n.name_span,
                pointer: format!("{}/name", node.pointer),
                message: format!("type name `{}` is not in PascalCase", n.name),
                help: format!("rename it to `{}` (add the old name to `aliases` if data exists)", to_pascal(&n.name)),
            });
        }
    }
}
