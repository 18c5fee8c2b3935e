//! `schemapipe pull [--subject REGEX] [--force]`: bootstrap a repository from a registry.

use super::{status_code, Context, Outcome, RegistryArgs};
use crate::app::pull::{pull, PullOptions};
use crate::core::finding::Finding;
use crate::core::source::SourceMap;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only subjects matching this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub subject: Option<String>,
    /// Overwrite local files that differ from the registry's latest version.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let opts = PullOptions { subject: args.subject, force: args.force, registry: args.registry.options() };
    let p = pull(&ctx.env(), &opts)?;
    // Findings of pull are about registry subjects, not files with sources.
    let sources = SourceMap::new();
    let shown: Vec<&Finding> = p.findings.iter().collect();
    let summary = Summary::of(p.log.len(), shown.iter().copied());
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "pull",
            serde_json::json!({
                "written": p.written,
                "unchanged": p.unchanged,
                "not_written": p.not_written.iter().map(|(path, reason)| serde_json::json!({"path": path, "reason": reason})).collect::<Vec<_>>(),
                "log": p.log,
            }),
            &sources,
            &shown,
            summary,
        ),
        _ => {
            let mut out = String::new();
            for l in &p.log {
                out.push_str(l);
                out.push('\n');
            }
            for (path, reason) in &p.not_written {
                out.push_str(&format!("not written {path}: {reason}\n"));
            }
            let r = ctx.renderer(&sources);
            for f in &shown {
                out.push_str(&r.render(f));
            }
            out
        }
    };
    Ok(Outcome { stdout, code: status_code(p.status) })
}
