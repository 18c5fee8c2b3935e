//! What a value means, beyond its bytes: a `long` with `timestamp-millis` is an instant, the
//! bytes of a `decimal` are a number at a scale. Schema resolution (and the registry's type
//! rules) ignore logical types, so a value can survive resolution and still mean something
//! else: [`compare`] walks a value as the writer wrote it and as the reader read it, and names
//! the first place where the meanings differ.

use super::{logical_label, Codec, Id, Type, Value};
use crate::core::schema::logical::LogicalType;

/// A place where a value reads differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// Where in the event (`.amount`).
    pub path: String,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Meaning {
    Null,
    Bool(bool),
    Integer(i128),
    Real(f64),
    Text(Vec<u8>),
    /// Canonical decimal text (no trailing zeros).
    Decimal(String),
    /// Nanoseconds since the epoch; `true` for local (zoneless) timestamps.
    Instant(i128, bool),
    Date(i64),
    /// Nanoseconds since midnight.
    Time(i128),
    Symbol(String),
    Raw(Vec<u8>),
}

/// The unscaled two's-complement big-endian integer as decimal digits with a sign.
pub fn decimal_text(bytes: &[u8], scale: u32) -> String {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    // Magnitude: two's complement negated when negative.
    let mut mag: Vec<u8> = if negative {
        let mut m: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for b in m.iter_mut().rev() {
            let (x, carry) = b.overflowing_add(1);
            *b = x;
            if !carry {
                break;
            }
        }
        m
    } else {
        bytes.to_vec()
    };
    let mut digits = Vec::new();
    while mag.iter().any(|b| *b != 0) {
        let mut rem = 0u32;
        for b in mag.iter_mut() {
            let cur = (rem << 8) | *b as u32;
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    while digits.len() <= scale as usize {
        digits.push(b'0');
    }
    digits.reverse();
    let mut s = String::from_utf8(digits).unwrap_or_default();
    if scale > 0 {
        s.insert(s.len() - scale as usize, '.');
    }
    if negative {
        s.insert(0, '-');
    }
    s
}

fn canonical_decimal(s: &str) -> String {
    let t = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s };
    if t == "-0" || t.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

/// Days since 1970-01-01 as a civil date.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn instant_text(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    if days.abs() > 100_000_000 {
        return format!("{nanos} ns");
    }
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

fn leaf(codec: &Codec, id: Id, v: &Value) -> Meaning {
    let logical = codec.node(id).logical;
    match (v, logical) {
        (Value::Null, _) => Meaning::Null,
        (Value::Boolean(b), _) => Meaning::Bool(*b),
        (Value::Int(i), Some(LogicalType::Date)) => Meaning::Date(*i as i64),
        (Value::Int(i), Some(LogicalType::TimeMillis)) => Meaning::Time(*i as i128 * 1_000_000),
        (Value::Long(i), Some(LogicalType::TimeMicros)) => Meaning::Time(*i as i128 * 1_000),
        (Value::Long(i), Some(LogicalType::TimestampMillis)) => Meaning::Instant(*i as i128 * 1_000_000, false),
        (Value::Long(i), Some(LogicalType::TimestampMicros)) => Meaning::Instant(*i as i128 * 1_000, false),
        (Value::Long(i), Some(LogicalType::TimestampNanos)) => Meaning::Instant(*i as i128, false),
        (Value::Long(i), Some(LogicalType::LocalTimestampMillis)) => Meaning::Instant(*i as i128 * 1_000_000, true),
        (Value::Long(i), Some(LogicalType::LocalTimestampMicros)) => Meaning::Instant(*i as i128 * 1_000, true),
        (Value::Long(i), Some(LogicalType::LocalTimestampNanos)) => Meaning::Instant(*i as i128, true),
        (Value::Int(i), _) => Meaning::Integer(*i as i128),
        (Value::Long(i), _) => Meaning::Integer(*i as i128),
        (Value::Float(x), _) => Meaning::Real(*x as f64),
        (Value::Double(x), _) => Meaning::Real(*x),
        (Value::Bytes(b) | Value::Fixed(b), Some(LogicalType::Decimal { scale, .. })) => {
            Meaning::Decimal(canonical_decimal(&decimal_text(b, scale)))
        }
        (Value::String(s), _) => Meaning::Text(s.as_bytes().to_vec()),
        (Value::Bytes(b), _) => Meaning::Text(b.clone()),
        (Value::Fixed(b), _) => Meaning::Raw(b.clone()),
        (Value::Enum(i), _) => match &codec.node(id).ty {
            Type::Enum { symbols, .. } => Meaning::Symbol(symbols.get(*i as usize).cloned().unwrap_or_default()),
            _ => Meaning::Null,
        },
        _ => Meaning::Null,
    }
}

fn same(a: &Meaning, b: &Meaning) -> bool {
    match (a, b) {
        (Meaning::Integer(i), Meaning::Real(x)) | (Meaning::Real(x), Meaning::Integer(i)) => {
            x.is_finite() && x.fract() == 0.0 && x.abs() < 1.7e38 && (*x as i128) == *i
        }
        (Meaning::Real(x), Meaning::Real(y)) => x == y || (x.is_nan() && y.is_nan()),
        (a, b) => a == b,
    }
}

fn shown(codec: &Codec, id: Id, v: &Value) -> String {
    let mut raw = String::new();
    super::json::to_json(codec, id, v, &mut raw);
    let logical = codec.node(id).logical;
    let m = leaf(codec, id, v);
    let extra = match &m {
        Meaning::Decimal(s) => Some(s.clone()),
        Meaning::Instant(n, local) => Some(format!("{}{}", instant_text(*n), if *local { " local" } else { "Z" })),
        Meaning::Date(d) => {
            let (y, mo, da) = civil(*d);
            Some(format!("{y:04}-{mo:02}-{da:02}"))
        }
        _ => None,
    };
    let ty = match logical {
        Some(l) => format!("{} {}", codec.branch_name(id), logical_label(l)),
        None => codec.branch_name(id).to_string(),
    };
    match extra {
        Some(e) => format!("{raw} ({ty}: {e})"),
        None => format!("{raw} ({ty})"),
    }
}

/// Compares `wv` (a value of the writer's node `w`) with `rv` (what the reader's node `r` read
/// from it), field by field; the first place where they mean different things.
pub fn compare(wc: &Codec, w: Id, wv: &Value, rc: &Codec, r: Id, rv: &Value) -> Option<Difference> {
    let mut path = String::new();
    walk(wc, w, wv, rc, r, rv, &mut path, 0)
}

#[allow(clippy::too_many_arguments)]
fn walk(
    wc: &Codec,
    w: Id,
    wv: &Value,
    rc: &Codec,
    r: Id,
    rv: &Value,
    path: &mut String,
    depth: usize,
) -> Option<Difference> {
    if depth > super::MAX_DEPTH {
        return None;
    }
    if let (Type::Union(bs), Value::Union(i, x)) = (&wc.node(w).ty, wv) {
        return walk(wc, bs[*i as usize], x, rc, r, rv, path, depth + 1);
    }
    if let (Type::Union(bs), Value::Union(i, x)) = (&rc.node(r).ty, rv) {
        return walk(wc, w, wv, rc, bs[*i as usize], x, path, depth + 1);
    }
    let here = |why: String| Some(Difference { path: if path.is_empty() { ".".into() } else { path.clone() }, why });
    match (&wc.node(w).ty, wv, &rc.node(r).ty, rv) {
        (Type::Record { fields: wf, .. }, Value::Record(wx), Type::Record { fields: rf, .. }, Value::Record(rx)) => {
            for (k, f) in rf.iter().enumerate() {
                let i = wf
                    .iter()
                    .position(|g| g.name == f.name)
                    .or_else(|| wf.iter().position(|g| f.aliases.iter().any(|a| a == &g.name)));
                if let Some(i) = i {
                    let len = path.len();
                    path.push('.');
                    path.push_str(&f.name);
                    if let Some(d) = walk(wc, wf[i].ty, &wx[i], rc, f.ty, &rx[k], path, depth + 1) {
                        return Some(d);
                    }
                    path.truncate(len);
                }
            }
            None
        }
        (Type::Array(wi), Value::Array(wx), Type::Array(ri), Value::Array(rx)) => {
            for (k, (a, b)) in wx.iter().zip(rx).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{k}]"));
                if let Some(d) = walk(wc, *wi, a, rc, *ri, b, path, depth + 1) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        (Type::Map(wi), Value::Map(wx), Type::Map(ri), Value::Map(rx)) => {
            for ((k, a), (_, b)) in wx.iter().zip(rx) {
                let len = path.len();
                path.push_str(&format!("[\"{k}\"]"));
                if let Some(d) = walk(wc, *wi, a, rc, *ri, b, path, depth + 1) {
                    return Some(d);
                }
                path.truncate(len);
            }
            None
        }
        _ => {
            let (a, b) = (leaf(wc, w, wv), leaf(rc, r, rv));
            let (wl, rl) = (wc.node(w).logical, rc.node(r).logical);
            let kinds_differ = std::mem::discriminant(&a) != std::mem::discriminant(&b)
                && !matches!(
                    (&a, &b),
                    (Meaning::Integer(_), Meaning::Real(_)) | (Meaning::Real(_), Meaning::Integer(_))
                );
            if same(&a, &b) && !kinds_differ {
                return None;
            }
            let why = if let (Meaning::Symbol(x), Meaning::Symbol(y)) = (&a, &b) {
                format!("enum symbol `{x}` is not in the reader's enum and reads as its default `{y}`")
            } else if wl != rl {
                format!(
                    "written as {} and read as {}: the logical type changed from {} to {}, so the same bytes mean something else",
                    shown(wc, w, wv),
                    shown(rc, r, rv),
                    wl.map(logical_label).unwrap_or_else(|| "none".into()),
                    rl.map(logical_label).unwrap_or_else(|| "none".into())
                )
            } else {
                format!("written as {} and read as {}", shown(wc, w, wv), shown(rc, r, rv))
            };
            here(why)
        }
    }
}
