//! Validate: parse and resolve the schemas, report Avro specification errors.

use super::{Env, Findings};
use crate::core::load;
use crate::core::source::{FileId, SourceMap};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct ValidateOptions {
    /// Files or directories to report on (empty: the schema root). Names resolve across the
    /// whole schema root either way.
    pub paths: Vec<PathBuf>,
}

/// Spec findings of the files under `paths` (and those not tied to a file).
pub fn validate(env: &Env, opts: &ValidateOptions) -> Result<Findings, UsageError> {
    let ws = env.workspace()?;
    let (inputs, reported) = ws.collect(&opts.paths)?;
    env.trace(|| match &ws.config_path {
        Some(p) => format!("config: {}", crate::workspace::display_path(&env.cwd, p)),
        None => "config: none (defaults)".to_string(),
    });
    env.trace(|| format!("files: {} loaded, {} reported", inputs.len(), reported.iter().filter(|r| **r).count()));
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let mut findings: Vec<_> =
        set.findings.iter().filter(|f| f.file.is_none_or(|id| reported[id.0 as usize])).cloned().collect();
    // `schemas.exclude` leaving out every file is said, not passed as "no problems".
    findings.extend(ws.no_files_selected(reported.contains(&true)));
    let files = (0..reported.len()).filter(|i| reported[*i]).map(|i| FileId(i as u32)).collect();
    // The process ends soon after: the OS reclaims the parsed set faster than freeing it.
    std::mem::forget(set);
    Ok(Findings { sources, findings, files })
}
