//! The Avro binary encoding: zig-zag varints, little-endian floats, length-prefixed bytes and
//! strings, arrays and maps in blocks, unions by branch index — byte for byte what Java's
//! `BinaryEncoder` writes (one block per non-empty array or map, then 0).
//!
//! Reading checks every length against the input left before allocating, bounds nesting
//! ([`super::MAX_DEPTH`]) and the count of items that take no bytes, and never panics.

use super::{Codec, Id, Type, Value, MAX_DEPTH};

/// Most items of zero-size types (`null`, empty records) read from one input: they take no
/// bytes, so the input length cannot bound them.
pub const MAX_EMPTY_ITEMS: u64 = 1 << 20;

/// Bad bytes: what is wrong, at which byte offset, reading which schema node.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    pub offset: usize,
    pub message: String,
    /// JSON pointer of the schema node being read.
    pub pointer: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)?;
        if !self.pointer.is_empty() {
            write!(f, " (schema `{}`)", self.pointer)?;
        }
        Ok(())
    }
}

pub fn write_long(out: &mut Vec<u8>, v: i64) {
    let mut n = ((v << 1) ^ (v >> 63)) as u64;
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends the binary encoding of `v` (a value of node `id`) to `out`.
pub fn encode(codec: &Codec, id: Id, v: &Value, out: &mut Vec<u8>) -> Result<(), String> {
    encode_at(codec, id, v, out, 0)
}

fn encode_at(codec: &Codec, id: Id, v: &Value, out: &mut Vec<u8>, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("value nests deeper than {MAX_DEPTH} levels"));
    }
    match (&codec.node(id).ty, v) {
        (Type::Null, Value::Null) => {}
        (Type::Boolean, Value::Boolean(b)) => out.push(*b as u8),
        (Type::Int, Value::Int(i)) => write_long(out, *i as i64),
        (Type::Long, Value::Long(i)) => write_long(out, *i),
        (Type::Float, Value::Float(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::Double, Value::Double(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::Bytes, Value::Bytes(b)) => {
            write_long(out, b.len() as i64);
            out.extend_from_slice(b);
        }
        (Type::String, Value::String(s)) => {
            write_long(out, s.len() as i64);
            out.extend_from_slice(s.as_bytes());
        }
        (Type::Fixed { size, .. }, Value::Fixed(b)) if b.len() == *size => out.extend_from_slice(b),
        (Type::Enum { symbols, .. }, Value::Enum(i)) if (*i as usize) < symbols.len() => write_long(out, *i as i64),
        (Type::Array(items), Value::Array(xs)) => {
            if !xs.is_empty() {
                write_long(out, xs.len() as i64);
                for x in xs {
                    encode_at(codec, *items, x, out, depth + 1)?;
                }
            }
            out.push(0);
        }
        (Type::Map(values), Value::Map(xs)) => {
            if !xs.is_empty() {
                write_long(out, xs.len() as i64);
                for (k, x) in xs {
                    write_long(out, k.len() as i64);
                    out.extend_from_slice(k.as_bytes());
                    encode_at(codec, *values, x, out, depth + 1)?;
                }
            }
            out.push(0);
        }
        (Type::Record { fields, .. }, Value::Record(xs)) if xs.len() == fields.len() => {
            for (f, x) in fields.iter().zip(xs) {
                encode_at(codec, f.ty, x, out, depth + 1)?;
            }
        }
        (Type::Union(bs), Value::Union(i, x)) if (*i as usize) < bs.len() => {
            write_long(out, *i as i64);
            encode_at(codec, bs[*i as usize], x, out, depth + 1)?;
        }
        _ => return Err(format!("value does not match {}", codec.describe(id))),
    }
    Ok(())
}

/// A reader of one input: the position moves as values are read.
pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
    empty_items: u64,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0, empty_items: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn err(&self, at: usize, codec: &Codec, id: Id, message: impl Into<String>) -> DecodeError {
        DecodeError { offset: at, message: message.into(), pointer: codec.node(id).pointer.clone() }
    }

    fn long(&mut self, codec: &Codec, id: Id) -> Result<i64, DecodeError> {
        let start = self.pos;
        let mut n: u64 = 0;
        let mut shift = 0u32;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.err(start, codec, id, "input ends inside a number (truncated data)"));
            };
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err(self.err(start, codec, id, "variable-length number longer than 10 bytes (not a long)"));
            }
            n |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err(self.err(start, codec, id, "variable-length number longer than 10 bytes (not a long)"));
            }
        }
        Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    fn take(&mut self, n: usize, codec: &Codec, id: Id, what: &str) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.err(
                self.pos,
                codec,
                id,
                format!("{what} needs {n} bytes but only {} are left (truncated data)", self.remaining()),
            ));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// A length prefix, checked against the input left.
    fn length(&mut self, codec: &Codec, id: Id, what: &str) -> Result<usize, DecodeError> {
        let at = self.pos;
        let n = self.long(codec, id)?;
        if n < 0 {
            return Err(self.err(at, codec, id, format!("negative {what} length {n}")));
        }
        if n as u64 > self.remaining() as u64 {
            return Err(self.err(
                at,
                codec,
                id,
                format!(
                    "{what} length {n} is more than the {} bytes left (corrupt or truncated data)",
                    self.remaining()
                ),
            ));
        }
        Ok(n as usize)
    }

    /// Reads one value of node `id`.
    pub fn read(&mut self, codec: &Codec, id: Id) -> Result<Value, DecodeError> {
        self.read_at(codec, id, 0)
    }

    fn block_count(&mut self, codec: &Codec, id: Id, item: Id, per_item_extra: usize) -> Result<usize, DecodeError> {
        let at = self.pos;
        let mut n = self.long(codec, id)?;
        if n < 0 {
            if n == i64::MIN {
                return Err(self.err(at, codec, id, "block count out of range"));
            }
            n = -n;
            // The block's size in bytes follows; it is only a hint.
            let _ = self.long(codec, id)?;
        }
        let n = n as u64;
        let size = (codec.min_size(item) + per_item_extra) as u64;
        if size == 0 {
            self.empty_items = self.empty_items.saturating_add(n);
            if self.empty_items > MAX_EMPTY_ITEMS {
                return Err(self.err(
                    at,
                    codec,
                    id,
                    format!("more than {MAX_EMPTY_ITEMS} items that take no bytes (block count {n}); refused"),
                ));
            }
        } else if n.saturating_mul(size) > self.remaining() as u64 {
            return Err(self.err(
                at,
                codec,
                id,
                format!(
                    "block of {n} items needs at least {} bytes but only {} are left",
                    n.saturating_mul(size),
                    self.remaining()
                ),
            ));
        }
        Ok(n as usize)
    }

    fn read_at(&mut self, codec: &Codec, id: Id, depth: usize) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(self.err(self.pos, codec, id, format!("data nests deeper than {MAX_DEPTH} levels")));
        }
        let start = self.pos;
        Ok(match &codec.node(id).ty {
            Type::Null => Value::Null,
            Type::Boolean => match self.take(1, codec, id, "a boolean")?[0] {
                0 => Value::Boolean(false),
                1 => Value::Boolean(true),
                b => return Err(self.err(start, codec, id, format!("boolean byte is {b}, not 0 or 1"))),
            },
            Type::Int => {
                let n = self.long(codec, id)?;
                match i32::try_from(n) {
                    Ok(i) => Value::Int(i),
                    Err(_) => return Err(self.err(start, codec, id, format!("{n} is out of the int range"))),
                }
            }
            Type::Long => Value::Long(self.long(codec, id)?),
            Type::Float => {
                let b = self.take(4, codec, id, "a float")?;
                Value::Float(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            Type::Double => {
                let b = self.take(8, codec, id, "a double")?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Value::Double(f64::from_le_bytes(a))
            }
            Type::Bytes => {
                let n = self.length(codec, id, "bytes")?;
                Value::Bytes(self.take(n, codec, id, "bytes")?.to_vec())
            }
            Type::String => {
                let n = self.length(codec, id, "string")?;
                let at = self.pos;
                let b = self.take(n, codec, id, "a string")?;
                match std::str::from_utf8(b) {
                    Ok(s) => Value::String(s.to_string()),
                    Err(e) => {
                        return Err(self.err(
                            at + e.valid_up_to(),
                            codec,
                            id,
                            format!("invalid UTF-8 in a string (byte 0x{:02X})", b[e.valid_up_to()]),
                        ))
                    }
                }
            }
            Type::Fixed { size, .. } => Value::Fixed(self.take(*size, codec, id, "a fixed")?.to_vec()),
            Type::Enum { symbols, .. } => {
                let n = self.long(codec, id)?;
                if n < 0 || n as u64 >= symbols.len() as u64 {
                    return Err(self.err(
                        start,
                        codec,
                        id,
                        format!("enum index {n} is out of range (the enum has {} symbols)", symbols.len()),
                    ));
                }
                Value::Enum(n as u32)
            }
            Type::Array(item) => {
                let item = *item;
                let mut out = Vec::new();
                loop {
                    let n = self.block_count(codec, id, item, 0)?;
                    if n == 0 {
                        break;
                    }
                    out.reserve(n.min(4096));
                    for _ in 0..n {
                        out.push(self.read_at(codec, item, depth + 1)?);
                    }
                }
                Value::Array(out)
            }
            Type::Map(values) => {
                let values = *values;
                let mut out = Vec::new();
                loop {
                    let n = self.block_count(codec, id, values, 1)?;
                    if n == 0 {
                        break;
                    }
                    out.reserve(n.min(4096));
                    for _ in 0..n {
                        let kn = self.length(codec, id, "map key")?;
                        let at = self.pos;
                        let kb = self.take(kn, codec, id, "a map key")?;
                        let k = match std::str::from_utf8(kb) {
                            Ok(s) => s.to_string(),
                            Err(e) => {
                                return Err(self.err(at + e.valid_up_to(), codec, id, "invalid UTF-8 in a map key"))
                            }
                        };
                        let v = self.read_at(codec, values, depth + 1)?;
                        out.push((k, v));
                    }
                }
                Value::Map(out)
            }
            Type::Record { fields, .. } => {
                let mut out = Vec::with_capacity(fields.len());
                for f in fields {
                    out.push(self.read_at(codec, f.ty, depth + 1)?);
                }
                Value::Record(out)
            }
            Type::Union(bs) => {
                let n = self.long(codec, id)?;
                if n < 0 || n as u64 >= bs.len() as u64 {
                    return Err(self.err(
                        start,
                        codec,
                        id,
                        format!("union branch index {n} is out of range (the union has {} branches)", bs.len()),
                    ));
                }
                let v = self.read_at(codec, bs[n as usize], depth + 1)?;
                Value::Union(n as u32, Box::new(v))
            }
        })
    }
}

/// Decodes one value of the codec's root that must take all of `bytes`.
pub fn decode(codec: &Codec, bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut r = Reader::new(bytes);
    let v = r.read(codec, codec.root)?;
    if !r.at_end() {
        return Err(DecodeError {
            offset: r.pos,
            message: format!("{} bytes left after the value", r.remaining()),
            pointer: String::new(),
        });
    }
    Ok(v)
}
