//! Pull: bootstrap a repository from a registry — each subject's latest schema, formatted, at
//! the path of its full name.

use super::remote::{self, RegistryOptions};
use super::{Env, Status};
use crate::core::finding::{Finding, Kind};
use crate::core::format;
use crate::core::load::{self, Input};
use crate::core::source::SourceMap;
use crate::workspace::{display_path, UsageError};

#[derive(Clone, Debug, Default)]
pub struct PullOptions {
    /// Only subjects matching this regular expression.
    pub subject: Option<String>,
    /// Overwrite local files that differ from the registry's latest version.
    pub force: bool,
    pub registry: RegistryOptions,
}

/// What pulling did.
pub struct Pulled {
    /// Subjects that could not be written, and registry failures.
    pub findings: Vec<Finding>,
    /// One line per subject (`wrote`, `unchanged`, `skipped`).
    pub log: Vec<String>,
    /// Files written, as shown.
    pub written: Vec<String>,
    pub status: Status,
}

pub fn pull(env: &Env, args: &PullOptions) -> Result<Pulled, UsageError> {
    let ws = env.workspace()?;
    let root = ws.root.clone().unwrap_or_else(|| env.cwd.join("schemas"));
    let filter = match &args.subject {
        Some(r) => Some(regex_lite::Regex::new(r).map_err(|e| {
            UsageError::new(format!("bad --subject pattern: {e}"), "pass a regular expression, e.g. '^mysql\\.'")
        })?),
        None => None,
    };
    let client = remote::client(&ws, &args.registry)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let remote = |e: &crate::registry::RegistryError| {
        let (m, h) = e.explain();
        Finding::error("registry-unavailable", m).kind(Kind::Publish).help(h)
    };
    let subjects = match client.subjects() {
        Ok(s) => s,
        Err(e) => {
            findings.push(remote(&e));
            return Ok(Pulled { findings, log: lines, written, status: Status::Remote });
        }
    };
    let mut status = Status::Clean;
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
                status = Status::Remote;
                break;
            }
        };
        let set = load::load(vec![Input::new(subject.clone(), &reg.schema)], &ws.limits(), &mut SourceMap::new());
        let Some(name) = set.files[0].root.and_then(|r| set.node(r).named()).map(|n| n.full_name.clone()) else {
            lines.push(format!("skipped {subject}: its schema has no name to give it a file"));
            continue;
        };
        let path = root.join(format!("{}.avsc", name.replace('.', "/")));
        let shown = display_path(&env.cwd, &path);
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
                match super::files::write_atomic(&path, &pretty) {
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
    if status == Status::Clean && !findings.is_empty() {
        status = Status::Findings;
    }
    Ok(Pulled { findings, log: lines, written, status })
}
