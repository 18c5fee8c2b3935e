//! `schemapipe fmt [--check] [PATH...]`

use super::{exit, Context, Outcome};
use crate::app::fmt::{fmt, FmtOptions};
use crate::core::finding::Finding;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// .avsc files or directories to format (default: the schema root).
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that would change and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let check = args.check;
    let r = fmt(&ctx.env(), &FmtOptions { paths: args.paths, check })?;
    let shown: Vec<&Finding> = ctx.shown(&r.findings);
    let summary = Summary::of(r.files, shown.iter().copied());
    let failed = summary.errors > 0 || (check && !r.changed.is_empty());
    let code = if failed { exit::FINDINGS } else { exit::CLEAN };
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "fmt",
            serde_json::json!({"check": check, "changed": r.changed}),
            &r.sources,
            &shown,
            summary,
        ),
        _ => {
            let mut out = ctx.listing(&r.sources, &shown, summary);
            // The summary line of findings is replaced by what fmt did.
            if let Some(i) = out.rfind(" checked: ") {
                let start = out[..i].rfind('\n').map(|j| j + 1).unwrap_or(0);
                out.truncate(start);
            }
            let verb = if check { "would reformat" } else { "formatted" };
            // `changed` holds only the files really written (or, with --check, that would
            // change); quiet prints nothing but errors, and the files --check lists are its
            // failures.
            if check || !ctx.quiet {
                for c in &r.changed {
                    out.push_str(&format!("{verb} {}\n", safe_name(c)));
                }
            }
            if !ctx.quiet {
                let already = r.files.saturating_sub(r.changed.len() + r.failed);
                out.push_str(&format!(
                    "{} file{} {verb}, {already} already formatted",
                    r.changed.len(),
                    if r.changed.len() == 1 { "" } else { "s" },
                ));
                if r.failed > 0 {
                    out.push_str(&format!(
                        ", {} could not be {}",
                        r.failed,
                        if check { "checked" } else { "formatted" }
                    ));
                }
                out.push('\n');
            }
            out
        }
    };
    Ok(Outcome { stdout, code })
}

/// A file name for a line of output: control characters (a terminal escape in a hostile name)
/// shown escaped, never sent to the terminal.
fn safe_name(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(super::safe_name("schemas/a\u{1b}[31mred.avsc"), "schemas/a\\u{1b}[31mred.avsc");
        assert_eq!(super::safe_name("schemas/caf\u{fffd}.avsc"), "schemas/caf\u{fffd}.avsc");
    }
}
