//! Decode: Avro binary in (raw events back to back, or one event per line in hex or base64),
//! events in the JSON encoding out, one per line. With the wire format each event starts with
//! the magic byte 0 and a 4-byte big-endian schema id; with a registry the writer's schema is
//! fetched by that id (`GET /schemas/ids/{id}`, once per id). With a reader schema every event
//! is resolved to it, as Java's `ResolvingDecoder` reads it.

use super::encode::{column, from_base64, from_hex, ByteFormat, StreamError};
use crate::core::codec::binary::Reader;
use crate::core::codec::{json, resolve, Codec};
use crate::registry::Client;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::rc::Rc;

/// Where the writer's schema comes from.
pub enum Writer {
    /// One schema for every event.
    Schema(Rc<Codec>),
    /// Looked up by the id in each event's framing.
    Registry { client: Box<Client>, cache: HashMap<u32, Rc<Codec>> },
}

impl Writer {
    fn for_id(&mut self, id: Option<u32>) -> Result<Rc<Codec>, StreamError> {
        match self {
            Writer::Schema(c) => Ok(c.clone()),
            Writer::Registry { client, cache } => {
                let Some(id) = id else {
                    return Err(StreamError::Data("a registry lookup needs the wire format (--wire-format)".into()));
                };
                if let Some(c) = cache.get(&id) {
                    return Ok(c.clone());
                }
                let text = match client.schema_by_id(id as i64) {
                    Ok(Some(t)) => t,
                    Ok(None) => {
                        return Err(StreamError::Registry {
                            message: format!("the registry at {} has no schema with id {id}", client.url_shown()),
                            help: "check the registry URL (the bytes may come from another cluster's registry)".into(),
                        })
                    }
                    Err(e) => {
                        let (message, help) = e.explain();
                        return Err(StreamError::Registry { message, help });
                    }
                };
                let codec = super::encode::codec_of_text(&format!("schema id {id}"), &text).map_err(|m| {
                    StreamError::Registry {
                        message: format!("the schema with id {id} cannot be used: {m}"),
                        help: "schemas with references are not supported by decode yet; pass the schema file instead"
                            .into(),
                    }
                })?;
                let c = Rc::new(codec);
                cache.insert(id, c.clone());
                Ok(c)
            }
        }
    }
}

pub struct DecodeOptions {
    pub input: ByteFormat,
    /// Each event is framed in the wire format.
    pub wire: bool,
    /// Resolve every event to this schema.
    pub reader: Option<Codec>,
    /// The input's name in messages.
    pub input_name: String,
}

/// Decodes every event of `input` to a JSON line; returns the number of events.
pub fn decode_stream(
    writer: &mut Writer,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    opts: &DecodeOptions,
) -> Result<usize, StreamError> {
    let name = &opts.input_name;
    let mut line = String::with_capacity(512);
    let mut count = 0usize;
    // One event from `bytes` at `start`; returns the end offset.
    let mut one = |bytes: &[u8],
                   start: usize,
                   place: &dyn Fn(usize) -> String,
                   out: &mut dyn Write|
     -> Result<usize, StreamError> {
        let mut pos = start;
        let mut id = None;
        if opts.wire {
            if bytes.len() - pos < 5 {
                return Err(StreamError::Data(format!(
                    "{}: the wire format needs 5 header bytes but only {} are left (truncated data)",
                    place(pos),
                    bytes.len() - pos
                )));
            }
            if bytes[pos] != 0 {
                return Err(StreamError::Data(format!(
                    "{}: the magic byte is 0x{:02X}, not 0x00: this is not the Schema Registry wire format (drop --wire-format for bare Avro)",
                    place(pos),
                    bytes[pos]
                )));
            }
            id = Some(u32::from_be_bytes([bytes[pos + 1], bytes[pos + 2], bytes[pos + 3], bytes[pos + 4]]));
            pos += 5;
        }
        let codec = writer.for_id(id)?;
        let mut r = Reader::new(&bytes[pos..]);
        let value = r.read(&codec, codec.root).map_err(|e| {
            let at = if e.pointer.is_empty() { String::new() } else { format!(" (schema {})", e.pointer) };
            StreamError::Data(format!("{}: {}{at}", place(pos + e.offset), e.message))
        })?;
        let end = pos + r.pos;
        line.clear();
        match &opts.reader {
            Some(rc) => {
                let rv = resolve::resolve(&codec, codec.root, rc, rc.root, &value).map_err(|e| {
                    StreamError::Data(format!(
                        "{}: cannot be read with the reader schema at {}: {}",
                        place(start),
                        e.path,
                        e.message
                    ))
                })?;
                json::to_json(rc, rc.root, &rv, &mut line);
            }
            None => json::to_json(&codec, codec.root, &value, &mut line),
        }
        line.push('\n');
        out.write_all(line.as_bytes()).map_err(StreamError::Output)?;
        Ok(end)
    };
    match opts.input {
        ByteFormat::Binary => {
            let mut data = Vec::new();
            input
                .read_to_end(&mut data)
                .map_err(|e| StreamError::Data(format!("{name}: cannot read the input: {e}")))?;
            let mut pos = 0;
            while pos < data.len() {
                let k = count + 1;
                let place = |at: usize| format!("{name}: event {k}, byte {at}");
                pos = one(&data, pos, &place, out)?;
                count += 1;
            }
        }
        ByteFormat::Hex | ByteFormat::Base64 => {
            let mut text = String::new();
            let mut line_no = 0;
            loop {
                text.clear();
                let n = input
                    .read_line(&mut text)
                    .map_err(|e| StreamError::Data(format!("{name}:{}: cannot read the input: {e}", line_no + 1)))?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                let t = text.trim();
                if t.is_empty() {
                    continue;
                }
                let decoded = if opts.input == ByteFormat::Hex { from_hex(t) } else { from_base64(t) };
                let bytes =
                    decoded.map_err(|(i, m)| StreamError::Data(format!("{name}:{line_no}:{}: {m}", column(t, i))))?;
                let place = |at: usize| format!("{name}:{line_no}: byte {at} of the event");
                let end = one(&bytes, 0, &place, out)?;
                if end != bytes.len() {
                    return Err(StreamError::Data(format!(
                        "{}: {} bytes are left after the event (wrong schema, or two events on one line)",
                        place(end),
                        bytes.len() - end
                    )));
                }
                count += 1;
            }
        }
    }
    out.flush().map_err(StreamError::Output)?;
    Ok(count)
}
