//! `schemapipe fingerprint FILE`

use super::{exit, Context, Outcome};
use crate::core::canonical;
use crate::core::finding::{Finding, Severity};
use crate::core::load;
use crate::core::source::SourceMap;
use crate::report::{self, Format, Summary};
use crate::workspace::{UsageError, Workspace};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .avsc file. Named types it uses from other files under the schema root are resolved
    /// and inlined, as the canonical form requires.
    pub file: PathBuf,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    if ctx.cwd.join(&args.file).is_dir() {
        return Err(UsageError::new(format!("`{}` is a directory", args.file.display()), "pass one .avsc file"));
    }
    let (inputs, reported) = ws.collect(std::slice::from_ref(&args.file))?;
    let mut sources = SourceMap::new();
    let set = load::load(inputs, &ws.limits(), &mut sources);
    let target = reported.iter().position(|r| *r).expect("the file given is always loaded");
    let shown: Vec<&Finding> =
        report::sorted(&set.findings).into_iter().filter(|f| f.file.is_none_or(|id| id.0 as usize == target)).collect();
    let summary = Summary::of(1, shown.iter().copied());
    let root = set.files[target].root;
    let errors = shown.iter().any(|f| f.severity == Severity::Error);
    match (root, errors) {
        (Some(root), false) => {
            let pcf = canonical::parsing_canonical_form(&set, root);
            let fp = canonical::fingerprints(&pcf);
            let name = set.full_name_of(root).map(str::to_string);
            let file = sources.get(set.files[target].file).name.clone();
            let stdout = match ctx.format {
                Format::Json => report::json::render(
                    "fingerprint",
                    serde_json::json!({"file": file, "name": name, "canonical_form": pcf, "fingerprints": fp}),
                    &sources,
                    &shown,
                    summary,
                ),
                Format::Junit | Format::Sarif | Format::Github | Format::Markdown => {
                    report::render_ci(ctx.format, "fingerprint", &sources, &[set.files[target].file], &shown)
                        .unwrap_or_default()
                }
                Format::Human => {
                    let mut s = String::new();
                    if !ctx.quiet {
                        let r = ctx.renderer(&sources);
                        for f in &shown {
                            s.push_str(&r.render(f));
                            s.push('\n');
                        }
                    }
                    s.push_str(&format!("file:      {file}\n"));
                    if let Some(n) = &name {
                        s.push_str(&format!("name:      {n}\n"));
                    }
                    s.push_str(&format!("canonical: {pcf}\n"));
                    s.push_str(&format!(
                        "rabin:     {} (CRC-64-AVRO, little-endian bytes; as Java long: {})\n",
                        fp.rabin_hex, fp.rabin_i64
                    ));
                    s.push_str(&format!("md5:       {}\n", fp.md5));
                    s.push_str(&format!("sha256:    {}\n", fp.sha256));
                    s
                }
            };
            Ok(Outcome { stdout, code: exit::CLEAN })
        }
        _ => {
            let stdout = match ctx.format {
                Format::Json => report::json::render("fingerprint", serde_json::json!({}), &sources, &shown, summary),
                Format::Human => super::validate::human(ctx, &sources, &shown, summary),
                ci => report::render_ci(ci, "fingerprint", &sources, &[set.files[target].file], &shown)
                    .unwrap_or_default(),
            };
            Ok(Outcome { stdout, code: exit::FINDINGS })
        }
    }
}
