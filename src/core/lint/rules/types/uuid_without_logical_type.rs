//! `uuid-without-logical-type`: A field named like a UUID is a plain string.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::{Primitive, SchemaKind};

pub static RULE: Rule = Rule {
    code: "uuid-without-logical-type",
    category: Category::Types,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A field named like a UUID is a plain string.",
    what: "Reports fields whose name contains `uuid` and whose type is a string without the `uuid` logical type.",
    why: "The `uuid` logical type tells consumers and generators the format, so they can store it as a native UUID column and validate it.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_uuid", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_uuid", "type": {"type": "string", "logicalType": "uuid"}, "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for f in ctx.fields() {
        // A cheap look first: most names have no `uuid` in them at all.
        if !f.name.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"uuid"))
            || !crate::core::lint::words(&f.name).iter().any(|w| w == "uuid")
        {
            continue;
        }
        let Some(t) = ctx.value_type(f.ty) else { continue };
        if t.logical.is_none() && matches!(t.kind, SchemaKind::Primitive(Primitive::String)) {
            out.push(Hit {
                labels: Vec::new(),
                span: ctx.type_span(f),
                pointer: format!("{}/type", f.pointer),
                message: format!("field `{}` holds a UUID in a plain string", f.name),
                help: "use {\"type\": \"string\", \"logicalType\": \"uuid\"}".into(),
            });
        }
    }
}
