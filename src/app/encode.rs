//! Encode: events in the Avro JSON encoding (one per line) in, the Avro binary encoding out —
//! raw and back to back, or one event per line in hex or base64 — optionally framed in the
//! Schema Registry wire format (magic byte 0, the schema id as 4 big-endian bytes). Also what
//! `decode` and `sample` share: loading one schema as a codec, hex and base64.

use super::Env;
use crate::core::codec::{binary, json, Codec};
use crate::core::finding::Severity;
use crate::core::load;
use crate::core::source::SourceMap;
use crate::workspace::UsageError;
use std::io::{BufRead, Write};
use std::path::Path;

/// How binary events are written or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteFormat {
    /// Raw bytes, events back to back (each is self-delimiting given its schema).
    Binary,
    /// One event per line, lowercase hex.
    Hex,
    /// One event per line, standard base64 with padding.
    Base64,
}

/// Why a stream stopped.
#[derive(Debug)]
pub enum StreamError {
    /// Bad input data (exit 1): the message names the place.
    Data(String),
    /// The registry failed or does not know the schema (exit 3).
    Registry { message: String, help: String },
    /// Bad options or schema (exit 2).
    Usage(UsageError),
    /// Writing the output failed; a closed pipe ends the run quietly.
    Output(std::io::Error),
}

impl From<UsageError> for StreamError {
    fn from(e: UsageError) -> Self {
        StreamError::Usage(e)
    }
}

/// Compiles a schema given as the text of a file (names it uses resolved against the schema
/// root, as every command does).
pub fn load_codec(env: &Env, file: &Path) -> Result<Codec, UsageError> {
    let ws = env.workspace()?;
    if env.cwd.join(file).is_dir() {
        return Err(UsageError::new(format!("`{}` is a directory", file.display()), "pass one .avsc file"));
    }
    let (inputs, reported) = ws.collect(&[file.to_path_buf()])?;
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let target = reported.iter().position(|r| *r).unwrap_or(0);
    let errors: Vec<_> = set
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.file.is_none_or(|id| id.0 as usize == target))
        .collect();
    if let Some(e) = errors.first() {
        return Err(UsageError::new(
            format!("schema `{}` is not valid: {} ({})", file.display(), e.message, e.code),
            format!("run `schemapipe validate {}` for every error", file.display()),
        ));
    }
    let root = set
        .files
        .get(target)
        .and_then(|f| f.root)
        .ok_or_else(|| UsageError::new(format!("`{}` holds no schema", file.display()), "pass an .avsc file"))?;
    Codec::compile_set(&set, root)
        .map_err(|m| UsageError::new(format!("schema `{}`: {m}", file.display()), "fix the schema"))
}

/// Compiles a schema from its text (a registry's answer).
pub fn codec_of_text(name: &str, text: &str) -> Result<Codec, String> {
    let mut sources = SourceMap::new();
    let set = load::load(vec![load::Input::new(name, text)], &Default::default(), &mut sources);
    if let Some(e) = set.findings.iter().find(|f| f.severity == Severity::Error) {
        return Err(format!("{} ({})", e.message, e.code));
    }
    let root = set.files.first().and_then(|f| f.root).ok_or("no schema")?;
    Codec::compile_set(&set, root)
}

const HEX: &[u8; 16] = b"0123456789abcdef";
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn to_hex(b: &[u8], out: &mut Vec<u8>) {
    for x in b {
        out.push(HEX[(x >> 4) as usize]);
        out.push(HEX[(x & 15) as usize]);
    }
}

pub fn to_base64(b: &[u8], out: &mut Vec<u8>) {
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if c.len() > 1 { B64[(n >> 6) as usize & 63] } else { b'=' });
        out.push(if c.len() > 2 { B64[n as usize & 63] } else { b'=' });
    }
}

/// Hex text to bytes; the error names the 0-based character index.
pub fn from_hex(s: &str) -> Result<Vec<u8>, (usize, String)> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err((b.len(), "odd number of hex digits".into()));
    }
    let digit = |i: usize| -> Result<u8, (usize, String)> {
        (b[i] as char).to_digit(16).map(|d| d as u8).ok_or((i, format!("`{}` is not a hex digit", b[i] as char)))
    };
    (0..b.len() / 2).map(|i| Ok(digit(2 * i)? << 4 | digit(2 * i + 1)?)).collect()
}

/// Base64 (standard or URL-safe alphabet, padding optional) to bytes.
pub fn from_base64(s: &str) -> Result<Vec<u8>, (usize, String)> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    let trimmed = s.trim_end_matches('=');
    for (i, c) in trimmed.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return Err((i, format!("`{}` is not a base64 character", c as char))),
        } as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if trimmed.len() % 4 == 1 {
        return Err((trimmed.len(), "base64 text ends in the middle of a byte".into()));
    }
    Ok(out)
}

/// 1-based column (in characters) of a byte offset in a line.
pub fn column(line: &str, offset: usize) -> usize {
    line.get(..offset.min(line.len())).map(|p| p.chars().count()).unwrap_or(offset) + 1
}

#[derive(Clone, Debug)]
pub struct EncodeOptions {
    /// Frame each event in the wire format with this schema id.
    pub wire_id: Option<u32>,
    pub output: ByteFormat,
    /// The input's name in messages (`-` is stdin).
    pub input_name: String,
}

/// Encodes every non-blank line of `input`; returns the number of events written. Stops at
/// the first bad event.
pub fn encode_stream(
    codec: &Codec,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    opts: &EncodeOptions,
) -> Result<usize, StreamError> {
    let limits = crate::core::json::Limits::default();
    let mut raw = Vec::new();
    let mut bytes = Vec::with_capacity(256);
    let mut text_out = Vec::with_capacity(512);
    let (mut line_no, mut count) = (0usize, 0usize);
    loop {
        raw.clear();
        let n = input
            .read_until(b'\n', &mut raw)
            .map_err(|e| StreamError::Data(format!("{}: cannot read the input: {e}", opts.input_name)))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line = match std::str::from_utf8(&raw) {
            Ok(s) => s.trim_end_matches(['\n', '\r']),
            Err(e) => {
                return Err(StreamError::Data(format!(
                    "{}:{line_no}: invalid UTF-8 at byte {} of the line",
                    opts.input_name,
                    e.valid_up_to() + 1
                )))
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let parsed = crate::core::json::parse(line, &limits).map_err(|e| {
            StreamError::Data(format!(
                "{}:{line_no}:{}: {} ({})",
                opts.input_name,
                column(line, e.span.start),
                e.message,
                e.code
            ))
        })?;
        let value = json::from_json(codec, codec.root, &parsed.root).map_err(|e| {
            StreamError::Data(format!(
                "{}:{line_no}:{}: {} (at {} in the event; schema {})",
                opts.input_name,
                column(line, e.span.start),
                e.message,
                e.path,
                if e.pointer.is_empty() { "root" } else { &e.pointer }
            ))
        })?;
        bytes.clear();
        if let Some(id) = opts.wire_id {
            bytes.push(0);
            bytes.extend_from_slice(&id.to_be_bytes());
        }
        binary::encode(codec, codec.root, &value, &mut bytes)
            .map_err(|m| StreamError::Data(format!("{}:{line_no}: {m}", opts.input_name)))?;
        match opts.output {
            ByteFormat::Binary => out.write_all(&bytes).map_err(StreamError::Output)?,
            ByteFormat::Hex | ByteFormat::Base64 => {
                text_out.clear();
                if opts.output == ByteFormat::Hex {
                    to_hex(&bytes, &mut text_out);
                } else {
                    to_base64(&bytes, &mut text_out);
                }
                text_out.push(b'\n');
                out.write_all(&text_out).map_err(StreamError::Output)?;
            }
        }
        count += 1;
    }
    out.flush().map_err(StreamError::Output)?;
    Ok(count)
}
