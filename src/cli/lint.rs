//! `schemapipe lint [PATH...]`

use super::{exit, Context, Outcome};
use crate::core::finding::{Finding, Severity};
use crate::core::lint::{self, Target};
use crate::core::load;
use crate::core::source::{FileId, SourceMap};
use crate::report::{self, Format, Summary};
use crate::workspace::{UsageError, Workspace};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// .avsc files or directories to lint (default: the schema root).
    pub paths: Vec<PathBuf>,
}

/// Paths of files relative to the schema root (layout rules, path-based levels, generated
/// headers), whatever directory the command runs in: `names` are as shown, relative to `cwd`.
pub(crate) fn rel_paths(ws: &Workspace, cwd: &std::path::Path, names: &[String]) -> Vec<Option<String>> {
    let canon = |p: &std::path::Path| crate::workspace::normalize(&std::fs::canonicalize(p).unwrap_or(p.to_path_buf()));
    let Some(root) = ws.root.as_deref().map(canon) else { return vec![None; names.len()] };
    let cwd = canon(cwd);
    names
        .iter()
        .map(|n| {
            let abs = crate::workspace::normalize(&cwd.join(n));
            abs.strip_prefix(&root).ok().map(|r| r.to_string_lossy().replace('\\', "/"))
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
