//! `enum-symbol-not-upper-snake-case`: An enum symbol is not in UPPER_SNAKE_CASE.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "enum-symbol-not-upper-snake-case",
    category: Category::Naming,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "An enum symbol is not in UPPER_SNAKE_CASE.",
    what: "Reports enum symbols that are not upper-case words joined by `_`.",
    why: "Symbols become constants in generated code and values in SQL; UPPER_SNAKE_CASE is how every target language spells constants, and a consistent case avoids `Active` and `ACTIVE` both appearing over time.",
    bad: r#"{
  "type": "record",
  "name": "AccountClosed",
  "namespace": "com.acme.users",
  "doc": "An account was closed.",
  "fields": [
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "Active", "CLOSED"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status before closing."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "AccountClosed",
  "namespace": "com.acme.users",
  "doc": "An account was closed.",
  "fields": [
    {"name": "status", "type": {"type": "enum", "name": "AccountStatus", "doc": "Lifecycle state of an account.", "symbols": ["UNKNOWN", "ACTIVE", "CLOSED"], "default": "UNKNOWN"}, "default": "UNKNOWN", "doc": "Status before closing."}
  ]
}"#,
    bad_path: None,
    check,
};

fn is_upper_snake(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.split('_').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        let SchemaKind::Enum(e) = &node.kind else { continue };
        for (i, (sym, span)) in e.symbols.iter().enumerate() {
            if !is_upper_snake(sym) {
                out.push(Hit {
                    labels: Vec::new(),
                    span: *span,
                    pointer: format!("{}/symbols/{i}", node.pointer),
                    message: format!("enum symbol `{sym}` of `{}` is not in UPPER_SNAKE_CASE", e.named.name),
                    help: format!("use `{}`", crate::core::lint::words(sym).join("_").to_uppercase()),
                });
            }
        }
    }
}
