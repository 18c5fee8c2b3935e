//! Pull: bootstrap a repository from a registry — each subject's latest schema, formatted, at
//! the path of its full name.
//!
//! Everything the registry answers is untrusted: a path is built from a full name only through
//! [`pathname::for_full_name`] (a name with `..`, an empty part, a separator, a NUL byte, or a
//! part too long for a file name is refused, naming the subject and the name), and the files are
//! written in one all-or-nothing [`Transaction`]: if any file is refused, nothing is written.
//! A local file is compared with the registry's schema as a schema ([`schema_eq::same`]), so a
//! registry's own key order or layout never counts as a difference.

use super::remote::{self, RegistryOptions};
use super::{Env, Status};
use crate::core::finding::{Finding, Kind};
use crate::core::format;
use crate::core::load::{self, Input};
use crate::core::pathname;
use crate::core::schema::names;
use crate::core::schema_eq;
use crate::core::source::SourceMap;
use crate::fsguard::{Policy, Refusal, Transaction};
use crate::workspace::{display_path, UsageError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct PullOptions {
    /// Only subjects matching this regular expression.
    pub subject: Option<String>,
    /// Overwrite local files that differ (as schemas) from the registry's latest version.
    pub force: bool,
    pub registry: RegistryOptions,
}

/// What pulling did.
pub struct Pulled {
    /// Subjects that could not be written, and registry failures.
    pub findings: Vec<Finding>,
    /// One line per subject (`wrote`, `unchanged`, `identical`, `skipped`, `not written`).
    pub log: Vec<String>,
    /// Files written, as shown.
    pub written: Vec<String>,
    /// Files already holding the registry's schema, as shown.
    pub unchanged: Vec<String>,
    /// Files that were to be written and were not, as shown, and why.
    pub not_written: Vec<(String, String)>,
    pub status: Status,
}

/// A name from the registry for a message: control characters escaped, at most 200 characters.
fn shown_name(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 200 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A file to write: where, for which subject, what.
struct Planned {
    rel: String,
    subject: String,
    version: i64,
    text: String,
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
    let limits = ws.limits();
    let mut p = Pulled {
        findings: Vec::new(),
        log: Vec::new(),
        written: Vec::new(),
        unchanged: Vec::new(),
        not_written: Vec::new(),
        status: Status::Clean,
    };
    let remote = |e: &crate::registry::RegistryError| {
        let (m, h) = e.explain();
        Finding::error("registry-unavailable", m).kind(Kind::Publish).help(h)
    };
    let subjects = match client.subjects() {
        Ok(s) => s,
        Err(e) => {
            p.findings.push(remote(&e));
            p.status = Status::Remote;
            return Ok(p);
        }
    };
    let context = ws.config.registry.context.as_deref();
    let chosen = subjects.iter().filter(|s| {
        crate::core::publish::in_context(s, context)
            .is_some_and(|bare| filter.as_ref().is_none_or(|f| f.is_match(bare)))
    });
    let shown_path = |rel: &str| display_path(&env.cwd, &root.join(rel));
    // Path (relative to the root) -> the first subject that writes it.
    let mut planned: BTreeMap<String, Planned> = BTreeMap::new();
    // A registry answer that cannot be a file under the root: nothing at all is written.
    let mut hostile = false;
    // Every directory and file path planned, lowercased -> (as spelled, subject, schema name):
    // two spellings that differ only in case are one path on macOS and Windows.
    let mut spelled: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for subject in chosen {
        let who = shown_name(subject);
        let reg = match client.version(subject, "latest") {
            Ok(r) => r,
            Err(e) => {
                p.findings.push(remote(&e));
                p.status = Status::Remote;
                break;
            }
        };
        let set = load::load(vec![Input::new(subject.clone(), &reg.schema)], &limits, &mut SourceMap::new());
        let Some(name) = set.files[0].root.and_then(|r| set.node(r).named()).map(|n| n.full_name.clone()) else {
            p.log.push(format!("skipped {who}: its schema has no name to give it a file"));
            continue;
        };
        // The path, from the full name only; a name Java's Avro (what the registry runs) would
        // never have accepted (control characters, spaces, `-`) is refused as well.
        let checked = pathname::for_full_name(&name, "avsc").map_err(|e| e.to_string()).and_then(|rel| {
            match name.split('.').find_map(|part| names::validate_name(part).err().map(|e| e.describe(part))) {
                Some(why) => Err(format!("it is not a valid Avro name: {}", shown_name(&why))),
                None => Ok(rel),
            }
        });
        let rel = match checked {
            Ok(rel) => rel,
            Err(why) => {
                hostile = true;
                p.findings.push(
                    Finding::error(
                        "registry-unsafe-name",
                        format!(
                            "{who} version {}: the registry's schema is named `{}`, which cannot be a file under the schema root: {why}",
                            reg.version,
                            shown_name(&name)
                        ),
                    )
                    .kind(Kind::Publish)
                    .help("nothing was written; fix the schema's name in the registry, or leave the subject out with --subject"),
                );
                continue;
            }
        };
        if let Some((first, other, other_name)) = case_clash(&mut spelled, &rel, subject, &name) {
            hostile = true;
            p.findings.push(
                Finding::error(
                    "registry-names-differ-in-case",
                    format!(
                        "{who} version {} names its schema `{}` and {} names its `{}`: `{}` and `{}` differ only in case, one path on case-insensitive file systems (macOS, Windows)",
                        reg.version,
                        shown_name(&name),
                        shown_name(&other),
                        shown_name(&other_name),
                        shown_path(&first),
                        shown_path(&spelled_as(&rel, &first)),
                    ),
                )
                .kind(Kind::Publish)
                .help("nothing was written; rename one of the schemas or namespaces in the registry, or leave one subject out with --subject"),
            );
            continue;
        }
        let pretty = format::format(&reg.schema, &limits).unwrap_or_else(|_| format!("{}\n", reg.schema));
        if let Some(first) = planned.get(&rel) {
            if schema_eq::same(&first.text, &pretty, &limits) {
                p.log.push(format!(
                    "same {} ({who} v{}): the schema of {} v{}",
                    shown_path(&rel),
                    reg.version,
                    shown_name(&first.subject),
                    first.version
                ));
            } else {
                p.findings.push(
                    Finding::error(
                        "subjects-share-a-file",
                        format!(
                            "{who} version {} and {} version {} both name their schema `{}` but differ; `{}` gets the first one",
                            reg.version,
                            shown_name(&first.subject),
                            first.version,
                            shown_name(&name),
                            shown_path(&rel)
                        ),
                    )
                    .kind(Kind::Publish)
                    .help("pull one of them with --subject, and give the other a file of its own by hand"),
                );
            }
            continue;
        }
        planned.insert(rel.clone(), Planned { rel, subject: subject.clone(), version: reg.version, text: pretty });
    }
    if hostile || p.status == Status::Remote {
        for f in planned.values() {
            let why = if hostile {
                "another subject's name was refused; nothing was written"
            } else {
                "the registry failed; nothing was written"
            };
            p.not_written.push((shown_path(&f.rel), why.to_string()));
        }
        p.log.push("nothing was written".into());
        p.status = Status::Remote;
        return Ok(p);
    }
    let mut tx = Transaction::new(&root, Policy::AllOrNothing);
    // The log line of each file in the transaction, by its relative path.
    let mut pending: Vec<&Planned> = Vec::new();
    for f in planned.values() {
        let path = root.join(&f.rel);
        let shown = shown_path(&f.rel);
        match read_existing(&path, &root, limits.max_bytes as u64) {
            Existing::Missing | Existing::InTheWay => {}
            Existing::Text(existing) if existing == f.text => {
                p.log.push(format!("unchanged {shown} ({} v{})", shown_name(&f.subject), f.version));
                p.unchanged.push(shown);
                continue;
            }
            Existing::Text(existing) if schema_eq::same(&existing, &f.text, &limits) => {
                p.log.push(format!(
                    "identical {shown} ({} v{}): the same schema, laid out differently; left as it is",
                    shown_name(&f.subject),
                    f.version
                ));
                p.unchanged.push(shown);
                continue;
            }
            _ if !args.force => {
                p.findings.push(
                    Finding::error(
                        "local-file-differs",
                        format!(
                            "`{shown}` differs from {} version {} in the registry; left as it is",
                            shown_name(&f.subject),
                            f.version
                        ),
                    )
                    .kind(Kind::Publish)
                    .help("compare them, then pass --force to take the registry's version"),
                );
                continue;
            }
            // Differs, or is not a readable file: the transaction writes it or says why not.
            _ => {}
        }
        tx.put(PathBuf::from(&f.rel), f.text.as_bytes());
        pending.push(f);
    }
    match tx.commit() {
        Ok(report) => {
            for f in pending {
                let shown = shown_path(&f.rel);
                let rel = Path::new(&f.rel);
                let who = shown_name(&f.subject);
                if report.written.iter().any(|w| w == rel) {
                    p.log.push(format!("wrote {shown} ({who} v{})", f.version));
                    p.written.push(shown);
                } else if report.unchanged.iter().any(|w| w == rel) {
                    p.log.push(format!("unchanged {shown} ({who} v{})", f.version));
                    p.unchanged.push(shown);
                }
            }
        }
        Err(failure) => {
            let rel = failure.path.to_string_lossy();
            let failed = shown_path(&rel);
            let of = planned
                .get(rel.as_ref())
                .map(|f| format!("{} version {}: ", shown_name(&f.subject), f.version))
                .unwrap_or_default();
            if let Refusal::UnsafeName(e) = &failure.refusal {
                // A name the file system cannot hold under this root (a path too long).
                p.findings.push(
                    Finding::error(
                        "registry-unsafe-name",
                        format!("{of}cannot write `{failed}`: {e}; nothing was written"),
                    )
                    .kind(Kind::Publish)
                    .help("fix the schema's name in the registry, or leave the subject out with --subject"),
                );
                p.status = Status::Remote;
            } else {
                p.findings.push(
                    Finding::error(
                        "unwritable-file",
                        format!("{of}cannot write `{failed}`: {}; nothing was written", failure.refusal),
                    )
                    .kind(Kind::Publish)
                    .help("fix what is in the way (permissions, a directory or a link where the file goes), then pull again"),
                );
            }
            for (rel, why) in &failure.report.not_written {
                p.not_written.push((shown_path(&rel.to_string_lossy()), why.to_string()));
            }
            p.log.push("nothing was written".into());
        }
    }
    if p.status == Status::Clean && !p.findings.is_empty() {
        p.status = Status::Findings;
    }
    Ok(p)
}

/// Records every directory and the file of `rel` under its lowercase spelling; the first path
/// already recorded with another spelling, and its subject and schema name, is a clash.
fn case_clash(
    spelled: &mut BTreeMap<String, (String, String, String)>,
    rel: &str,
    subject: &str,
    name: &str,
) -> Option<(String, String, String)> {
    let parts: Vec<&str> = rel.split('/').collect();
    for i in 1..=parts.len() {
        let prefix = parts[..i].join("/");
        match spelled.get(&prefix.to_lowercase()) {
            Some((first, s, n)) if *first != prefix => return Some((first.clone(), s.clone(), n.clone())),
            Some(_) => {}
            None => {
                spelled.insert(prefix.to_lowercase(), (prefix, subject.to_string(), name.to_string()));
            }
        }
    }
    None
}

/// The prefix of `rel` as long as `like` (the clashing spelling of the same path).
fn spelled_as(rel: &str, like: &str) -> String {
    let n = like.split('/').count();
    rel.split('/').take(n).collect::<Vec<_>>().join("/")
}

enum Existing {
    /// Nothing there (or a path the file system cannot even look up: the transaction refuses
    /// it, naming why).
    Missing,
    Text(String),
    /// Not a file to compare: a directory, a FIFO, a dangling link. The transaction refuses to
    /// write there, naming what is in the way.
    InTheWay,
    /// A file whose content cannot be compared (not UTF-8, too large, a link leading out of
    /// the root): it differs, and is replaced only with `--force` (if at all).
    Unreadable,
}

/// The local file at `path`, read only when it is a regular file (through a link) of at most
/// `limit` bytes; a link leading out of the root is never read (the transaction refuses to
/// write through it).
fn read_existing(path: &Path, root: &Path, limit: u64) -> Existing {
    match std::fs::symlink_metadata(path) {
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidFilename) => {
            return Existing::Missing
        }
        Err(_) => return Existing::InTheWay,
        Ok(_) => {}
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() <= limit => {}
        Ok(m) if m.is_file() => return Existing::Unreadable,
        _ => return Existing::InTheWay,
    }
    match crate::workspace::read_within(path, limit, Some(root)) {
        Ok(bytes) => String::from_utf8(bytes).map(Existing::Text).unwrap_or(Existing::Unreadable),
        Err(_) => Existing::Unreadable,
    }
}
