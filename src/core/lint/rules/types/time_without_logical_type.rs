//! `time-without-logical-type`: A time-like field is an int, long or string without a logical type.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::{Primitive, SchemaKind};

pub static RULE: Rule = Rule {
    code: "time-without-logical-type",
    category: Category::Types,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A time-like field is an int, long or string without a logical type.",
    what: "Reports fields named like points in time (`*_at`, `*_time`, `*_date`, `*_ts`, `timestamp`, `ts_ms`, and their camelCase forms) whose type is `int`, `long` or `string` without a logical type.",
    why: "Without `timestamp-millis` (or `-micros`, `date`, `local-timestamp-*`) every consumer guesses the unit and the epoch; seconds read as milliseconds put events in 1970. The logical type documents it and lets Spark, Flink, Kafka Connect sinks and code generators map it to a real timestamp type.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "created_at", "type": "long", "default": 0, "doc": "When the account was created, milliseconds since the epoch (UTC)."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 0, "doc": "When the account was created (UTC)."}
  ]
}"#,
    bad_path: None,
    check,
};

fn time_like(name: &str) -> bool {
    // A cheap look at the ending first: every time-like name ends in one of these.
    let lower = name.as_bytes();
    let ends =
        |suffix: &[u8]| lower.len() >= suffix.len() && lower[lower.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
    if !(ends(b"at")
        || ends(b"time")
        || ends(b"timestamp")
        || ends(b"ts")
        || ends(b"date")
        || ends(b"datetime")
        || ends(b"ms"))
    {
        return false;
    }
    let w = crate::core::lint::words(name);
    let last = w.last().map(String::as_str).unwrap_or("");
    matches!(last, "at" | "time" | "timestamp" | "ts" | "date" | "datetime")
        || w.as_slice() == ["ts", "ms"]
        || (w.len() >= 2 && w[w.len() - 1] == "ms" && w[w.len() - 2] == "ts")
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for f in ctx.fields() {
        if !time_like(&f.name) {
            continue;
        }
        let Some(t) = ctx.value_type(f.ty) else { continue };
        if t.logical.is_none()
            && matches!(t.kind, SchemaKind::Primitive(Primitive::Int | Primitive::Long | Primitive::String))
        {
            out.push(Hit {
                labels: Vec::new(),
                span: ctx.type_span(f),
                pointer: format!("{}/type", f.pointer),
                message: format!("time-like field `{}` has no logical type", f.name),
                help: "use {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"} (or `date` on int for calendar dates)".into(),
            });
        }
    }
}
