//! `schemapipe check [PATH...] [--against REF] [--staged] [--registry]`

use super::{code_of, exit, parse_level, Context, Outcome, RegistryArgs};
use crate::app::check::{check, CheckOptions, Checked};
use crate::core::compat::level::Level;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Limit the check to these .avsc files or directories (default: the whole schema root).
    pub paths: Vec<PathBuf>,
    /// The git ref whose first-parent history holds the previous versions (default: the
    /// merge-base of HEAD with the base branch, `main`/`master` or `git.base_branch`, also
    /// found as `origin/<name>`).
    #[arg(long, value_name = "GIT_REF")]
    pub against: Option<String>,
    /// Check the staged contents (the git index) instead of the working tree, for a pre-commit hook.
    #[arg(long)]
    pub staged: bool,
    /// Check every schema against its history, not only the ones that changed (an audit of the
    /// whole repository).
    #[arg(long)]
    pub all: bool,
    /// Skip the lint rules (for pipelines that run `schemapipe lint` as a separate step).
    #[arg(long)]
    pub no_lint: bool,
    /// Check against the versions registered in the Schema Registry instead of git history.
    #[arg(long)]
    pub registry: bool,
    #[command(flatten)]
    pub registry_args: RegistryArgs,
    /// Use this compatibility level for every schema, instead of the configured levels.
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    pub level: Option<Level>,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let opts = CheckOptions {
        registry: args.registry.then(|| args.registry_args.options()),
        paths: args.paths,
        against: args.against,
        staged: args.staged,
        all: args.all,
        no_lint: args.no_lint,
        level: args.level,
    };
    let outcome = match check(&ctx.env(), &opts)? {
        Checked::Git(c) => {
            let f = &c.findings;
            let shown = ctx.shown(&f.findings);
            let summary = Summary::of(f.files.len(), shown.iter().copied());
            let stdout = match ctx.format {
                Format::Json => report::json::render(
                    "check",
                    serde_json::json!({"base": c.base, "source": c.source, "checked": c.checked}),
                    &f.sources,
                    &shown,
                    summary,
                ),
                Format::Human => {
                    let mut out = ctx.listing(&f.sources, &shown, summary);
                    if !ctx.quiet {
                        let broken = c.checked.iter().filter(|c| !c.compatible).count();
                        out.push_str(&format!(
                            "{} changed schema{} checked against {} ({} commits): {}\n",
                            c.checked.len(),
                            if c.checked.len() == 1 { "" } else { "s" },
                            c.base,
                            c.commits,
                            verdict(broken, c.samples_failed.len())
                        ));
                    }
                    out
                }
                ci => report::render_ci(ci, "check", &f.sources, &f.files, &shown).unwrap_or_default(),
            };
            let code = code_of(summary);
            std::mem::forget(c);
            Outcome { stdout, code }
        }
        Checked::Registry(c) => {
            let f = &c.findings;
            let shown = ctx.shown(&f.findings);
            let summary = Summary::of(f.files.len(), shown.iter().copied());
            let code = if c.remote_failed { exit::REMOTE } else { code_of(summary) };
            let stdout = match ctx.format {
                Format::Json => report::json::render(
                    "check",
                    serde_json::json!({"source": "registry", "subjects_checked": c.subjects_checked}),
                    &f.sources,
                    &shown,
                    summary,
                ),
                Format::Human => {
                    let mut out = ctx.listing(&f.sources, &shown, summary);
                    if !ctx.quiet {
                        out.push_str(&format!(
                            "{} subjects checked against their registered versions\n",
                            c.subjects_checked
                        ));
                    }
                    out
                }
                // Registry versions are not files of the repository: the findings alone.
                ci => report::render_ci(ci, "check", &f.sources, &[], &shown).unwrap_or_default(),
            };
            Outcome { stdout, code }
        }
    };
    Ok(outcome)
}

/// The end of `check`'s summary line: changed schemas found incompatible (by the type rules or
/// their samples) and unchanged schemas whose samples fail.
fn verdict(broken: usize, samples_failed: usize) -> String {
    let mut parts = Vec::new();
    if broken > 0 {
        parts.push(format!("{broken} incompatible"));
    }
    if samples_failed > 0 {
        let s = if samples_failed == 1 { "" } else { "s" };
        parts.push(format!("samples of {samples_failed} unchanged schema{s} fail"));
    }
    if parts.is_empty() {
        "all compatible".to_string()
    } else {
        parts.join(", ")
    }
}
