//! `null-not-first-in-optional-union`: In an optional union, `null` is not the first branch.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "null-not-first-in-optional-union",
    category: Category::Evolution,
    severity: Severity::Warning,
    preset: Preset::Minimal,
    summary: "In an optional union, `null` is not the first branch.",
    what: "Reports field types that are unions with a `null` branch that is not the first one.",
    why: "Before Avro 1.12 a union's default must match its first branch, so `[\"string\", \"null\"]` cannot default to null in most readers and libraries; the convention `[\"null\", T]` with `\"default\": null` is what every tool expects for an optional field.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "referrer", "type": ["string", "null"], "default": null, "doc": "Code of the referring user, if any."}
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
        let Some(b) = ctx.union(f.ty) else { continue };
        if b.iter().skip(1).any(|x| ctx.is_null(*x)) && !b.first().is_some_and(|x| ctx.is_null(*x)) {
            out.push(Hit {
                labels: Vec::new(),
                span: ctx.type_span(f),
                pointer: format!("{}/type", f.pointer),
                message: format!("`null` is not the first branch of the union of field `{}`", f.name),
                help: "put `null` first: [\"null\", ...] with \"default\": null".into(),
            });
        }
    }
}
