//! Avro Parsing Canonical Form and schema fingerprints.
//!
//! Follows the specification's transformation rules as Java's `SchemaNormalization` applies
//! them: PRIMITIVES (`{"type":"int"}` -> `"int"`), FULLNAMES (names written in full, no
//! `namespace`), STRIP (only `type`, `name`, `fields`, `symbols`, `items`, `values`, `size`
//! survive — logical-type attributes, `doc`, `aliases`, `default`, `order` and custom
//! properties go), ORDER (`name`, `type`, `fields`, `symbols`, `items`, `values`, `size`),
//! STRINGS, INTEGERS and WHITESPACE. A named type is written in full where it first appears
//! and by full name afterwards, so a schema that uses a type from another file is
//! self-contained. `error` is written as `record`, as Java does.

use crate::core::schema::{SchemaId, SchemaKind, SchemaSet};
use std::collections::HashSet;
use std::fmt::Write;

/// The Parsing Canonical Form of the schema rooted at `id`.
pub fn parsing_canonical_form(set: &SchemaSet, id: SchemaId) -> String {
    let mut out = String::new();
    let mut seen = HashSet::new();
    write_pcf(set, id, &mut seen, &mut out);
    out
}

fn write_pcf<'a>(set: &'a SchemaSet, id: SchemaId, seen: &mut HashSet<&'a str>, out: &mut String) {
    let node = set.resolved(id);
    match &node.kind {
        SchemaKind::Primitive(p) => {
            let _ = write!(out, "\"{}\"", p.name());
        }
        SchemaKind::Array(items) => {
            out.push_str("{\"type\":\"array\",\"items\":");
            write_pcf(set, *items, seen, out);
            out.push('}');
        }
        SchemaKind::Map(values) => {
            out.push_str("{\"type\":\"map\",\"values\":");
            write_pcf(set, *values, seen, out);
            out.push('}');
        }
        SchemaKind::Union(branches) => {
            out.push('[');
            for (i, b) in branches.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_pcf(set, *b, seen, out);
            }
            out.push(']');
        }
        SchemaKind::Record(_) | SchemaKind::Enum(_) | SchemaKind::Fixed(_) => {
            let named = node.named().expect("named kinds have names");
            if !seen.insert(named.full_name.as_str()) {
                let _ = write!(out, "\"{}\"", named.full_name);
                return;
            }
            let kind = match &node.kind {
                SchemaKind::Record(_) => "record",
                SchemaKind::Enum(_) => "enum",
                _ => "fixed",
            };
            let _ = write!(out, "{{\"name\":\"{}\",\"type\":\"{kind}\"", named.full_name);
            match &node.kind {
                SchemaKind::Record(r) => {
                    out.push_str(",\"fields\":[");
                    for (i, f) in r.fields.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        let _ = write!(out, "{{\"name\":\"{}\",\"type\":", f.name);
                        write_pcf(set, f.ty, seen, out);
                        out.push('}');
                    }
                    out.push(']');
                }
                SchemaKind::Enum(e) => {
                    out.push_str(",\"symbols\":[");
                    for (i, (s, _)) in e.symbols.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        let _ = write!(out, "\"{s}\"");
                    }
                    out.push(']');
                }
                SchemaKind::Fixed(f) => {
                    let _ = write!(out, ",\"size\":{}", f.size);
                }
                _ => {}
            }
            out.push('}');
        }
        // Unresolved or invalid parts have no canonical form; callers only ask for valid sets.
        SchemaKind::Ref(r) => {
            let _ = write!(out, "\"{}\"", r.candidates.first().map(String::as_str).unwrap_or(""));
        }
        SchemaKind::Invalid => out.push_str("null"),
    }
}

const EMPTY64: u64 = 0xc15d_213a_a4d7_a795;

fn rabin_table() -> &'static [u64; 256] {
    static TABLE: std::sync::OnceLock<[u64; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u64; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut fp = i as u64;
            for _ in 0..8 {
                fp = (fp >> 1) ^ (EMPTY64 & (fp & 1).wrapping_neg());
            }
            *slot = fp;
        }
        t
    })
}

/// CRC-64-AVRO ("Rabin") fingerprint of bytes, as Java's `SchemaNormalization.fingerprint64`.
pub fn rabin(data: &[u8]) -> u64 {
    let t = rabin_table();
    let mut fp = EMPTY64;
    for &b in data {
        fp = (fp >> 8) ^ t[((fp ^ b as u64) & 0xff) as usize];
    }
    fp
}

/// Every fingerprint of a canonical form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fingerprints {
    /// CRC-64-AVRO as Java's signed `long` (the form the Avro test suite lists).
    pub rabin_i64: i64,
    /// CRC-64-AVRO as the 8 little-endian bytes of the single-object encoding header, in hex.
    pub rabin_hex: String,
    pub md5: String,
    pub sha256: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub fn fingerprints(canonical: &str) -> Fingerprints {
    use md5::Digest as _;
    let data = canonical.as_bytes();
    let r = rabin(data);
    Fingerprints {
        rabin_i64: r as i64,
        rabin_hex: hex(&r.to_le_bytes()),
        md5: hex(&md5::Md5::digest(data)),
        sha256: hex(&sha2::Sha256::digest(data)),
    }
}

#[cfg(test)]
mod tests;
