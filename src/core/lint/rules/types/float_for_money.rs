//! `float-for-money`: A money-like field is a `float` or `double`.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::{Primitive, SchemaKind};

pub static RULE: Rule = Rule {
    code: "float-for-money",
    category: Category::Types,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "A money-like field is a `float` or `double`.",
    what: "Reports fields whose name says money (amount, price, total, cost, fee, balance, tax, discount, revenue...) and whose type is `float` or `double` (optional or not).",
    why: "Binary floating point cannot hold 0.10 exactly; sums drift, reconciliations fail by cents, and every consumer rounds differently. Use the `decimal` logical type (bytes or fixed, with precision and scale) or an integer amount of minor units.",
    bad: r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "default": "", "doc": "Payment id from the PSP."},
    {"name": "amount", "type": "double", "default": 0.0, "doc": "Captured amount in EUR."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "PaymentCaptured",
  "namespace": "com.acme.payments",
  "doc": "A payment was captured.",
  "fields": [
    {"name": "payment_id", "type": "string", "default": "", "doc": "Payment id from the PSP."},
    {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}, "default": "", "doc": "Captured amount in EUR."}
  ]
}"#,
    bad_path: None,
    check,
};

const MONEY: &[&str] = &[
    "amount",
    "price",
    "total",
    "subtotal",
    "cost",
    "fee",
    "fees",
    "balance",
    "tax",
    "vat",
    "discount",
    "revenue",
    "payment",
    "refund",
    "charge",
    "salary",
    "wage",
    "payout",
    "tip",
    "surcharge",
    "commission",
    "money",
    "gmv",
];
/// Words that make a money-ish name about something else (`total_count`, `tax_rate`).
const NOT_MONEY: &[&str] = &[
    "count",
    "items",
    "quantity",
    "qty",
    "num",
    "number",
    "rate",
    "ratio",
    "pct",
    "percent",
    "percentage",
    "score",
    "weight",
    "distance",
    "duration",
    "ms",
    "seconds",
];

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for f in ctx.fields() {
        // The type first: it is cheap, and most fields are not floating point.
        let Some(t) = ctx.value_type(f.ty) else { continue };
        if !matches!(t.kind, SchemaKind::Primitive(Primitive::Float | Primitive::Double)) {
            continue;
        }
        let w = crate::core::lint::words(&f.name);
        if w.iter().any(|x| MONEY.contains(&x.as_str())) && !w.iter().any(|x| NOT_MONEY.contains(&x.as_str())) {
            out.push(Hit {
                labels: Vec::new(),
                span: ctx.type_span(f),
                pointer: format!("{}/type", f.pointer),
                message: format!("money-like field `{}` is a binary floating-point number", f.name),
                help: "use {\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 18, \"scale\": 2} (or a long in minor units)".into(),
            });
        }
    }
}
