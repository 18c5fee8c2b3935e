//! `top-level-schema-not-named`: A schema file's top-level schema is not a record, enum or fixed.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "top-level-schema-not-named",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A schema file's top-level schema is not a record, enum or fixed.",
    what: "Reports files whose top-level schema is a primitive, an array, a map or a union.",
    why: "Without a name, a schema has no identity: it cannot be found by full name, referenced from other files, or given a record-name subject, and its history cannot follow it across files.",
    bad: r#"{
  "type": "array",
  "items": "string"
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
    bad_path: Some("com/acme/users/Tags.avsc"),
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let node = ctx.set.node(ctx.root);
    if node.named().is_none() {
        out.push(Hit {
            labels: Vec::new(),
            span: node.span,
            pointer: String::new(),
            message: "the file's top-level schema has no name".into(),
            help: "wrap it in a documented record with a name and a namespace".into(),
        });
    }
}
