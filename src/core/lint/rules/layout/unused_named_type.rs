//! `unused-named-type`: A standalone enum or fixed type is used by no schema.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "unused-named-type",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A standalone enum or fixed type is used by no schema.",
    what: "Reports a file whose top-level type is an enum or a fixed that no other schema in the set refers to. (Records are events in their own right; enums and fixed types exist to be used by them.) A file linted on its own is not judged.",
    why: "An unused shared type is dead weight that looks authoritative: someone will copy it or assume it is in use, and the real definition lives elsewhere.",
    bad: r#"{
  "type": "enum",
  "name": "AccountStatus",
  "namespace": "com.acme.users",
  "doc": "Lifecycle state of an account.",
  "symbols": ["UNKNOWN", "ACTIVE", "CLOSED"],
  "default": "UNKNOWN"
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE", "CLOSED"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status right after sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    // Usage can only be judged across a set: a file linted alone has no users to look at.
    if ctx.set.files.len() < 2 {
        return;
    }
    let node = ctx.set.node(ctx.root);
    let n = match &node.kind {
        SchemaKind::Enum(e) => &e.named,
        SchemaKind::Fixed(f) => &f.named,
        _ => return,
    };
    if !ctx.referenced.contains(&n.full_name) {
        out.push(Hit {
            labels: Vec::new(),
            span: n.name_span,
            pointer: format!("{}/name", node.pointer),
            message: format!("`{}` is not used by any schema", n.full_name),
            help: "use it by full name from the schemas it was made for, or delete it".into(),
        });
    }
}
