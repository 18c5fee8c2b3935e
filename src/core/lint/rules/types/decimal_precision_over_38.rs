//! `decimal-precision-over-38`: A decimal has a precision above 38 digits.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::logical::LogicalType;

pub static RULE: Rule = Rule {
    code: "decimal-precision-over-38",
    category: Category::Types,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A decimal has a precision above 38 digits.",
    what: "Reports `decimal` logical types whose precision exceeds 38.",
    why: "38 digits is the limit of most consumers (Spark, Hive, BigQuery NUMERIC/BIGNUMERIC, Redshift, Snowflake, Parquet on fixed(16)); wider decimals fail or lose precision in the warehouse.",
    bad: r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "default": "", "doc": "Payment id from the PSP."},
    {"name": "fx_rate", "type": {"type": "bytes", "logicalType": "decimal", "precision": 40, "scale": 20}, "default": "", "doc": "Exchange rate applied."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "default": "", "doc": "Payment id from the PSP."},
    {"name": "fx_rate", "type": {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 18}, "default": "", "doc": "Exchange rate applied."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        if let Some(LogicalType::Decimal { precision, .. }) = node.logical {
            if precision > 38 {
                let span = node.prop("precision").map(|p| p.span).unwrap_or(node.span);
                out.push(Hit {
                    labels: Vec::new(),
                    span,
                    pointer: format!("{}/precision", node.pointer),
                    message: format!("decimal precision {precision} is more than most consumers hold (38)"),
                    help: "use a precision of at most 38".into(),
                });
            }
        }
    }
}
