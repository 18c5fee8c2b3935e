//! `field-without-doc`: A field has no `doc`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "field-without-doc",
    category: Category::Docs,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A field has no `doc`.",
    what: "Reports record fields without a `doc`, or with an empty one.",
    why: "Units (cents or euros? milliseconds or seconds?), time zones and sources of truth live only in docs; without them every consumer reverse-engineers the data and some get it wrong.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": ""}
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
        if f.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            out.push(Hit {
                labels: Vec::new(),
                span: f.doc_span.unwrap_or(f.name_span),
                // Joined, not formatted: this rule reports more than any other.
                pointer: [f.pointer.as_str(), if f.doc_span.is_some() { "/doc" } else { "/name" }].concat(),
                message: ["field `", f.name.as_str(), "` has no doc"].concat(),
                help: "add a \"doc\": meaning, unit, time zone, source of truth, PII".into(),
            });
        }
    }
}
