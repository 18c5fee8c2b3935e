//! Reporters: the only place that turns findings into text. One file per format.

pub mod human;
pub mod json;

use crate::core::finding::{Finding, Severity};

/// Output format of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// A versioned JSON document, for machines (see docs/json-output.md).
    Json,
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of<'a>(files: usize, findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut s = Summary { files, ..Default::default() };
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => {}
            }
        }
        s
    }
}

/// Findings sorted the way every reporter shows them: by file, then position, then code.
pub fn sorted(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    v.sort_by(|a, b| (a.file, a.span.map(|s| s.start), a.code).cmp(&(b.file, b.span.map(|s| s.start), b.code)));
    v
}
