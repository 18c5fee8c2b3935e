//! `schemapipe diff [PATH...] [--against REF] [--staged]`: what changed in each schema since the
//! merge-base with a ref, for pull-request review: rendered for people or as a Markdown comment.

use super::{code_of, Context, Outcome};
use crate::app::diff::{diff_schemas, DiffOptions, SchemaDiff, Status};
use crate::core::compat::level::Direction;
use crate::core::finding::Finding;
use crate::core::source::SourceMap;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Limit the diff to these .avsc files or directories (default: the whole schema root).
    pub paths: Vec<PathBuf>,
    /// Compare with the merge-base of HEAD and this ref, as a pull request does (default: the
    /// merge-base with the base branch, `main`/`master` or `git.base_branch`).
    #[arg(long, value_name = "GIT_REF")]
    pub against: Option<String>,
    /// Diff the staged contents (the git index) instead of the working tree.
    #[arg(long)]
    pub staged: bool,
    /// Leave out the line-by-line text diff of each file.
    #[arg(long)]
    pub no_text: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    if !matches!(ctx.format, Format::Human | Format::Json | Format::Markdown) {
        return Err(UsageError::new(
            "`diff` writes human (text), markdown or json output",
            "use --format text, --format markdown (for a pull-request comment) or --format json",
        ));
    }
    let opts = DiffOptions { paths: args.paths, against: args.against, staged: args.staged, no_text: args.no_text };
    let d = diff_schemas(&ctx.env(), &opts)?;
    let f = &d.findings;
    let shown_findings: Vec<&Finding> = report::sorted(&f.findings);
    let summary = Summary::of(f.files.len(), shown_findings.iter().copied());
    let (base, source, entries) = (&d.base, d.source, &d.schemas);
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "diff",
            serde_json::json!({"base": base, "source": source, "schemas": entries}),
            &f.sources,
            &shown_findings,
            summary,
        ),
        Format::Markdown => markdown(base, entries, !shown_findings.is_empty(), &f.sources, &shown_findings),
        _ if ctx.quiet => ctx.listing(&f.sources, &shown_findings, summary),
        _ => {
            let mut out = human(ctx, base, source, entries);
            if !shown_findings.is_empty() {
                out.push_str(&ctx.listing(&f.sources, &shown_findings, summary));
            }
            out
        }
    };
    Ok(Outcome { stdout, code: code_of(summary) })
}

fn counts(entries: &[SchemaDiff]) -> String {
    let mut parts = Vec::new();
    for s in [Status::Added, Status::Modified, Status::Renamed, Status::Moved, Status::Removed] {
        let n = entries.iter().filter(|e| e.status == s).count();
        if n > 0 {
            parts.push(format!("{n} {}", s.word()));
        }
    }
    parts.join(", ")
}

fn breaks_word(d: Direction) -> &'static str {
    match d {
        Direction::Backward => "new schema cannot read old data",
        Direction::Forward => "old readers cannot read new data",
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// ANSI colour of a `+`, `-` or `~` line.
fn sign_color(sign: char) -> &'static str {
    match sign {
        '+' => "32",
        '-' => "31",
        _ => "33",
    }
}

fn human(ctx: &Context, base: &str, source: &str, entries: &[SchemaDiff]) -> String {
    let paint = |code: &str, s: &str| {
        if ctx.style.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    if entries.is_empty() {
        return format!("no schema changes in the {source} against {base}\n");
    }
    let mut out = format!(
        "{} schema{} changed in the {source} against {base}: {}\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        counts(entries)
    );
    for e in entries {
        let sign = e.status.sign();
        let color = sign_color(sign);
        out.push('\n');
        let mut head = format!("{sign} {} ({}", e.schema, e.status.word());
        if let Some(old) = &e.old_schema {
            head.push_str(&format!(" from {old}"));
        }
        if !e.via.is_empty() {
            head.push_str(&format!(", through {}", e.via.join(", ")));
        }
        head.push(')');
        out.push_str(&paint(&format!("1;{color}"), &head));
        out.push('\n');
        match (&e.old_file, &e.file) {
            (Some(o), Some(n)) if o != n => out.push_str(&format!("    {o} -> {n}\n")),
            (_, Some(f)) | (Some(f), None) => out.push_str(&format!("    {f}\n")),
            _ => {}
        }
        if let Some(v) = &e.compatibility {
            let verdict = if v.allowed {
                paint("32", &format!("{} allows it", e.level))
            } else {
                paint("1;31", &format!("{} does not allow it", e.level))
            };
            out.push_str(&format!(
                "    {verdict} · backward (new reads old): {} · forward (old reads new): {}\n",
                yes_no(v.backward),
                yes_no(v.forward)
            ));
        }
        for c in &e.changes {
            let sign = c.kind.sign();
            let color = sign_color(sign);
            let mut line = format!("    {} {}", paint(color, &sign.to_string()), c.message);
            for d in &c.breaks {
                line.push_str(&format!("  {}", paint("31", &format!("[{}]", breaks_word(*d)))));
            }
            out.push_str(&line);
            out.push('\n');
        }
        for i in &e.incompatibilities {
            let (dir, at) = i.direction_and_location();
            out.push_str(&format!("    {} {dir} {} at {at}: {}\n", paint("31", "!"), i.java_type, i.message));
        }
        if let Some(t) = &e.text {
            out.push('\n');
            for l in t.lines() {
                let colored = match l.as_bytes().first() {
                    Some(b'+') if !l.starts_with("+++") => paint("32", l),
                    Some(b'-') if !l.starts_with("---") => paint("31", l),
                    Some(b'@') => paint("36", l),
                    _ => l.to_string(),
                };
                out.push_str(&format!("    {colored}\n"));
            }
        }
    }
    out
}

/// A Markdown table cell: one line, no column breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// GitHub refuses comments over 65,536 characters.
const COMMENT_LIMIT: usize = 65_000;

fn markdown(
    base: &str,
    entries: &[SchemaDiff],
    has_findings: bool,
    sources: &SourceMap,
    findings: &[&Finding],
) -> String {
    let with_text = markdown_with(base, entries, true);
    let mut out = if with_text.len() <= COMMENT_LIMIT {
        with_text
    } else {
        let mut s = markdown_with(base, entries, false);
        s.push_str("\n_Text diffs left out: with them this comment would be too long for a pull request._\n");
        s
    };
    if out.len() > COMMENT_LIMIT {
        let cut = (0..=COMMENT_LIMIT - 200).rev().find(|i| out.is_char_boundary(*i)).unwrap_or(0);
        out.truncate(cut);
        out.push_str("\n\n_Cut here: the rest would be too long for a pull-request comment. Run `schemapipe diff` for all of it._\n");
    }
    if has_findings {
        out.push('\n');
        out.push_str(&report::markdown("diff", sources, findings));
    }
    out
}

fn markdown_with(base: &str, entries: &[SchemaDiff], text: bool) -> String {
    if entries.is_empty() {
        return format!("### Schema changes\n\nNo schema changes against `{base}`.\n");
    }
    let mut out = format!(
        "### Schema changes\n\n{} schema{} changed against `{base}`: {}.\n\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        counts(entries)
    );
    out.push_str("| schema | change | level | backward (new reads old) | forward (old reads new) |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    let mark = |b: bool| if b { "✅" } else { "❌" };
    for e in entries {
        let mut what = e.status.word().to_string();
        if !e.via.is_empty() {
            what.push_str(&format!(
                " through {}",
                e.via.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        let (level, back, fwd) = match &e.compatibility {
            Some(v) => (
                format!("{} {}", e.level, if v.allowed { "✅" } else { "❌ not allowed" }),
                mark(v.backward).to_string(),
                mark(v.forward).to_string(),
            ),
            None => (e.level.to_string(), "—".into(), "—".into()),
        };
        out.push_str(&format!("| `{}` | {} | {level} | {back} | {fwd} |\n", cell(&e.schema), cell(&what)));
    }
    for e in entries {
        out.push_str(&format!("\n#### {} `{}` ({})\n\n", e.status.sign(), cell(&e.schema), e.status.word()));
        match (&e.old_file, &e.file) {
            (Some(o), Some(n)) if o != n => out.push_str(&format!("`{o}` → `{n}`\n\n")),
            (_, Some(f)) | (Some(f), None) => out.push_str(&format!("`{f}`\n\n")),
            _ => {}
        }
        if !e.via.is_empty() {
            let via: Vec<String> = e.via.iter().map(|v| format!("`{}`", cell(v))).collect();
            out.push_str(&format!("Changed through {}, which it uses.\n\n", via.join(", ")));
        }
        if !e.changes.is_empty() {
            out.push_str("| | where | change | breaks |\n| --- | --- | --- | --- |\n");
            for c in &e.changes {
                let where_ = if c.path.is_empty() { "(schema)".to_string() } else { format!("`{}`", cell(&c.path)) };
                let breaks: Vec<&str> = c.breaks.iter().map(|d| breaks_word(*d)).collect();
                out.push_str(&format!(
                    "| {} | {where_} | {} | {} |\n",
                    c.kind.sign(),
                    cell(&c.message),
                    if breaks.is_empty() { String::new() } else { format!("❌ {}", breaks.join("; ")) }
                ));
            }
            out.push('\n');
        }
        if !e.incompatibilities.is_empty() {
            out.push_str("<details><summary>Incompatibilities found by the checker</summary>\n\n");
            for i in &e.incompatibilities {
                let (dir, at) = i.direction_and_location();
                out.push_str(&format!("- {dir} `{}` at `{at}`: {}\n", i.java_type, cell(&i.message)));
            }
            out.push_str("\n</details>\n\n");
        }
        if let (true, Some(t)) = (text, &e.text) {
            // A fence longer than any run of backticks in the text.
            let longest = t.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            out.push_str(&format!("<details><summary>Text diff</summary>\n\n{fence}diff\n{t}"));
            if !t.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("{fence}\n\n</details>\n"));
        }
    }
    out
}
