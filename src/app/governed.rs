//! The whole governed schema set, for use cases that act on it (publish, generate) and must
//! never act on a broken one.

use super::{Env, Findings};
use crate::core::finding::{Finding, Severity};
use crate::core::load;
use crate::core::publish::FileInput;
use crate::core::source::{FileId, SourceMap};
use crate::workspace::{UsageError, Workspace};

/// The loaded, valid schema set.
pub struct Governed {
    pub names: Vec<String>,
    pub texts: Vec<String>,
    /// Paths relative to the schema root.
    pub rels: Vec<Option<String>>,
    /// Whether each file is under the PATH arguments (every file without any).
    pub chosen: Vec<bool>,
    pub sources: SourceMap,
    pub set: crate::core::schema::SchemaSet,
}

/// Nothing was done: the set has spec errors (`findings.files` is every file loaded).
pub struct Refused {
    pub findings: Findings,
}

impl Governed {
    /// Loads the set; with spec errors, the refusal instead.
    pub fn load(
        env: &Env,
        ws: &Workspace,
        paths: &[std::path::PathBuf],
    ) -> Result<Result<Governed, Refused>, UsageError> {
        let (inputs, chosen) = ws.collect(paths)?;
        let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
        let texts: Vec<String> = inputs.iter().map(|i| String::from_utf8_lossy(&i.bytes).into_owned()).collect();
        let mut sources = SourceMap::new();
        let set = load::load(inputs, &ws.limits(), &mut sources);
        let errors: Vec<Finding> = set.findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
        if !errors.is_empty() {
            let files = (0..names.len()).map(|i| FileId(i as u32)).collect();
            return Ok(Err(Refused { findings: Findings { sources, findings: errors, files } }));
        }
        let rels = super::files::rel_paths(ws, &env.cwd, &names);
        Ok(Ok(Governed { names, texts, rels, chosen, sources, set }))
    }

    pub fn files(&self) -> Vec<FileInput<'_>> {
        (0..self.names.len())
            .map(|i| FileInput {
                index: i,
                path: self.rels[i].as_deref().unwrap_or(&self.names[i]),
                text: &self.texts[i],
            })
            .collect()
    }
}
