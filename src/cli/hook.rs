//! `schemapipe hook install [--force]` / `schemapipe hook uninstall`

use super::{exit, Context, Outcome};
use crate::app::hook::{self, Action, HookResult};
use crate::report::Format;
use crate::workspace::UsageError;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: HookAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum HookAction {
    /// Write a plain git pre-commit hook that runs `schemapipe check --staged --against HEAD`.
    ///
    /// The hook goes where git runs hooks from: `core.hooksPath` when set, else the
    /// repository's hooks folder (shared by its linked worktrees). An existing hook that
    /// schemapipe did not write is left as it is (exit 2) unless --force. The file is written
    /// whole or not at all.
    Install {
        /// Replace an existing pre-commit hook that schemapipe did not write.
        #[arg(long)]
        force: bool,
    },
    /// Remove the pre-commit hook, only if `schemapipe hook install` wrote it.
    Uninstall,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let (verb, r) = match args.action {
        HookAction::Install { force } => ("install", hook::install(&ctx.cwd, force)?),
        HookAction::Uninstall => ("uninstall", hook::uninstall(&ctx.cwd)?),
    };
    let stdout = match ctx.format {
        Format::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "command": "hook",
                "action": verb,
                "hook": r.path.to_string_lossy(),
                "hooks_path": r.hooks.hooks_path,
                "result": r.action.as_str(),
                "runs": hook::COMMAND,
            });
            format!("{}\n", serde_json::to_string_pretty(&doc).expect("serializes"))
        }
        _ => human(&ctx.cwd, &r, ctx.quiet),
    };
    Ok(Outcome { stdout, code: exit::CLEAN })
}

fn human(cwd: &Path, r: &HookResult, quiet: bool) -> String {
    if quiet {
        return String::new();
    }
    let shown = r.path.strip_prefix(cwd).unwrap_or(&r.path).display().to_string();
    let from = match &r.hooks.hooks_path {
        Some(p) => format!(" (core.hooksPath is `{p}`)"),
        None => String::new(),
    };
    let line = match r.action {
        Action::Created => format!("installed the pre-commit hook {shown}{from}: it runs `{}`", hook::COMMAND),
        Action::Updated => format!("updated the pre-commit hook {shown}{from}: it runs `{}`", hook::COMMAND),
        Action::Replaced => {
            format!("replaced the existing pre-commit hook {shown}{from} (--force): it now runs `{}`", hook::COMMAND)
        }
        Action::Unchanged => format!("the pre-commit hook {shown}{from} is already installed"),
        Action::Removed => format!("removed the pre-commit hook {shown}{from}"),
        Action::Absent => format!("there is no pre-commit hook {shown}{from}; nothing removed"),
    };
    format!("{line}\n")
}
