//! Reporters: the only place that turns findings into text. One file per format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::core::finding::{Finding, Severity};

/// Output format of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// A versioned JSON document, for machines (see docs/json-output.md).
    Json,
    /// JUnit XML: one test case per file, for Jenkins and other CI test reports.
    Junit,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`), annotating pull requests.
    Github,
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

/// Renders findings in one of the CI formats (JUnit, SARIF, GitHub); `None` for the formats a
/// command renders itself (human, JSON).
pub fn render_ci(
    format: Format,
    command: &str,
    sources: &crate::core::source::SourceMap,
    files: &[crate::core::source::FileId],
    findings: &[&Finding],
) -> Option<String> {
    match format {
        Format::Junit => Some(junit::render(command, sources, files, findings)),
        Format::Sarif => Some(sarif::render(sources, findings)),
        Format::Github => Some(github::render(sources, findings)),
        Format::Human | Format::Json => None,
    }
}
