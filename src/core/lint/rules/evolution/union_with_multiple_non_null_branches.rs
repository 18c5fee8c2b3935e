//! `union-with-multiple-non-null-branches`: A union has more than one non-null branch.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "union-with-multiple-non-null-branches",
    category: Category::Evolution,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A union has more than one non-null branch.",
    what: "Reports unions with two or more branches besides `null`.",
    why: "Multi-type unions map poorly to SQL tables, Parquet and most languages' type systems, and adding a branch later breaks readers; a record with optional fields or separate events usually says the same more plainly.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "age", "type": ["null", "int", "string"], "default": null, "doc": "Age given at sign-up."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "age", "type": ["null", "int"], "default": null, "doc": "Age given at sign-up, in years."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        let SchemaKind::Union(b) = &node.kind else { continue };
        let non_null = b.iter().filter(|x| !ctx.is_null(**x)).count();
        if non_null > 1 {
            out.push(Hit {
                labels: Vec::new(),
                span: node.span,
                pointer: node.pointer.clone(),
                message: format!("union has {non_null} non-null branches"),
                help: "use one type per field (optional with null), or separate fields or events".into(),
            });
        }
    }
}
