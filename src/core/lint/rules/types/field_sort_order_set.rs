//! `field-sort-order-set`: A field sets `order` to `descending` or `ignore`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::Order;

pub static RULE: Rule = Rule {
    code: "field-sort-order-set",
    category: Category::Types,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A field sets `order` to `descending` or `ignore`.",
    what: "Reports fields whose `order` is not the default `ascending`.",
    why: "`order` only affects Avro's binary sort of records, which almost no pipeline uses; when set, it is usually a misunderstanding, and it silently changes how equal records compare.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up.", "order": "descending"}
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

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for f in ctx.fields() {
        if f.order != Order::Ascending {
            out.push(Hit {
                labels: Vec::new(),
                span: f.name_span,
                pointer: format!("{}/order", f.pointer),
                message: format!("field `{}` sets a sort order", f.name),
                help: "remove `order` unless Avro's binary sort order really matters here".into(),
            });
        }
    }
}
