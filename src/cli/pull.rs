//! `schemapipe pull [--subject REGEX] [--force]`: bootstrap a repository from a registry.

use super::{exit, Context, Outcome};
use crate::core::finding::{Finding, Kind};
use crate::core::format;
use crate::core::load::{self, Input};
use crate::core::source::SourceMap;
use crate::report::{self, Format, Summary};
use crate::workspace::{display_path, UsageError, Workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only subjects matching this regular expression.
    #[arg(long, value_name = "REGEX")]
    pub subject: Option<String>,
    /// Overwrite local files that differ from the registry's latest version.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub registry: super::RegistryArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let root = ws.root.clone().unwrap_or_else(|| ctx.cwd.join("schemas"));
    let filter = match &args.subject {
        Some(r) => Some(regex_lite::Regex::new(r).map_err(|e| {
            UsageError::new(format!("bad --subject pattern: {e}"), "pass a regular expression, e.g. '^mysql\\.'")
        })?),
        None => None,
    };
    let client = super::publish::client(&ws, &args.registry)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let sources = SourceMap::new();
    let remote = |e: &crate::registry::RegistryError| {
        let (m, h) = e.explain();
        Finding::error("registry-unavailable", m).kind(Kind::Publish).help(h)
    };
    let subjects = match client.subjects() {
        Ok(s) => s,
        Err(e) => {
            findings.push(remote(&e));
            return Ok(finish(ctx, &sources, &findings, &lines, &written, exit::REMOTE));
        }
    };
    let mut code = exit::CLEAN;
    let context = ws.config.registry.context.as_deref();
    let chosen = subjects.iter().filter(|s| {
        crate::core::publish::in_context(s, context)
            .is_some_and(|bare| filter.as_ref().is_none_or(|f| f.is_match(bare)))
    });
    for subject in chosen {
        let reg = match client.version(subject, "latest") {
            Ok(r) => r,
            Err(e) => {
                findings.push(remote(&e));
                code = exit::REMOTE;
                break;
            }
        };
        let set = load::load(vec![Input::new(subject.clone(), &reg.schema)], &ws.limits(), &mut SourceMap::new());
        let Some(name) = set.files[0].root.and_then(|r| set.node(r).named()).map(|n| n.full_name.clone()) else {
            lines.push(format!("skipped {subject}: its schema has no name to give it a file"));
            continue;
        };
        let path = root.join(format!("{}.avsc", name.replace('.', "/")));
        let shown = display_path(&ctx.cwd, &path);
        let pretty = format::format(&reg.schema, &ws.limits()).unwrap_or_else(|_| format!("{}\n", reg.schema));
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == pretty => lines.push(format!("unchanged {shown} ({subject} v{})", reg.version)),
            Ok(_) if !args.force => {
                findings.push(
                    Finding::error(
                        "local-file-differs",
                        format!(
                            "`{shown}` differs from {subject} version {} in the registry; left as it is",
                            reg.version
                        ),
                    )
                    .kind(Kind::Publish)
                    .help("compare them, then pass --force to take the registry's version"),
                );
            }
            _ => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        UsageError::new(format!("cannot create `{}`: {e}", dir.display()), "check permissions")
                    })?;
                }
                match crate::app::files::write_atomic(&path, &pretty) {
                    Ok(()) => {
                        lines.push(format!("wrote {shown} ({subject} v{})", reg.version));
                        written.push(shown);
                    }
                    Err(e) => findings.push(
                        Finding::error("unwritable-file", format!("cannot write `{shown}`: {e}")).kind(Kind::Publish),
                    ),
                }
            }
        }
    }
    if code == exit::CLEAN && !findings.is_empty() {
        code = exit::FINDINGS;
    }
    Ok(finish(ctx, &sources, &findings, &lines, &written, code))
}

fn finish(
    ctx: &Context,
    sources: &SourceMap,
    findings: &[Finding],
    lines: &[String],
    written: &[String],
    code: i32,
) -> Outcome {
    let shown: Vec<&Finding> = findings.iter().collect();
    let summary = Summary::of(lines.len(), shown.iter().copied());
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "pull",
            serde_json::json!({"written": written, "log": lines}),
            sources,
            &shown,
            summary,
        ),
        _ => {
            let mut out = String::new();
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
            let r = ctx.renderer(sources);
            for f in &shown {
                out.push_str(&r.render(f));
            }
            out
        }
    };
    Outcome { stdout, code }
}
