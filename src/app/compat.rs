//! Compat: a new schema version against previous ones at a Confluent level, and the finding
//! every compatibility check (here, `check`, `check --registry`) reports an incompatibility as.

use super::{Env, Findings};
use crate::core::compat::level::{check_level, Direction, Level, PairCheck, Version};
use crate::core::compat::{NodeRef, SetView};
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::load::{self, Input};
use crate::core::schema::SchemaSet;
use crate::core::source::SourceMap;
use crate::workspace::{read_limited, UsageError, Workspace};
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct CompatOptions {
    /// The new version.
    pub new: PathBuf,
    /// Previous versions, oldest first; none is a subject with no history (always compatible).
    pub against: Vec<PathBuf>,
    pub level: Level,
}

/// The verdict.
pub struct Compared {
    /// Spec errors of the given files and the incompatibilities; `files` is the new file.
    pub findings: Findings,
    /// The new file, as shown.
    pub new: String,
    /// The previous files, as shown, oldest first.
    pub previous: Vec<String>,
    /// One check per previous version and direction the level asks for.
    pub checks: Vec<PairCheck>,
    /// A file has spec errors: there is no verdict.
    pub invalid: bool,
    pub compatible: bool,
}

/// One version: its own set (the file plus the schema root's other types) and the file's index.
struct Loaded {
    set: SchemaSet,
    index: usize,
    name: String,
}

/// Loads each file with the named types of the schema root it uses, leaving out root files
/// that define the same names (they are other versions of the same types).
fn load_versions(
    env: &Env,
    ws: &Workspace,
    files: &[PathBuf],
    sources: &mut SourceMap,
) -> Result<Vec<Loaded>, UsageError> {
    let limits = ws.limits();
    // The schema root's types are available when the files are part of the governed set.
    let (root_inputs, _) = if ws.about_root(files) { ws.collect(&[])? } else { (Vec::new(), Vec::new()) };
    let mut scratch = SourceMap::new();
    let root_set = load::load(root_inputs.clone(), &limits, &mut scratch);
    let defined_in = |set: &SchemaSet, file_index: usize| -> HashSet<String> {
        let fid = set.files[file_index].file;
        set.definitions
            .iter()
            .filter(|d| set.node(**d).file == fid)
            .filter_map(|d| set.node(*d).named().map(|n| n.full_name.clone()))
            .collect()
    };
    let root_names: Vec<HashSet<String>> = (0..root_set.files.len()).map(|i| defined_in(&root_set, i)).collect();
    let mut out = Vec::new();
    for f in files {
        let path = env.cwd.join(f);
        if !path.exists() {
            return Err(UsageError::new(format!("`{}` does not exist", f.display()), "pass the paths of .avsc files"));
        }
        if path.is_dir() {
            return Err(UsageError::new(format!("`{}` is a directory", f.display()), "pass .avsc files"));
        }
        let name = crate::workspace::display_path(&env.cwd, &path);
        let input = match read_limited(&path, limits.max_bytes as u64 + 1) {
            Ok(bytes) => Input { name: name.clone(), bytes, error: None },
            Err(e) => Input { name: name.clone(), bytes: Vec::new(), error: Some(e.to_string()) },
        };
        let own = load::load(vec![input.clone()], &limits, &mut SourceMap::new());
        let own_names = defined_in(&own, 0);
        let mut inputs: Vec<Input> = root_inputs
            .iter()
            .zip(&root_names)
            .filter(|(i, names)| i.name != name && names.is_disjoint(&own_names))
            .map(|(i, _)| i.clone())
            .collect();
        let index = inputs.len();
        inputs.push(input);
        let set = load::load(inputs, &limits, sources);
        out.push(Loaded { set, index, name });
    }
    Ok(out)
}

pub fn compat(env: &Env, opts: &CompatOptions) -> Result<Compared, UsageError> {
    let ws = env.workspace()?;
    let mut files = vec![opts.new.clone()];
    // An empty path (`--against ""` from a script with no history) is no version.
    files.extend(opts.against.iter().filter(|p| !p.as_os_str().is_empty()).cloned());
    let mut sources = SourceMap::new();
    let versions = load_versions(env, &ws, &files, &mut sources)?;
    // Spec errors in any of the given files come first: a broken schema has no verdict.
    let mut findings: Vec<Finding> = Vec::new();
    for v in &versions {
        let fid = v.set.files[v.index].file;
        findings.extend(v.set.findings.iter().filter(|f| f.file == Some(fid)).cloned());
    }
    let invalid = findings.iter().any(|f| f.severity == Severity::Error);
    let mut checks: Vec<PairCheck> = Vec::new();
    if !invalid {
        let views: Vec<SetView> = versions.iter().map(|v| SetView(&v.set)).collect();
        let version = |i: usize| Version {
            view: &views[i],
            root: NodeRef {
                unit: 0,
                id: versions[i].set.files[versions[i].index].root.expect("valid files have a root"),
            },
        };
        let previous: Vec<Version> = (1..versions.len()).map(version).collect();
        checks = check_level(opts.level, &version(0), &previous);
        for c in &checks {
            let old = format!("`{}`", versions[c.previous + 1].name);
            findings
                .extend(c.incompatibilities.iter().map(|i| incompatibility_finding(i, c.direction, &old, opts.level)));
        }
    }
    let compatible = !invalid && checks.iter().all(PairCheck::compatible);
    let new_file = versions[0].set.files[versions[0].index].file;
    Ok(Compared {
        new: versions[0].name.clone(),
        previous: versions[1..].iter().map(|v| v.name.clone()).collect(),
        findings: Findings { sources, findings, files: vec![new_file] },
        checks,
        invalid,
        compatible,
    })
}

/// The finding for one incompatibility of a new schema with a previous version (`against`):
/// placed in the new schema, with a label in the old one, and Java's type and location.
pub fn incompatibility_finding(
    i: &crate::core::compat::Incompatibility,
    direction: Direction,
    against: &str,
    level: Level,
) -> Finding {
    let (new_site, old_site, role, context) = match direction {
        Direction::Backward => {
            (&i.reader, &i.writer, "writer", format!("the new schema cannot read data written with {against}"))
        }
        Direction::Forward => {
            (&i.writer, &i.reader, "reader", format!("{against} cannot read data written with the new schema"))
        }
    };
    Finding::error(i.kind.code(), format!("{} ({}); {context}", i.message, level.as_str()))
        .kind(Kind::Compat)
        .at(new_site.file, new_site.span)
        .path(new_site.pointer.clone())
        .label(old_site.file, old_site.span, format!("{role} side, in {against}"))
        .help(help_for(i.kind))
        .detail("level", level.as_str())
        .detail("direction", if direction == Direction::Backward { "backward" } else { "forward" })
        .detail("against", against.trim_matches('`'))
        .detail("location", i.location.clone())
        .detail("java_type", i.kind.java_name())
}

/// How to fix an incompatibility of a kind.
pub fn help_for(kind: crate::core::compat::IncompatibilityKind) -> &'static str {
    use crate::core::compat::IncompatibilityKind as K;
    match kind {
        K::TypeMismatch => "keep the old type, or use a promotion Avro allows (int→long/float/double, long→float/double, float→double, string↔bytes)",
        K::NameMismatch => "keep the old name, or add the old full name to the reader type's `aliases`",
        K::FixedSizeMismatch => "keep the fixed size; a new size needs a new type",
        K::MissingEnumSymbols => "keep the symbols, or give the reader enum a `default` symbol",
        K::MissingUnionBranch => "keep the union's branches, or add a branch that can read the other side's type",
        K::ReaderFieldMissingDefaultValue => "give the field a `default` (e.g. `\"default\": null` with `null` first in its union)",
        K::AmbiguousFieldAlias => "remove the alias that matches a second writer field",
    }
}
