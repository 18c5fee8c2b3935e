//! `schemapipe validate [PATH...]`

use super::{exit, Context, Outcome};
use crate::core::finding::{Finding, Severity};
use crate::core::load;
use crate::core::source::{FileId, SourceMap};
use crate::report::{self, Format, Summary};
use crate::workspace::{UsageError, Workspace};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// .avsc files or directories to check (default: the schema root).
    pub paths: Vec<PathBuf>,
}

/// Human output shows at most this many findings per file; JSON shows all.
const HUMAN_PER_FILE: usize = 50;

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let (inputs, reported) = ws.collect(&args.paths)?;
    if ctx.verbose {
        match &ws.config_path {
            Some(p) => eprintln!("config: {}", crate::workspace::display_path(&ctx.cwd, p)),
            None => eprintln!("config: none (defaults)"),
        }
        eprintln!("files: {} loaded, {} reported", inputs.len(), reported.iter().filter(|r| **r).count());
    }
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let shown: Vec<&Finding> = report::sorted(&set.findings)
        .into_iter()
        .filter(|f| f.file.is_none_or(|id| reported[id.0 as usize]))
        .filter(|f| !(ctx.quiet && f.severity != Severity::Error))
        .collect();
    let files = reported.iter().filter(|r| **r).count();
    let summary = Summary::of(files, shown.iter().copied());
    let code = if summary.errors > 0 { exit::FINDINGS } else { exit::CLEAN };
    let stdout = match ctx.format {
        Format::Json => report::json::render("validate", serde_json::json!({}), &sources, &shown, summary),
        Format::Human => human(ctx, &sources, &shown, summary),
        ci => {
            let files: Vec<FileId> = (0..reported.len()).filter(|i| reported[*i]).map(|i| FileId(i as u32)).collect();
            report::render_ci(ci, "validate", &sources, &files, &shown).unwrap_or_default()
        }
    };
    Ok(Outcome { stdout, code })
}

/// Findings rendered in full (with their source) in human output; the rest are counted by code.
const HUMAN_FULL: usize = 100;

pub(crate) fn human(ctx: &Context, sources: &SourceMap, shown: &[&Finding], summary: Summary) -> String {
    let r = ctx.renderer(sources);
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
    if !ctx.quiet {
        out.push_str(&summary_line(summary));
    }
    out
}

pub(crate) fn summary_line(s: Summary) -> String {
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
