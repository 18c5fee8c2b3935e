//! `schemapipe catalog --out DIR [--format human|json|markdown] [--export html|markdown|json|atlas]`:
//! the metadata catalog as a static site, Markdown pages, one JSON document or Atlas entities.

use super::{exit, Context, Outcome};
use crate::app::catalog::{build, CatalogOptions, Cataloged, Output, Progress};
use crate::core::finding::Finding;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Export {
    /// A static, self-contained site (index.html): the default.
    Html,
    /// One Markdown page per domain, and README.md.
    Markdown,
    /// The whole catalog as one JSON document (docs/json-output.md).
    Json,
    /// Apache Atlas v2 entities for `POST /api/atlas/v2/entity/bulk`, and their type definitions.
    Atlas,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output directory (required for the site and the Markdown pages; JSON and Atlas go to
    /// stdout without it). Never `/` or your home directory; the catalog replaces and removes
    /// only files it wrote there (listed in `.schemapipe-catalog`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// What to write. `--format json`, `--format markdown` and `--format atlas` choose it too;
    /// the default is the HTML site.
    #[arg(long, value_enum, value_name = "KIND")]
    pub export: Option<Export>,
    /// Cluster name in the Atlas qualifiedNames (`<name>@<cluster>`).
    #[arg(long, value_name = "NAME", default_value = "primary")]
    pub atlas_cluster: String,
}

struct Bar(std::sync::Mutex<Option<indicatif::ProgressBar>>);

impl Progress for Bar {
    fn phase(&self, what: &str, total: usize) {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = g.take() {
            b.finish_and_clear();
        }
        let b =
            if total > 0 { indicatif::ProgressBar::new(total as u64) } else { indicatif::ProgressBar::new_spinner() };
        b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        b.set_style(
            indicatif::ProgressStyle::with_template(if total > 0 {
                "{bar:30} {pos}/{len} {msg}"
            } else {
                "{spinner} {msg}"
            })
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.set_message(what.to_string());
        b.tick();
        *g = Some(b);
    }
    fn tick(&self, n: usize) {
        if let Some(b) = self.0.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            b.set_position(n as u64);
        }
    }
    fn done(&self) {
        if let Some(b) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            b.finish_and_clear();
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let output = match (args.export, ctx.format) {
        (Some(Export::Html), _) | (None, Format::Human) => Output::Html,
        (Some(Export::Markdown), _) | (None, Format::Markdown) => Output::Markdown,
        (Some(Export::Json), _) | (None, Format::Json) => Output::Json,
        (Some(Export::Atlas), _) => Output::Atlas,
        (None, _) => {
            return Err(UsageError::new(
                "`catalog` writes html, markdown, json or atlas",
                "use --format json, --format markdown, --format atlas, or no --format for the HTML site",
            ))
        }
    };
    let opts = CatalogOptions { output, out: args.out.clone(), cluster: args.atlas_cluster.clone() };
    let show = std::io::stderr().is_terminal() && !ctx.quiet;
    let bar = Bar(std::sync::Mutex::new(None));
    let none = crate::app::catalog::NoProgress;
    let progress: &dyn Progress = if show { &bar } else { &none };
    let r = build(&ctx.env(), &opts, progress);
    progress.done();
    match r? {
        Cataloged::Refused(f) => {
            let shown: Vec<&Finding> = report::sorted(&f.findings);
            let summary = Summary::of(f.files.len(), shown.iter().copied());
            let stdout = match ctx.format {
                Format::Json => report::json::render("catalog", serde_json::json!({}), &f.sources, &shown, summary),
                _ => format!(
                    "{}no catalog written: fix the schema errors above first\n",
                    ctx.listing(&f.sources, &shown, summary)
                ),
            };
            Ok(Outcome { stdout, code: exit::FINDINGS })
        }
        Cataloged::Done(rep) => {
            if let Some(s) = rep.stdout {
                return Ok(Outcome { stdout: s, code: exit::CLEAN });
            }
            let c = &rep.catalog;
            let out = rep.out.unwrap_or_default();
            let stdout = if ctx.format == Format::Json && output != Output::Json {
                format!(
                    "{}\n",
                    serde_json::json!({"command": "catalog", "out": out, "schemas": c.schemas.len(), "written": rep.written, "unchanged": rep.unchanged, "removed": rep.removed})
                )
            } else if ctx.quiet {
                String::new()
            } else {
                let entry = match output {
                    Output::Html => format!("; open {out}/index.html"),
                    Output::Markdown => format!("; start at {out}/README.md"),
                    _ => String::new(),
                };
                format!(
                    "catalog of {} schemas ({} shared types, {} topics) from {} written to {out}: {} files written, {} unchanged, {} removed{entry}\n",
                    c.schemas.len(),
                    c.shared_types.len(),
                    c.topics.len(),
                    c.source,
                    rep.written,
                    rep.unchanged,
                    rep.removed
                )
            };
            Ok(Outcome { stdout, code: exit::CLEAN })
        }
    }
}
