//! `--format junit`: JUnit XML, one test case per checked file; each error finding is a
//! failure of its file's case, warnings go to the case's system-out.

use crate::core::finding::{Finding, Severity};
use crate::core::source::{FileId, SourceMap};
use std::fmt::Write;

/// XML text and attribute escaping, dropping characters XML 1.0 cannot carry.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn location(sources: &SourceMap, f: &Finding) -> String {
    match (f.file, f.span) {
        (Some(file), Some(span)) => {
            let src = sources.get(file);
            let (l, c) = src.line_col(span.start);
            format!("{}:{l}:{c}", src.name)
        }
        (Some(file), None) => sources.get(file).name.clone(),
        _ => "(repository)".to_string(),
    }
}

pub fn render(command: &str, sources: &SourceMap, files: &[FileId], findings: &[&Finding]) -> String {
    // Cases: every reported file, plus one for findings that belong to no file.
    let mut cases: Vec<(String, Vec<&Finding>)> =
        files.iter().map(|f| (sources.get(*f).name.clone(), Vec::new())).collect();
    let mut index: std::collections::HashMap<String, usize> =
        cases.iter().enumerate().map(|(i, (n, _))| (n.clone(), i)).collect();
    for f in findings {
        let name = f.file.map(|id| sources.get(id).name.clone()).unwrap_or_else(|| "(repository)".to_string());
        let i = *index.entry(name.clone()).or_insert_with(|| {
            cases.push((name, Vec::new()));
            cases.len() - 1
        });
        cases[i].1.push(f);
    }
    let failures = cases.iter().filter(|(_, fs)| fs.iter().any(|f| f.severity == Severity::Error)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"schemapipe\" tests=\"{}\" failures=\"{failures}\">", cases.len());
    let _ = writeln!(
        out,
        "  <testsuite name=\"schemapipe {}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        escape(command),
        cases.len()
    );
    for (name, fs) in &cases {
        let _ = write!(out, "    <testcase classname=\"schemapipe.{}\" name=\"{}\"", escape(command), escape(name));
        if fs.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let errors: Vec<&&Finding> = fs.iter().filter(|f| f.severity == Severity::Error).collect();
        if let Some(first) = errors.first() {
            let mut body = String::new();
            for f in &errors {
                let _ = writeln!(body, "{}: error[{}]: {}", location(sources, f), f.code, f.message);
                if let Some(h) = &f.help {
                    let _ = writeln!(body, "  help: {h}");
                }
            }
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                escape(first.code),
                escape(&format!("{} error(s); first: {}", errors.len(), first.message)),
                escape(&body)
            );
        }
        let warnings: Vec<String> = fs
            .iter()
            .filter(|f| f.severity != Severity::Error)
            .map(|f| format!("{}: {}[{}]: {}", location(sources, f), f.severity.as_str(), f.code, f.message))
            .collect();
        if !warnings.is_empty() {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&warnings.join("\n")));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_characters_xml_cannot_hold() {
        assert_eq!(super::escape("a<b>&\"c\"'\u{1}\n"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;\u{FFFD}\n");
    }
}
