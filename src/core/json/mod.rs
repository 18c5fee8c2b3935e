//! A span-preserving, strict JSON reader for `.avsc` files.
//!
//! Every key and value keeps its byte span so findings can point at the exact token. The reader
//! is iterative (an explicit stack, no recursion), bounds nesting depth, and gives each kind of
//! malformed input its own code. Decisions, all documented in `docs/json.md`:
//!
//! * UTF-8 only; a UTF-8 byte-order mark is skipped (Java accepts it too). UTF-16/UTF-32 input
//!   is `unsupported-encoding`; invalid UTF-8 is `invalid-utf8` at the first bad byte.
//! * Duplicate keys are reported (`duplicate-json-key`) and, like Java's Jackson tree, the last
//!   value wins so validation can go on.
//! * `//` and `/* */` comments are accepted with a warning (`json-comment`): Java's parser
//!   enables them, so the registry accepts them, but other Avro implementations do not.
//! * `NaN`/`Infinity`, leading zeros, trailing commas, single quotes, unquoted keys and raw
//!   control characters in strings are rejected, as Jackson's defaults (which the registry
//!   uses) do.
//! * Anything but whitespace after the root value (a comment included) is `trailing-content`,
//!   as in Java.
//! * Keys longer than 50,000 characters and numbers longer than 1,000 characters are rejected,
//!   as Jackson's stream constraints do.
//!
//! Pure: no I/O.

mod pointer;

pub use pointer::{escape_pointer_token, pointer_node, pointer_span, same_value, value_hash};

use crate::core::source::Span;
use std::collections::HashMap;

/// A JSON number as written. Integers keep their digits so that range checks (int/long) are
/// exact, as Jackson's `IntNode`/`LongNode`/`BigIntegerNode` are.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub raw: Box<str>,
    /// No fraction and no exponent.
    pub is_integer: bool,
}

impl Number {
    /// The value as an `i64` when it is an integer literal within range.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer {
            self.raw.parse().ok()
        } else {
            None
        }
    }
    /// The value as an `i32` when it is an integer literal within range.
    pub fn as_i32(&self) -> Option<i32> {
        if self.is_integer {
            self.raw.parse().ok()
        } else {
            None
        }
    }
    pub fn as_f64(&self) -> f64 {
        self.raw.parse().unwrap_or(f64::NAN)
    }
}

/// A JSON string. The words schemas repeat endlessly (`type`, `name`, `string`, `long`…) are
/// shared static strings instead of one allocation each.
pub type Text = std::borrow::Cow<'static, str>;

/// Keys and values common enough in Avro schemas to be worth sharing ([`text`] matches them).
#[cfg(test)]
const COMMON: &[&str] = &[
    "type",
    "name",
    "namespace",
    "fields",
    "doc",
    "default",
    "symbols",
    "items",
    "values",
    "size",
    "aliases",
    "order",
    "logicalType",
    "precision",
    "scale",
    "null",
    "boolean",
    "int",
    "long",
    "float",
    "double",
    "bytes",
    "string",
    "record",
    "enum",
    "array",
    "map",
    "fixed",
    "error",
    "timestamp-millis",
    "timestamp-micros",
    "date",
    "decimal",
    "uuid",
    "time-millis",
    "time-micros",
    "local-timestamp-millis",
    "local-timestamp-micros",
    "ascending",
    "descending",
    "ignore",
];

fn text(s: &str) -> Text {
    // A `match` compares the length first: far fewer comparisons than a search of the list.
    let common: &'static str = match s {
        "type" => "type",
        "name" => "name",
        "namespace" => "namespace",
        "fields" => "fields",
        "doc" => "doc",
        "default" => "default",
        "symbols" => "symbols",
        "items" => "items",
        "values" => "values",
        "size" => "size",
        "aliases" => "aliases",
        "order" => "order",
        "logicalType" => "logicalType",
        "precision" => "precision",
        "scale" => "scale",
        "null" => "null",
        "boolean" => "boolean",
        "int" => "int",
        "long" => "long",
        "float" => "float",
        "double" => "double",
        "bytes" => "bytes",
        "string" => "string",
        "record" => "record",
        "enum" => "enum",
        "array" => "array",
        "map" => "map",
        "fixed" => "fixed",
        "error" => "error",
        "timestamp-millis" => "timestamp-millis",
        "timestamp-micros" => "timestamp-micros",
        "date" => "date",
        "decimal" => "decimal",
        "uuid" => "uuid",
        "time-millis" => "time-millis",
        "time-micros" => "time-micros",
        "local-timestamp-millis" => "local-timestamp-millis",
        "local-timestamp-micros" => "local-timestamp-micros",
        "ascending" => "ascending",
        "descending" => "descending",
        "ignore" => "ignore",
        _ => return Text::Owned(s.to_string()),
    };
    Text::Borrowed(common)
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(Text),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// A JSON value with the span of its whole text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: Text,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The member named `key` of an object.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }
    /// The value of member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }
    /// A short name of the JSON kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A problem with the JSON text itself.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// Secondary places (e.g. the first occurrence of a duplicate key).
    pub labels: Vec<(Span, String)>,
}

impl JsonError {
    fn new(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        JsonError { code, message: message.into(), span, help: None, labels: Vec::new() }
    }
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Bounds that keep hostile input from costing unbounded time or memory.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of arrays and objects accepted. Java's Jackson stops at 1000 too.
    pub max_depth: usize,
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 1000, max_bytes: 16 * 1024 * 1024 }
    }
}

/// The result of reading a file: the tree, plus problems that did not stop the reader.
#[derive(Debug)]
pub struct Parsed {
    pub root: Node,
    /// Errors that did not stop the reader (duplicate keys).
    pub issues: Vec<JsonError>,
    /// Things that are accepted but worth knowing (comments).
    pub warnings: Vec<JsonError>,
}

/// Turns file bytes into text. Returns the text to show (lossy where the bytes were bad, BOM
/// removed) and the fatal encoding problem, if any.
pub fn decode(bytes: &[u8], limits: &Limits) -> (String, Option<JsonError>) {
    if bytes.len() > limits.max_bytes {
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
        return (
            shown,
            Some(
                JsonError::new(
                    "file-too-large",
                    format!("file is {} bytes, more than the limit of {} bytes", bytes.len(), limits.max_bytes),
                    Span::new(0, 0),
                )
                .help("split the schema into smaller files, or raise `limits.max_file_bytes` in schemapipe.yaml"),
            ),
        );
    }
    if let Some(enc) = detect_wide_encoding(bytes) {
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
        return (
            shown,
            Some(
                JsonError::new(
                    "unsupported-encoding",
                    format!("file is {enc}; schemapipe reads schemas as UTF-8 only (stricter than Java's file parser, which would detect it)"),
                    Span::new(0, 0),
                )
                .help("re-encode the file as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"),
            ),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let width = e.error_len().unwrap_or(1);
            let bad: Vec<String> =
                bytes[at..(at + width).min(bytes.len())].iter().map(|b| format!("0x{b:02X}")).collect();
            (
                text,
                Some(
                    JsonError::new(
                        "invalid-utf8",
                        format!("invalid UTF-8 byte sequence {} in the file", bad.join(" ")),
                        // The shown text has U+FFFD (3 bytes) where the bad bytes were.
                        Span::new(at, at + '\u{FFFD}'.len_utf8()),
                    )
                    .help("save the file as UTF-8; schema files must be UTF-8 text"),
                ),
            )
        }
    }
}

/// [`decode`] of bytes the caller gives up: valid UTF-8 without a byte-order mark (nearly every
/// file) becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>, limits: &Limits) -> (String, Option<JsonError>) {
    if bytes.len() <= limits.max_bytes && !bytes.starts_with(b"\xEF\xBB\xBF") && detect_wide_encoding(&bytes).is_none()
    {
        match String::from_utf8(bytes) {
            Ok(text) => return (text, None),
            Err(e) => return decode(e.as_bytes(), limits),
        }
    }
    decode(&bytes, limits)
}

fn detect_wide_encoding(b: &[u8]) -> Option<&'static str> {
    match b {
        [0x00, 0x00, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0x00, 0x00, ..] => Some("UTF-32 encoded"),
        [0xFE, 0xFF, ..] => Some("UTF-16 (big-endian) encoded"),
        [0xFF, 0xFE, ..] => Some("UTF-16 (little-endian) encoded"),
        // JSON text starts with ASCII, so a zero byte next to ASCII at the start, repeated in
        // the next pair, means a wide encoding (the heuristic Jackson uses too).
        [0, 0, 0, x, ..] | [x, 0, 0, 0, ..] if x.is_ascii() && *x != 0 => Some("UTF-32 encoded"),
        [0, x, 0, y, ..] if x.is_ascii() && *x != 0 && y.is_ascii() => Some("UTF-16 (big-endian) encoded"),
        [x, 0, y, 0, ..] if x.is_ascii() && *x != 0 && y.is_ascii() => Some("UTF-16 (little-endian) encoded"),
        [0, x] | [x, 0] if x.is_ascii() && *x != 0 => Some("UTF-16 encoded"),
        _ => None,
    }
}

enum Frame {
    Array { start: usize, items: Vec<Node> },
    Object { start: usize, members: Vec<Member>, key: Option<(Text, Span)>, index: Option<HashMap<Text, usize>> },
}

struct Reader<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    issues: Vec<JsonError>,
    warnings: Vec<JsonError>,
}

/// Reads one JSON document from `text`.
pub fn parse(text: &str, limits: &Limits) -> Result<Parsed, JsonError> {
    let mut r = Reader { src: text, b: text.as_bytes(), pos: 0, issues: Vec::new(), warnings: Vec::new() };
    let root = r.document(limits)?;
    Ok(Parsed { root, issues: r.issues, warnings: r.warnings })
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn char_span(&self, at: usize) -> Span {
        let len = self.src[at..].chars().next().map(|c| c.len_utf8()).unwrap_or(0);
        Span::new(at, at + len)
    }

    /// Skips whitespace only.
    fn skip_blank(&mut self) {
        loop {
            // Indentation comes in runs of spaces: up to eight at a time.
            if let Some(chunk) = self.b.get(self.pos..self.pos + 8) {
                let other = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ 0x2020_2020_2020_2020;
                self.pos += (other.trailing_zeros() / 8) as usize;
                if other == 0 {
                    continue;
                }
            }
            if !matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                return;
            }
            self.pos += 1;
        }
    }

    /// Skips whitespace and comments; each comment is a warning.
    #[inline]
    fn skip_ws(&mut self) -> Result<(), JsonError> {
        // Between most tokens there is nothing to skip (`":`, `",`, `}]`): decided here, inline.
        match self.peek() {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/') => self.skip_ws_and_comments(),
            _ => Ok(()),
        }
    }

    fn skip_ws_and_comments(&mut self) -> Result<(), JsonError> {
        loop {
            self.skip_blank();
            if self.peek() != Some(b'/') {
                return Ok(());
            }
            let start = self.pos;
            let end = match self.b.get(self.pos + 1) {
                Some(b'/') => self.src[start..].find('\n').map(|i| start + i).unwrap_or(self.b.len()),
                Some(b'*') => match self.src[start + 2..].find("*/") {
                    Some(i) => start + 2 + i + 2,
                    None => {
                        return Err(JsonError::new(
                            "invalid-json",
                            "unterminated `/*` comment",
                            Span::new(start, self.b.len()),
                        )
                        .help("close the comment with `*/`"))
                    }
                },
                _ => return Ok(()),
            };
            if self.warnings.len() < 100 {
                self.warnings.push(
                    JsonError::new(
                        "json-comment",
                        "comment in a schema file; Java (and so the registry) accepts it, but standard JSON and other Avro implementations do not",
                        Span::new(start, end),
                    )
                    .help("move the text into a `doc` attribute, where every reader keeps it"),
                );
            }
            self.pos = end;
        }
    }

    fn unexpected(&self, expected: &str) -> JsonError {
        match self.peek() {
            None => JsonError::new("invalid-json", format!("unexpected end of file, expected {expected}"), {
                // Point at the last character written, where the reader gave up.
                let end = self.src.trim_end().len();
                let start = self.src[..end].char_indices().next_back().map(|(i, _)| i).unwrap_or(0);
                Span::new(start, end)
            })
            .help("the file is cut short: close every open `{` and `[`"),
            Some(_) => {
                let c = self.src[self.pos..].chars().next().unwrap_or('\0');
                let shown = if c.is_control() { format!("{:?}", c) } else { format!("`{c}`") };
                let mut e = JsonError::new(
                    "invalid-json",
                    format!("unexpected character {shown}, expected {expected}"),
                    self.char_span(self.pos),
                );
                if c == '\'' {
                    e = e.help("JSON strings use double quotes");
                } else if c == '}' || c == ']' {
                    e = e.help("remove the trailing comma before it");
                }
                e
            }
        }
    }

    fn document(&mut self, limits: &Limits) -> Result<Node, JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.skip_ws()?;
            let start = self.pos;
            let mut node = match self.peek() {
                Some(open @ (b'{' | b'[')) => {
                    if stack.len() >= limits.max_depth {
                        return Err(JsonError::new(
                            "nesting-too-deep",
                            format!("JSON nesting is deeper than the limit of {} levels", limits.max_depth),
                            Span::new(start, start + 1),
                        )
                        .help("flatten the schema: define deeply nested types once and refer to them by name"));
                    }
                    self.pos += 1;
                    self.skip_ws()?;
                    if open == b'{' {
                        if self.peek() == Some(b'}') {
                            self.pos += 1;
                            Node { value: Value::Object(Vec::new()), span: Span::new(start, self.pos) }
                        } else {
                            let key = self.key()?;
                            stack.push(Frame::Object { start, members: Vec::new(), key: Some(key), index: None });
                            continue 'value;
                        }
                    } else if self.peek() == Some(b']') {
                        self.pos += 1;
                        Node { value: Value::Array(Vec::new()), span: Span::new(start, self.pos) }
                    } else {
                        stack.push(Frame::Array { start, items: Vec::new() });
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    Node { value: Value::String(s), span: Span::new(start, self.pos) }
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't' | b'f' | b'n' | b'N' | b'I' | b'a'..=b'z' | b'A'..=b'Z') => self.word()?,
                _ => return Err(self.unexpected("a JSON value")),
            };
            // Attach the finished value to its parent, closing every container it completes.
            loop {
                match stack.last_mut() {
                    None => {
                        // Java compares the raw rest of the text: even a comment is dangling.
                        self.skip_blank();
                        if self.pos < self.b.len() {
                            return Err(JsonError::new(
                                "trailing-content",
                                "unexpected content after the schema's JSON value",
                                Span::new(self.pos, self.b.len()),
                            )
                            .help("a schema file holds exactly one JSON value: remove what follows it"));
                        }
                        return Ok(node);
                    }
                    Some(Frame::Array { start, items }) => {
                        items.push(node);
                        self.skip_ws()?;
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let start = *start;
                                let Some(Frame::Array { items, .. }) = stack.pop() else { unreachable!() };
                                node = Node { value: Value::Array(items), span: Span::new(start, self.pos) };
                            }
                            _ => return Err(self.unexpected("`,` or `]`")),
                        }
                    }
                    Some(Frame::Object { start, members, key, index }) => {
                        let (k, key_span) = key.take().expect("object frame always holds a key");
                        push_member(members, index, &mut self.issues, Member { key: k, key_span, value: node });
                        self.skip_ws()?;
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_ws()?;
                                let k = self.key()?;
                                if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                    *key = Some(k);
                                }
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let start = *start;
                                let Some(Frame::Object { members, .. }) = stack.pop() else { unreachable!() };
                                node = Node { value: Value::Object(members), span: Span::new(start, self.pos) };
                            }
                            _ => return Err(self.unexpected("`,` or `}`")),
                        }
                    }
                }
            }
        }
    }

    fn key(&mut self) -> Result<(Text, Span), JsonError> {
        if self.peek() != Some(b'"') {
            let mut e = self.unexpected("a string key in double quotes");
            if self.peek() == Some(b'}') {
                e.help = Some("remove the trailing comma before `}`".into());
            }
            return Err(e);
        }
        let start = self.pos;
        let k = self.string()?;
        let span = Span::new(start, self.pos);
        if k.len() > 50_000 {
            return Err(JsonError::new(
                "invalid-json",
                format!("key is {} characters long, more than the limit of 50000 (the registry's parser has the same limit)", k.chars().count()),
                span,
            ));
        }
        self.skip_ws()?;
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:` after the key"));
        }
        self.pos += 1;
        Ok((k, span))
    }

    fn string(&mut self) -> Result<Text, JsonError> {
        let open = self.pos;
        self.pos += 1;
        // Nearly every string has no escape: its end is the first special byte.
        let end = self.pos + plain_len(&self.b[self.pos..]);
        if self.b.get(end) == Some(&b'"') {
            let s = &self.src[self.pos..end];
            self.pos = end + 1;
            return Ok(text(s));
        }
        let mut out = String::new();
        let mut run = self.pos;
        let mut escaped = false;
        loop {
            let Some(c) = self.peek() else {
                return Err(JsonError::new("invalid-json", "unterminated string", Span::new(open, self.b.len()))
                    .help("close the string with `\"`"));
            };
            match c {
                b'"' => {
                    let tail = &self.src[run..self.pos];
                    self.pos += 1;
                    if !escaped {
                        return Ok(text(tail));
                    }
                    out.push_str(tail);
                    return Ok(Text::Owned(out));
                }
                b'\\' => {
                    escaped = true;
                    out.push_str(&self.src[run..self.pos]);
                    let esc_at = self.pos;
                    self.pos += 1;
                    match self.peek() {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4(esc_at)?;
                            let ch = if (0xD800..0xDC00).contains(&hi)
                                && self.b.get(self.pos + 1) == Some(&b'\\')
                                && self.b.get(self.pos + 2) == Some(&b'u')
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4(esc_at)?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    self.pos = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            // A lone surrogate is legal in Java strings but not in Rust ones.
                            out.push(ch.unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            let end = (self.pos + 1).min(self.b.len());
                            return Err(JsonError::new(
                                "invalid-json",
                                "invalid escape sequence in string",
                                Span::new(esc_at, end.max(esc_at + 1)),
                            )
                            .help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"));
                        }
                    }
                    self.pos += 1;
                    run = self.pos;
                }
                0x00..=0x1F => {
                    return Err(JsonError::new(
                        "invalid-json",
                        format!("raw control character U+{:04X} in string", c),
                        Span::new(self.pos, self.pos + 1),
                    )
                    .help("escape it, e.g. `\\n` for a line break or `\\u0000`"));
                }
                // Most string bytes are plain: skip to the next quote, backslash or control
                // character, eight bytes at a time.
                _ => self.pos += plain_len(&self.b[self.pos..]),
            }
        }
    }

    /// Reads the four hex digits after `\u`; `self.pos` is on the `u` and ends on the last digit.
    fn hex4(&mut self, esc_at: usize) -> Result<u32, JsonError> {
        let digits = self.b.get(self.pos + 1..self.pos + 5);
        match digits.and_then(|d| std::str::from_utf8(d).ok()).and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) if digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)) => {
                self.pos += 4;
                Ok(v)
            }
            _ => Err(JsonError::new(
                "invalid-json",
                "invalid \\u escape: expected four hex digits",
                Span::new(esc_at, (esc_at + 6).min(self.b.len())),
            )),
        }
    }

    fn number(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        let b = self.b;
        let mut p = self.pos;
        if b.get(p) == Some(&b'-') {
            p += 1;
            if b.get(p) == Some(&b'I') {
                self.pos = p;
                let mut n = self.word()?;
                n.span.start = start;
                return Ok(n);
            }
        }
        let digits = |p: &mut usize| {
            let s = *p;
            while b.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p - s
        };
        let int_start = p;
        let n = digits(&mut p);
        // The span covers the offending character, or ends at the end of the text when the
        // number is cut off there.
        let bad = |at: usize, msg: &str| {
            let end = at.max(start + 1).min(b.len());
            Err(JsonError::new("invalid-json", format!("malformed number: {msg}"), Span::new(start, end)))
        };
        if n == 0 {
            return bad(p + 1, "expected a digit");
        }
        if n > 1 && b[int_start] == b'0' {
            return bad(p, "leading zeros are not allowed");
        }
        let mut is_integer = true;
        if b.get(p) == Some(&b'.') {
            p += 1;
            is_integer = false;
            if digits(&mut p) == 0 {
                return bad(p + 1, "expected a digit after `.`");
            }
        }
        if matches!(b.get(p), Some(b'e' | b'E')) {
            p += 1;
            is_integer = false;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            if digits(&mut p) == 0 {
                return bad(p + 1, "expected a digit in the exponent");
            }
        }
        if p - start > 1000 {
            return Err(JsonError::new(
                "invalid-json",
                format!("number literal is {} characters long, more than the limit of 1000", p - start),
                Span::new(start, p),
            ));
        }
        self.pos = p;
        Ok(Node {
            value: Value::Number(Number { raw: self.src[start..p].into(), is_integer }),
            span: Span::new(start, p),
        })
    }

    fn word(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        let mut p = self.pos;
        while self.b.get(p).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            p += 1;
        }
        let w = &self.src[start..p];
        let value = match w {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            "NaN" | "Infinity" => {
                return Err(JsonError::new(
                    "non-finite-number",
                    format!("`{w}` is not a JSON number (the registry's parser rejects it too)"),
                    Span::new(if start > 0 && self.b[start - 1] == b'-' { start - 1 } else { start }, p),
                )
                .help("for a float/double default, write the value as a string such as \"NaN\""));
            }
            _ => {
                // The word is named only when it is one a schema author mistypes (`True`, an
                // unquoted type name): anything else may be a secret in a file that is not JSON.
                const KNOWN: &[&str] = &[
                    "true",
                    "false",
                    "null",
                    "none",
                    "nil",
                    "undefined",
                    "boolean",
                    "int",
                    "long",
                    "float",
                    "double",
                    "bytes",
                    "string",
                    "record",
                    "enum",
                    "array",
                    "map",
                    "fixed",
                    "error",
                ];
                let shown = if KNOWN.contains(&w.to_ascii_lowercase().as_str()) {
                    format!("`{w}`")
                } else {
                    format!("of {} characters", w.chars().count())
                };
                return Err(JsonError::new(
                    "invalid-json",
                    format!("unexpected unquoted word {shown}, expected a JSON value"),
                    Span::new(start, p.max(start + 1)),
                )
                .help("strings must be in double quotes; the only bare words are true, false and null"));
            }
        };
        self.pos = p;
        Ok(Node { value, span: Span::new(start, p) })
    }
}

/// The high bit of a byte of the result is set for bytes of `w` that are `"`, `\\` or below
/// 0x20 (SWAR: no branch per byte). A byte above a flagged one may be flagged falsely (a borrow
/// runs into it), never the lowest: the lowest set bit is always exact.
fn special_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let quote = zero_byte(w ^ (ONES * b'"' as u64));
    let backslash = zero_byte(w ^ (ONES * b'\\' as u64));
    // A byte below 0x20 (with its high bit clear) has no bit set at or above 0x20.
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    quote | backslash | control
}

/// Whether any byte of `w` is `"`, `\\` or below 0x20.
#[cfg(test)]
fn has_special(w: u64) -> bool {
    special_mask(w) != 0
}

/// How many bytes at the start of `b` a JSON string holds as they are: the length of the
/// longest prefix without `"`, `\\` or a control character (below 0x20). Eight bytes at a time.
pub fn plain_len(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let m = special_mask(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..].iter().position(|c| matches!(c, b'"' | b'\\' | 0x00..=0x1F)).unwrap_or(b.len() - i)
}

fn push_member(
    members: &mut Vec<Member>,
    index: &mut Option<HashMap<Text, usize>>,
    issues: &mut Vec<JsonError>,
    m: Member,
) {
    // Objects in schemas are small; a hash index only pays off for big ones.
    if index.is_none() && members.len() >= 16 {
        *index = Some(members.iter().enumerate().map(|(i, m)| (m.key.clone(), i)).collect());
    }
    let existing = match index {
        Some(ix) => ix.get(&m.key).copied(),
        None => members.iter().position(|x| x.key == m.key),
    };
    match existing {
        Some(i) => {
            let mut e = JsonError::new(
                "duplicate-json-key",
                format!(
                    "duplicate key `{}` in object; the registry's parser silently keeps the last value, schemapipe rejects it",
                    m.key
                ),
                m.key_span,
            )
            .help("remove one of the two keys");
            e.labels.push((members[i].key_span, "first defined here".into()));
            issues.push(e);
            members[i].value = m.value;
        }
        None => {
            if let Some(ix) = index {
                ix.insert(m.key.clone(), members.len());
            }
            members.push(m);
        }
    }
}

#[cfg(test)]
mod tests;
