//! `schemapipe completions SHELL`: a completion script for the shell, generated from the same
//! clap definitions as the parser, so it never lags behind the commands and flags.

use super::{exit, Cli, Context, Outcome};
use crate::workspace::UsageError;
use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(_ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "schemapipe", &mut out);
    let stdout =
        String::from_utf8(out).map_err(|_| UsageError::new("the completion script is not UTF-8", "report this bug"))?;
    Ok(Outcome { stdout, code: exit::CLEAN })
}
