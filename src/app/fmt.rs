//! Format: rewrite .avsc files in the canonical layout, or (check) list those that would change.

use super::Env;
use crate::core::finding::Finding;
use crate::core::format;
use crate::core::json;
use crate::core::source::{SourceFile, SourceMap};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct FmtOptions {
    /// Files or directories to format (empty: the schema root).
    pub paths: Vec<PathBuf>,
    /// Write nothing; only list the files that would change.
    pub check: bool,
}

/// What formatting did.
pub struct Formatted {
    pub sources: SourceMap,
    /// Files that could not be read, formatted or written.
    pub findings: Vec<Finding>,
    /// Files (as shown) that changed, or would change with `check`.
    pub changed: Vec<String>,
    /// Files looked at.
    pub files: usize,
    /// Files that could not be read or formatted.
    pub failed: usize,
}

pub fn fmt(env: &Env, opts: &FmtOptions) -> Result<Formatted, UsageError> {
    let ws = env.workspace()?;
    let (inputs, reported) = ws.collect(&opts.paths)?;
    let limits = ws.limits();
    let mut sources = SourceMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut files = 0;
    let mut failed = 0;
    for (input, report) in inputs.into_iter().zip(reported) {
        if !report {
            continue;
        }
        files += 1;
        if let Some(why) = input.error {
            let file = sources.add(SourceFile::new(input.name, String::new()));
            findings.push(
                Finding::error("unreadable-file", format!("cannot read the file: {why}")).at(file, Default::default()),
            );
            failed += 1;
            continue;
        }
        let (text, enc) = json::decode(&input.bytes, &limits);
        let had_bom = input.bytes.starts_with(b"\xEF\xBB\xBF");
        let file = sources.add(SourceFile::new(input.name.clone(), text));
        let result = match enc {
            Some(e) => Err(e),
            None => format::format(&sources.get(file).text, &limits),
        };
        match result {
            Err(e) => {
                failed += 1;
                let mut f = Finding::error(e.code, format!("cannot format: {}", e.message)).at(file, e.span);
                f.help = e.help.or(Some("fix the file, then run fmt again".into()));
                findings.push(f);
            }
            Ok(formatted) => {
                if formatted == sources.get(file).text && !had_bom {
                    continue;
                }
                changed.push(input.name.clone());
                if !opts.check {
                    let path = env.cwd.join(&input.name);
                    if let Err(e) = super::files::write_atomic(&path, &formatted) {
                        findings.push(
                            Finding::error("unwritable-file", format!("cannot write the formatted file: {e}"))
                                .at(file, Default::default())
                                .help("check the file's and the directory's permissions"),
                        );
                    }
                }
            }
        }
    }
    Ok(Formatted { sources, findings, changed, files, failed })
}
