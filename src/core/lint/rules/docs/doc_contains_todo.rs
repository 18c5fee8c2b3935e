//! `doc-contains-todo`: A doc is a placeholder (TODO, FIXME, TBD).

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "doc-contains-todo",
    category: Category::Docs,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A doc is a placeholder (TODO, FIXME, TBD).",
    what: "Reports docs containing TODO, FIXME, TBD or XXX.",
    why: "Once registered, a schema is read by every consumer; a placeholder doc is a promise of documentation that never arrives.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "TODO: describe"}
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

fn has_marker(doc: &str) -> bool {
    // Nearly every doc has none of the markers: a substring search rules them out fast.
    let b = doc.as_bytes();
    let maybe = b.iter().enumerate().any(|(i, c)| match c {
        b'T' => b[i..].starts_with(b"TODO") || b[i..].starts_with(b"TBD"),
        b'F' => b[i..].starts_with(b"FIXME"),
        b'X' => b[i..].starts_with(b"XXX"),
        _ => false,
    });
    if !maybe {
        return false;
    }
    doc.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "TODO" | "FIXME" | "TBD" | "XXX"))
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    // The pointer and the message are only written for a doc that has a marker.
    let mut hit =
        |doc: &Option<String>, span: Option<crate::core::source::Span>, pointer: &str, what: &dyn Fn() -> String| {
            if let (Some(d), Some(span)) = (doc, span) {
                if has_marker(d) {
                    out.push(Hit {
                        labels: Vec::new(),
                        span,
                        pointer: format!("{pointer}/doc"),
                        message: format!("the doc of {} is a placeholder (TODO/FIXME/TBD)", what()),
                        help: "write the documentation before the schema is published".into(),
                    });
                }
            }
        };
    for (_, node) in ctx.nodes() {
        if let Some(n) = node.named() {
            hit(&n.doc, n.doc_span, &node.pointer, &|| format!("`{}`", n.name));
        }
    }
    for f in ctx.fields() {
        hit(&f.doc, f.doc_span, &f.pointer, &|| format!("field `{}`", f.name));
    }
}
