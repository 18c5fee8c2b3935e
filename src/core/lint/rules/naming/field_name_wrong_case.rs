//! `field-name-wrong-case`: A field name does not follow the configured style (snake_case by default).

use crate::core::finding::Severity;
use crate::core::lint::{Category, FieldCase, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "field-name-wrong-case",
    category: Category::Naming,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A field name does not follow the repository's style (the one most of its field names use, by default).",
    what: "Reports field names that are not in the style `lint.field_case` selects: `consistent` (the default: whichever of snake_case and camelCase most multi-word field names of the schema set use; a tie picks snake_case), `snake` (lower-case words joined by `_`) or `camel`. The help of each finding names the style in force and, for `consistent`, the counts it was chosen from.",
    why: "Consumers write SQL, Spark and pandas code against these names; one style across all schemas means nobody has to remember how each team spelled `user_id`.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "signup_source", "type": "string", "default": "", "doc": "Where the user signed up: web, ios or android."},
    {"name": "referrerCode", "type": "string", "default": "", "doc": "Code of the referring user, or empty."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "signup_source", "type": "string", "default": "", "doc": "Where the user signed up: web, ios or android."},
    {"name": "referrer_code", "type": "string", "default": "", "doc": "Code of the referring user, or empty."}
  ]
}"#,
    bad_path: None,
    check,
};

fn is_snake(s: &str) -> bool {
    s.split('_').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

fn is_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let snake = ctx.field_style.case != FieldCase::Camel;
    let style = if snake { "snake_case" } else { "camelCase" };
    let why = match ctx.field_style.counts {
        Some((s, c)) => format!(
            "; {style} is this schema set's style ({} of {} multi-word field names)",
            if snake { s } else { c },
            s + c
        ),
        None => String::new(),
    };
    for f in ctx.fields() {
        let ok = if snake { is_snake(&f.name) } else { is_camel(&f.name) };
        if ok {
            continue;
        }
        let w = crate::core::lint::words(&f.name);
        let fixed = if snake {
            w.join("_")
        } else {
            w.iter()
                .enumerate()
                .map(|(i, x)| if i == 0 { x.clone() } else { super::type_name_not_pascal_case::to_pascal(x) })
                .collect()
        };
        out.push(Hit {
            labels: Vec::new(),
            span: f.name_span,
            pointer: format!("{}/name", f.pointer),
            message: format!("field name `{}` is not in {style}", f.name),
            help: format!("rename it to `{fixed}` and keep the old name in the field's `aliases`{why}"),
        });
    }
}
