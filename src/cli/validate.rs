//! `schemapipe validate [PATH...]`

use super::{code_of, Context, Outcome};
use crate::app::validate::{validate, ValidateOptions};
use crate::report::Summary;
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// .avsc files or directories to check (default: the schema root).
    pub paths: Vec<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let r = validate(&ctx.env(), &ValidateOptions { paths: args.paths })?;
    let shown = ctx.shown(&r.findings);
    let summary = Summary::of(r.files.len(), shown.iter().copied());
    let stdout = ctx.findings_output("validate", serde_json::json!({}), &r, &shown, summary);
    Ok(Outcome { stdout, code: code_of(summary) })
}
