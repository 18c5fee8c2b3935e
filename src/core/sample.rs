//! Random valid events for a schema, reproducible from a seed: logical types are honoured (a
//! decimal fits its precision, a uuid is a uuid, a date is a plausible date), enums take their
//! symbols, unions any branch, and recursion ends (past a depth, unions take a branch that
//! does not recurse and arrays and maps are empty). Pure: the caller encodes and prints.

use crate::core::codec::{Codec, Id, Type, Value};
use crate::core::schema::logical::LogicalType;

/// Nesting past which generated values stop growing.
pub const SOFT_DEPTH: usize = 6;

/// A small, fast, reproducible generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "alpha", "berlin", "coffee", "delta", "emerald", "falcon", "granite", "harbor", "indigo", "juniper", "kestrel",
    "lumen", "meadow", "nova", "orchid", "pioneer", "quartz", "river", "saffron", "tundra", "umber", "violet",
    "willow", "xenon", "yarrow", "zephyr",
];

/// Whether a value of `id` can end without going through a record that contains itself
/// (used to pick union branches past the soft depth): scalars, enums, fixed, null, arrays and
/// maps (they can be empty) are always finite.
fn finite(codec: &Codec, id: Id, seen: &mut Vec<Id>) -> bool {
    match &codec.node(id).ty {
        Type::Record { fields, .. } => {
            if seen.contains(&id) {
                return false;
            }
            seen.push(id);
            let ok = fields.iter().all(|f| finite(codec, f.ty, seen));
            seen.pop();
            ok
        }
        Type::Union(bs) => bs.iter().any(|b| finite(codec, *b, seen)),
        _ => true,
    }
}

fn decimal_bytes(unscaled: i128, width: Option<usize>) -> Vec<u8> {
    let full = unscaled.to_be_bytes();
    match width {
        Some(n) => {
            let fill = if unscaled < 0 { 0xFF } else { 0 };
            let mut out = vec![fill; n.saturating_sub(16)];
            out.extend_from_slice(&full[16usize.saturating_sub(n)..]);
            out
        }
        None => {
            // Minimal two's complement, as Java's BigInteger.toByteArray.
            let mut i = 0;
            while i < 15 {
                let (b, next) = (full[i], full[i + 1]);
                if (b == 0 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) {
                    i += 1;
                } else {
                    break;
                }
            }
            full[i..].to_vec()
        }
    }
}

/// Why a schema has no value to sample, and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoValue {
    pub message: String,
    pub help: &'static str,
}

impl NoValue {
    fn new(message: String, help: &'static str) -> Self {
        NoValue { message, help }
    }
}

/// A random value of node `id`.
pub fn sample(codec: &Codec, id: Id, rng: &mut Rng) -> Result<Value, NoValue> {
    gen(codec, id, rng, 0, "").map_err(|e| match e.message.as_str() {
        // Past the limit with no record on the way (arrays, maps and unions only).
        ENDLESS => NoValue::new(
            format!("{} nests types more than {MAX_SAMPLE_DEPTH} levels deep: too deep to sample", codec.describe(id)),
            "sample a part of the schema that nests less deeply",
        ),
        _ => e,
    })
}

const FIRST: &[&str] =
    &["Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jonas", "Keiko", "Lena"];
const LAST: &[&str] = &["Lovelace", "Schulz", "Rossi", "Ivanov", "Yilmaz", "Haddad", "Novak", "Sato", "Berg", "Meyer"];
const CITIES: &[&str] = &["Berlin", "Lisbon", "Toronto", "Osaka", "Nairobi", "Austin", "Krakow", "Melbourne"];
const COUNTRIES: &[&str] = &["DE", "PT", "CA", "JP", "KE", "US", "PL", "AU"];
const CURRENCIES: &[&str] = &["EUR", "USD", "GBP", "JPY", "CAD"];

fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.below(xs.len() as u64) as usize]
}

/// A plausible string for a field called `hint` (`email`, `country_code`, `city`…).
fn text_for(hint: &str, rng: &mut Rng) -> Option<String> {
    let h = hint.to_ascii_lowercase();
    let has = |w: &str| h.contains(w);
    Some(if has("email") {
        format!("{}.{}@example.com", pick(rng, FIRST), pick(rng, LAST)).to_ascii_lowercase()
    } else if has("country") {
        pick(rng, COUNTRIES).to_string()
    } else if has("currency") {
        pick(rng, CURRENCIES).to_string()
    } else if has("city") {
        pick(rng, CITIES).to_string()
    } else if has("ip") && (h == "ip" || has("ip_") || has("_ip")) {
        format!("203.0.113.{}", rng.range(1, 254))
    } else if has("url") || has("uri") || has("link") {
        format!("https://shop.example.com/{}/{}", pick(rng, WORDS), rng.range(1, 9999))
    } else if has("first_name") || has("given") {
        pick(rng, FIRST).to_string()
    } else if has("last_name") || has("family") || has("surname") {
        pick(rng, LAST).to_string()
    } else if has("name") {
        format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
    } else if has("postal") || has("zip") {
        format!("{:05}", rng.range(1000, 99999))
    } else if has("street") || has("line1") || has("address") {
        format!("{} {} Street", rng.range(1, 200), pick(rng, LAST))
    } else if has("phone") {
        format!("+49 30 {:07}", rng.range(0, 9_999_999))
    } else if has("version") {
        format!("{}.{}.{}", rng.range(1, 5), rng.range(0, 20), rng.range(0, 9))
    } else if has("locale") || has("language") {
        pick(rng, &["en-US", "de-DE", "pt-PT", "ja-JP", "fr-CA"]).to_string()
    } else if has("zone") {
        pick(rng, &["Europe/Berlin", "America/Toronto", "Asia/Tokyo", "UTC"]).to_string()
    } else if h.ends_with("_id") || h == "id" || has("sku") || has("code") || has("reference") {
        let prefix: String = h.trim_end_matches("_id").chars().filter(|c| c.is_ascii_alphabetic()).take(3).collect();
        let prefix = if prefix.is_empty() { "id".to_string() } else { prefix };
        format!("{prefix}-{:06}", rng.range(0, 999_999))
    } else {
        return None;
    })
}

/// How deep a value is built (as deep as `generate` writes types).
const MAX_SAMPLE_DEPTH: usize = 200;

/// What [`gen`] returns past its depth limit, until a record names the cycle.
const ENDLESS: &str = "\u{0}endless";

fn gen(codec: &Codec, id: Id, rng: &mut Rng, depth: usize, hint: &str) -> Result<Value, NoValue> {
    if depth > MAX_SAMPLE_DEPTH {
        // Named by the innermost record on the way back up: it is part of the cycle.
        return Err(NoValue::new(ENDLESS.into(), ""));
    }
    let n = codec.node(id);
    Ok(match (&n.ty, n.logical) {
        (Type::Null, _) => Value::Null,
        (Type::Boolean, _) => Value::Boolean(rng.chance(50)),
        // 2000-01-01 .. 2030-12-31
        (Type::Int, Some(LogicalType::Date)) => Value::Int(rng.range(10_957, 22_279) as i32),
        (Type::Int, Some(LogicalType::TimeMillis)) => Value::Int(rng.range(0, 86_399_999) as i32),
        (Type::Int, _) => {
            Value::Int(if rng.chance(80) { rng.range(0, 1000) } else { rng.next_u64() as i32 as i64 } as i32)
        }
        (Type::Long, Some(l)) => {
            // 2020-01-01T00:00:00Z .. 2026-12-31
            let ms = rng.range(1_577_836_800_000, 1_798_675_200_000) as i128;
            let v = match l {
                LogicalType::TimeMicros => rng.range(0, 86_399_999_999) as i128,
                LogicalType::TimestampMillis | LogicalType::LocalTimestampMillis => ms,
                LogicalType::TimestampMicros | LogicalType::LocalTimestampMicros => {
                    ms * 1000 + rng.range(0, 999) as i128
                }
                LogicalType::TimestampNanos | LogicalType::LocalTimestampNanos => {
                    ms * 1_000_000 + rng.range(0, 999_999) as i128
                }
                _ => rng.range(0, 1_000_000) as i128,
            };
            Value::Long(v as i64)
        }
        (Type::Long, None) => Value::Long(if rng.chance(95) { rng.range(0, 1_000_000) } else { rng.next_u64() as i64 }),
        (Type::Float, _) => Value::Float((rng.range(-100_000, 100_000) as f32) / 100.0),
        (Type::Double, _) => Value::Double((rng.range(-10_000_000, 10_000_000) as f64) / 1000.0),
        (Type::String, Some(LogicalType::Uuid)) => {
            let (a, b) = (rng.next_u64(), rng.next_u64());
            let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
            let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
            Value::String(format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xFFFF,
                a & 0xFFFF,
                b >> 48,
                b & 0xFFFF_FFFF_FFFF
            ))
        }
        (Type::String, _) if text_for(hint, &mut rng.clone()).is_some() => {
            Value::String(text_for(hint, rng).unwrap_or_default())
        }
        (Type::String, _) => {
            let k = rng.range(1, 3);
            let words: Vec<&str> = (0..k).map(|_| WORDS[rng.below(WORDS.len() as u64) as usize]).collect();
            Value::String(words.join("-"))
        }
        (Type::Bytes, Some(LogicalType::Decimal { precision, .. })) => {
            Value::Bytes(decimal_bytes(unscaled(rng, precision), None))
        }
        (Type::Fixed { size, .. }, Some(LogicalType::Decimal { precision, .. })) => {
            Value::Fixed(decimal_bytes(unscaled(rng, precision), Some(*size)))
        }
        (Type::Fixed { size, .. }, Some(LogicalType::Duration)) if *size == 12 => {
            let mut b = Vec::with_capacity(12);
            for max in [24u64, 30, 86_400_000] {
                b.extend_from_slice(&(rng.below(max) as u32).to_le_bytes());
            }
            Value::Fixed(b)
        }
        (Type::Bytes, _) => {
            let k = rng.below(9) as usize;
            Value::Bytes((0..k).map(|_| rng.below(256) as u8).collect())
        }
        (Type::Fixed { size, .. }, _) => Value::Fixed((0..*size).map(|_| rng.below(256) as u8).collect()),
        (Type::Enum { symbols, .. }, _) if symbols.is_empty() => {
            return Err(NoValue::new(
                format!("{} has no symbols, so it has no value", codec.describe(id)),
                "give the enum a symbol",
            ))
        }
        (Type::Enum { symbols, .. }, _) => Value::Enum(rng.below(symbols.len() as u64) as u32),
        (Type::Array(items), _) => {
            let k = if depth >= SOFT_DEPTH { 0 } else { rng.below(4) };
            let mut out = Vec::new();
            for _ in 0..k {
                out.push(gen(codec, *items, rng, depth + 1, hint)?);
            }
            Value::Array(out)
        }
        (Type::Map(values), _) => {
            let k = if depth >= SOFT_DEPTH { 0 } else { rng.below(3) };
            let mut out: Vec<(String, Value)> = Vec::new();
            for i in 0..k {
                let key = format!("{}{i}", WORDS[rng.below(WORDS.len() as u64) as usize]);
                out.push((key, gen(codec, *values, rng, depth + 1, hint)?));
            }
            Value::Map(out)
        }
        (Type::Record { fields, .. }, _) => {
            let mut out = Vec::with_capacity(fields.len());
            for f in fields {
                out.push(gen(codec, f.ty, rng, depth + 1, &f.name).map_err(|e| match e.message.as_str() {
                    ENDLESS if finite(codec, id, &mut Vec::new()) => NoValue::new(
                        format!(
                            "{} nests types more than {MAX_SAMPLE_DEPTH} levels deep: too deep to sample",
                            codec.describe(id)
                        ),
                        "sample a part of the schema that nests less deeply",
                    ),
                    ENDLESS => NoValue::new(
                        format!(
                            "{} cannot end: it contains itself without a union or array to stop at",
                            codec.describe(id)
                        ),
                        "make the recursive field optional (a union with null) or an array",
                    ),
                    _ => e,
                })?);
            }
            Value::Record(out)
        }
        (Type::Union(bs), _) if bs.is_empty() => {
            return Err(NoValue::new("an empty union has no value".into(), "give the union a branch"))
        }
        (Type::Union(bs), _) => {
            let choices: Vec<usize> = if depth >= SOFT_DEPTH {
                let fin: Vec<usize> = (0..bs.len()).filter(|i| finite(codec, bs[*i], &mut Vec::new())).collect();
                // Prefer null to stop soonest.
                match fin.iter().find(|i| matches!(codec.node(bs[**i]).ty, Type::Null)) {
                    Some(i) => vec![*i],
                    None if !fin.is_empty() => fin,
                    None => (0..bs.len()).collect(),
                }
            } else {
                (0..bs.len()).collect()
            };
            let i = choices[rng.below(choices.len() as u64) as usize];
            Value::Union(i as u32, Box::new(gen(codec, bs[i], rng, depth + 1, hint)?))
        }
    })
}

fn unscaled(rng: &mut Rng, precision: u32) -> i128 {
    let p = precision.clamp(1, 38);
    let digits = rng.range(1, p.min(12) as i64) as u32;
    let max = 10i128.pow(digits) - 1;
    let v = (rng.next_u64() as i128) % (max + 1);
    if rng.chance(15) {
        -v
    } else {
        v
    }
}
