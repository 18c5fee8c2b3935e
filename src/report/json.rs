//! `--format json`: a stable, versioned document (documented in docs/json-output.md).

use super::Summary;
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::source::SourceMap;
use serde::Serialize;

/// Version of the JSON document; bumped only for incompatible changes.
pub const DOCUMENT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Related {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonFinding {
    pub code: &'static str,
    pub kind: Kind,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub path: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub details: serde_json::Map<String, serde_json::Value>,
}

pub fn finding(sources: &SourceMap, f: &Finding) -> JsonFinding {
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
        message: f.message.clone(),
        file: f.file.map(|id| sources.get(id).name.clone()),
        line,
        column,
        end_line,
        end_column,
        path: f.path.clone(),
        help: f.help.clone(),
        related: f
            .labels
            .iter()
            .map(|l| {
                let src = sources.get(l.file);
                let (line, column) = src.line_col(l.span.start);
                Related { file: src.name.clone(), line, column, message: l.message.clone() }
            })
            .collect(),
        details: f.details.iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone()))).collect(),
    }
}

#[derive(Serialize)]
pub struct Document<'a, T: Serialize> {
    pub version: u32,
    pub command: &'a str,
    #[serde(flatten)]
    pub extra: T,
    pub findings: Vec<JsonFinding>,
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
