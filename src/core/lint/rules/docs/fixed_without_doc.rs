//! `fixed-without-doc`: A fixed type has no `doc`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "fixed-without-doc",
    category: Category::Docs,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A fixed type has no `doc`.",
    what: "Reports fixed types without a `doc`.",
    why: "A fixed is opaque bytes; only its doc says whether they are a hash, an IP address or a packed id, and in which byte order.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "device_hash", "type": {"type": "fixed", "name": "DeviceHash", "size": 16}, "default": "0123456789abcdef", "doc": "MD5 of the device id."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "device_hash", "type": {"type": "fixed", "name": "DeviceHash", "size": 16, "doc": "16-byte MD5 digest."}, "default": "0123456789abcdef", "doc": "MD5 of the device id."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        let SchemaKind::Fixed(x) = &node.kind else { continue };
        if x.named.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            out.push(Hit {
                labels: Vec::new(),
                span: x.named.name_span,
                pointer: format!("{}/name", node.pointer),
                message: format!("fixed `{}` has no doc", x.named.name),
                help: "add a \"doc\" saying what the bytes hold and how they are encoded".into(),
            });
        }
    }
}
