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
    /// Diagnostics with source snippets, for people (also accepted as `text`).
    #[value(alias = "text")]
    Human,
    /// A versioned JSON document, for machines (see docs/json-output.md).
    Json,
    /// JUnit XML: one test case per file, for Jenkins and other CI test reports.
    Junit,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`), annotating pull requests.
    Github,
    /// A Markdown table, for pull-request comments (publish plans).
    Markdown,
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
        Format::Markdown => Some(markdown(command, sources, findings)),
        Format::Human | Format::Json => None,
    }
}

/// `--format markdown`: a findings table for a pull-request comment.
pub fn markdown(command: &str, sources: &crate::core::source::SourceMap, findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return format!("**schemapipe {command}**: no findings.\n");
    }
    let mut out = format!(
        "**schemapipe {command}**: {} finding(s)\n\n| severity | code | where | message |\n| --- | --- | --- | --- |\n",
        findings.len()
    );
    for f in findings {
        let at = match (f.file, f.span) {
            (Some(file), Some(span)) => {
                let src = sources.get(file);
                let (l, c) = src.line_col(span.start);
                format!("`{}:{l}:{c}`", src.name)
            }
            (Some(file), None) => format!("`{}`", sources.get(file).name),
            _ => String::new(),
        };
        let msg = f.message.replace('|', "\\|").replace('\n', " ");
        out.push_str(&format!("| {} | `{}` | {at} | {msg} |\n", f.severity.as_str(), f.code));
    }
    out
}
