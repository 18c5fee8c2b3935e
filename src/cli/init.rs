//! `schemapipe init [DIR]`: start a governed schema repository.

use super::{exit, parse_level, Context, Outcome};
use crate::app::init::{self, InitOptions};
use crate::core::compat::level::Level;
use crate::core::config::Strategy;
use crate::report::Format;
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum StrategyArg {
    /// Subject `<topic>-value` / `<topic>-key` (Confluent's default; topics are mapped in the config).
    Topic,
    /// Subject = the record's full name (one schema, many topics).
    Record,
    /// Subject `<topic>-<full name>` (several event types on one topic).
    TopicRecord,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The directory to set up (created if missing; default: the current directory).
    pub dir: Option<PathBuf>,
    /// How schemas become registry subjects.
    #[arg(long, value_enum, default_value_t = StrategyArg::Record)]
    pub strategy: StrategyArg,
    /// The compatibility level every schema keeps (Confluent's names).
    #[arg(long, value_name = "LEVEL", value_parser = parse_level, default_value = "BACKWARD_TRANSITIVE")]
    pub level: Level,
    /// The Schema Registry URL written to schemapipe.yaml (no credentials: those come from the environment).
    #[arg(long, value_name = "URL")]
    pub registry_url: Option<String>,
    /// Namespace of the example event.
    #[arg(long, value_name = "NAMESPACE", default_value = "com.example.events")]
    pub namespace: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let strategy = match args.strategy {
        StrategyArg::Topic => Strategy::TopicNameStrategy,
        StrategyArg::Record => Strategy::RecordNameStrategy,
        StrategyArg::TopicRecord => Strategy::TopicRecordNameStrategy,
    };
    let opts = InitOptions {
        dir: args.dir.unwrap_or_else(|| PathBuf::from(".")),
        strategy,
        level: args.level,
        registry_url: args.registry_url,
        namespace: args.namespace,
    };
    let done = init::init(&ctx.cwd, &opts)?;
    let stdout = match ctx.format {
        Format::Json => {
            let mut doc = serde_json::json!({"version": 1, "command": "init"});
            doc["dir"] = done.dir.clone().into();
            doc["created"] = done.created.clone().into();
            doc["skipped"] = done.skipped.clone().into();
            doc["git_init"] = done.git_init.into();
            format!("{}\n", serde_json::to_string_pretty(&doc).expect("serializes"))
        }
        _ if ctx.quiet => String::new(),
        _ => {
            let mut out = String::new();
            for f in &done.created {
                out.push_str(&format!("created {f}\n"));
            }
            for f in &done.skipped {
                out.push_str(&format!("skipped {f} (it exists; left as it is)\n"));
            }
            if done.git_init {
                out.push_str("created a git repository on branch main\n");
            }
            let cd = if done.dir == "." { String::new() } else { format!("cd {} && ", done.dir) };
            out.push_str(&format!(
                "next: {cd}schemapipe check, then commit and push; see README.md for the workflow\n"
            ));
            out
        }
    };
    Ok(Outcome { stdout, code: exit::CLEAN })
}
