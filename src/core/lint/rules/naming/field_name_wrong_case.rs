//! `field-name-wrong-case`: A field name does not follow the configured style (snake_case by default).

use crate::core::finding::Severity;
use crate::core::lint::{Category, FieldCase, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "field-name-wrong-case",
    category: Category::Naming,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A field name does not follow the configured style (snake_case by default).",
    what: "Reports field names that are not in the style `lint.field_case` selects: `snake_case` (the default: lower-case words joined by `_`) or `camelCase`.",
    why: "Consumers write SQL, Spark and pandas code against these names; one style across all schemas means nobody has to remember how each team spelled `user_id`.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "userId", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
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

fn is_snake(s: &str) -> bool {
    s.split('_').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

fn is_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let snake = ctx.options.field_case == FieldCase::Snake;
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
            message: format!("field name `{}` is not in {}", f.name, if snake { "snake_case" } else { "camelCase" }),
            help: format!("rename it to `{fixed}` and keep the old name in the field's `aliases`"),
        });
    }
}
