//! `file-path-mismatch`: A file's directory does not mirror its type's namespace.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "file-path-mismatch",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A file's directory does not mirror its type's namespace.",
    what: "Reports a schema file whose directory, relative to the schema root, is not its top-level type's namespace with `.` replaced by `/` (`com.acme.users.UserSignedUp` belongs in `com/acme/users/`).",
    why: "When the path mirrors the full name, anyone can find a schema from a subject or a class name and vice versa, and two teams cannot define the same name in different places unnoticed.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
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
    bad_path: Some("com/acme/accounts/UserSignedUp.avsc"),
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let Some(rel) = ctx.rel_path else { return };
    let node = ctx.set.node(ctx.root);
    let Some(n) = node.named() else { return };
    let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let want = n.namespace.as_deref().unwrap_or("").replace('.', "/");
    if dir != want {
        out.push(Hit {
            labels: Vec::new(),
            span: n.namespace_span.unwrap_or(n.name_span),
            pointer: format!("{}/{}", node.pointer, if n.namespace_span.is_some() { "namespace" } else { "name" }),
            message: format!("`{}` is in `{}/`, but its namespace says `{}/`", n.full_name, dir, want),
            help: format!(
                "move the file to `{}/{}.avsc` under the schema root",
                if want.is_empty() { "." } else { &want },
                n.name
            ),
        });
    }
}
