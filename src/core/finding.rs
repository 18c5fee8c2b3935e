//! The one finding type every analysis emits.

use crate::core::source::{FileId, Span};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which analysis produced a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The Avro specification (always on).
    Spec,
    Lint,
    Compat,
    Publish,
}

/// A secondary place a finding refers to ("first defined here").
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable kebab-case code naming the problem.
    pub code: &'static str,
    pub kind: Kind,
    pub severity: Severity,
    /// One lowercase sentence naming the thing.
    pub message: String,
    pub file: Option<FileId>,
    pub span: Option<Span>,
    /// JSON pointer into the schema document, where it applies.
    pub path: Option<String>,
    pub labels: Vec<Label>,
    /// What to do about it; starts with a verb.
    pub help: Option<String>,
    /// Extra facts for machine readers (e.g. the compat direction), shown in JSON as `details`.
    pub details: Vec<(&'static str, String)>,
}

impl Finding {
    pub fn spec(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            code,
            kind: Kind::Spec,
            severity,
            message: message.into(),
            file: None,
            span: None,
            path: None,
            labels: Vec::new(),
            help: None,
            details: Vec::new(),
        }
    }
    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }
    pub fn detail(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.details.push((key, value.into()));
        self
    }
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::spec(code, Severity::Error, message)
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::spec(code, Severity::Warning, message)
    }
    pub fn at(mut self, file: FileId, span: Span) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self
    }
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { file, span, message: message.into() });
        self
    }
}

/// Edit distance, for did-you-mean suggestions. Bounded by the caller's length checks.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if name.len() > 256 {
        return None;
    }
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.len().abs_diff(name.len()) > 3 || c.len() > 256 {
            continue;
        }
        let d = if c.to_lowercase() == lower { 0 } else { levenshtein(name, c) };
        let limit = (name.chars().count() / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn did_you_mean_picks_the_closest_plausible_name() {
        let names = ["com.acme.Address", "com.acme.Money", "com.acme.Adversary"];
        assert_eq!(did_you_mean("com.acme.Adress", names), Some("com.acme.Address"));
        assert_eq!(did_you_mean("com.acme.money", names), Some("com.acme.Money"));
        assert_eq!(did_you_mean("org.other.Thing", names), None);
        assert_eq!(did_you_mean(&"x".repeat(1_000_000), names), None);
    }
}
