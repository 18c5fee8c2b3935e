//! `schemapipe check --registry`: compatibility against the versions registered for each
//! subject (fetched, then checked with the local engine), for teams whose history lives in the
//! registry rather than in git.

use super::remote::{self, RegistryOptions};
use super::{Env, Findings};
use crate::core::compat::level::Level;
use crate::core::compat::level::{check_level, Version};
use crate::core::compat::{NodeRef, SetView};
use crate::core::finding::{Finding, Kind};
use crate::core::lint::{self, Target};
use crate::core::load::{self, Input};
use crate::core::publish::{self, FileInput};
use crate::core::schema::SchemaSet;
use crate::core::source::{FileId, SourceMap};
use crate::registry::{Client, Reference, RegistryError};
use crate::workspace::UsageError;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct RegistryCheckOptions {
    /// Files or directories to check (empty: the schema root).
    pub paths: Vec<PathBuf>,
    /// Skip the lint rules.
    pub no_lint: bool,
    /// One level for every subject instead of the configured ones.
    pub level: Option<Level>,
    pub registry: RegistryOptions,
}

/// What a check against the registry found.
pub struct RegistryChecked {
    /// Spec, lint and compatibility findings; `files` are the reported files.
    pub findings: Findings,
    /// Subjects checked against their registered versions.
    pub subjects_checked: usize,
    /// The registry could not be read (the findings say why).
    pub remote_failed: bool,
}

/// A registered version with the schemas it references, loaded as one set.
pub(crate) fn fetch(
    client: &Client,
    subject: &str,
    version: i64,
    limits: &crate::core::json::Limits,
    sources: &mut SourceMap,
) -> Result<SchemaSet, RegistryError> {
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut stack: Vec<(String, i64, usize)> = vec![(subject.to_string(), version, 0)];
    let mut seen: HashMap<(String, i64), ()> = HashMap::new();
    while let Some((s, v, depth)) = stack.pop() {
        if depth > 32 || seen.insert((s.clone(), v), ()).is_some() {
            continue;
        }
        let reg = client.version(&s, &v.to_string())?;
        for Reference { subject, version, .. } in &reg.references {
            stack.push((subject.clone(), *version, depth + 1));
        }
        texts.push((format!("{s} v{v} (registry)"), reg.schema));
    }
    // References first: the version itself is the first fetched, so it goes last.
    texts.reverse();
    Ok(load::load(texts.into_iter().map(|(n, t)| Input::new(n, t)).collect(), limits, sources))
}

pub fn check_registry(env: &Env, args: &RegistryCheckOptions) -> Result<RegistryChecked, UsageError> {
    let ws = env.workspace()?;
    let (inputs, reported) = ws.collect(&args.paths)?;
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let texts: Vec<String> = inputs.iter().map(|i| String::from_utf8_lossy(&i.bytes).into_owned()).collect();
    let limits = ws.limits();
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &limits, &mut sources);
    let rels = super::files::rel_paths(&ws, &env.cwd, &names);
    let mut findings: Vec<Finding> =
        set.findings.iter().filter(|f| f.file.is_none_or(|id| reported[id.0 as usize])).cloned().collect();
    findings.extend(ws.no_files_selected(reported.contains(&true)));
    let targets: Vec<Target> =
        (0..names.len()).filter(|i| reported[*i]).map(|i| Target { index: i, rel_path: rels[i].as_deref() }).collect();
    if !args.no_lint {
        findings.extend(lint::lint(&set, &targets, &ws.config.lint));
    }
    let mut checked = 0;
    if !set.has_errors() {
        let files: Vec<FileInput> = (0..names.len())
            .map(|i| FileInput { index: i, path: rels[i].as_deref().unwrap_or(&names[i]), text: &texts[i] })
            .collect();
        let (desired, _) =
            publish::desired(&set, &files, &ws.config).map_err(|m| UsageError::new(m, "see docs/publish.md"))?;
        let client = remote::client(&ws, &args.registry)?;
        let index_of: HashMap<_, usize> = set.files.iter().enumerate().map(|(i, f)| (f.file, i)).collect();
        let new_view = SetView(&set);
        for d in desired.iter().filter(|d| reported[index_of[&d.file]]) {
            let result = (|| -> Result<Vec<Finding>, RegistryError> {
                let versions = client.versions(&d.subject)?;
                let mut sets = Vec::new();
                for v in &versions {
                    sets.push((*v, fetch(&client, &d.subject, *v, &limits, &mut sources)?));
                }
                let level =
                    args.level.unwrap_or_else(|| ws.config.level_for(if d.named { &d.full_name } else { "" }, &d.path));
                let views: Vec<SetView> = sets.iter().map(|(_, s)| SetView(s)).collect();
                let previous: Vec<Version> = sets
                    .iter()
                    .zip(&views)
                    .filter_map(|((_, s), v)| {
                        s.files
                            .last()
                            .and_then(|f| f.root)
                            .map(|r| Version { view: v, root: NodeRef { unit: 0, id: r } })
                    })
                    .collect();
                let root = set.files[index_of[&d.file]].root.expect("valid files have a root");
                let mut out = Vec::new();
                for c in
                    check_level(level, &Version { view: &new_view, root: NodeRef { unit: 0, id: root } }, &previous)
                {
                    let against = format!("`{}` version {}", d.subject, sets[c.previous].0);
                    out.extend(c.incompatibilities.iter().map(|i| {
                        super::compat::incompatibility_finding(i, c.direction, &against, level)
                            .detail("subject", d.subject.clone())
                    }));
                }
                Ok(out)
            })();
            match result {
                Ok(f) => findings.extend(f),
                Err(e) => {
                    let (m, h) = e.explain();
                    findings.push(Finding::error("registry-unavailable", m).kind(Kind::Publish).help(h));
                    break;
                }
            }
            checked += 1;
        }
    }
    let remote_failed = findings.iter().any(|f| f.code == "registry-unavailable");
    let files = targets.iter().map(|t| FileId(t.index as u32)).collect();
    std::mem::forget(set);
    Ok(RegistryChecked { findings: Findings { sources, findings, files }, subjects_checked: checked, remote_failed })
}
