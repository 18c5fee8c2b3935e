//! `schemapipe man`: the manual page (roff), generated from the same clap definitions as the
//! parser: the main page with every command's options, one section per command.

use super::{exit, Cli, Context, Outcome};
use crate::workspace::UsageError;
use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_ctx: &Context, _args: Args) -> Result<Outcome, UsageError> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    let fail = |_| UsageError::new("the manual page could not be rendered", "report this bug");
    clap_mangen::Man::new(cmd.clone()).render(&mut out).map_err(fail)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        out.extend_from_slice(b".SH \"");
        out.extend_from_slice(format!("SCHEMAPIPE {}", sub.get_name().to_uppercase()).as_bytes());
        out.extend_from_slice(b"\"\n");
        man.render_description_section(&mut out).map_err(fail)?;
        man.render_options_section(&mut out).map_err(fail)?;
    }
    let stdout =
        String::from_utf8(out).map_err(|_| UsageError::new("the manual page is not UTF-8", "report this bug"))?;
    Ok(Outcome { stdout, code: exit::CLEAN })
}
