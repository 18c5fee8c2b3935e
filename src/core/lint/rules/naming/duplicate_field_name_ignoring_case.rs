//! `duplicate-field-name-ignoring-case`: Two fields of a record differ only in case or underscores.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "duplicate-field-name-ignoring-case",
    category: Category::Naming,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "Two fields of a record differ only in case or underscores.",
    what: "Reports a field whose name equals an earlier field's once case and `_` are ignored, such as `user_id` and `userId`.",
    why: "Case-insensitive stores (Hive, Redshift, BigQuery column names, many JSON mappers) fold such fields into one column, so one silently overwrites the other downstream.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "userid", "type": "string", "default": "", "doc": "Legacy copy of the account id."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "legacy_user_id", "type": "string", "default": "", "doc": "Legacy copy of the account id."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, r) in ctx.records() {
        // Folded name -> the first field with it: records of many fields cost no quadratic search.
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for f in &r.fields {
            let folded: String = f.name.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect();
            if let Some(first) = seen.get(&folded).copied().filter(|n| *n != f.name) {
                out.push(Hit {
                    labels: Vec::new(),
                    span: f.name_span,
                    pointer: format!("{}/name", f.pointer),
                    message: format!("field `{}` differs from field `{first}` only in case or underscores", f.name),
                    help: "give the two fields clearly different names".into(),
                });
            } else {
                seen.entry(folded).or_insert(&f.name);
            }
        }
    }
}
