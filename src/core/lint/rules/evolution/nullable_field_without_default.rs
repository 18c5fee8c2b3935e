//! `nullable-field-without-default`: A nullable field has no `\"default\": null`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "nullable-field-without-default",
    category: Category::Evolution,
    severity: Severity::Warning,
    preset: Preset::Minimal,
    summary: "A nullable field has no `\"default\": null`.",
    what: "Reports fields whose type is a union with `null` but that have no `default`.",
    why: "A nullable field looks optional, but without a default it is required: a reader with this schema cannot read data written before the field existed (BACKWARD breaks), and the field can never be removed. `\"default\": null` makes it truly optional.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "referrer", "type": ["null", "string"], "doc": "Code of the referring user, if any."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "referrer", "type": ["null", "string"], "default": null, "doc": "Code of the referring user, if any."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for f in ctx.fields() {
        if f.default.is_none() && ctx.is_nullable(f.ty) {
            out.push(Hit {
                labels: Vec::new(),
                span: f.name_span,
                pointer: format!("{}/name", f.pointer),
                message: format!("nullable field `{}` has no default", f.name),
                help: "add \"default\": null (with `null` first in the union)".into(),
            });
        }
    }
}
