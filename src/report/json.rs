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
    pub findings: Vec<JsonFinding<'a>>,
    pub summary: Summary,
}

/// The whole document for a command, as pretty JSON with a final newline.
pub fn render<T: Serialize>(
    command: &str,
    extra: T,
    sources: &SourceMap,
    findings: &[&Finding],
    summary: Summary,
) -> String {
    let doc = Document {
        version: DOCUMENT_VERSION,
        command,
        extra,
        findings: findings.iter().map(|f| finding(sources, f)).collect(),
        summary,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("findings always serialize");
    s.push('\n');
    s
}
