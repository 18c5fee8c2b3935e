//! `schemapipe publish [--dry-run] [--registry-url URL] [--fail-on-changes] [--prune]`

use super::{exit, status_code, Context, Outcome, RegistryArgs};
use crate::app::publish::{
    action_word, publish, Action, Progress, PublishOptions, PublishReport, Published, Step, Unmanaged,
};
use crate::core::finding::Finding;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compute and show the plan against the live registry without changing it.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: exit 1 when the registry differs from the repository (drift check).
    #[arg(long)]
    pub fail_on_changes: bool,
    /// Soft-delete the subjects of the registry (in the configured context) that the repository
    /// no longer has, after everything else is published. Shown first with --dry-run.
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Progress on stderr: a bar on a terminal, plain lines in CI logs, nothing when quiet or when
/// stdout is a machine format.
struct Bar {
    quiet: bool,
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if !self.quiet && std::io::stderr().is_terminal() && total > 1 {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            if let Ok(mut slot) = self.bar.lock() {
                *slot = Some(b);
            }
        }
    }

    fn step(&self, line: &str) {
        let bar = self.bar.lock().ok().and_then(|b| b.clone());
        match bar {
            Some(b) => {
                b.inc(1);
                b.set_message(line.to_string());
            }
            None if !self.quiet => eprintln!("{line}"),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            b.finish_and_clear();
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let opts = PublishOptions {
        dry_run: args.dry_run,
        fail_on_changes: args.fail_on_changes,
        prune: args.prune,
        registry: args.registry.options(),
    };
    let progress = Bar { quiet: ctx.quiet || ctx.format != Format::Human, bar: Default::default() };
    match publish(&ctx.env(), &opts, &progress)? {
        Published::Refused(r) => {
            let f = &r.findings;
            let shown: Vec<&Finding> = report::sorted(&f.findings);
            let summary = Summary::of(f.files.len(), shown.iter().copied());
            let stdout = match ctx.format {
                Format::Json => {
                    report::json::render("publish", serde_json::json!({"plan": []}), &f.sources, &shown, summary)
                }
                Format::Markdown => format!(
                    "### Schema Registry publish: not publishing\n\nFix the schema errors first.\n\n{}",
                    report::markdown("publish", &f.sources, &shown)
                ),
                Format::Human => format!(
                    "{}not publishing: fix the schema errors above first\n",
                    ctx.listing(&f.sources, &shown, summary)
                ),
                ci => report::render_ci(ci, "publish", &f.sources, &f.files, &shown).unwrap_or_default(),
            };
            Ok(Outcome { stdout, code: exit::FINDINGS })
        }
        Published::Ran(p) => {
            let outcome = finish(ctx, &p);
            // The process ends right after: the OS reclaims the parsed set faster than freeing it.
            std::mem::forget(p);
            Ok(outcome)
        }
    }
}

fn detail(s: &Step) -> String {
    // One state: why it is skipped, nothing of what it would have been.
    if s.action == Action::Skipped {
        return s.reasons.join("; ");
    }
    let mut parts = Vec::new();
    match (s.action, s.latest, s.version) {
        (Action::NewVersion, Some(l), Some(v)) => parts.push(format!("v{l} -> v{v}")),
        (Action::Metadata, Some(l), Some(v)) => parts.push(format!("v{l} -> v{v}, same schema, new metadata")),
        (Action::Create, _, _) => parts.push("new subject".into()),
        (_, _, Some(v)) => parts.push(format!("v{v}")),
        _ => {}
    }
    if s.cascade {
        parts.push("a referenced subject gets a new version".into());
    }
    if let Some((from, to)) = &s.config {
        parts.push(format!("compatibility {} -> {to}", from.as_deref().unwrap_or("(global)")));
    }
    if !s.references.is_empty() {
        let r: Vec<String> = s.references.iter().map(|r| format!("{} v{}", r.subject, r.version)).collect();
        parts.push(format!("refs: {}", r.join(", ")));
    }
    if let Some(o) = &s.outcome {
        parts.push(o.clone());
    }
    parts.join("; ")
}

/// The reasons shown under a step (a skipped step's reason is its detail).
fn reasons(s: &Step) -> &[String] {
    if s.action == Action::Skipped {
        &[]
    } else {
        &s.reasons
    }
}

fn markdown(
    steps: &[Step],
    url: &str,
    dry_run: bool,
    unmanaged: &Unmanaged,
    sources: &crate::core::source::SourceMap,
    shown: &[&Finding],
) -> String {
    let mut out = format!(
        "### Schema Registry {} for `{url}`\n\n| subject | action | details |\n| --- | --- | --- |\n",
        if dry_run { "plan" } else { "publish" }
    );
    for s in steps {
        out.push_str(&format!("| `{}` | {} | {} |\n", s.subject, action_word(s), detail(s).replace('|', "\\|")));
        for r in reasons(s) {
            out.push_str(&format!("| | | {} |\n", r.replace('|', "\\|")));
        }
    }
    if unmanaged.prune {
        for s in &unmanaged.subjects {
            let done = if unmanaged.deleted.contains(s) { "; soft-deleted" } else { "" };
            out.push_str(&format!("| `{s}` | delete | not in the repository{done} |\n"));
        }
    } else if !unmanaged.subjects.is_empty() {
        out.push_str(&format!(
            "\n{} registry subjects are not in the repository; `publish --prune` soft-deletes them.\n",
            unmanaged.subjects.len()
        ));
    }
    if !shown.is_empty() {
        out.push('\n');
        out.push_str(&report::markdown("publish", sources, shown));
    }
    out
}

fn finish(ctx: &Context, p: &PublishReport) -> Outcome {
    let (sources, url, dry_run, skipped, unmanaged) = (&p.sources, p.url.as_str(), p.dry_run, &p.skipped, &p.unmanaged);
    let (findings, steps, code) = (&p.findings, &p.steps, status_code(p.status));
    let shown: Vec<&Finding> = report::sorted(findings);
    let summary = Summary::of(steps.len(), shown.iter().copied());
    let count = |a: Action| steps.iter().filter(|s| s.action == a).count();
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "publish",
            serde_json::json!({
                "registry": url,
                "dry_run": dry_run,
                "plan": steps,
                "skipped": skipped.iter().map(|s| serde_json::json!({"schema": s.full_name, "file": s.path, "reason": format!("no subject: {}", s.reason)})).collect::<Vec<_>>(),
                "unmanaged": unmanaged.subjects,
                "prune": unmanaged.prune,
                "deleted": unmanaged.deleted,
            }),
            sources,
            &shown,
            summary,
        ),
        Format::Markdown => markdown(steps, url, dry_run, unmanaged, sources, &shown),
        Format::Human => {
            let mut out = format!("{} for {url}\n", if dry_run { "plan" } else { "publish" });
            let w = steps.iter().map(|s| s.subject.len()).max().unwrap_or(7);
            for s in steps {
                out.push_str(&format!("  {:<20} {:<w$}  {}\n", action_word(s), s.subject, detail(s)));
                for r in reasons(s) {
                    out.push_str(&format!("  {:<20} {:<w$}    - {r}\n", "", ""));
                }
            }
            for s in skipped {
                out.push_str(&format!("  {:<20} {:<w$}  {} ({})\n", "skipped", s.full_name, s.reason, s.path));
            }
            if unmanaged.prune {
                for s in &unmanaged.subjects {
                    let what = if dry_run {
                        "not in the repository: will be soft-deleted"
                    } else if unmanaged.deleted.contains(s) {
                        "not in the repository: soft-deleted"
                    } else {
                        "not in the repository: not deleted"
                    };
                    out.push_str(&format!("  {:<20} {s:<w$}  {what}\n", "delete"));
                }
            } else if !unmanaged.subjects.is_empty() {
                const SHOWN: usize = 5;
                let mut list = unmanaged.subjects.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
                if unmanaged.subjects.len() > SHOWN {
                    list.push_str(&format!(" and {} more", unmanaged.subjects.len() - SHOWN));
                }
                out.push_str(&format!(
                    "{} registry subjects are not in the repository ({list}); `publish --prune` soft-deletes them\n",
                    unmanaged.subjects.len()
                ));
            }
            let r = ctx.renderer(sources);
            for f in &shown {
                out.push_str(&r.render(f));
            }
            let metadata = match count(Action::Metadata) {
                0 => String::new(),
                n => format!(" {n} metadata updates,"),
            };
            let skipped = match count(Action::Skipped) {
                0 => String::new(),
                n => format!(", {n} skipped"),
            };
            out.push_str(&format!(
                "{} to create, {} new versions,{metadata} {} unchanged, {} refused{skipped}{}\n",
                count(Action::Create),
                count(Action::NewVersion),
                count(Action::Unchanged),
                count(Action::Rollback) + count(Action::Incompatible),
                if code == exit::REMOTE && steps.is_empty() {
                    " (no plan: the registry could not be read)"
                } else if dry_run {
                    " (dry run: nothing changed)"
                } else if steps.iter().all(|s| s.action == Action::Unchanged && s.config.is_none())
                    && !unmanaged.pending()
                {
                    " (nothing to do)"
                } else {
                    ""
                }
            ));
            out
        }
        ci => report::render_ci(ci, "publish", sources, &[], &shown).unwrap_or_default(),
    };
    Outcome { stdout, code }
}
