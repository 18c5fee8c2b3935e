//! `schemapipe fmt [--check] [PATH...]`

use super::{exit, Context, Outcome};
use crate::core::finding::Finding;
use crate::core::format;
use crate::core::json;
use crate::core::source::{SourceFile, SourceMap};
use crate::report::{self, Format, Summary};
use crate::workspace::{UsageError, Workspace};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// .avsc files or directories to format (default: the schema root).
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that would change and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

/// Replaces a file's contents all at once: a temporary file beside it, flushed to disk, then
/// renamed over it, so a crash leaves the old or the new file, never half of one.
pub(crate) fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.schemapipe-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let (inputs, reported) = ws.collect(&args.paths)?;
    let limits = ws.limits();
    let mut sources = SourceMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut files = 0;
    let mut failed_files = 0;
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
            failed_files += 1;
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
                failed_files += 1;
                let mut f = Finding::error(e.code, format!("cannot format: {}", e.message)).at(file, e.span);
                f.help = e.help.or(Some("fix the file, then run fmt again".into()));
                findings.push(f);
            }
            Ok(formatted) => {
                if formatted == sources.get(file).text && !had_bom {
                    continue;
                }
                changed.push(input.name.clone());
                if !args.check {
                    let path = ctx.cwd.join(&input.name);
                    if let Err(e) = write_atomic(&path, &formatted) {
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
    let shown: Vec<&Finding> = findings.iter().collect();
    let summary = Summary::of(files, shown.iter().copied());
    let failed = summary.errors > 0 || (args.check && !changed.is_empty());
    let code = if failed { exit::FINDINGS } else { exit::CLEAN };
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "fmt",
            serde_json::json!({"check": args.check, "changed": changed}),
            &sources,
            &shown,
            summary,
        ),
        _ => {
            let mut out = super::validate::human(ctx, &sources, &shown, summary);
            // The summary line of findings is replaced by what fmt did.
            if let Some(i) = out.rfind(" checked: ") {
                let start = out[..i].rfind('\n').map(|j| j + 1).unwrap_or(0);
                out.truncate(start);
            }
            let verb = if args.check { "would reformat" } else { "formatted" };
            for c in &changed {
                out.push_str(&format!("{verb} {c}\n"));
            }
            if !ctx.quiet {
                out.push_str(&format!(
                    "{} file{} {verb}, {} already formatted\n",
                    changed.len(),
                    if changed.len() == 1 { "" } else { "s" },
                    files - changed.len() - failed_files
                ));
            }
            out
        }
    };
    Ok(Outcome { stdout, code })
}
