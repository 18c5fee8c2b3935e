//! `field-without-default`: A field has no `default`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "field-without-default",
    category: Category::Evolution,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A field has no `default`.",
    what: "Reports every record field without a `default`.",
    why: "A field without a default can never be removed under FORWARD or FULL compatibility: old readers need a value for it. Teams running FULL give every field a default; others accept required fields, which is why this rule is only in `strict`.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "doc": "Account id, as issued at sign-up."}
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
    for f in ctx.fields() {
        // A nullable field without default has its own, sharper rule.
        if f.default.is_none() && !ctx.is_nullable(f.ty) {
            out.push(Hit {
                labels: Vec::new(),
                span: f.name_span,
                pointer: format!("{}/name", f.pointer),
                message: format!("field `{}` has no default", f.name),
                help: "give the field a default so it can be removed later".into(),
            });
        }
    }
}
