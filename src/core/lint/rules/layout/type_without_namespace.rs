//! `type-without-namespace`: A top-level type has no namespace.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "type-without-namespace",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A top-level type has no namespace.",
    what: "Reports top-level records, enums and fixed types in the null namespace.",
    why: "Names in the null namespace collide across teams (`Event`, `Status`), cannot be told apart in the registry under RecordNameStrategy, and become classes in no package.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
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
    bad_path: Some("UserSignedUp.avsc"),
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let node = ctx.set.node(ctx.root);
    if let Some(n) = node.named() {
        if n.namespace.is_none() {
            out.push(Hit {
                labels: Vec::new(),
                span: n.name_span,
                pointer: format!("{}/name", node.pointer),
                message: format!("`{}` has no namespace", n.name),
                help: "add a namespace such as `com.<company>.<domain>`".into(),
            });
        }
    }
}
