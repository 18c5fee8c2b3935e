//! `schemapipe compat NEW.avsc --against OLD.avsc [--against ...] --level LEVEL`

use super::{exit, Context, Outcome};
use crate::core::compat::level::{check_level, Direction, Level, PairCheck, Version};
use crate::core::compat::{NodeRef, SetView};
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::load::{self, Input};
use crate::core::schema::SchemaSet;
use crate::core::source::SourceMap;
use crate::report::{self, Format, Summary};
use crate::workspace::{read_limited, UsageError, Workspace};
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new version of the schema.
    pub new: PathBuf,
    /// A previous version; repeat for several, oldest first (the last one is the latest).
    #[arg(long = "against", value_name = "OLD.avsc", required = true)]
    pub against: Vec<PathBuf>,
    /// Compatibility level: BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE (case-insensitive).
    #[arg(long, value_name = "LEVEL", default_value = "BACKWARD", value_parser = parse_level)]
    pub level: Level,
}

pub(crate) fn parse_level(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| {
        format!(
            "unknown level `{s}`; use one of {}",
            Level::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
        )
    })
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
    ctx: &Context,
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
        let path = ctx.cwd.join(f);
        if !path.exists() {
            return Err(UsageError::new(format!("`{}` does not exist", f.display()), "pass the paths of .avsc files"));
        }
        if path.is_dir() {
            return Err(UsageError::new(format!("`{}` is a directory", f.display()), "pass .avsc files"));
        }
        let name = crate::workspace::display_path(&ctx.cwd, &path);
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

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let mut files = vec![args.new.clone()];
    files.extend(args.against.iter().cloned());
    let mut sources = SourceMap::new();
    let versions = load_versions(ctx, &ws, &files, &mut sources)?;
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
        checks = check_level(args.level, &version(0), &previous);
        for c in &checks {
            let old = format!("`{}`", versions[c.previous + 1].name);
            findings
                .extend(c.incompatibilities.iter().map(|i| incompatibility_finding(i, c.direction, &old, args.level)));
        }
    }
    let compatible = !invalid && checks.iter().all(PairCheck::compatible);
    let shown: Vec<&Finding> = findings.iter().filter(|f| !(ctx.quiet && f.severity != Severity::Error)).collect();
    let summary = Summary::of(files.len(), shown.iter().copied());
    let code = if compatible { exit::CLEAN } else { exit::FINDINGS };
    let stdout = match ctx.format {
        Format::Json => {
            let check_docs: Vec<serde_json::Value> = checks
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "against": versions[c.previous + 1].name,
                        "direction": c.direction,
                        "compatible": c.compatible(),
                        "incompatibilities": c.incompatibilities.len(),
                    })
                })
                .collect();
            report::json::render(
                "compat",
                serde_json::json!({
                    "compatible": compatible,
                    "level": args.level,
                    "new": versions[0].name,
                    "previous": versions[1..].iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
                    "checks": check_docs,
                }),
                &sources,
                &shown,
                summary,
            )
        }
        ci @ (Format::Junit | Format::Sarif | Format::Github | Format::Markdown) => {
            let files: Vec<crate::core::source::FileId> =
                versions.iter().take(1).map(|v| v.set.files[v.index].file).collect();
            report::render_ci(ci, "compat", &sources, &files, &shown).unwrap_or_default()
        }
        Format::Human => {
            let r = ctx.renderer(&sources);
            let mut out = String::new();
            for f in &shown {
                out.push_str(&r.render(f));
                out.push('\n');
            }
            if !ctx.quiet {
                out.push_str(&verdict_line(
                    &versions[0].name,
                    args.level,
                    compatible,
                    invalid,
                    &checks,
                    versions.len() - 1,
                ));
            }
            out
        }
    };
    Ok(Outcome { stdout, code })
}

fn verdict_line(
    new: &str,
    level: Level,
    compatible: bool,
    invalid: bool,
    checks: &[PairCheck],
    previous: usize,
) -> String {
    if invalid {
        return format!("{new}: no verdict: fix the schema errors above first\n");
    }
    let n: usize = checks.iter().map(|c| c.incompatibilities.len()).sum();
    let against =
        if previous == 1 { "1 previous version".to_string() } else { format!("{previous} previous versions") };
    if compatible {
        format!("{new} is {} compatible with {against}\n", level.as_str())
    } else {
        format!(
            "{new} is NOT {} compatible with {against}: {n} incompatibilit{}\n",
            level.as_str(),
            if n == 1 { "y" } else { "ies" }
        )
    }
}

/// The finding for one incompatibility of a new schema with a previous version (`against`):
/// placed in the new schema, with a label in the old one, and Java's type and location.
pub(crate) fn incompatibility_finding(
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

pub(crate) fn help_for(kind: crate::core::compat::IncompatibilityKind) -> &'static str {
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
