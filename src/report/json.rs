//! `--format json`: a stable, versioned document (documented in docs/json-output.md).

use super::Summary;
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::source::SourceMap;
use serde::Serialize;

/// Version of the JSON document; bumped only for incompatible changes.
pub const DOCUMENT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Related<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub message: &'a str,
}

/// `details`, written as a JSON object (and left out when empty).
pub struct Details<'a>(&'a [(&'static str, String)]);

impl Serialize for Details<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One finding of the document; it borrows from the finding and the sources, so writing
/// tens of thousands of findings copies no strings.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub code: &'static str,
    pub kind: Kind,
    pub severity: Severity,
    pub message: &'a str,
    pub file: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub path: Option<&'a str>,
    pub help: Option<&'a str>,
    pub related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "details_empty")]
    pub details: Details<'a>,
}

fn details_empty(d: &Details) -> bool {
    d.0.is_empty()
}

pub fn finding<'a>(sources: &'a SourceMap, f: &'a Finding) -> JsonFinding<'a> {
    let (mut line, mut column, mut end_line, mut end_column) = (None, None, None, None);
    if let (Some(file), Some(span)) = (f.file, f.span) {
        let src = sources.get(file);
        let (l, c) = src.line_col(span.start);
        let (el, ec) = src.line_col(span.end);
        (line, column, end_line, end_column) = (Some(l), Some(c), Some(el), Some(ec));
    }
    JsonFinding {
        code: f.code,
        kind: f.kind,
        severity: f.severity,
        message: &f.message,
        file: f.file.map(|id| sources.get(id).name.as_str()),
        line,
        column,
        end_line,
        end_column,
        path: f.path.as_deref(),
        help: f.help.as_deref(),
        related: f
            .labels
            .iter()
            .map(|l| {
                let src = sources.get(l.file);
                let (line, column) = src.line_col(l.span.start);
                Related { file: &src.name, line, column, message: &l.message }
            })
            .collect(),
        details: Details(&f.details),
    }
}

#[derive(Serialize)]
pub struct Document<'a, T: Serialize> {
    pub version: u32,
    pub command: &'a str,
    #[serde(flatten)]
    pub extra: T,
    pub findings: Placeholder,
    pub summary: Summary,
}

/// Where the findings go in the document: they are written separately (on every core) and put
/// in its place. Serializes as a string no other value of the document can produce unescaped.
pub struct Placeholder;

const PLACEHOLDER: &str = "\u{1}findings\u{1}";
/// How [`Placeholder`] reads in the output.
const PLACEHOLDER_JSON: &str = "\"\\u0001findings\\u0001\"";

impl Serialize for Placeholder {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(PLACEHOLDER)
    }
}

/// The whole document for a command, as pretty JSON with a final newline: byte for byte what
/// `serde_json::to_string_pretty` writes for it, with the findings written on every core.
pub fn render<T: Serialize>(
    command: &str,
    extra: T,
    sources: &SourceMap,
    findings: &[&Finding],
    summary: Summary,
) -> String {
    let doc = Document { version: DOCUMENT_VERSION, command, extra, findings: Placeholder, summary };
    let head = serde_json::to_string_pretty(&doc).expect("findings always serialize");
    // Only numbers follow the findings (the summary), so the last placeholder is theirs.
    let at = head.rfind(PLACEHOLDER_JSON).expect("the document holds its findings");
    let mut s = findings_array(sources, findings, &head[..at]);
    s.push_str(&head[at + PLACEHOLDER_JSON.len()..]);
    s.push('\n');
    s
}

/// Bytes a finding takes in the output, about (most take 300–500): room reserved up front so
/// that the document grows without copies. Reserved room that is never written costs nothing.
const FINDING_BYTES: usize = 640;

/// `before`, then the findings array as pretty JSON at the document's second level:
/// consecutive runs of findings are written on separate threads and joined in order, the
/// first in place.
fn findings_array(sources: &SourceMap, findings: &[&Finding], before: &str) -> String {
    let mut s = String::with_capacity(before.len() + findings.len() * FINDING_BYTES + 256);
    s.push_str(before);
    if findings.is_empty() {
        s.push_str("[]");
        return s;
    }
    // Small outputs are not worth a thread.
    const RUN: usize = 512;
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let runs = findings.len().div_ceil(RUN).min(threads).max(1);
    let per = findings.len().div_ceil(runs);
    let write_run = |out: &mut String, chunk: &[&Finding], first: bool| {
        for (i, f) in chunk.iter().enumerate() {
            out.push_str(if first && i == 0 { "[\n" } else { ",\n" });
            write_finding(out, sources, f);
        }
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = findings
            .chunks(per)
            .skip(1)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut out = String::with_capacity(chunk.len() * FINDING_BYTES);
                    write_run(&mut out, chunk, false);
                    out
                })
            })
            .collect();
        write_run(&mut s, &findings[..per.min(findings.len())], true);
        for h in handles {
            s.push_str(&h.join().expect("rendering findings cannot panic"));
        }
    });
    s.push_str("\n  ]");
    s
}

/// One finding, indented as the second level of the document: the fields of [`JsonFinding`]
/// in its order, written as serde_json's pretty printer writes them.
fn write_finding(out: &mut String, sources: &SourceMap, f: &Finding) {
    use std::fmt::Write;
    out.push_str("    {\n      \"code\": ");
    string(out, f.code);
    out.push_str(",\n      \"kind\": \"");
    out.push_str(match f.kind {
        Kind::Spec => "spec",
        Kind::Lint => "lint",
        Kind::Compat => "compat",
        Kind::Publish => "publish",
    });
    out.push_str("\",\n      \"severity\": \"");
    out.push_str(f.severity.as_str());
    out.push_str("\",\n      \"message\": ");
    string(out, &f.message);
    out.push_str(",\n      \"file\": ");
    match f.file {
        Some(id) => string(out, &sources.get(id).name),
        None => out.push_str("null"),
    }
    match (f.file, f.span) {
        (Some(file), Some(span)) => {
            let src = sources.get(file);
            let (l, c) = src.line_col(span.start);
            let (el, ec) = src.line_col(span.end);
            let _ = write!(
                out,
                ",\n      \"line\": {l},\n      \"column\": {c},\n      \"end_line\": {el},\n      \"end_column\": {ec}"
            );
        }
        _ => out.push_str(
            ",\n      \"line\": null,\n      \"column\": null,\n      \"end_line\": null,\n      \"end_column\": null",
        ),
    }
    out.push_str(",\n      \"path\": ");
    optional(out, f.path.as_deref());
    out.push_str(",\n      \"help\": ");
    optional(out, f.help.as_deref());
    out.push_str(",\n      \"related\": ");
    if f.labels.is_empty() {
        out.push_str("[]");
    } else {
        for (i, l) in f.labels.iter().enumerate() {
            out.push_str(if i == 0 { "[\n" } else { ",\n" });
            let src = sources.get(l.file);
            let (line, column) = src.line_col(l.span.start);
            out.push_str("        {\n          \"file\": ");
            string(out, &src.name);
            let _ =
                write!(out, ",\n          \"line\": {line},\n          \"column\": {column},\n          \"message\": ");
            string(out, &l.message);
            out.push_str("\n        }");
        }
        out.push_str("\n      ]");
    }
    if !f.details.is_empty() {
        out.push_str(",\n      \"details\": ");
        for (i, (k, v)) in f.details.iter().enumerate() {
            out.push_str(if i == 0 { "{\n        " } else { ",\n        " });
            string(out, k);
            out.push_str(": ");
            string(out, v);
        }
        out.push_str("\n      }");
    }
    out.push_str("\n    }");
}

fn optional(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.push_str("null"),
    }
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, control characters as their
/// short escape or `\\u00XX`, everything else as is.
fn string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    loop {
        // Nearly every byte is written as is: jump to the next one that is not.
        let i = start + crate::core::json::plain_len(&bytes[start..]);
        out.push_str(&s[start..i]);
        let Some(&b) = bytes.get(i) else { break };
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::source::{SourceFile, Span};

    /// The document as serde_json writes it from [`JsonFinding`]s: what `render` must match.
    fn reference<T: Serialize>(
        command: &str,
        extra: T,
        sources: &SourceMap,
        findings: &[&Finding],
        summary: Summary,
    ) -> String {
        #[derive(Serialize)]
        struct Whole<'a, T: Serialize> {
            version: u32,
            command: &'a str,
            #[serde(flatten)]
            extra: T,
            findings: Vec<JsonFinding<'a>>,
            summary: Summary,
        }
        let doc = Whole {
            version: DOCUMENT_VERSION,
            command,
            extra,
            findings: findings.iter().map(|f| finding(sources, f)).collect(),
            summary,
        };
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    fn sample(n: usize) -> (SourceMap, Vec<Finding>) {
        let mut sources = SourceMap::new();
        let a = sources
            .add(SourceFile::new("a \"quoted\"\\dir/é.avsc", "{\n  \"type\": \"record\",\n\t\"x\": 1}\n".into()));
        let b = sources.add(SourceFile::new("b.avsc", "ünïcode 😀\nline two\r\nthree".into()));
        let texts = [
            "plain",
            "with \"quotes\" and \\ backslash",
            "controls \u{0}\u{1}\u{8}\u{c}\n\r\t\u{1f}\u{7f} end",
            "ünïcode 😀 \u{2028}",
            "",
        ];
        let findings = (0..n)
            .map(|i| {
                let t = texts[i % texts.len()];
                let mut f = if i % 2 == 0 { Finding::error("some-code", t) } else { Finding::warning("other", t) };
                if i % 3 != 0 {
                    f = f.at(if i % 2 == 0 { a } else { b }, Span { start: i % 20, end: i % 20 + i % 7 });
                }
                if i % 4 == 1 {
                    f = f.path(format!("/fields/{i}/~1{t}")).help(t);
                }
                if i % 5 == 2 {
                    f = f.label(b, Span { start: 12, end: 14 }, t).label(a, Span { start: 0, end: 1 }, "first");
                }
                if i % 7 == 3 {
                    f = f.detail("direction", t).detail("subject", "x.Y");
                }
                f
            })
            .collect();
        (sources, findings)
    }

    #[test]
    fn render_writes_what_serde_json_writes() {
        for n in [0, 1, 2, 11, 600, 2500] {
            let (sources, findings) = sample(n);
            let refs: Vec<&Finding> = findings.iter().collect();
            let summary = Summary::of(2, refs.iter().copied());
            let extra =
                serde_json::json!({"base": "main (\u{1}findings\u{1})", "checked": [{"subject": "a"}], "e": {}});
            let ours = render("check", extra.clone(), &sources, &refs, summary);
            assert_eq!(ours, reference("check", extra, &sources, &refs, summary), "{n} findings");
            assert!(ours.ends_with("}\n"));
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII byte (and a multi-byte character) at every place in an eight-byte word,
        // between plain runs of every length.
        let specials: Vec<String> = (0u8..0x80).map(|b| (b as char).to_string()).chain(["é😀".to_string()]).collect();
        for c in &specials {
            for before in 0..18 {
                for after in [0, 1, 7, 8, 9] {
                    let s = format!("{}{c}{}{c}", "a".repeat(before), "b".repeat(after));
                    let mut ours = String::new();
                    string(&mut ours, &s);
                    assert_eq!(ours, serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
    }
}
