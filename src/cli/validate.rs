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

pub(crate) fn human(ctx: &Context, sources: &SourceMap, shown: &[&Finding], summary: Summary) -> String {
    let r = ctx.renderer(sources);
    let mut out = String::new();
    let mut per_file: std::collections::HashMap<Option<u32>, usize> = Default::default();
    let mut hidden = 0;
    for f in shown {
        let n = per_file.entry(f.file.map(|x| x.0)).or_default();
        *n += 1;
        if *n > HUMAN_PER_FILE {
            hidden += 1;
            continue;
        }
        out.push_str(&r.render(f));
        out.push('\n');
    }
    if hidden > 0 {
        out.push_str(&format!(
            "… {hidden} more findings not shown (at most {HUMAN_PER_FILE} per file); use --format json for all\n"
        ));
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
