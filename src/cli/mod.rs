//! The command line: clap arguments (doc comments are the `--help`), exit policy, and one file
//! per command that builds the options, calls one use case of [`crate::app`] and renders its
//! result. Command files share only what is in this file.

mod catalog;
mod check;
mod compat;
mod completions;
mod decode;
mod diff;
mod encode;
mod fingerprint;
mod fmt;
mod generate;
mod hook;
mod init;
mod lint;
mod man;
mod publish;
mod pull;
mod rules;
mod sample;
mod validate;

use crate::core::compat::level::Level;
use crate::core::finding::{Finding, Severity};
use crate::report::human::{Renderer, Style};
use crate::report::{Format, Summary};
use crate::workspace::UsageError;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit codes, as documented in the README.
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const REMOTE: i32 = 3;
    pub const BUG: i32 = 101;
}

/// Validate, lint, compatibility-check and publish Avro schemas kept in git.
#[derive(Debug, Parser)]
#[command(name = "schemapipe", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Config file to use instead of searching for schemapipe.yaml upwards from the working directory.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Only print errors: no warnings, no summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print what was loaded (config, files) to stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and resolve schemas; report Avro specification errors.
    ///
    /// With no PATH, checks every .avsc file under the schema root. With PATHs, reports only
    /// the files under them, still resolving names against the whole schema root.
    Validate(validate::Args),
    /// Validate, then check every schema that changed against its versions in git history.
    ///
    /// The versions of a schema are the distinct contents of the file defining its full name
    /// (with the named types it uses from other files) along the first-parent history of the
    /// base, oldest first. The level comes from `compatibility` in schemapipe.yaml (default
    /// BACKWARD). With no arguments: the working tree against the merge-base with `main`.
    Check(check::Args),
    /// Show what changed in each schema, field by field, and whether it breaks readers or writers.
    ///
    /// Compares the working tree (or the index, with --staged) with the merge-base of HEAD and
    /// --against (default: the base branch), as a pull request shows it. Each schema's changes
    /// are checked both ways: backward (the new schema reads old data) and forward (old readers
    /// read new data), against its configured level. `--format markdown` renders a
    /// pull-request comment. Exit 0, or 1 when a schema file is invalid.
    Diff(diff::Args),
    /// Check that a new schema version is compatible with previous ones at a Confluent level.
    ///
    /// BACKWARD: the new schema reads data written with the latest previous version; FORWARD:
    /// the latest previous version reads data written with the new one; FULL: both;
    /// *_TRANSITIVE: against every previous version; NONE: always compatible. Exit 0 when
    /// compatible, 1 when not.
    Compat(compat::Args),
    /// Check schemas against the convention rules (naming, docs, evolution, types, layout).
    ///
    /// Reports spec errors too. Rules and their severities come from `lint:` in
    /// schemapipe.yaml (default preset: recommended). Exit 1 only for error-severity findings.
    Lint(lint::Args),
    /// Rewrite .avsc files in one canonical layout (key order, 2-space indent, final newline).
    ///
    /// Values are copied exactly as written. Writes are atomic. With --check, nothing is
    /// written: the files that would change are listed and the exit code is 1 if there are any.
    Fmt(fmt::Args),
    /// Generate adapter stubs: typed event classes and a standard adapter per schema that
    /// serializes events in the Schema Registry wire format.
    ///
    /// Templates are built in; a file `templates/<TARGET>/<name>` beside schemapipe.yaml
    /// overrides the built-in one of that name. Regenerating rewrites only what changed and
    /// removes generated files whose schema is gone; --check writes nothing and exits 1 when
    /// the generated code is out of date.
    Generate(generate::Args),
    /// Make the Schema Registry match the repository: plan, then register (dependencies first).
    ///
    /// Applies subject compatibility levels from schemapipe.yaml first, then checks and
    /// registers each subject that changed. Re-running after success changes nothing. If it
    /// stops part-way it says what was and was not registered; a re-run completes the rest.
    Publish(publish::Args),
    /// Bootstrap a repository from a registry: write each subject's latest schema to the path
    /// of its full name, formatted; a differing local file is only replaced with --force.
    Pull(pull::Args),
    /// List the lint rules, or print one rule's documentation.
    Rules(rules::Args),
    /// Print a schema's Parsing Canonical Form and its fingerprints (CRC-64-AVRO, MD5, SHA-256).
    Fingerprint(fingerprint::Args),
    /// Start a governed schema repository: schemapipe.yaml, an example event, the Jenkinsfile,
    /// a pre-commit config and a README on the workflow.
    ///
    /// Existing files are never overwritten (they are listed as skipped). Outside a git
    /// repository, a new one is created on `main`. What it writes passes `schemapipe check`.
    Init(init::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    ///
    /// bash: `schemapipe completions bash > ~/.local/share/bash-completion/completions/schemapipe`;
    /// zsh: into a directory on `$fpath` as `_schemapipe`; fish:
    /// `~/.config/fish/completions/schemapipe.fish`.
    Completions(completions::Args),
    /// Print the manual page (roff): `schemapipe man > schemapipe.1; man ./schemapipe.1`.
    Man(man::Args),
    /// Encode events (Avro JSON encoding, one per line) to Avro binary, optionally in the
    /// Schema Registry wire format. Exit 1 at the first event that does not fit the schema.
    Encode(encode::Args),
    /// Decode Avro binary (raw, hex or base64; optionally wire format) to JSON-encoded events,
    /// one per line; the writer's schema from a file or the registry, --reader to resolve.
    ///
    /// Exit 1 at the first bad event (the message gives the byte offset), 3 when the registry fails.
    Decode(decode::Args),
    /// Print random valid events of a schema (JSON encoding, one per line), the same for a seed.
    Sample(sample::Args),
    /// Install a plain git pre-commit hook that runs `schemapipe check --staged --against HEAD`.
    Hook(hook::Args),
    /// The metadata catalog: a static site (or Markdown, JSON, Atlas entities) of every schema
    /// with its owner, lineage, fields and version history.
    ///
    /// `--out DIR` receives index.html (searchable, filterable; `#q=email` in the address
    /// opens with results), a page per schema and an impact page per shared type; it works
    /// from file:// with nothing fetched from the network. `--format atlas` writes Apache Atlas
    /// v2 entities. See docs/catalog.md.
    Catalog(catalog::Args),
}

/// What a command hands back: text for stdout, and the exit code.
pub struct Outcome {
    pub stdout: String,
    pub code: i32,
}

/// Settings every command shares.
pub struct Context {
    pub cwd: PathBuf,
    pub config: Option<PathBuf>,
    pub format: Format,
    pub style: Style,
    pub quiet: bool,
    pub verbose: bool,
}

impl Context {
    pub fn renderer<'a>(&self, sources: &'a crate::core::source::SourceMap) -> Renderer<'a> {
        Renderer::new(sources, self.style)
    }

    /// What the use cases run in.
    pub fn env(&self) -> crate::app::Env {
        crate::app::Env { cwd: self.cwd.clone(), config: self.config.clone(), verbose: self.verbose }
    }

    /// Findings in report order, without warnings when quiet.
    pub fn shown<'a>(&self, findings: &'a [Finding]) -> Vec<&'a Finding> {
        crate::report::sorted(findings).into_iter().filter(|f| !(self.quiet && f.severity != Severity::Error)).collect()
    }

    /// The human list of findings with the summary line.
    pub fn listing(&self, sources: &crate::core::source::SourceMap, shown: &[&Finding], summary: Summary) -> String {
        crate::report::human::listing(sources, self.style, self.quiet, shown, summary)
    }

    /// The usual output of a command that reports findings on files: `extra` beside them in
    /// JSON; `human` replaces the plain listing when given.
    pub fn findings_output(
        &self,
        command: &str,
        extra: serde_json::Value,
        r: &crate::app::Findings,
        shown: &[&Finding],
        summary: Summary,
    ) -> String {
        match self.format {
            Format::Json => crate::report::json::render(command, extra, &r.sources, shown, summary),
            Format::Human => self.listing(&r.sources, shown, summary),
            ci => crate::report::render_ci(ci, command, &r.sources, &r.files, shown).unwrap_or_default(),
        }
    }
}

/// The input named on the command line, or stdin.
pub fn open_input(ctx: &Context, file: &Option<PathBuf>) -> Result<(Box<dyn std::io::BufRead>, String), UsageError> {
    match file {
        None => Ok((Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())), "<stdin>".into())),
        Some(p) if p.as_os_str() == "-" => {
            Ok((Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())), "<stdin>".into()))
        }
        Some(p) => {
            let f = std::fs::File::open(ctx.cwd.join(p))
                .map_err(|e| UsageError::new(format!("cannot read `{}`: {e}", p.display()), "pass a readable file"))?;
            Ok((Box::new(std::io::BufReader::with_capacity(1 << 16, f)), p.display().to_string()))
        }
    }
}

/// The exit of a stream: messages to stderr.
pub fn finish_stream(result: Result<usize, crate::app::encode::StreamError>) -> Result<Outcome, UsageError> {
    let code = match result {
        Ok(_) => exit::CLEAN,
        Err(crate::app::encode::StreamError::Data(m)) => {
            eprintln!("error: {m}");
            exit::FINDINGS
        }
        Err(crate::app::encode::StreamError::Registry { message, help }) => {
            eprintln!("error: {message}\n  help: {help}");
            exit::REMOTE
        }
        Err(crate::app::encode::StreamError::Usage(e)) => return Err(e),
        Err(crate::app::encode::StreamError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::CLEAN,
        Err(crate::app::encode::StreamError::Output(e)) => {
            eprintln!("error: cannot write the output: {e}");
            exit::USAGE
        }
    };
    Ok(Outcome { stdout: String::new(), code })
}

/// The exit code for a summary: 1 with errors, else 0.
pub fn code_of(summary: Summary) -> i32 {
    if summary.errors > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// The exit code of a run that talked to a registry.
pub fn status_code(status: crate::app::Status) -> i32 {
    match status {
        crate::app::Status::Clean => exit::CLEAN,
        crate::app::Status::Findings => exit::FINDINGS,
        crate::app::Status::Remote => exit::REMOTE,
    }
}

/// `--level`: a Confluent compatibility level, case-insensitive.
pub fn parse_level(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| {
        format!(
            "unknown level `{s}`; use one of {}",
            Level::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
        )
    })
}

/// The registry settings every registry command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct RegistryArgs {
    /// Schema Registry URL (else SCHEMAPIPE_REGISTRY_URL, else `registry.url` in schemapipe.yaml).
    #[arg(long, value_name = "URL")]
    pub registry_url: Option<String>,
}

impl RegistryArgs {
    pub fn options(&self) -> crate::app::remote::RegistryOptions {
        crate::app::remote::RegistryOptions { url: self.registry_url.clone() }
    }
}

fn style(color: Color) -> Style {
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100);
    Style { color, width }
}

fn run(cli: Cli) -> Result<Outcome, UsageError> {
    let cwd = std::env::current_dir().map_err(|e| {
        UsageError::new(format!("cannot read the working directory: {e}"), "run schemapipe from an existing directory")
    })?;
    let ctx = Context {
        cwd,
        config: cli.config,
        format: cli.format,
        style: style(cli.color),
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let mut outcome = match cli.command {
        Command::Validate(a) => validate::run(&ctx, a),
        Command::Fingerprint(a) => fingerprint::run(&ctx, a),
        Command::Compat(a) => compat::run(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Diff(a) => diff::run(&ctx, a),
        Command::Lint(a) => lint::run(&ctx, a),
        Command::Fmt(a) => fmt::run(&ctx, a),
        Command::Generate(a) => generate::run(&ctx, a),
        Command::Publish(a) => publish::run(&ctx, a),
        Command::Pull(a) => pull::run(&ctx, a),
        Command::Rules(a) => rules::run(&ctx, a),
        Command::Hook(a) => hook::run(&ctx, a),
        Command::Init(a) => init::run(&ctx, a),
        Command::Completions(a) => completions::run(&ctx, a),
        Command::Man(a) => man::run(&ctx, a),
        Command::Catalog(a) => catalog::run(&ctx, a),
        Command::Encode(a) => encode::run(&ctx, a),
        Command::Decode(a) => decode::run(&ctx, a),
        Command::Sample(a) => sample::run(&ctx, a),
    }?;
    // Names and messages come from files and registries: without colour (CI logs, pipes) no
    // control character of theirs reaches the output; with colour the renderer escapes them.
    if matches!(ctx.format, Format::Human | Format::Github | Format::Markdown) && !ctx.style.color {
        outcome.stdout = inert_output(&outcome.stdout);
    }
    Ok(outcome)
}

/// Output text with every control character other than line ends and tabs shown escaped.
fn inert_output(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => c.to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn render_usage_error(e: &UsageError, style: Style) -> String {
    use crate::core::finding::Finding;
    use crate::core::source::{SourceFile, SourceMap, Span};
    match e {
        UsageError::Message { message, help } => {
            let mut s = format!("error: {message}\n");
            if let Some(h) = help {
                s.push_str(&format!("  help: {h}\n"));
            }
            s
        }
        UsageError::Config(problem) => {
            let (path, text, error) = (&problem.path, &problem.text, &problem.error);
            let mut sources = SourceMap::new();
            let file = sources.add(SourceFile::new(path.clone(), text.clone()));
            let mut f = Finding::error("invalid-config", error.message.clone());
            f.help = error.help.clone();
            if let (Some(line), Some(col)) = (error.line, error.column) {
                let start = text.lines().take(line - 1).map(|l| l.len() + 1).sum::<usize>();
                let line_text = text.lines().nth(line - 1).unwrap_or("");
                let offset = line_text.char_indices().nth(col - 1).map(|(i, _)| i).unwrap_or(line_text.len());
                let tok =
                    line_text[offset..].find([':', ' ', ',', ']', '}']).unwrap_or(line_text.len() - offset).max(1);
                let at = (start + offset).min(text.len());
                f = f.at(file, Span::new(at, (at + tok).min(text.len())));
            }
            Renderer::new(&sources, style).render(&f)
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is a normal end, not an error.
fn write_stdout(s: &str) -> bool {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => false,
        Err(_) => false,
    }
}

/// `catalog --format atlas` (and `html`): formats only the catalog writes, taken as its
/// `--export`; every other command line is left as it is.
fn catalog_format(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if !args.iter().skip(1).any(|a| a == "catalog") {
        return args;
    }
    for i in 1..args.len() {
        let a = args[i].to_string_lossy().into_owned();
        if let Some(v) = a.strip_prefix("--format=").filter(|v| matches!(*v, "atlas" | "html")) {
            args[i] = format!("--export={v}").into();
        } else if a == "--format" && args.get(i + 1).is_some_and(|v| v == "atlas" || v == "html") {
            args[i] = "--export".into();
        }
    }
    args
}

/// The whole program; returns the process exit code.
pub fn main() -> i32 {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "schemapipe {} hit an internal error (a bug): {info}\nplease report it with the command and the input that caused it",
            env!("CARGO_PKG_VERSION")
        );
    }));
    let cli = match Cli::try_parse_from(catalog_format(std::env::args_os().collect())) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::CLEAN };
            let _ = e.print();
            return code;
        }
    };
    let color = cli.color;
    // Schemas nest; the model is built recursively up to the nesting limit, so give it room.
    let worker = std::thread::Builder::new().stack_size(256 << 20).spawn(move || run(cli));
    let result = match worker.map(|h| h.join()) {
        Ok(Ok(r)) => r,
        _ => return exit::BUG,
    };
    match result {
        Ok(o) => {
            write_stdout(&o.stdout);
            o.code
        }
        Err(e) => {
            eprint!("{}", render_usage_error(&e, style(color)));
            exit::USAGE
        }
    }
}
