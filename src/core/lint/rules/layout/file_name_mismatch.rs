//! `file-name-mismatch`: A file is not named after its top-level type.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, FileNameMatch, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "file-name-mismatch",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A file is not named after its top-level type.",
    what: "Reports a schema file whose name is not its top-level type's name followed by `.avsc`. By default (`lint.file_name: loose`) case, `_` and `-` are ignored, so `payment.avsc`, `PAYMENT.avsc`, `payment_event.avsc` and `payment-event.avsc` all fit `Payment` / `PaymentEvent`; `strict` wants exactly `PaymentEvent.avsc`.",
    why: "One type per file, named after it, makes schemas findable by name and keeps diffs and ownership per type.",
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
    bad_path: Some("com/acme/users/signup.avsc"),
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let Some(rel) = ctx.rel_path else { return };
    let node = ctx.set.node(ctx.root);
    let Some(n) = node.named() else { return };
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let want = format!("{}.avsc", n.name);
    let loose = |s: &str| s.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect::<String>();
    let fits = match ctx.options.file_name {
        FileNameMatch::Strict => file == want,
        FileNameMatch::Loose => file.strip_suffix(".avsc").is_some_and(|stem| loose(stem) == loose(&n.name)),
    };
    if !fits {
        out.push(Hit {
            labels: Vec::new(),
            span: n.name_span,
            pointer: format!("{}/name", node.pointer),
            message: format!("file `{file}` holds `{}`", n.full_name),
            help: format!("name the file `{want}`"),
        });
    }
}
