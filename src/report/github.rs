//! `--format github`: GitHub Actions workflow commands, which annotate the pull request's
//! files at the finding's line.

use crate::core::finding::{Finding, Severity};
use crate::core::source::SourceMap;
use std::fmt::Write;

/// Escaping of workflow-command data (`%`, CR, LF) and properties (also `:` and `,`).
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(sources: &SourceMap, findings: &[&Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = vec![format!("title={}", property(&format!("schemapipe {}", f.code)))];
        if let Some(file) = f.file {
            let src = sources.get(file);
            props.insert(0, format!("file={}", property(&src.name)));
            if let Some(span) = f.span {
                let (l, c) = src.line_col(span.start);
                let (el, ec) = src.line_col(span.end);
                props.insert(1, format!("line={l},col={c},endLine={el},endColumn={ec}"));
            }
        }
        let mut msg = f.message.clone();
        if let Some(h) = &f.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(out, "::{level} {}::{}", props.join(","), data(&msg));
    }
    out
}
