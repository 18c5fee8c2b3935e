//! `schemapipe diff [PATH...] [--against REF] [--staged]`: what changed in each schema since the
//! merge-base with a ref, field by field, whether the change breaks readers or writers, and
//! the text diff of each file — for pull-request review.

use super::check::Layout;
use super::{exit, Context, Outcome};
use crate::core::compat::level::{Direction, Level};
use crate::core::compat::{check, Incompatibility, Site, View};
use crate::core::diff::{annotate, diff, Change, ChangeKind};
use crate::core::finding::{Finding, Severity};
use crate::core::history::{self, BlobKey, FileEntry, Snapshot, Store, Version};
use crate::core::load::{self, Input};
use crate::core::source::SourceMap;
use crate::git::{blob_key, GitRepo};
use crate::report::{self, Format, Summary};
use crate::workspace::{UsageError, Workspace};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Status {
    Added,
    Removed,
    Modified,
    /// The full name changed and the new type names the old one as an alias.
    Renamed,
    /// Same full name, another file.
    Moved,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Modified => "modified",
            Status::Renamed => "renamed",
            Status::Moved => "moved",
        }
    }
    fn sign(self) -> char {
        match self {
            Status::Added => '+',
            Status::Removed => '-',
            _ => '~',
        }
    }
}

/// Both directions between the base version and the new one, and what the level requires.
#[derive(Serialize)]
struct Verdict {
    /// The new schema reads data written with the old one.
    backward: bool,
    /// The old schema reads data written with the new one.
    forward: bool,
    /// The configured level allows the change (against the base version only; `check` looks at
    /// the whole history).
    allowed: bool,
}

#[derive(Serialize)]
struct Place {
    file: String,
    line: usize,
    column: usize,
    pointer: String,
}

#[derive(Serialize)]
struct JsonChange {
    kind: ChangeKind,
    path: String,
    message: String,
    before: Option<String>,
    after: Option<String>,
    breaks: Vec<Direction>,
    old: Option<Place>,
    new: Option<Place>,
}

#[derive(Serialize)]
struct JsonIncompatibility {
    direction: Direction,
    #[serde(rename = "type")]
    java_type: &'static str,
    message: String,
    location: String,
    reader: Place,
    writer: Place,
}

impl JsonIncompatibility {
    fn direction_and_location(&self) -> (&'static str, &str) {
        let dir = match self.direction {
            Direction::Backward => "backward",
            Direction::Forward => "forward",
        };
        (dir, if self.location.is_empty() { "/" } else { &self.location })
    }
}

/// One schema that differs between the base and now.
#[derive(Serialize)]
struct Entry {
    schema: String,
    status: Status,
    file: Option<String>,
    old_file: Option<String>,
    /// The old full name of a renamed schema.
    old_schema: Option<String>,
    /// Named types from other files whose change changed this schema.
    via: Vec<String>,
    level: &'static str,
    compatibility: Option<Verdict>,
    changes: Vec<JsonChange>,
    incompatibilities: Vec<JsonIncompatibility>,
    /// Unified diff of the schema's file (absent with --no-text or when the file is unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

fn place(sources: &SourceMap, s: &Site, shown: &dyn Fn(&str) -> String) -> Place {
    let src = sources.get(s.file);
    let (line, column) = src.line_col(s.span.start);
    // Files of the base are named `path @ label`: show the path alone.
    let name = src.name.split(" @ ").next().unwrap_or(&src.name);
    Place { file: shown(name), line, column, pointer: s.pointer.clone() }
}

/// The text of a version's own file.
fn text_of<'a>(store: &'a Store, v: &Version) -> &'a str {
    let file = store.set(v.root.unit).node(v.root.id).file;
    &store.sources.get(file).text
}

fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{old_name}"), &format!("b/{new_name}"))
        .to_string()
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    if !matches!(ctx.format, Format::Human | Format::Json | Format::Markdown) {
        return Err(UsageError::new(
            "`diff` writes human (text), markdown or json output",
            "use --format text, --format markdown (for a pull-request comment) or --format json",
        ));
    }
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let mut repo = GitRepo::open(&ctx.cwd)?;
    let lay = Layout::of(ctx, &ws, &repo)?;
    let base = repo.review_base(args.against.as_deref(), ws.config.base_branch.as_deref())?;
    let current = lay.current_files(&ws, &repo, args.staged)?;
    let selected = lay.selection(ctx, &args.paths, args.staged)?;
    let selects = |p: &str| Layout::selects(&selected, p);
    let limits = ws.limits();

    // The current files, validated: a file with errors has no version to compare.
    let mut store = Store::new(limits);
    let set =
        load::load(current.iter().map(|(p, b)| Input::new(lay.shown(p), b)).collect(), &limits, &mut store.sources);
    let mut findings: Vec<Finding> = set
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| f.file.is_none_or(|id| current.get(id.0 as usize).is_some_and(|(p, _)| selects(p))))
        .cloned()
        .collect();
    let set_errors: HashSet<String> = set
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| f.file.and_then(|id| current.get(id.0 as usize)).map(|(p, _)| p.clone()))
        .collect();
    let keys: Vec<BlobKey> = current.iter().map(|(_, b)| blob_key(b)).collect();
    let paths: Vec<String> = current.iter().map(|(p, _)| p.clone()).collect();
    let mut current_subjects = HashSet::new();
    for u in store.adopt(set, &keys, &paths) {
        current_subjects.insert(store.subject(u).to_string());
    }
    let cur_snapshot = Snapshot {
        label: if args.staged { "index" } else { "working tree" }.into(),
        files: paths.iter().zip(&keys).map(|(p, k)| FileEntry { path: p.clone(), key: *k }).collect(),
    };
    let base_files = repo.commit_files(base.commit, &lay.root_rel, &base.label)?;
    let base_snapshot = Snapshot {
        label: base_files.label,
        files: base_files.files.into_iter().filter(|f| !ws.excluded_rel(&lay.rel_to_root(&f.path))).collect(),
    };
    let mut loader = |k: &BlobKey| repo.blob(k);
    let cur = history::snapshot_versions(&mut store, &cur_snapshot, &mut loader);
    let at_base = history::snapshot_versions(&mut store, &base_snapshot, &mut loader);

    // Pairs of (old, new) versions by identity; renames pair through the new type's aliases.
    // A file with errors is not compared (its findings say what is wrong), nor is it a removal.
    let broken: HashSet<&str> = set_errors.iter().map(String::as_str).collect();
    // A base file that cannot be read has no version there: its schema is not "added".
    let unreadable = history::unreadable(&mut store, &base_snapshot, &mut loader);
    for k in unreadable.iter().filter(|k| selects(&k.path)) {
        let msg = format!("`{}` cannot be read at {} ({}); it is not compared", lay.shown(&k.path), k.label, k.reason);
        findings.push(
            Finding::warning("unreadable-version", msg)
                .help("nothing to fix in the working tree: the base holds the broken file"),
        );
    }
    let base_broken: HashSet<&str> = unreadable.iter().map(|k| k.path.as_str()).collect();
    let mut added: Vec<&String> = cur
        .keys()
        .filter(|s| !at_base.contains_key(*s) && selects(&cur[*s].path) && !broken.contains(cur[*s].path.as_str()))
        .filter(|s| !base_broken.contains(cur[*s].path.as_str()))
        .collect();
    let mut removed: Vec<&String> = at_base
        .keys()
        .filter(|s| {
            let path = at_base[*s].path.as_str();
            !current_subjects.contains(*s) && selects(path) && !broken.contains(path)
        })
        .collect();
    let mut pairs: Vec<(Status, Option<&String>, Option<&String>)> = Vec::new();
    for (s, v) in &cur {
        if broken.contains(v.path.as_str()) {
            continue;
        }
        if let Some(b) = at_base.get(s) {
            if selects(&v.path) && (b.units != v.units || b.path != v.path) {
                let status = if b.path != v.path { Status::Moved } else { Status::Modified };
                pairs.push((status, Some(s), Some(s)));
            }
        }
    }
    added.retain(|a| {
        let v = &cur[*a];
        let aliases = store.set(v.root.unit).node(v.root.id).named().map(|n| n.aliases.clone()).unwrap_or_default();
        match removed.iter().position(|r| aliases.contains(r)) {
            Some(i) => {
                pairs.push((Status::Renamed, Some(removed.remove(i)), Some(a)));
                false
            }
            None => true,
        }
    });
    pairs.extend(added.into_iter().map(|a| (Status::Added, None, Some(a))));
    pairs.extend(removed.into_iter().map(|r| (Status::Removed, Some(r), None)));

    let shown = |p: &str| lay.shown(p);
    let mut entries: Vec<Entry> = pairs
        .into_iter()
        .map(|(status, old, new)| {
            let old = old.map(|s| (s, &at_base[s]));
            let new = new.map(|s| (s, &cur[s]));
            let (name, v) = new.or(old).expect("a pair has a side");
            let level =
                ws.config.level_for(name.strip_prefix("path:").map(|_| "").unwrap_or(name), &lay.rel_to_root(&v.path));
            let mut entry = Entry {
                schema: name.clone(),
                status,
                file: new.map(|(_, v)| shown(&v.path)),
                old_file: old.map(|(_, v)| shown(&v.path)),
                old_schema: old.filter(|_| status == Status::Renamed).map(|(s, _)| s.clone()),
                via: Vec::new(),
                level: level.as_str(),
                compatibility: None,
                changes: Vec::new(),
                incompatibilities: Vec::new(),
                text: None,
            };
            if let (Some((_, o)), Some((_, n))) = (old, new) {
                compare(&store, o, n, level, &mut entry, &shown);
            }
            if !args.no_text {
                let old_text = old.map(|(_, v)| text_of(&store, v)).unwrap_or("");
                let new_text = new.map(|(_, v)| text_of(&store, v)).unwrap_or("");
                if old_text != new_text {
                    let name_of = |side: Option<(&String, &Version)>| side.map(|(_, v)| v.path.clone());
                    let (on, nn) = (name_of(old), name_of(new));
                    let (on, nn) = (on.clone().or(nn.clone()).unwrap_or_default(), nn.or(on).unwrap_or_default());
                    entry.text = Some(unified(old_text, new_text, &on, &nn));
                }
            }
            entry
        })
        .collect();
    entries.sort_by(|a, b| a.schema.cmp(&b.schema));

    let shown_findings: Vec<&Finding> = report::sorted(&findings);
    let files = current.iter().filter(|(p, _)| selects(p)).count();
    let summary = Summary::of(files, shown_findings.iter().copied());
    let code = if summary.errors > 0 { exit::FINDINGS } else { exit::CLEAN };
    let source = if args.staged { "index" } else { "working tree" };
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "diff",
            serde_json::json!({"base": base.label, "source": source, "schemas": entries}),
            &store.sources,
            &shown_findings,
            summary,
        ),
        Format::Markdown => {
            markdown(&base.label, &entries, !shown_findings.is_empty(), &store.sources, &shown_findings)
        }
        _ if ctx.quiet => super::validate::human(ctx, &store.sources, &shown_findings, summary),
        _ => {
            let mut out = human(ctx, &base.label, source, &entries);
            if !shown_findings.is_empty() {
                out.push_str(&super::validate::human(ctx, &store.sources, &shown_findings, summary));
            }
            out
        }
    };
    // The process ends right after: the OS reclaims the parsed files faster than freeing them.
    std::mem::forget(store);
    Ok(Outcome { stdout, code })
}

/// Fills in what changed between two versions and what the checker says of it.
fn compare(store: &Store, o: &Version, n: &Version, level: Level, entry: &mut Entry, shown: &dyn Fn(&str) -> String) {
    let (ov, nv) = (o.view(store), n.view(store));
    let mut changes: Vec<Change> = diff(&ov as &dyn View, o.root, &nv as &dyn View, n.root);
    let backward: Vec<Incompatibility> = check(&nv, n.root, &ov, o.root);
    let forward: Vec<Incompatibility> = check(&ov, o.root, &nv, n.root);
    annotate(&mut changes, &backward, &forward);
    let allowed = level == Level::None
        || ((!level.backward() || backward.is_empty()) && (!level.forward() || forward.is_empty()));
    entry.compatibility = Some(Verdict { backward: backward.is_empty(), forward: forward.is_empty(), allowed });
    let old_units: BTreeSet<u32> = o.units.iter().copied().collect();
    let mut via: Vec<String> = n
        .units
        .iter()
        .filter(|u| **u != n.root.unit && !old_units.contains(u))
        .map(|u| store.subject(*u).to_string())
        .collect();
    via.sort();
    via.dedup();
    entry.via = via;
    let sources = &store.sources;
    entry.changes = changes
        .into_iter()
        .map(|c| JsonChange {
            kind: c.kind,
            path: c.path,
            message: c.message,
            before: c.before,
            after: c.after,
            breaks: c.breaks,
            old: c.old.as_ref().map(|s| place(sources, s, shown)),
            new: c.new.as_ref().map(|s| place(sources, s, shown)),
        })
        .collect();
    let json = |dir: Direction, i: &Incompatibility| JsonIncompatibility {
        direction: dir,
        java_type: i.kind.java_name(),
        message: i.message.clone(),
        location: i.location.clone(),
        reader: place(sources, &i.reader, shown),
        writer: place(sources, &i.writer, shown),
    };
    entry.incompatibilities = backward
        .iter()
        .map(|i| json(Direction::Backward, i))
        .chain(forward.iter().map(|i| json(Direction::Forward, i)))
        .collect();
}

fn counts(entries: &[Entry]) -> String {
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

fn human(ctx: &Context, base: &str, source: &str, entries: &[Entry]) -> String {
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

fn markdown(base: &str, entries: &[Entry], has_findings: bool, sources: &SourceMap, findings: &[&Finding]) -> String {
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

fn markdown_with(base: &str, entries: &[Entry], text: bool) -> String {
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
