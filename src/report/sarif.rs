//! `--format sarif`: a SARIF 2.1.0 log (hand-written structs; one run, one rule per code).

use crate::core::finding::{Finding, Severity};
use crate::core::source::SourceMap;
use serde::Serialize;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Text,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn render(sources: &SourceMap, findings: &[&Finding]) -> String {
    let mut rules: Vec<Rule> = Vec::new();
    let mut results = Vec::new();
    for f in findings {
        if !rules.iter().any(|r| r.id == f.code) {
            rules.push(Rule { id: f.code.to_string(), short_description: Text { text: f.code.replace('-', " ") } });
        }
        let locations = match f.file {
            Some(file) => {
                let src = sources.get(file);
                let region = f.span.map(|s| {
                    let (start_line, start_column) = src.line_col(s.start);
                    let (end_line, end_column) = src.line_col(s.end);
                    Region { start_line, start_column, end_line, end_column }
                });
                vec![Location {
                    physical_location: Physical { artifact_location: Artifact { uri: src.name.clone() }, region },
                }]
            }
            None => Vec::new(),
        };
        let mut text = f.message.clone();
        if let Some(h) = &f.help {
            text.push_str(&format!(" (help: {h})"));
        }
        results.push(SarifResult {
            rule_id: f.code.to_string(),
            level: match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            },
            message: Text { text },
            locations,
        });
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool { driver: Driver { name: "schemapipe", version: env!("CARGO_PKG_VERSION"), rules } },
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF always serializes");
    s.push('\n');
    s
}
