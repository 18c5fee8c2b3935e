//! `schemapipe compat NEW.avsc [--against OLD.avsc ...] --level LEVEL`

use super::{exit, parse_level, Context, Outcome};
use crate::app::compat::{compat, Compared, CompatOptions};
use crate::core::compat::level::Level;
use crate::core::finding::{Finding, Severity};
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use clap::builder::TypedValueParser as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new version of the schema.
    pub new: PathBuf,
    /// A previous version; repeat for several, oldest first (the last one is the latest).
    /// Without any (a new subject), the schema is compatible at every level.
    #[arg(long = "against", value_name = "OLD.avsc", num_args = 0..=1, value_parser = clap::builder::OsStringValueParser::new().map(PathBuf::from))]
    pub against: Vec<PathBuf>,
    /// Compatibility level: BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE (case-insensitive).
    #[arg(long, value_name = "LEVEL", default_value = "BACKWARD", value_parser = parse_level)]
    pub level: Level,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let level = args.level;
    let r = compat(&ctx.env(), &CompatOptions { new: args.new, against: args.against, level })?;
    let f = &r.findings;
    let shown: Vec<&Finding> = f.findings.iter().filter(|f| !(ctx.quiet && f.severity != Severity::Error)).collect();
    let summary = Summary::of(1 + r.previous.len(), shown.iter().copied());
    let code = if r.compatible { exit::CLEAN } else { exit::FINDINGS };
    let stdout = match ctx.format {
        Format::Json => {
            let check_docs: Vec<serde_json::Value> = r
                .checks
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "against": r.previous[c.previous],
                        "direction": c.direction,
                        "compatible": c.compatible(),
                        "incompatibilities": c.incompatibilities.len(),
                    })
                })
                .collect();
            report::json::render(
                "compat",
                serde_json::json!({
                    "compatible": r.compatible,
                    "level": level,
                    "new": r.new,
                    "previous": r.previous,
                    "checks": check_docs,
                }),
                &f.sources,
                &shown,
                summary,
            )
        }
        ci @ (Format::Junit | Format::Sarif | Format::Github | Format::Markdown) => {
            report::render_ci(ci, "compat", &f.sources, &f.files, &shown).unwrap_or_default()
        }
        Format::Human => {
            let rend = ctx.renderer(&f.sources);
            let mut out = String::new();
            for f in &shown {
                out.push_str(&rend.render(f));
                out.push('\n');
            }
            if !ctx.quiet {
                out.push_str(&verdict_line(&r, level));
            }
            out
        }
    };
    Ok(Outcome { stdout, code })
}

fn verdict_line(r: &Compared, level: Level) -> String {
    let new = &r.new;
    if r.invalid {
        return format!("{new}: no verdict: fix the schema errors above first\n");
    }
    let previous = r.previous.len();
    if previous == 0 {
        return format!("{new} is {} compatible: no previous versions to check against\n", level.as_str());
    }
    let n: usize = r.checks.iter().map(|c| c.incompatibilities.len()).sum();
    let against =
        if previous == 1 { "1 previous version".to_string() } else { format!("{previous} previous versions") };
    if r.compatible {
        format!("{new} is {} compatible with {against}\n", level.as_str())
    } else {
        format!(
            "{new} is NOT {} compatible with {against}: {n} incompatibilit{}\n",
            level.as_str(),
            if n == 1 { "y" } else { "ies" }
        )
    }
}
