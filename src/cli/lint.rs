//! `schemapipe lint [PATH...]`

use super::{exit, Context, Outcome};
use crate::core::finding::{Finding, Severity};
use crate::core::lint::{self, Target};
use crate::core::load;
use crate::core::source::{FileId, SourceMap};
use crate::report::{self, Format, Summary};
use crate::workspace::{display_path, UsageError, Workspace};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// .avsc files or directories to lint (default: the schema root).
    pub paths: Vec<PathBuf>,
}

/// Paths of reported files relative to the schema root, for the layout rules.
pub(crate) fn rel_paths(ws: &Workspace, cwd: &std::path::Path, names: &[String]) -> Vec<Option<String>> {
    let root = ws.root.as_ref().map(|r| display_path(cwd, r));
    names
        .iter()
        .map(|n| {
            let root = root.as_deref()?;
            if root.is_empty() || root == "." {
                return Some(n.clone());
            }
            n.strip_prefix(root).and_then(|r| r.strip_prefix('/')).map(str::to_string)
        })
        .collect()
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let (inputs, reported) = ws.collect(&args.paths)?;
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let rels = rel_paths(&ws, &ctx.cwd, &names);
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
    let shown: Vec<&Finding> =
        report::sorted(&findings).into_iter().filter(|f| !(ctx.quiet && f.severity != Severity::Error)).collect();
    let summary = Summary::of(targets.len(), shown.iter().copied());
    let code = if summary.errors > 0 { exit::FINDINGS } else { exit::CLEAN };
    let stdout = match ctx.format {
        Format::Json => report::json::render("lint", serde_json::json!({}), &sources, &shown, summary),
        Format::Human => super::validate::human(ctx, &sources, &shown, summary),
        ci => {
            let files: Vec<FileId> = targets.iter().map(|t| FileId(t.index as u32)).collect();
            report::render_ci(ci, "lint", &sources, &files, &shown).unwrap_or_default()
        }
    };
    std::mem::forget(set);
    Ok(Outcome { stdout, code })
}
