//! `schemapipe generate TARGET [PATH...] [--out DIR] [--check]`: adapter stubs from templates
//! (built in, or overridden by `templates/<target>/<name>` beside schemapipe.yaml).

use super::{exit, Context, Outcome};
use crate::app::generate::{generate_code, GenerateOptions, Generated, Report};
use crate::core::finding::Finding;
use crate::core::generate::{self, DEFAULT_PACKAGE};
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to generate: `python` (dataclasses and adapters for Python 3.10+, standard library
    /// only), `javascript` (ES modules with classes and adapters, no dependencies),
    /// `typescript` (typed modules and adapters, no dependencies), `java` (Java 17 classes and
    /// adapters, no dependencies) or `rust` (a crate with serde derives and adapter traits).
    pub target: String,
    /// Generate only for these .avsc files or directories (names still resolve across the whole
    /// schema root).
    pub paths: Vec<PathBuf>,
    /// Output directory (default: `generated/<TARGET>` beside schemapipe.yaml).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The package the modules go in (`<out>/<package>/...`), so that schema namespaces never
    /// shadow other modules (`io.confluent` next to Python's `io`).
    #[arg(long, value_name = "NAME", default_value = DEFAULT_PACKAGE)]
    pub package: String,
    /// Write nothing: list the files that are missing, differ or are stale, and exit 1 if any
    /// are (for CI: the generated code is current).
    #[arg(long)]
    pub check: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    // An unknown target is reported first (by the use case), then a format generate cannot write.
    if generate::target(&args.target).is_some() && !matches!(ctx.format, Format::Human | Format::Json) {
        return Err(UsageError::new(
            "`generate` writes human or json output",
            "use --format human (the default) or --format json",
        ));
    }
    let opts = GenerateOptions {
        target: args.target.clone(),
        paths: args.paths.clone(),
        out: args.out.clone(),
        package: args.package.clone(),
        check: args.check,
    };
    let g = match generate_code(&ctx.env(), &opts)? {
        Generated::Refused(r) => {
            let f = &r.findings;
            let shown: Vec<&Finding> = report::sorted(&f.findings);
            let summary = Summary::of(f.files.len(), shown.iter().copied());
            let stdout = match ctx.format {
                Format::Json => report::json::render("generate", serde_json::json!({}), &f.sources, &shown, summary),
                _ => format!(
                    "{}nothing generated: fix the schema errors above first\n",
                    ctx.listing(&f.sources, &shown, summary)
                ),
            };
            return Ok(Outcome { stdout, code: exit::FINDINGS });
        }
        Generated::Done(g) => g,
    };
    let r = &g.files;
    let code = if args.check && !r.outdated.is_empty() { exit::FINDINGS } else { exit::CLEAN };
    let stdout = match ctx.format {
        Format::Json => report::json::render("generate", r, &g.sources, &[], Summary::of(g.schemas, [])),
        _ if ctx.quiet => String::new(),
        _ => human(&args, r, g.schemas),
    };
    Ok(Outcome { stdout, code })
}

fn human(args: &Args, r: &Report, schemas: usize) -> String {
    let mut out = String::new();
    if args.check {
        for n in &r.not_written {
            out.push_str(&format!("would not change {}/{}: {}\n", r.out, n.path, n.reason));
        }
        if r.outdated.is_empty() {
            out.push_str(&format!("{}: up to date ({} schemas)\n", r.out, schemas));
        } else {
            for f in &r.outdated {
                out.push_str(&format!("out of date: {}/{f}\n", r.out));
            }
            out.push_str(&format!(
                "{} generated file(s) out of date: run `schemapipe generate {}`\n",
                r.outdated.len(),
                args.target
            ));
        }
        return out;
    }
    for f in &r.written {
        out.push_str(&format!("wrote {}/{f}\n", r.out));
    }
    for f in &r.removed {
        out.push_str(&format!("removed {}/{f} (its schema is gone)\n", r.out));
    }
    for n in &r.not_written {
        out.push_str(&format!("kept {}/{}: {}\n", r.out, n.path, n.reason));
    }
    out.push_str(&format!(
        "{} schemas: {} file(s) written, {} unchanged, {} removed{} in {}\n",
        schemas,
        r.written.len(),
        r.unchanged,
        r.removed.len(),
        if r.not_written.is_empty() { String::new() } else { format!(", {} kept", r.not_written.len()) },
        r.out
    ));
    out
}
