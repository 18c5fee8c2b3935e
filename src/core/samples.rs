//! Sample events beside schemas (`X.examples.jsonl` beside `X.avsc`, see docs/samples.md):
//! reading them against a schema, and carrying one from a writer's schema to a reader's the
//! way the data travels (binary encoding with the writer, resolution to the reader), with the
//! comparison of what it means on both sides. Pure: callers hand in the text.

use crate::core::codec::meaning::{compare, Difference};
use crate::core::codec::{binary, json, resolve, Codec, Value};
use crate::core::source::Span;

/// How the name of a samples file ends.
pub const EXAMPLES_SUFFIX: &str = ".examples.jsonl";

/// The file of samples of `X.avsc`.
pub fn examples_path(schema_path: &str) -> Option<String> {
    schema_path.strip_suffix(".avsc").map(|p| format!("{p}{EXAMPLES_SUFFIX}"))
}

/// One event of a samples file.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The name from a `// name` line just above it, else `line N`.
    pub name: String,
    /// Whether `name` came from a `// name` line.
    pub named: bool,
    /// Span of the event's text in the file.
    pub span: Span,
    pub value: Value,
}

/// An event that does not fit the schema.
#[derive(Clone, Debug)]
pub struct Problem {
    pub name: String,
    /// Where in the file.
    pub span: Span,
    pub message: String,
    /// JSON pointer of the schema node that refused it.
    pub pointer: String,
    /// Where in the event.
    pub path: String,
}

/// Reads every event of a samples file (one per line; blank lines and `//` comments skipped;
/// a comment line names the event below it).
pub fn read(codec: &Codec, text: &str) -> (Vec<Sample>, Vec<Problem>) {
    let limits = crate::core::json::Limits::default();
    let (mut samples, mut problems) = (Vec::new(), Vec::new());
    let mut name: Option<String> = None;
    let mut start = 0usize;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = start;
        start += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(c) = trimmed.strip_prefix("//") {
            let c = c.trim();
            name = (!c.is_empty()).then(|| c.to_string());
            continue;
        }
        let named = name.is_some();
        let shown = name.take().unwrap_or_else(|| format!("line {}", i + 1));
        let shift = |s: Span| Span::new(line_start + s.start, line_start + s.end);
        match crate::core::json::parse(line, &limits) {
            Err(e) => problems.push(Problem {
                name: shown,
                span: shift(e.span),
                message: format!("not one JSON value: {}", e.message),
                pointer: String::new(),
                path: ".".into(),
            }),
            Ok(p) => match json::from_json(codec, codec.root, &p.root) {
                Ok(value) => samples.push(Sample { name: shown, named, span: shift(p.root.span), value }),
                Err(e) => problems.push(Problem {
                    name: shown,
                    span: shift(e.span),
                    message: e.message,
                    pointer: e.pointer,
                    path: e.path,
                }),
            },
        }
    }
    (samples, problems)
}

/// What became of a sample carried from the writer's schema to the reader's.
#[derive(Clone, Debug, PartialEq)]
pub enum Carried {
    /// It reads the same.
    Same,
    /// The reader cannot read it.
    Unreadable { path: String, why: String },
    /// The reader reads it, with a different meaning.
    Differs(Difference),
}

/// Encodes `value` with the writer's schema, decodes the bytes with the writer's schema
/// resolved to the reader's, and compares the meanings.
pub fn carry(writer: &Codec, value: &Value, reader: &Codec) -> Carried {
    let mut bytes = Vec::new();
    if let Err(m) = binary::encode(writer, writer.root, value, &mut bytes) {
        return Carried::Unreadable { path: ".".into(), why: m };
    }
    let written = match binary::decode(writer, &bytes) {
        Ok(v) => v,
        Err(e) => return Carried::Unreadable { path: ".".into(), why: e.to_string() },
    };
    match resolve::resolve(writer, writer.root, reader, reader.root, &written) {
        Err(e) => Carried::Unreadable { path: e.path, why: e.message },
        Ok(read) => match compare(writer, writer.root, &written, reader, reader.root, &read) {
            None => Carried::Same,
            Some(d) => Carried::Differs(d),
        },
    }
}

/// `value` in the Avro JSON encoding, pretty-printed (two-space indent, one member or item a
/// line, empty objects and arrays kept as `{}` and `[]`).
pub fn pretty_json(codec: &Codec, value: &Value) -> String {
    let mut line = String::new();
    json::to_json(codec, codec.root, value, &mut line);
    indent(&line)
}

/// Re-indents one line of JSON; the text of strings and numbers is kept as it is.
fn indent(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = line.chars().collect();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if chars.get(j) == Some(&close) {
                    out.push(close);
                    i = j + 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::indent;

    #[test]
    fn indent_keeps_strings_and_numbers_and_empty_containers() {
        let got = indent(r#"{"a": 1.0, "b": {"string": "x, {y}: \"z\""}, "c": [], "d": {}, "e": [1, 2]}"#);
        let want = "{\n  \"a\": 1.0,\n  \"b\": {\n    \"string\": \"x, {y}: \\\"z\\\"\"\n  },\n  \"c\": [],\n  \"d\": {},\n  \"e\": [\n    1,\n    2\n  ]\n}";
        assert_eq!(got, want);
    }
}
