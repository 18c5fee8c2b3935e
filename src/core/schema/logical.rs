//! Logical types and their validation (`org.apache.avro.LogicalTypes` in Java 1.12).
//!
//! Java ignores a logical type it does not know or that is invalid for its schema: the schema
//! is then read as its underlying type. schemapipe keeps that verdict (the schema is valid)
//! and reports a warning, because readers will silently see the raw type.

use super::Primitive;
use crate::core::json::{Node, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicalType {
    Decimal { precision: u32, scale: u32 },
    BigDecimal,
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
}

impl LogicalType {
    pub fn name(self) -> &'static str {
        match self {
            LogicalType::Decimal { .. } => "decimal",
            LogicalType::BigDecimal => "big-decimal",
            LogicalType::Uuid => "uuid",
            LogicalType::Date => "date",
            LogicalType::TimeMillis => "time-millis",
            LogicalType::TimeMicros => "time-micros",
            LogicalType::TimestampMillis => "timestamp-millis",
            LogicalType::TimestampMicros => "timestamp-micros",
            LogicalType::TimestampNanos => "timestamp-nanos",
            LogicalType::LocalTimestampMillis => "local-timestamp-millis",
            LogicalType::LocalTimestampMicros => "local-timestamp-micros",
            LogicalType::LocalTimestampNanos => "local-timestamp-nanos",
            LogicalType::Duration => "duration",
        }
    }
}

/// Every logical type name Java knows.
pub const KNOWN: [&str; 13] = [
    "decimal",
    "big-decimal",
    "uuid",
    "date",
    "time-millis",
    "time-micros",
    "timestamp-millis",
    "timestamp-micros",
    "timestamp-nanos",
    "local-timestamp-millis",
    "local-timestamp-micros",
    "local-timestamp-nanos",
    "duration",
];

/// The underlying type a logical type annotates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Primitive(Primitive),
    Fixed(u32),
    Other(&'static str),
}

impl Base {
    fn describe(self) -> String {
        match self {
            Base::Primitive(p) => format!("`{}`", p.name()),
            Base::Fixed(n) => format!("`fixed` of size {n}"),
            Base::Other(k) => format!("`{k}`"),
        }
    }
}

/// What the `logicalType` attribute of a schema amounts to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// No `logicalType` attribute.
    Absent,
    Valid(LogicalType),
    /// A known logical type whose attributes or base type are wrong: Java ignores it.
    Invalid {
        /// The attribute at fault (`logicalType`, `precision` or `scale`).
        at: &'static str,
        name: String,
        reason: String,
        help: String,
    },
    /// A name Java does not know: Java ignores it.
    Unknown {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// `logicalType` is not a string: Java ignores it.
    NotAString,
}

fn int_prop(props: &[(String, Node)], key: &str) -> Option<Result<i32, String>> {
    let v = &props.iter().find(|(k, _)| k == key)?.1;
    Some(match &v.value {
        Value::Number(n) if n.is_integer => match n.as_i32() {
            Some(i) => Ok(i),
            None => Err(format!("`{key}` {} is out of the int range", n.raw)),
        },
        _ => Err(format!("`{key}` must be an integer, not {}", v.kind_name())),
    })
}

/// Java's largest decimal precision a fixed of `size` bytes holds: floor(log10(2^(8*size-1) - 1)).
pub fn max_fixed_precision(size: u32) -> i64 {
    if size == 0 {
        return 0;
    }
    ((8.0 * size as f64 - 1.0) * std::f64::consts::LOG10_2).floor() as i64
}

pub fn evaluate(base: Base, props: &[(String, Node)]) -> Outcome {
    let Some((_, lt)) = props.iter().find(|(k, _)| k == "logicalType") else {
        return Outcome::Absent;
    };
    let Some(name) = lt.as_str() else {
        return Outcome::NotAString;
    };
    // Java's LogicalType.validate refuses these code-generation hints next to a logical type.
    if KNOWN.contains(&name) {
        if let Some((k, _)) = props.iter().find(|(k, _)| {
            ["avro.java.string", "java-class", "java-key-class", "java-element-class"].contains(&k.as_str())
        }) {
            return Outcome::Invalid {
                at: "logicalType",
                name: name.to_string(),
                reason: format!("logical type `{name}` cannot be combined with the `{k}` property"),
                help: format!("remove `{k}` or the logical type"),
            };
        }
    }
    let invalid_at = |at: &'static str, reason: String, help: &str| Outcome::Invalid {
        at,
        name: name.to_string(),
        reason,
        help: help.to_string(),
    };
    let invalid = |reason: String, help: &str| invalid_at("logicalType", reason, help);
    use LogicalType as L;
    use Primitive as P;
    let on = |want: &str| -> Outcome {
        invalid(
            format!("logical type `{name}` must annotate {want}, not {}", base.describe()),
            &format!("use `{{\"type\": {want}, \"logicalType\": \"{name}\"}}`"),
        )
    };
    let simple = |lt: LogicalType, p: Primitive| {
        if base == Base::Primitive(p) {
            Outcome::Valid(lt)
        } else {
            on(&format!("\"{}\"", p.name()))
        }
    };
    match name {
        "decimal" => {
            if !matches!(base, Base::Primitive(P::Bytes) | Base::Fixed(_)) {
                return on("\"bytes\" or a fixed");
            }
            let precision = match int_prop(props, "precision") {
                None => {
                    return invalid(
                        "decimal has no `precision`".into(),
                        "add `\"precision\"`: the total number of digits",
                    )
                }
                Some(Err(e)) => return invalid_at("precision", e, "set `precision` to a positive integer"),
                Some(Ok(p)) => p,
            };
            let scale = match int_prop(props, "scale") {
                None => 0,
                Some(Err(e)) => return invalid_at("scale", e, "set `scale` to an integer from 0 to the precision"),
                Some(Ok(s)) => s,
            };
            if precision <= 0 {
                return invalid_at(
                    "precision",
                    format!("decimal precision {precision} is not positive"),
                    "set `precision` to a positive integer",
                );
            }
            if let Base::Fixed(size) = base {
                let max = max_fixed_precision(size);
                if precision as i64 > max {
                    return invalid_at(
                        "precision",
                        format!("a fixed of size {size} cannot hold {precision} decimal digits (at most {max})"),
                        "lower the precision or enlarge the fixed size",
                    );
                }
            }
            if scale < 0 {
                return invalid_at(
                    "scale",
                    format!("decimal scale {scale} is negative"),
                    "set `scale` to an integer from 0 to the precision",
                );
            }
            if scale > precision {
                return invalid_at(
                    "scale",
                    format!("decimal scale {scale} is greater than its precision {precision}"),
                    "make `scale` at most `precision`",
                );
            }
            Outcome::Valid(L::Decimal { precision: precision as u32, scale: scale as u32 })
        }
        "big-decimal" => simple(L::BigDecimal, P::Bytes),
        "uuid" => match base {
            Base::Primitive(P::String) | Base::Fixed(16) => Outcome::Valid(L::Uuid),
            _ => on("\"string\" or a fixed of size 16"),
        },
        "date" => simple(L::Date, P::Int),
        "time-millis" => simple(L::TimeMillis, P::Int),
        "time-micros" => simple(L::TimeMicros, P::Long),
        "timestamp-millis" => simple(L::TimestampMillis, P::Long),
        "timestamp-micros" => simple(L::TimestampMicros, P::Long),
        "timestamp-nanos" => simple(L::TimestampNanos, P::Long),
        "local-timestamp-millis" => simple(L::LocalTimestampMillis, P::Long),
        "local-timestamp-micros" => simple(L::LocalTimestampMicros, P::Long),
        "local-timestamp-nanos" => simple(L::LocalTimestampNanos, P::Long),
        "duration" => match base {
            Base::Fixed(12) => Outcome::Valid(L::Duration),
            _ => on("a fixed of size 12"),
        },
        _ => Outcome::Unknown {
            name: name.to_string(),
            suggestion: crate::core::finding::did_you_mean(name, KNOWN.iter().copied()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::{parse, Limits};

    fn props(json: &str) -> Vec<(String, Node)> {
        let root = parse(json, &Limits::default()).unwrap().root;
        root.as_object().unwrap().iter().map(|m| (m.key.to_string(), m.value.clone())).collect()
    }

    fn eval(base: Base, json: &str) -> Outcome {
        evaluate(base, &props(json))
    }

    #[test]
    fn decimal_rules() {
        let bytes = Base::Primitive(Primitive::Bytes);
        assert_eq!(
            eval(bytes, r#"{"logicalType":"decimal","precision":10,"scale":2}"#),
            Outcome::Valid(LogicalType::Decimal { precision: 10, scale: 2 })
        );
        assert_eq!(
            eval(bytes, r#"{"logicalType":"decimal","precision":10}"#),
            Outcome::Valid(LogicalType::Decimal { precision: 10, scale: 0 })
        );
        for bad in [
            r#"{"logicalType":"decimal"}"#,
            r#"{"logicalType":"decimal","precision":0}"#,
            r#"{"logicalType":"decimal","precision":-1}"#,
            r#"{"logicalType":"decimal","precision":4,"scale":6}"#,
            r#"{"logicalType":"decimal","precision":4,"scale":-1}"#,
            r#"{"logicalType":"decimal","precision":"4"}"#,
            r#"{"logicalType":"decimal","precision":4.0}"#,
            r#"{"logicalType":"decimal","precision":4,"scale":1.5}"#,
            r#"{"logicalType":"decimal","precision":3000000000}"#,
        ] {
            assert!(matches!(eval(bytes, bad), Outcome::Invalid { .. }), "{bad}");
        }
        assert!(matches!(
            eval(Base::Primitive(Primitive::String), r#"{"logicalType":"decimal","precision":4}"#),
            Outcome::Invalid { .. }
        ));
    }

    #[test]
    fn fixed_decimal_capacity_matches_java() {
        // Values from Java's maxPrecision: size 1 -> 2, 4 -> 9, 8 -> 18, 16 -> 38.
        assert_eq!(max_fixed_precision(1), 2);
        assert_eq!(max_fixed_precision(4), 9);
        assert_eq!(max_fixed_precision(8), 18);
        assert_eq!(max_fixed_precision(16), 38);
        assert!(matches!(eval(Base::Fixed(8), r#"{"logicalType":"decimal","precision":19}"#), Outcome::Invalid { .. }));
        assert!(matches!(eval(Base::Fixed(8), r#"{"logicalType":"decimal","precision":18}"#), Outcome::Valid(_)));
    }

    #[test]
    fn base_types() {
        let long = Base::Primitive(Primitive::Long);
        let int = Base::Primitive(Primitive::Int);
        assert_eq!(eval(long, r#"{"logicalType":"timestamp-millis"}"#), Outcome::Valid(LogicalType::TimestampMillis));
        assert!(matches!(eval(int, r#"{"logicalType":"timestamp-millis"}"#), Outcome::Invalid { .. }));
        assert_eq!(eval(int, r#"{"logicalType":"date"}"#), Outcome::Valid(LogicalType::Date));
        assert_eq!(eval(Base::Fixed(16), r#"{"logicalType":"uuid"}"#), Outcome::Valid(LogicalType::Uuid));
        assert!(matches!(eval(Base::Fixed(15), r#"{"logicalType":"uuid"}"#), Outcome::Invalid { .. }));
        assert_eq!(eval(Base::Fixed(12), r#"{"logicalType":"duration"}"#), Outcome::Valid(LogicalType::Duration));
        assert!(matches!(
            eval(long, r#"{"logicalType":"timestamp-milis"}"#),
            Outcome::Unknown { suggestion: Some("timestamp-millis"), .. }
        ));
        assert_eq!(eval(long, r#"{"logicalType":5}"#), Outcome::NotAString);
        assert_eq!(eval(long, r#"{"other":5}"#), Outcome::Absent);
        let s = Base::Primitive(Primitive::String);
        assert!(matches!(eval(s, r#"{"logicalType":"uuid","avro.java.string":"String"}"#), Outcome::Invalid { .. }));
    }
}
