//! Lint: the convention rules (and the spec errors that stop a schema from being linted well).

use super::{Env, Findings};
use crate::core::finding::{Finding, Severity};
use crate::core::lint::{self, Target};
use crate::core::load;
use crate::core::source::{FileId, SourceMap};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Files or directories to lint (empty: the schema root).
    pub paths: Vec<PathBuf>,
}

/// Spec errors, then the configured rules' findings, of the files under `paths`.
pub fn lint(env: &Env, opts: &LintOptions) -> Result<Findings, UsageError> {
    let ws = env.workspace()?;
    let (inputs, reported) = ws.collect(&opts.paths)?;
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let rels = super::files::rel_paths(&ws, &env.cwd, &names);
    let targets: Vec<Target> =
        (0..names.len()).filter(|i| reported[*i]).map(|i| Target { index: i, rel_path: rels[i].as_deref() }).collect();
    // Spec errors (a broken schema cannot be linted well), then the rules.
    let mut findings: Vec<Finding> = set
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.file.is_none_or(|id| reported[id.0 as usize]))
        .cloned()
        .collect();
    findings.extend(lint::lint(&set, &targets, &ws.config.lint));
    // `schemas.exclude` leaving out every file is said, not passed as "no problems".
    findings.extend(ws.no_files_selected(!targets.is_empty()));
    let files = targets.iter().map(|t| FileId(t.index as u32)).collect();
    std::mem::forget(set);
    Ok(Findings { sources, findings, files })
}
