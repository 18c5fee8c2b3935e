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

/// Shared file texts, so a thousand findings in one file do not copy it a thousand times.
pub struct Renderer<'a> {
    sources: &'a SourceMap,
    texts: Vec<Arc<String>>,
    handler: GraphicalReportHandler,
}

fn span(s: crate::core::source::Span) -> SourceSpan {
    SourceSpan::new(s.start.into(), s.len())
}

impl<'a> Renderer<'a> {
    pub fn new(sources: &'a SourceMap, style: Style) -> Self {
        let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
        let texts = sources.iter().map(|(_, f)| Arc::new(f.text.clone())).collect();
        Renderer { sources, texts, handler }
    }

    fn named_source(&self, file: crate::core::source::FileId) -> NamedSource<Arc<String>> {
        NamedSource::new(self.sources.get(file).name.clone(), self.texts[file.0 as usize].clone()).with_language("json")
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
        format!("{}:{l}:{c}", src.name)
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
        let mut title = format!("{}[{}]: {}", f.severity.as_str(), f.code, f.message);
        let mut with_source = true;
        if let (Some(file), Some(s)) = (f.file, f.span) {
            if self.showable(file, s) {
                labels.push(LabeledSpan::new_primary_with_span(None, span(self.sources.get(file).clamp(s))));
            } else {
                with_source = false;
                title.push_str(&format!("\n  --> {} (line too long to show)", self.location(file, s)));
            }
        }
        for l in &f.labels {
            if !self.showable(l.file, l.span) {
                title.push_str(&format!("\n  --> {}: {}", self.location(l.file, l.span), l.message));
            } else if Some(l.file) == f.file && with_source {
                labels.push(LabeledSpan::new_with_span(
                    Some(l.message.clone()),
                    span(self.sources.get(l.file).clamp(l.span)),
                ));
            } else {
                related.push(Diag {
                    title: l.message.clone(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(self.named_source(l.file)),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(l.message.clone()),
                        span(self.sources.get(l.file).clamp(l.span)),
                    )],
                    related: Vec::new(),
                });
            }
        }
        let d = Diag {
            title,
            severity,
            help: f.help.clone(),
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
