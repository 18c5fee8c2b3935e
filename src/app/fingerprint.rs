//! Fingerprint: a schema's Parsing Canonical Form and its fingerprints.

use super::{Env, Findings};
use crate::core::canonical::{self, Fingerprints};
use crate::core::finding::Severity;
use crate::core::load;
use crate::core::source::SourceMap;
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct FingerprintOptions {
    /// The .avsc file; names it uses from other files under the schema root are inlined.
    pub file: PathBuf,
}

/// The canonical form of a valid schema.
pub struct Printed {
    /// The file as shown.
    pub file: String,
    /// The schema's full name, for a named type.
    pub name: Option<String>,
    pub canonical_form: String,
    pub fingerprints: Fingerprints,
}

pub struct Fingerprinted {
    /// Findings of the file (its only target); with an error there is no `printed`.
    pub findings: Findings,
    pub printed: Option<Printed>,
}

pub fn fingerprint(env: &Env, opts: &FingerprintOptions) -> Result<Fingerprinted, UsageError> {
    let ws = env.workspace()?;
    if env.cwd.join(&opts.file).is_dir() {
        return Err(UsageError::new(format!("`{}` is a directory", opts.file.display()), "pass one .avsc file"));
    }
    let (inputs, reported) = ws.collect(std::slice::from_ref(&opts.file))?;
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let target = reported.iter().position(|r| *r).expect("the file given is always loaded");
    let findings: Vec<_> =
        set.findings.iter().filter(|f| f.file.is_none_or(|id| id.0 as usize == target)).cloned().collect();
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    let printed = match (set.files[target].root, errors) {
        (Some(root), false) => {
            let pcf = canonical::parsing_canonical_form(&set, root);
            let fingerprints = canonical::fingerprints(&pcf);
            Some(Printed {
                file: sources.get(set.files[target].file).name.clone(),
                name: set.full_name_of(root).map(str::to_string),
                canonical_form: pcf,
                fingerprints,
            })
        }
        _ => None,
    };
    let files = vec![set.files[target].file];
    Ok(Fingerprinted { findings: Findings { sources, findings, files }, printed })
}
