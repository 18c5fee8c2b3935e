//! `schemapipe publish [--dry-run] [--registry-url URL] [--fail-on-changes]` and the registry
//! settings every registry command shares.

use super::{exit, Context, Outcome};
use crate::core::finding::{Finding, Kind, Severity};
use crate::core::load::{self};
use crate::core::publish::{self as plan_core, Desired, FileInput};
use crate::core::source::SourceMap;
use crate::registry::{Auth, Client, Reference, RegistryError, Secret, Settings};
use crate::report::{self, Format, Summary};
use crate::workspace::{UsageError, Workspace};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;

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

/// Registry subjects the repository does not have, and what pruning did to them.
#[derive(Default)]
struct Unmanaged {
    subjects: Vec<String>,
    prune: bool,
    deleted: Vec<String>,
}

impl Unmanaged {
    /// Whether this run deletes (or, dry, would delete) subjects.
    fn pending(&self) -> bool {
        self.prune && !self.subjects.is_empty()
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct RegistryArgs {
    /// Schema Registry URL (else SCHEMAPIPE_REGISTRY_URL, else `registry.url` in schemapipe.yaml).
    #[arg(long, value_name = "URL")]
    pub registry_url: Option<String>,
}

/// The client for the configured registry: URL from the flag, the environment or the config;
/// credentials from the environment variables the config names.
pub fn client(ws: &Workspace, args: &RegistryArgs) -> Result<Client, UsageError> {
    let cfg = &ws.config.registry;
    let url = args
        .registry_url
        .clone()
        .or_else(|| std::env::var("SCHEMAPIPE_REGISTRY_URL").ok().filter(|s| !s.is_empty()))
        .or_else(|| cfg.url.clone())
        .ok_or_else(|| {
            UsageError::new(
                "no Schema Registry URL",
                "pass --registry-url, set SCHEMAPIPE_REGISTRY_URL, or set `registry.url` in schemapipe.yaml",
            )
        })?;
    let env = |name: &str| std::env::var(name).ok().filter(|s| !s.is_empty());
    let auth = match (env(&cfg.username_env), env(&cfg.password_env), env(&cfg.token_env)) {
        (Some(username), Some(password), _) => Auth::Basic { username, password: Secret::new(password) },
        (_, _, Some(token)) => Auth::Bearer(Secret::new(token)),
        (Some(_), None, None) => {
            return Err(UsageError::new(
                format!("{} is set but {} is not", cfg.username_env, cfg.password_env),
                "set both for basic authentication",
            ))
        }
        _ => Auth::None,
    };
    let base = ws.config_path.as_deref().and_then(|p| p.parent()).unwrap_or(&ws.cwd).to_path_buf();
    let settings = Settings {
        url,
        auth,
        ca_cert: cfg.ca_cert.as_ref().map(|p| base.join(p)),
        client_cert: cfg.client_cert.as_ref().map(|p| base.join(p)),
        client_key: cfg.client_key.as_ref().map(|p| base.join(p)),
        timeout: Duration::from_secs(cfg.timeout_seconds),
        attempts: cfg.retries + 1,
        backoff: Duration::from_millis(200),
        normalize: cfg.normalize,
        max_response_bytes: cfg.max_response_bytes,
    };
    Client::new(settings).map_err(|m| UsageError::new(m, "check the registry settings in schemapipe.yaml"))
}

/// What publishing does to one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    NewVersion,
    Unchanged,
    /// The repository holds an older registered version: re-registering it would not make it
    /// the latest, so publishing refuses.
    Rollback,
    Incompatible,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub subject: String,
    pub schema: String,
    pub file: String,
    pub action: Action,
    /// Latest registered version, if the subject exists.
    pub latest: Option<i64>,
    /// The version this schema is (unchanged, rollback) or will be (create, new version).
    pub version: Option<i64>,
    pub id: Option<i64>,
    pub references: Vec<Reference>,
    /// A new version only because a referenced subject gets one.
    pub cascade: bool,
    /// Compatibility level change: (current, wanted).
    pub config: Option<(Option<String>, String)>,
    pub reasons: Vec<String>,
    /// What happened when applied: registered, refused, skipped, not reached.
    pub outcome: Option<String>,
}

fn remote(e: &RegistryError) -> Finding {
    let (msg, help) = e.explain();
    Finding::error("registry-unavailable", msg).kind(Kind::Publish).help(help)
}

/// The plan: each desired subject against the registry's state, dependencies first.
fn plan(
    client: &Client,
    desired: &[Desired],
    names: &HashMap<crate::core::source::FileId, String>,
) -> Result<Vec<Step>, RegistryError> {
    let mut steps: Vec<Step> = Vec::new();
    let mut planned: HashMap<String, (Option<i64>, bool)> = HashMap::new();
    for d in desired {
        let mut cascade = false;
        let mut refs = Vec::new();
        for (name, subj) in &d.references {
            let version = match planned.get(subj) {
                Some((v, changes)) => {
                    cascade |= *changes;
                    v.unwrap_or(1)
                }
                None => client.versions(subj)?.into_iter().max().unwrap_or(1),
            };
            refs.push(Reference { name: name.clone(), subject: subj.clone(), version });
        }
        let versions = client.versions(&d.subject)?;
        let latest = versions.iter().copied().max();
        let config = match d.level {
            Some(level) => {
                let current = if latest.is_some() { client.subject_level(&d.subject)? } else { None };
                (current.as_deref() != Some(level.as_str())).then(|| (current, level.as_str().to_string()))
            }
            None => None,
        };
        let mut step = Step {
            subject: d.subject.clone(),
            schema: d.full_name.clone(),
            file: names.get(&d.file).cloned().unwrap_or_default(),
            action: Action::Create,
            latest,
            version: None,
            id: None,
            references: refs.clone(),
            cascade,
            config,
            reasons: Vec::new(),
            outcome: None,
        };
        // The number a new version would get: after every number the subject ever used.
        let next = |latest: Option<i64>| -> Result<i64, RegistryError> {
            let used = client.versions_including_deleted(&d.subject)?;
            Ok(used.into_iter().chain(latest).max().unwrap_or(0) + 1)
        };
        match latest {
            None => step.version = Some(next(None)?),
            Some(max) if cascade => {
                step.action = Action::NewVersion;
                step.version = Some(next(Some(max))?);
            }
            Some(max) => match client.lookup(&d.subject, &d.schema, &refs)? {
                Some(reg) if reg.version == max => {
                    step.action = Action::Unchanged;
                    step.version = Some(reg.version);
                    step.id = Some(reg.id);
                }
                Some(reg) => {
                    step.action = Action::Rollback;
                    step.version = Some(reg.version);
                    step.id = Some(reg.id);
                    step.reasons.push(format!(
                        "the repository holds version {} but the latest is {max}; registering it again would not make it the latest",
                        reg.version
                    ));
                }
                None => {
                    let (ok, reasons) = client.compatible(&d.subject, &d.schema, &refs, d.level.map(|l| l.as_str()))?;
                    step.version = Some(next(Some(max))?);
                    match (&step.config, ok) {
                        (_, true) => step.action = Action::NewVersion,
                        // The registry answered at the subject's current level; applying sets the
                        // configured one first and asks again, so the plan cannot refuse yet.
                        (Some((current, wanted)), false) => {
                            step.action = Action::NewVersion;
                            step.reasons.push(format!(
                                "incompatible at the subject's current level {}; publish sets {wanted} first and checks again",
                                current.as_deref().unwrap_or("(the global level)")
                            ));
                            step.reasons.extend(reasons);
                        }
                        (None, false) => {
                            step.action = Action::Incompatible;
                            step.reasons = reasons;
                        }
                    }
                }
            },
        }
        let changes = matches!(step.action, Action::Create | Action::NewVersion);
        // A refused subject keeps its registered version: its users are planned against that
        // (and skipped when applied).
        let for_refs =
            if matches!(step.action, Action::Incompatible | Action::Rollback) { latest } else { step.version };
        planned.insert(d.subject.clone(), (for_refs, changes && for_refs == step.version));
        steps.push(step);
    }
    Ok(steps)
}

/// Subjects published at once, within one dependency wave.
const WORKERS: usize = 4;

/// What applying one step did: whether its dependents may go on, and the version it holds.
enum Done {
    Published(Option<i64>),
    Refused,
}

/// Applies one step, given the versions its references now have.
fn apply_one(
    client: &Client,
    d: &Desired,
    step: &mut Step,
    versions: &HashMap<String, i64>,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Done, RegistryError> {
    if matches!(step.action, Action::Rollback | Action::Incompatible) {
        step.outcome = Some("refused".into());
        progress(&format!("{}: refused ({})", d.subject, action_word(step)));
        return Ok(Done::Refused);
    }
    // Some registries (Apicurio) keep levels only for subjects that exist: a new subject is
    // then registered first (a first version has nothing to be incompatible with).
    let mut level_after_register = None;
    if let Some((_, level)) = &step.config {
        match client.set_subject_level(&d.subject, level) {
            Ok(()) => progress(&format!("{}: compatibility set to {level}", d.subject)),
            Err(e) if step.action == Action::Create && e.code() == Some(40401) => {
                level_after_register = Some(level.clone())
            }
            Err(e) => return Err(e),
        }
    }
    let refs: Vec<Reference> = d
        .references
        .iter()
        .map(|(name, subj)| {
            // Versions published in this run, else the one the plan found registered.
            let planned = step.references.iter().find(|r| r.subject == *subj).map(|r| r.version);
            Reference {
                name: name.clone(),
                subject: subj.clone(),
                version: versions.get(subj).copied().or(planned).unwrap_or(1),
            }
        })
        .collect();
    step.references = refs.clone();
    if step.action == Action::Unchanged {
        step.outcome = Some("unchanged".into());
        progress(&format!("{}: unchanged (version {})", d.subject, step.version.unwrap_or(0)));
        return Ok(Done::Published(step.version));
    }
    // An earlier, interrupted run may have registered it already: then it is done.
    if let Some(reg) = client.lookup(&d.subject, &d.schema, &refs)? {
        step.version = Some(reg.version);
        step.id = Some(reg.id);
        step.outcome = Some(format!("already registered as version {} (id {})", reg.version, reg.id));
        progress(&format!("{}: already registered as version {} (id {})", d.subject, reg.version, reg.id));
        return Ok(Done::Published(Some(reg.version)));
    }
    let (ok, reasons) = client.compatible(&d.subject, &d.schema, &refs, d.level.map(|l| l.as_str()))?;
    if !ok {
        step.action = Action::Incompatible;
        step.reasons = reasons;
        step.outcome = Some("refused".into());
        progress(&format!("{}: refused, incompatible", d.subject));
        return Ok(Done::Refused);
    }
    let id = match client.register(&d.subject, &d.schema, &refs) {
        Ok(id) => id,
        // 409 is a refusal whatever the code (Apicurio sends 42203 with it).
        Err(e) if e.status() == Some(409) || matches!(e.code(), Some(40901 | 42201)) => {
            step.action = Action::Incompatible;
            step.reasons = vec![e.explain().0];
            step.outcome = Some("refused".into());
            progress(&format!("{}: refused by the registry", d.subject));
            return Ok(Done::Refused);
        }
        Err(e) => return Err(e),
    };
    step.id = Some(id);
    if let Some(level) = level_after_register {
        client.set_subject_level(&d.subject, &level)?;
        progress(&format!("{}: compatibility set to {level}", d.subject));
    }
    let version = match client.lookup(&d.subject, &d.schema, &refs) {
        Ok(found) => found.map(|r| r.version).or(step.version),
        Err(e) => {
            // Registered, but the version could not be read back: say so, then stop.
            step.outcome = Some(format!("registered (id {id}); its version could not be read back"));
            return Err(e);
        }
    };
    step.version = version;
    step.outcome = Some(format!("registered version {} (id {id})", version.unwrap_or(0)));
    progress(&format!("{}: registered version {} (id {id})", d.subject, version.unwrap_or(0)));
    Ok(Done::Published(version))
}

/// Applies the plan in dependency waves (a subject's references are published in an earlier
/// wave), with up to [`WORKERS`] subjects at a time within a wave. Stops after the wave in
/// which the registry failed; subjects whose references were refused are skipped.
fn apply(
    client: &Client,
    desired: &[Desired],
    steps: &mut [Step],
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(), RegistryError> {
    let index: HashMap<&str, usize> = desired.iter().enumerate().map(|(i, d)| (d.subject.as_str(), i)).collect();
    // `desired` is in dependency order, so one pass gives every subject its wave.
    let mut wave = vec![0usize; desired.len()];
    for (i, d) in desired.iter().enumerate() {
        wave[i] =
            d.references.iter().filter_map(|(_, s)| index.get(s.as_str())).map(|j| wave[*j] + 1).max().unwrap_or(0);
    }
    let mut versions: HashMap<String, i64> = HashMap::new();
    let mut failed: std::collections::HashSet<String> = std::collections::HashSet::new();
    for w in 0..=wave.iter().copied().max().unwrap_or(0) {
        let mut todo: Vec<usize> = Vec::new();
        for i in (0..desired.len()).filter(|i| wave[*i] == w) {
            let d = &desired[i];
            if let Some((name, subj)) = d.references.iter().find(|(_, s)| failed.contains(s)) {
                steps[i].outcome = Some(format!("skipped: its reference {name} ({subj}) was not published"));
                progress(&format!("{}: skipped, its reference {subj} was not published", d.subject));
                failed.insert(d.subject.clone());
            } else {
                todo.push(i);
            }
        }
        let results: Vec<(usize, Step, Result<Done, RegistryError>)> = std::thread::scope(|scope| {
            let chunks: Vec<Vec<usize>> =
                (0..WORKERS).map(|k| todo.iter().copied().skip(k).step_by(WORKERS).collect()).collect();
            let handles: Vec<_> = chunks
                .into_iter()
                .filter(|c| !c.is_empty())
                .map(|chunk| {
                    let versions = &versions;
                    let steps = &*steps;
                    scope.spawn(move || {
                        let mut out = Vec::new();
                        for i in chunk {
                            let mut step = steps[i].clone();
                            let r = apply_one(client, &desired[i], &mut step, versions, progress);
                            let stop = r.is_err();
                            out.push((i, step, r));
                            if stop {
                                break;
                            }
                        }
                        out
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("publishing a subject never panics")).collect()
        });
        let mut error = None;
        for (i, step, r) in results {
            steps[i] = step;
            match r {
                Ok(Done::Published(Some(v))) => {
                    versions.insert(desired[i].subject.clone(), v);
                }
                Ok(Done::Published(None)) => {}
                Ok(Done::Refused) => {
                    failed.insert(desired[i].subject.clone());
                }
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = error {
            return Err(e);
        }
    }
    Ok(())
}

/// Registry subjects in the configured context that no schema of the repository publishes to.
fn unmanaged_subjects(client: &Client, ws: &Workspace, desired: &[Desired]) -> Result<Vec<String>, RegistryError> {
    let context = ws.config.registry.context.as_deref();
    // Compared without the context prefix, however the registry spells it.
    let wanted: std::collections::HashSet<&str> =
        desired.iter().map(|d| plan_core::in_context(&d.subject, context).unwrap_or(&d.subject)).collect();
    let mut out: Vec<String> = client
        .subjects()?
        .into_iter()
        .filter(|s| plan_core::in_context(s, context).is_some_and(|bare| !wanted.contains(bare)))
        .collect();
    out.sort();
    Ok(out)
}

/// Soft-deletes subjects. One still referenced by another (42206) is tried again after the
/// others, so a chain of unmanaged subjects goes in the order its references allow.
/// What pruning did: subjects deleted, subjects still referenced (42206), and the error that
/// stopped it, if one did (what was deleted before it is kept).
#[derive(Default)]
struct Pruned {
    deleted: Vec<String>,
    referenced: Vec<(String, RegistryError)>,
    stopped: Option<RegistryError>,
}

fn prune(client: &Client, subjects: &[String], progress: &(dyn Fn(&str) + Sync)) -> Pruned {
    let mut out = Pruned::default();
    let mut todo: Vec<String> = subjects.to_vec();
    loop {
        let mut referenced = Vec::new();
        let before = todo.len();
        for s in todo {
            match client.delete_subject(&s) {
                Ok(()) => {
                    progress(&format!("{s}: soft-deleted"));
                    out.deleted.push(s);
                }
                // Already gone (a retried request that had gone through).
                Err(e) if matches!(e.code(), Some(40401 | 40404)) => out.deleted.push(s),
                Err(e) if e.code() == Some(42206) => referenced.push((s, e)),
                Err(e) => {
                    out.stopped = Some(e);
                    return out;
                }
            }
        }
        if referenced.is_empty() || referenced.len() == before {
            out.referenced = referenced;
            return out;
        }
        todo = referenced.into_iter().map(|(s, _)| s).collect();
    }
}

fn action_word(s: &Step) -> String {
    let base = match s.action {
        Action::Create => "create",
        Action::NewVersion => "new version",
        Action::Unchanged => "unchanged",
        Action::Rollback => "rollback",
        Action::Incompatible => "incompatible",
    };
    match (&s.config, s.action) {
        (Some(_), Action::Unchanged) => "config change".to_string(),
        (Some(_), _) => format!("{base} + config"),
        _ => base.to_string(),
    }
}

fn detail(s: &Step) -> String {
    let mut parts = Vec::new();
    match (s.action, s.latest, s.version) {
        (Action::NewVersion, Some(l), Some(v)) => parts.push(format!("v{l} -> v{v}")),
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

fn markdown(steps: &[Step], url: &str, dry_run: bool, unmanaged: &Unmanaged) -> String {
    let mut out = format!(
        "### Schema Registry {} for `{url}`\n\n| subject | action | details |\n| --- | --- | --- |\n",
        if dry_run { "plan" } else { "publish" }
    );
    for s in steps {
        out.push_str(&format!("| `{}` | {} | {} |\n", s.subject, action_word(s), detail(s).replace('|', "\\|")));
        for r in &s.reasons {
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
    out
}

/// The whole governed schema set, for commands that act on it (publish, generate) and must
/// never act on a broken one.
pub(super) struct Governed {
    pub names: Vec<String>,
    pub texts: Vec<String>,
    /// Paths relative to the schema root.
    pub rels: Vec<Option<String>>,
    /// Whether each file is under the PATH arguments (every file without any).
    pub chosen: Vec<bool>,
    pub sources: SourceMap,
    pub set: crate::core::schema::SchemaSet,
}

impl Governed {
    /// Loads the set; with spec errors, the report that stops `command` instead (exit 1):
    /// the findings, and `refusal` saying nothing was done (in JSON: `empty` beside them).
    pub fn load(
        ctx: &Context,
        ws: &Workspace,
        paths: &[std::path::PathBuf],
        command: &str,
        empty: serde_json::Value,
        refusal: &str,
    ) -> Result<Result<Governed, Outcome>, UsageError> {
        let (inputs, chosen) = ws.collect(paths)?;
        let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
        let texts: Vec<String> = inputs.iter().map(|i| String::from_utf8_lossy(&i.bytes).into_owned()).collect();
        let mut sources = SourceMap::new();
        let set = load::load(inputs, &ws.limits(), &mut sources);
        let errors: Vec<Finding> = set.findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
        if !errors.is_empty() {
            let shown: Vec<&Finding> = report::sorted(&errors);
            let summary = Summary::of(names.len(), shown.iter().copied());
            let stdout = match ctx.format {
                Format::Json => report::json::render(command, empty, &sources, &shown, summary),
                _ => format!("{}{refusal}\n", super::validate::human(ctx, &sources, &shown, summary)),
            };
            return Ok(Err(Outcome { stdout, code: exit::FINDINGS }));
        }
        let rels = super::lint::rel_paths(ws, &ctx.cwd, &names);
        Ok(Ok(Governed { names, texts, rels, chosen, sources, set }))
    }

    pub fn files(&self) -> Vec<FileInput<'_>> {
        (0..self.names.len())
            .map(|i| FileInput {
                index: i,
                path: self.rels[i].as_deref().unwrap_or(&self.names[i]),
                text: &self.texts[i],
            })
            .collect()
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let ws = Workspace::discover(&ctx.cwd, ctx.config.as_deref())?;
    let refusal = "not publishing: fix the schema errors above first";
    let g = match Governed::load(ctx, &ws, &[], "publish", serde_json::json!({"plan": []}), refusal)? {
        Ok(g) => g,
        Err(refused) => return Ok(refused),
    };
    let (set, sources, names) = (&g.set, &g.sources, &g.names);
    let files = g.files();
    let mut findings: Vec<Finding> = Vec::new();
    let (desired, skipped) =
        plan_core::desired(set, &files, &ws.config).map_err(|m| UsageError::new(m, "see docs/publish.md"))?;
    let client = client(&ws, &args.registry)?;
    let url = client.url_shown();
    let frame = Frame { ctx, sources, url: &url, dry_run: args.dry_run, skipped: &skipped };
    let file_names: HashMap<crate::core::source::FileId, String> =
        set.files.iter().zip(names).map(|(f, n)| (f.file, n.clone())).collect();
    let mut steps = match plan(&client, &desired, &file_names) {
        Ok(s) => s,
        Err(e) => {
            findings.push(remote(&e));
            return Ok(finish(&frame, &findings, Vec::new(), exit::REMOTE, &Unmanaged::default()));
        }
    };
    let mut unmanaged = match unmanaged_subjects(&client, &ws, &desired) {
        Ok(subjects) => Unmanaged { subjects, prune: args.prune, deleted: Vec::new() },
        // Without --prune the list is only information: publishing goes on without it.
        Err(e) if !args.prune => {
            let (m, _) = e.explain();
            findings.push(
                Finding::warning("registry-subjects-unlisted", format!("cannot list the registry's subjects: {m}"))
                    .kind(Kind::Publish)
                    .help("subjects the repository does not have are not shown in this run"),
            );
            Unmanaged::default()
        }
        Err(e) => {
            findings.push(remote(&e));
            return Ok(finish(&frame, &findings, steps, exit::REMOTE, &Unmanaged::default()));
        }
    };
    let mut code = exit::CLEAN;
    let changes_planned =
        steps.iter().any(|s| matches!(s.action, Action::Create | Action::NewVersion) || s.config.is_some())
            || unmanaged.pending();
    // A registry in READONLY mode refuses every write: say so before trying.
    if !args.dry_run && changes_planned {
        if let Ok(Some(mode)) = client.mode() {
            if mode.starts_with("READONLY") {
                findings.push(
                    Finding::error(
                        "registry-read-only",
                        format!("the registry is in {mode} mode; nothing was registered"),
                    )
                    .kind(Kind::Publish)
                    .help("ask the registry's owners to set the mode to READWRITE, then run publish again"),
                );
                return Ok(finish(&frame, &findings, steps, exit::REMOTE, &unmanaged));
            }
        }
    }
    if !args.dry_run {
        let quiet = ctx.quiet || ctx.format != Format::Human;
        // A bar on a terminal; plain lines in CI logs.
        use std::io::IsTerminal;
        let total = steps.len() + if args.prune { unmanaged.subjects.len() } else { 0 };
        let bar = (!quiet && std::io::stderr().is_terminal() && total > 1).then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        let lines = std::sync::Mutex::new(Vec::<String>::new());
        let progress = |line: &str| {
            match &bar {
                Some(b) => {
                    b.inc(1);
                    b.set_message(line.to_string());
                }
                None if !quiet => eprintln!("{line}"),
                None => {}
            }
            if let Ok(mut l) = lines.lock() {
                l.push(line.to_string());
            }
        };
        let applied = apply(&client, &desired, &mut steps, &progress);
        // Pruning only once everything else is in place: a refused or skipped subject may
        // still need what would be deleted.
        let all_published = steps.iter().all(|s| {
            !matches!(s.action, Action::Rollback | Action::Incompatible)
                && s.outcome.as_deref().is_none_or(|o| !o.starts_with("skipped"))
        });
        let pruned = (applied.is_ok() && all_published && unmanaged.pending())
            .then(|| prune(&client, &unmanaged.subjects, &progress));
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        if let Err(e) = applied {
            for s in steps.iter_mut().filter(|s| s.outcome.is_none()) {
                s.outcome = Some("not reached: nothing was registered for it".into());
            }
            findings.push(remote(&e));
            code = exit::REMOTE;
        } else if unmanaged.pending() && !all_published {
            findings.push(
                Finding::warning(
                    "prune-skipped",
                    format!(
                        "{} subjects not in the repository were not deleted: some subjects were not published",
                        unmanaged.subjects.len()
                    ),
                )
                .kind(Kind::Publish)
                .help("fix the refused subjects, then run `publish --prune` again"),
            );
        }
        if let Some(p) = pruned {
            unmanaged.deleted = p.deleted;
            for (subject, e) in p.referenced {
                let (m, h) = e.explain();
                findings.push(
                    Finding::error("prune-refused", format!("`{subject}` was not deleted: {m}"))
                        .kind(Kind::Publish)
                        .help(h),
                );
                if code == exit::CLEAN {
                    code = exit::FINDINGS;
                }
            }
            if let Some(e) = p.stopped {
                findings.push(remote(&e));
                code = exit::REMOTE;
            }
        }
    }
    for s in &steps {
        if matches!(s.action, Action::Rollback | Action::Incompatible) {
            let mut f = Finding::error(
                if s.action == Action::Rollback { "publish-rollback" } else { "publish-incompatible" },
                format!(
                    "`{}` ({}): {}",
                    s.subject,
                    s.schema,
                    if s.action == Action::Rollback {
                        "the repository holds an older registered version"
                    } else {
                        "the registry refuses the schema as incompatible"
                    }
                ),
            )
            .kind(Kind::Publish)
            .help(if s.action == Action::Rollback {
                "restore the latest registered schema in the repository, or make a new change on top of it"
            } else if s.reasons.iter().any(|r| r.to_ascii_lowercase().contains("invalid schema")) {
                // With verbose=true Confluent reports a schema it cannot parse as incompatible.
                "the registry cannot parse the schema (or its references): run `schemapipe validate` and check the references"
            } else {
                "fix the change (see the registry's reasons), or change the subject's level on purpose"
            });
            f.details.push(("subject", s.subject.clone()));
            for r in &s.reasons {
                f.details.push(("reason", r.clone()));
            }
            f.message.push_str(&s.reasons.iter().map(|r| format!("; {r}")).collect::<String>());
            findings.push(f);
            if code == exit::CLEAN {
                code = exit::FINDINGS;
            }
        }
    }
    let changes = steps.iter().any(|s| s.action != Action::Unchanged || s.config.is_some()) || unmanaged.pending();
    if args.dry_run && args.fail_on_changes && changes && code == exit::CLEAN {
        code = exit::FINDINGS;
    }
    let outcome = finish(&frame, &findings, steps, code, &unmanaged);
    // The process ends right after: the OS reclaims the parsed set faster than freeing it.
    std::mem::forget(g);
    Ok(outcome)
}

/// What every publish report shows, whatever stopped the run.
struct Frame<'a> {
    ctx: &'a Context,
    sources: &'a SourceMap,
    url: &'a str,
    dry_run: bool,
    skipped: &'a [plan_core::Skipped],
}

fn finish(frame: &Frame, findings: &[Finding], steps: Vec<Step>, code: i32, unmanaged: &Unmanaged) -> Outcome {
    let Frame { ctx, sources, url, dry_run, skipped } = *frame;
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
                "skipped": skipped.iter().map(|s| serde_json::json!({"schema": s.full_name, "file": s.path, "reason": "no subject: no topic maps to it"})).collect::<Vec<_>>(),
                "unmanaged": unmanaged.subjects,
                "prune": unmanaged.prune,
                "deleted": unmanaged.deleted,
            }),
            sources,
            &shown,
            summary,
        ),
        Format::Markdown => markdown(&steps, url, dry_run, unmanaged),
        Format::Human => {
            let mut out = format!("{} for {url}\n", if dry_run { "plan" } else { "publish" });
            let w = steps.iter().map(|s| s.subject.len()).max().unwrap_or(7);
            for s in &steps {
                out.push_str(&format!("  {:<20} {:<w$}  {}\n", action_word(s), s.subject, detail(s)));
                for r in &s.reasons {
                    out.push_str(&format!("  {:<20} {:<w$}    - {r}\n", "", ""));
                }
            }
            for s in skipped {
                out.push_str(&format!("  {:<20} {:<w$}  no topic maps to it ({})\n", "skipped", s.full_name, s.path));
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
            out.push_str(&format!(
                "{} to create, {} new versions, {} unchanged, {} refused{}\n",
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
