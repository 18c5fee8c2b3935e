//! Human output through miette: `error[code]: message`, the source with a label on the exact
//! token, secondary labels ("first defined here"), and a help line.

use crate::core::finding::{Finding, Severity};
use crate::core::source::SourceMap;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

struct Diag {
    title: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<Arc<String>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag>,
}

impl fmt::Debug for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}

/// Shared file texts, so a thousand findings in one file do not copy it a thousand times;
/// each made ready for display the first time one of its findings is shown (most files of a
/// run have none).
pub struct Renderer<'a> {
    sources: &'a SourceMap,
    texts: Vec<std::sync::OnceLock<Arc<String>>>,
    handler: GraphicalReportHandler,
}

/// Text from files, names and registries shown on a terminal: control characters (an escape
/// sequence that would recolour, move the cursor or retitle the terminal) are shown escaped.
pub fn printable(s: &str) -> String {
    let s = &*hide_userinfo(s, false);
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars().map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Credentials written in URLs (`https://user:password@host`, and in YAML files also
/// `user:password@host` without a scheme) become `*`s of the same UTF-8 length, so a config
/// error quoting the registry URL's line shows no secret and spans still hold.
fn hide_userinfo(s: &str, schemeless: bool) -> std::borrow::Cow<'_, str> {
    if !s.contains('@') {
        return std::borrow::Cow::Borrowed(s);
    }
    let delimiter = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '{' | '}' | '[' | ']' | ',' | '<' | '>');
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(|c: char| !delimiter(c)) {
        out.push_str(&rest[..start]);
        let token_len = rest[start..].find(delimiter).unwrap_or(rest.len() - start);
        let token = &rest[start..start + token_len];
        let (prefix, info) = match token.find("://") {
            Some(i) => token.split_at(i + 3),
            None if schemeless => token.split_at(0),
            None => ("", ""),
        };
        match info.rfind('@') {
            Some(at) if !info.is_empty() && (!prefix.is_empty() || info[..at].contains(':')) && at > 0 => {
                out.push_str(prefix);
                out.extend(info[..at].chars().flat_map(|c| std::iter::repeat_n('*', c.len_utf8())));
                out.push_str(&info[at..]);
            }
            _ => out.push_str(token),
        }
        rest = &rest[start + token_len..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// A file's text for snippets: control characters other than tab and line ends become a
/// character of the same UTF-8 length (`?` or `¿`), so that byte offsets of spans still hold.
fn inert_text(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c.is_control() && c.len_utf8() == 1 => '?',
            c if c.is_control() => '¿',
            c => c,
        })
        .collect()
}

fn span(s: crate::core::source::Span) -> SourceSpan {
    SourceSpan::new(s.start.into(), s.len())
}

impl<'a> Renderer<'a> {
    pub fn new(sources: &'a SourceMap, style: Style) -> Self {
        let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
        let texts = sources.iter().map(|_| std::sync::OnceLock::new()).collect();
        Renderer { sources, texts, handler }
    }

    fn named_source(&self, file: crate::core::source::FileId) -> NamedSource<Arc<String>> {
        let f = self.sources.get(file);
        let text = self.texts[file.0 as usize].get_or_init(|| {
            let yaml = f.name.ends_with(".yaml") || f.name.ends_with(".yml");
            Arc::new(inert_text(&hide_userinfo(&f.text, yaml)))
        });
        NamedSource::new(printable(&f.name), text.clone()).with_language("json")
    }

    /// Findings that say the file is not JSON text. When the file does not even start like
    /// JSON its lines are never shown, since it may be anything (a credentials file, a key)
    /// rather than a schema; a schema with a syntax error is shown as usual.
    const NOT_A_SCHEMA: &'static [&'static str] = &["invalid-json", "invalid-utf8"];

    fn looks_like_json(&self, file: crate::core::source::FileId) -> bool {
        let text = self.sources.get(file).text.trim_start_matches('\u{feff}').trim_start();
        text.starts_with(['{', '[', '"'])
    }

    /// Lines longer than this are not shown as snippets (minified or hostile files would
    /// otherwise print megabytes); the location is printed instead.
    const MAX_SNIPPET_LINE: usize = 400;

    fn showable(&self, file: crate::core::source::FileId, s: crate::core::source::Span) -> bool {
        let s = self.sources.get(file).clamp(s);
        let text = &self.sources.get(file).text;
        let start = text[..s.start.min(text.len())].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let end = text[s.end.min(text.len())..].find('\n').map(|i| s.end + i).unwrap_or(text.len());
        end - start <= Self::MAX_SNIPPET_LINE * (1 + text[start..end].matches('\n').count())
            && s.len() <= Self::MAX_SNIPPET_LINE * 8
    }

    fn location(&self, file: crate::core::source::FileId, s: crate::core::source::Span) -> String {
        let src = self.sources.get(file);
        let (l, c) = src.line_col(s.start);
        format!("{}:{l}:{c}", printable(&src.name))
    }

    /// One finding, rendered.
    pub fn render(&self, f: &Finding) -> String {
        let severity = match f.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        };
        let mut labels = Vec::new();
        let mut related = Vec::new();
        let mut title = format!("{}[{}]: {}", f.severity.as_str(), printable(f.code), printable(&f.message));
        let mut with_source = true;
        if let (Some(file), Some(s)) = (f.file, f.span) {
            if Self::NOT_A_SCHEMA.contains(&f.code) && !self.looks_like_json(file) {
                // The file is not JSON at all (a credentials file, a key, a binary): none of it
                // is quoted, only where the problem is.
                with_source = false;
                title.push_str(&format!("\n  --> {}", self.location(file, s)));
            } else if self.showable(file, s) {
                labels.push(LabeledSpan::new_primary_with_span(None, span(self.sources.get(file).clamp(s))));
            } else {
                with_source = false;
                title.push_str(&format!("\n  --> {} (line too long to show)", self.location(file, s)));
            }
        }
        for l in &f.labels {
            if !self.showable(l.file, l.span) {
                title.push_str(&format!("\n  --> {}: {}", self.location(l.file, l.span), printable(&l.message)));
            } else if Some(l.file) == f.file && with_source {
                labels.push(LabeledSpan::new_with_span(
                    Some(printable(&l.message)),
                    span(self.sources.get(l.file).clamp(l.span)),
                ));
            } else {
                related.push(Diag {
                    title: printable(&l.message),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(self.named_source(l.file)),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(printable(&l.message)),
                        span(self.sources.get(l.file).clamp(l.span)),
                    )],
                    related: Vec::new(),
                });
            }
        }
        let d = Diag {
            title,
            severity,
            help: f.help.as_deref().map(printable),
            source: f.file.filter(|_| with_source).map(|file| self.named_source(file)),
            labels,
            related,
        };
        let mut out = String::new();
        if self.handler.render_report(&mut out, &d).is_err() {
            out = format!("{}\n", d.title);
        }
        out
    }
}

/// Human output shows at most this many findings per file; JSON shows all.
const HUMAN_PER_FILE: usize = 50;

/// Findings rendered in full (with their source) in human output; the rest are counted by code.
const HUMAN_FULL: usize = 100;

/// The findings of a command as a list for people, then (unless `quiet`) the summary line.
pub fn listing(
    sources: &SourceMap,
    style: Style,
    quiet: bool,
    shown: &[&Finding],
    summary: crate::report::Summary,
) -> String {
    let r = Renderer::new(sources, style);
    let mut out = String::new();
    // Errors first — incompatibilities, then spec errors, then lint — then warnings, in file
    // order within each; a flood (a repository that never ran lint) is summarised, not printed.
    let rank = |f: &Finding| {
        let kind = match f.kind {
            crate::core::finding::Kind::Compat => 0,
            crate::core::finding::Kind::Spec => 1,
            crate::core::finding::Kind::Publish => 2,
            crate::core::finding::Kind::Lint => 3,
        };
        (f.severity != Severity::Error, kind)
    };
    let mut ordered: Vec<&&Finding> = shown.iter().collect();
    ordered.sort_by_key(|f| rank(f));
    let mut per_file: std::collections::HashMap<Option<u32>, usize> = Default::default();
    let mut rest: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    let mut full = 0;
    for f in ordered {
        let n = per_file.entry(f.file.map(|x| x.0)).or_default();
        *n += 1;
        if *n > HUMAN_PER_FILE || full >= HUMAN_FULL {
            *rest.entry((f.severity.as_str(), f.code)).or_default() += 1;
            continue;
        }
        full += 1;
        out.push_str(&r.render(f));
        out.push('\n');
    }
    if !rest.is_empty() {
        let total: usize = rest.values().sum();
        out.push_str(&format!("… and {total} more findings not shown in full (use --format json for all):\n"));
        let mut by_count: Vec<_> = rest.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for ((sev, code), n) in by_count {
            out.push_str(&format!("  {n:>7} {sev}[{code}]\n"));
        }
    }
    if !quiet {
        out.push_str(&summary_line(summary));
    }
    out
}

/// `N files checked: no problems` or `N files checked: E errors, W warnings`.
pub fn summary_line(s: crate::report::Summary) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    if s.errors == 0 && s.warnings == 0 {
        format!("{} checked: no problems\n", plural(s.files, "file"))
    } else {
        format!(
            "{} checked: {}, {}\n",
            plural(s.files, "file"),
            plural(s.errors, "error"),
            plural(s.warnings, "warning")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::hide_userinfo;

    #[test]
    fn credentials_in_urls_are_hidden_at_the_same_length() {
        for (text, yaml, want) in [
            ("  url: http://bob:a/b@host:8081\n", false, "  url: http://*******@host:8081\n"),
            ("url: \"https://bob:p@ss@reg\"", false, "url: \"https://********@reg\""),
            ("{url: http://u:pw@h, x: 1}", false, "{url: http://****@h, x: 1}"),
            ("url: bob:pw@host:8081", true, "url: ******@host:8081"),
            ("url: bob:pw@host:8081", false, "url: bob:pw@host:8081"),
            ("url: http://bob:pässword@h", false, "url: http://*************@h"),
            ("owner: team@example.com", true, "owner: team@example.com"),
            ("no at sign http://host:8081/x", true, "no at sign http://host:8081/x"),
        ] {
            let got = hide_userinfo(text, yaml);
            assert_eq!(got, want, "{text}");
            assert_eq!(got.len(), text.len(), "{text}");
        }
    }
}
