//! `doc-repeats-name`: A field's doc only repeats its name.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "doc-repeats-name",
    category: Category::Docs,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A field's doc only repeats its name.",
    what: "Reports field docs that only repeat the field's name (`user_id`: \"User id\").",
    why: "A doc that repeats the name passes a documentation check while telling the reader nothing.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "User id"}
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

fn normal(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for f in ctx.fields() {
        if let (Some(doc), Some(span)) = (&f.doc, f.doc_span) {
            if !doc.trim().is_empty() && normal(doc) == normal(&f.name) {
                out.push(Hit {
                    labels: Vec::new(),
                    span,
                    pointer: format!("{}/doc", f.pointer),
                    message: format!("the doc of field `{}` only repeats its name", f.name),
                    help: "say what the field means: unit, format, where the value comes from".into(),
                });
            }
        }
    }
}
