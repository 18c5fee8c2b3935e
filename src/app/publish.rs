//! Publish: make the Schema Registry match the repository — plan each subject against the
//! registry, apply the plan in dependency waves, and (on request) prune the subjects the
//! repository no longer has.

use super::governed::{Governed, Refused};
use super::remote::{self, RegistryOptions};
use super::{Env, Status};
use crate::core::compat::level::{check_level, Direction, Level, Version};
use crate::core::compat::{NodeRef, SetView};
use crate::core::finding::{Finding, Kind};
use crate::core::json::Limits;
use crate::core::publish::{self as plan_core, Desired, Skipped};
use crate::core::schema::SchemaSet;
use crate::core::source::SourceMap;
use crate::registry::{Client, Compatibility, Reference, RegistryError};
use crate::workspace::{UsageError, Workspace};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
pub struct PublishOptions {
    /// Plan against the live registry without changing it.
    pub dry_run: bool,
    /// With `dry_run`: a registry that differs from the repository is a finding (drift check).
    pub fail_on_changes: bool,
    /// Soft-delete the registry's subjects (in the configured context) the repository lacks.
    pub prune: bool,
    pub registry: RegistryOptions,
}

/// Registry subjects the repository does not have, and what pruning did to them.
#[derive(Default)]
pub struct Unmanaged {
    pub subjects: Vec<String>,
    pub prune: bool,
    pub deleted: Vec<String>,
}

impl Unmanaged {
    /// Whether this run deletes (or, dry, would delete) subjects.
    pub fn pending(&self) -> bool {
        self.prune && !self.subjects.is_empty()
    }
}

/// What applying does, as it happens (a bar or log lines on the command line).
pub trait Progress: Sync {
    /// Applying starts, with this many steps.
    fn start(&self, _total: usize) {}
    /// One subject done (or skipped, refused, deleted).
    fn step(&self, line: &str);
    /// Applying is over.
    fn finish(&self) {}
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _line: &str) {}
}

/// What a publish run did, or (with spec errors) why it did nothing.
pub enum Published {
    Refused(Refused),
    Ran(PublishReport),
}

/// The plan, what applying it did, and what stopped it.
pub struct PublishReport {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    /// One step per subject, dependencies first (empty when the registry could not be read).
    pub steps: Vec<Step>,
    /// Schemas no subject holds, and why.
    pub skipped: Vec<Skipped>,
    pub unmanaged: Unmanaged,
    /// The registry, as shown (no credentials).
    pub url: String,
    pub dry_run: bool,
    pub status: Status,
}

/// What publishing does to one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    NewVersion,
    /// The schema is registered as the latest version, but its `metadata` differs
    /// (`registry.metadata`): the same schema is registered again with the new metadata.
    Metadata,
    Unchanged,
    /// The repository holds an older registered version: re-registering it would not make it
    /// the latest, so publishing refuses.
    Rollback,
    Incompatible,
    /// Not published: a subject it references was refused (or skipped itself).
    Skipped,
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
    /// Where schemapipe's own engine finds the break of a refusal the registry's answer does
    /// not pin on one version (reported as findings in the new schema).
    #[serde(skip)]
    pub located: Vec<Finding>,
}

/// The repository's schemas, for locating a refusal with schemapipe's own engine.
pub struct Local<'a> {
    pub set: &'a SchemaSet,
    pub sources: &'a SourceMap,
    pub limits: Limits,
}

/// `1–3`, or `1, 3, 4` when numbers are missing.
fn version_list(versions: &[i64]) -> String {
    match (versions.first(), versions.last()) {
        (Some(a), Some(b)) if versions.len() > 1 && b - a + 1 == versions.len() as i64 => format!("{a}–{b}"),
        _ => versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
    }
}

/// The reasons of a refusal, and the findings locating it. Reasons the registry attributes
/// to a version are kept as they are. A refusal its answer cannot pin on one version (a
/// transitive level with several versions: Karapace checks them all whatever the URL names)
/// says so, and schemapipe's engine checks the new schema against each registered version to
/// say which one breaks, and where.
fn refusal(client: &Client, local: &Local, d: &Desired, answer: Compatibility) -> (Vec<String>, Vec<Finding>) {
    if answer.unattributed.is_empty() {
        return (answer.reasons, Vec::new());
    }
    let versions = version_list(&answer.unattributed);
    let mut reasons = vec![format!(
        "incompatible with one of versions {versions}: the registry's answer does not say which{}",
        if answer.reasons.is_empty() { " (and gives no reasons)" } else { "" }
    )];
    reasons.extend(answer.reasons);
    let level = answer.level.as_deref().and_then(Level::parse).or(d.level).unwrap_or(Level::Backward);
    let mut found = Vec::new();
    match locate(client, local, d, &answer.unattributed, level) {
        Ok(located) if located.is_empty() => reasons.push(format!(
            "schemapipe's own check at {} finds no break with versions {versions}: see the registry's reasons",
            level.as_str()
        )),
        Ok(located) => {
            for (reason, f) in located {
                reasons.push(reason);
                found.push(f);
            }
        }
        Err(e) => reasons
            .push(format!("schemapipe could not read the registered versions to locate the break: {}", e.explain().0)),
    }
    (reasons, found)
}

/// Each break of the new schema with a registered version at the level: a reason naming the
/// version and the place in the repository's file, and the finding placed there.
fn locate(
    client: &Client,
    local: &Local,
    d: &Desired,
    versions: &[i64],
    level: Level,
) -> Result<Vec<(String, Finding)>, RegistryError> {
    let Some(root) = local.set.files.iter().find(|f| f.file == d.file).and_then(|f| f.root) else {
        return Ok(Vec::new());
    };
    let new_view = SetView(local.set);
    let new = Version { view: &new_view, root: NodeRef { unit: 0, id: root } };
    let mut out = Vec::new();
    for &v in versions {
        // The registered texts are only compared with: their positions are not shown.
        let mut scratch = SourceMap::new();
        let old = super::check_registry::fetch(client, &d.subject, v, &local.limits, &mut scratch)?;
        let Some(old_root) = old.files.last().and_then(|f| f.root) else { continue };
        let old_view = SetView(&old);
        let previous = [Version { view: &old_view, root: NodeRef { unit: 0, id: old_root } }];
        let against = format!("`{}` version {v}", d.subject);
        for c in check_level(level, &new, &previous) {
            for i in &c.incompatibilities {
                let mut f = super::compat::incompatibility_finding(i, c.direction, &against, level)
                    .detail("subject", d.subject.clone())
                    .detail("version", v.to_string());
                // The label would point into a registered text this report does not hold.
                f.labels.clear();
                let at = match (f.file, f.span) {
                    (Some(file), Some(span)) => {
                        let src = local.sources.get(file);
                        let (line, col) = src.line_col(span.start);
                        format!("{}:{line}:{col}", src.name)
                    }
                    _ => d.path.clone(),
                };
                let direction = match c.direction {
                    Direction::Backward => "the new schema cannot read its data",
                    Direction::Forward => "it cannot read the new schema's data",
                };
                let reason = format!(
                    "schemapipe's own check: version {v} breaks ({direction}) at {at}: {} at {}: {}",
                    i.kind.java_name(),
                    i.location,
                    i.message
                );
                out.push((reason, f));
            }
        }
    }
    Ok(out)
}

fn remote(e: &RegistryError) -> Finding {
    let (msg, help) = e.explain();
    Finding::error("registry-unavailable", msg).kind(Kind::Publish).help(help)
}

/// A subject planned, as the subjects referencing it see it.
struct Planned {
    /// The version they reference.
    version: Option<i64>,
    /// Its latest registered version.
    registered: Option<i64>,
    /// It gets a new version (theirs cascade).
    changes: bool,
    /// Why it is not published (refused, skipped), when it is not.
    not_published: Option<&'static str>,
}

/// The plan: each desired subject against the registry's state, dependencies first.
pub fn plan(
    client: &Client,
    desired: &[Desired],
    names: &HashMap<crate::core::source::FileId, String>,
    local: &Local,
    send_metadata: bool,
) -> Result<Vec<Step>, RegistryError> {
    let mut steps: Vec<Step> = Vec::new();
    let mut planned: HashMap<String, Planned> = HashMap::new();
    for d in desired {
        let mut cascade = false;
        let mut blocked = None;
        // The metadata to compare, when publishing sends it.
        let metadata = send_metadata.then(|| plan_core::comparable_metadata(d.metadata.as_ref()));
        let mut refs = Vec::new();
        // The references as registered now (`None`: one is a new subject).
        let mut registered_refs = Some(Vec::new());
        for (name, subj) in &d.references {
            let (version, registered) = match planned.get(subj) {
                Some(p) => {
                    cascade |= p.changes;
                    if let (None, Some(why)) = (&blocked, p.not_published) {
                        blocked = Some(format!("its reference `{name}` (subject `{subj}`) {why}"));
                    }
                    (p.version.unwrap_or(1), p.registered)
                }
                None => {
                    let v = client.versions(subj)?.into_iter().max();
                    (v.unwrap_or(1), v)
                }
            };
            refs.push(Reference { name: name.clone(), subject: subj.clone(), version });
            registered_refs = registered_refs.zip(registered).map(|(mut r, version)| {
                r.push(Reference { name: name.clone(), subject: subj.clone(), version });
                r
            });
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
            // Only an existing subject gets a new version *because of* a reference.
            cascade: cascade && latest.is_some(),
            config,
            reasons: Vec::new(),
            outcome: None,
            located: Vec::new(),
        };
        // The number a new version would get: after every number the subject ever used.
        let next = |latest: Option<i64>| -> Result<i64, RegistryError> {
            let used = client.versions_including_deleted(&d.subject)?;
            Ok(used.into_iter().chain(latest).max().unwrap_or(0) + 1)
        };
        match latest {
            // Not published: nothing more to ask the registry.
            _ if blocked.is_some() => {
                step.action = Action::Skipped;
                step.cascade = false;
                step.reasons = blocked.take().into_iter().collect();
            }
            None => step.version = Some(next(None)?),
            Some(max) if cascade => {
                step.action = Action::NewVersion;
                step.version = Some(next(Some(max))?);
                // A cascade only when the text, with the references it has now, is the latest
                // version: otherwise the schema changes too.
                let unchanged_text = match &registered_refs {
                    Some(r) => client.lookup(&d.subject, &d.schema, r)?.is_some_and(|reg| reg.version == max),
                    None => false,
                };
                if !unchanged_text {
                    step.cascade = false;
                    step.reasons.push(
                        "the schema changes too: the registry checks it when applied, once the subjects it references are registered"
                            .into(),
                    );
                }
            }
            Some(max) => match latest_holding(
                client,
                &d.subject,
                &refs,
                client.lookup(&d.subject, &d.schema, &refs)?,
                max,
                metadata.is_some(),
            )? {
                Some(reg) if reg.version == max => {
                    step.action = Action::Unchanged;
                    step.version = Some(reg.version);
                    step.id = Some(reg.id);
                    if let Some(wanted) = &metadata {
                        let registered = client.version(&d.subject, &max.to_string())?;
                        if plan_core::comparable_metadata(registered.metadata.as_ref()) != *wanted {
                            step.action = Action::Metadata;
                            step.version = Some(next(Some(max))?);
                            step.id = None;
                            step.reasons
                                .push("the schema is unchanged; its metadata differs from the registered one".into());
                        }
                    }
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
                    let answer = client.compatible(&d.subject, &d.schema, &refs, d.level.map(|l| l.as_str()))?;
                    let ok = answer.compatible;
                    let (reasons, located) = if ok { Default::default() } else { refusal(client, local, d, answer) };
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
                            step.located = located;
                        }
                    }
                }
            },
        }
        let changes = matches!(step.action, Action::Create | Action::NewVersion);
        // A refused subject keeps its registered version: its users are planned against that,
        // and skipped.
        let not_published = match step.action {
            Action::Incompatible | Action::Rollback => Some("was refused"),
            Action::Skipped => Some("is skipped"),
            _ => None,
        };
        // A metadata update leaves the schema as it is: its users keep referencing the
        // version they have.
        let for_refs = if not_published.is_some() || step.action == Action::Metadata { latest } else { step.version };
        planned.insert(
            d.subject.clone(),
            Planned {
                version: for_refs,
                registered: latest,
                changes: changes && for_refs == step.version,
                not_published,
            },
        );
        steps.push(step);
    }
    Ok(steps)
}

/// The registered version of the schema as the plan compares it. With metadata sent, the same
/// schema may be registered as several versions (one per metadata change), and a lookup may
/// answer with an older one: when the latest version holds the same schema and references,
/// that is the one.
fn latest_holding(
    client: &Client,
    subject: &str,
    refs: &[Reference],
    found: Option<crate::registry::Registered>,
    max: i64,
    metadata: bool,
) -> Result<Option<crate::registry::Registered>, RegistryError> {
    match found {
        Some(reg) if metadata && reg.version != max => {
            let latest = client.version(subject, &max.to_string())?;
            // The lookup asked with `refs`: the version it found holds them.
            let same = !latest.schema.is_empty() && latest.schema == reg.schema && latest.references == refs;
            Ok(Some(if same { latest } else { reg }))
        }
        other => Ok(other),
    }
}

/// Subjects published at once, within one dependency wave.
const WORKERS: usize = 4;

/// What applying one step did: whether its dependents may go on, and the version it holds.
enum Done {
    Published(Option<i64>),
    Refused,
    Skipped,
}

/// Applies one step, given the versions its references now have.
fn apply_one(
    client: &Client,
    local: &Local,
    d: &Desired,
    step: &mut Step,
    versions: &HashMap<String, i64>,
    progress: &dyn Progress,
) -> Result<Done, RegistryError> {
    if step.action == Action::Skipped {
        step.outcome = Some("skipped".into());
        progress.step(&format!("{}: skipped ({})", d.subject, step.reasons.join("; ")));
        return Ok(Done::Skipped);
    }
    if matches!(step.action, Action::Rollback | Action::Incompatible) {
        step.outcome = Some("refused".into());
        progress.step(&format!("{}: refused ({})", d.subject, action_word(step)));
        return Ok(Done::Refused);
    }
    // Some registries (Apicurio) keep levels only for subjects that exist: a new subject is
    // then registered first (a first version has nothing to be incompatible with).
    let mut level_after_register = None;
    if let Some((_, level)) = &step.config {
        match client.set_subject_level(&d.subject, level) {
            Ok(()) => progress.step(&format!("{}: compatibility set to {level}", d.subject)),
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
        progress.step(&format!("{}: unchanged (version {})", d.subject, step.version.unwrap_or(0)));
        return Ok(Done::Published(step.version));
    }
    if step.action == Action::Metadata {
        let id = client.register_with_metadata(&d.subject, &d.schema, &refs, d.metadata.as_ref())?;
        step.id = Some(id);
        let version = match client.version(&d.subject, "latest") {
            Ok(latest) => Some(latest.version).filter(|v| *v > 0).or(step.version),
            Err(e) => {
                step.outcome = Some(format!("metadata registered (id {id}); its version could not be read back"));
                return Err(e);
            }
        };
        step.version = version;
        step.outcome = Some(format!("registered version {} with the new metadata (id {id})", version.unwrap_or(0)));
        progress.step(&format!("{}: metadata updated, version {} (id {id})", d.subject, version.unwrap_or(0)));
        // Its users reference the version they have: the schema is the same.
        return Ok(Done::Published(step.latest));
    }
    // An earlier, interrupted run may have registered it already: then it is done.
    if let Some(reg) = client.lookup(&d.subject, &d.schema, &refs)? {
        step.version = Some(reg.version);
        step.id = Some(reg.id);
        step.outcome = Some(format!("already registered as version {} (id {})", reg.version, reg.id));
        progress.step(&format!("{}: already registered as version {} (id {})", d.subject, reg.version, reg.id));
        return Ok(Done::Published(Some(reg.version)));
    }
    let answer = client.compatible(&d.subject, &d.schema, &refs, d.level.map(|l| l.as_str()))?;
    if !answer.compatible {
        let (reasons, located) = refusal(client, local, d, answer);
        step.action = Action::Incompatible;
        step.reasons = reasons;
        step.located = located;
        step.outcome = Some("refused".into());
        progress.step(&format!("{}: refused, incompatible", d.subject));
        return Ok(Done::Refused);
    }
    let id = match client.register_with_metadata(&d.subject, &d.schema, &refs, d.metadata.as_ref()) {
        Ok(id) => id,
        // 409 is a refusal whatever the code (Apicurio sends 42203 with it).
        Err(e) if e.status() == Some(409) || matches!(e.code(), Some(40901 | 42201)) => {
            step.action = Action::Incompatible;
            step.reasons = vec![e.explain().0];
            step.outcome = Some("refused".into());
            progress.step(&format!("{}: refused by the registry", d.subject));
            return Ok(Done::Refused);
        }
        Err(e) => return Err(e),
    };
    step.id = Some(id);
    if let Some(level) = level_after_register {
        client.set_subject_level(&d.subject, &level)?;
        progress.step(&format!("{}: compatibility set to {level}", d.subject));
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
    progress.step(&format!("{}: registered version {} (id {id})", d.subject, version.unwrap_or(0)));
    Ok(Done::Published(version))
}

/// Applies the plan in dependency waves (a subject's references are published in an earlier
/// wave), with up to [`WORKERS`] subjects at a time within a wave. Stops after the wave in
/// which the registry failed; subjects whose references were refused are skipped.
pub fn apply(
    client: &Client,
    local: &Local,
    desired: &[Desired],
    steps: &mut [Step],
    progress: &dyn Progress,
) -> Result<(), RegistryError> {
    let index: HashMap<&str, usize> = desired.iter().enumerate().map(|(i, d)| (d.subject.as_str(), i)).collect();
    // `desired` is in dependency order, so one pass gives every subject its wave.
    let mut wave = vec![0usize; desired.len()];
    for (i, d) in desired.iter().enumerate() {
        wave[i] =
            d.references.iter().filter_map(|(_, s)| index.get(s.as_str())).map(|j| wave[*j] + 1).max().unwrap_or(0);
    }
    let mut versions: HashMap<String, i64> = HashMap::new();
    // Subjects not published in this run, and why (their users are skipped).
    let mut failed: HashMap<String, &'static str> = HashMap::new();
    for w in 0..=wave.iter().copied().max().unwrap_or(0) {
        let mut todo: Vec<usize> = Vec::new();
        for i in (0..desired.len()).filter(|i| wave[*i] == w) {
            let d = &desired[i];
            if let Some((name, subj, why)) =
                d.references.iter().find_map(|(n, s)| failed.get(s).map(|why| (n, s, *why)))
            {
                let step = &mut steps[i];
                if step.action != Action::Skipped {
                    step.action = Action::Skipped;
                    step.cascade = false;
                    step.reasons = vec![format!("its reference `{name}` (subject `{subj}`) {why}")];
                }
                step.outcome = Some("skipped".into());
                progress.step(&format!("{}: skipped, its reference {subj} {why}", d.subject));
                failed.insert(d.subject.clone(), "is skipped");
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
                            let r = apply_one(client, local, &desired[i], &mut step, versions, progress);
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
                    failed.insert(desired[i].subject.clone(), "was refused");
                }
                Ok(Done::Skipped) => {
                    failed.insert(desired[i].subject.clone(), "is skipped");
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
pub fn unmanaged_subjects(client: &Client, ws: &Workspace, desired: &[Desired]) -> Result<Vec<String>, RegistryError> {
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
pub struct Pruned {
    pub deleted: Vec<String>,
    pub referenced: Vec<(String, RegistryError)>,
    pub stopped: Option<RegistryError>,
}

pub fn prune(client: &Client, subjects: &[String], progress: &dyn Progress) -> Pruned {
    let mut out = Pruned::default();
    let mut todo: Vec<String> = subjects.to_vec();
    loop {
        let mut referenced = Vec::new();
        let before = todo.len();
        for s in todo {
            match client.delete_subject(&s) {
                Ok(()) => {
                    progress.step(&format!("{s}: soft-deleted"));
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

/// Plans and (unless dry) applies; `progress` hears of each subject as it is applied.
pub fn publish(env: &Env, args: &PublishOptions, progress: &dyn Progress) -> Result<Published, UsageError> {
    let ws = env.workspace()?;
    let g = match Governed::load(env, &ws, &[])? {
        Ok(g) => g,
        Err(refused) => return Ok(Published::Refused(refused)),
    };
    let (set, sources, names) = (&g.set, &g.sources, &g.names);
    let files = g.files();
    let mut findings: Vec<Finding> = Vec::new();
    let (desired, skipped) =
        plan_core::desired(set, &files, &ws.config).map_err(|m| UsageError::new(m, "see docs/publish.md"))?;
    let client = remote::client(&ws, &args.registry)?;
    let url = client.url_shown();
    let ran = |findings: Vec<Finding>, steps: Vec<Step>, status: Status, unmanaged: Unmanaged| {
        Published::Ran(PublishReport {
            sources: sources.clone(),
            findings,
            steps,
            skipped: skipped
                .iter()
                .map(|s| Skipped { full_name: s.full_name.clone(), path: s.path.clone(), reason: s.reason.clone() })
                .collect(),
            unmanaged,
            url: url.clone(),
            dry_run: args.dry_run,
            status,
        })
    };
    let file_names: HashMap<crate::core::source::FileId, String> =
        set.files.iter().zip(names).map(|(f, n)| (f.file, n.clone())).collect();
    let local = Local { set, sources, limits: ws.limits() };
    let mut steps = match plan(&client, &desired, &file_names, &local, ws.config.registry.metadata) {
        Ok(s) => s,
        Err(e) => {
            findings.push(remote(&e));
            return Ok(ran(findings, Vec::new(), Status::Remote, Unmanaged::default()));
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
            return Ok(ran(findings, steps, Status::Remote, Unmanaged::default()));
        }
    };
    let mut code = Status::Clean;
    let changes_planned = steps
        .iter()
        .any(|s| matches!(s.action, Action::Create | Action::NewVersion | Action::Metadata) || s.config.is_some())
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
                return Ok(ran(findings, steps, Status::Remote, unmanaged));
            }
        }
    }
    if !args.dry_run {
        progress.start(steps.len() + if args.prune { unmanaged.subjects.len() } else { 0 });
        let applied = apply(&client, &local, &desired, &mut steps, progress);
        // Pruning only once everything else is in place: a refused or skipped subject may
        // still need what would be deleted.
        let all_published =
            steps.iter().all(|s| !matches!(s.action, Action::Rollback | Action::Incompatible | Action::Skipped));
        let pruned = (applied.is_ok() && all_published && unmanaged.pending())
            .then(|| prune(&client, &unmanaged.subjects, progress));
        progress.finish();
        if let Err(e) = applied {
            for s in steps.iter_mut().filter(|s| s.outcome.is_none()) {
                s.outcome = Some("not reached: nothing was registered for it".into());
            }
            findings.push(remote(&e));
            code = Status::Remote;
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
                if code == Status::Clean {
                    code = Status::Findings;
                }
            }
            if let Some(e) = p.stopped {
                findings.push(remote(&e));
                code = Status::Remote;
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
            findings.extend(s.located.iter().cloned());
            if code == Status::Clean {
                code = Status::Findings;
            }
        }
    }
    let changes = steps.iter().any(|s| s.action != Action::Unchanged || s.config.is_some()) || unmanaged.pending();
    if args.dry_run && args.fail_on_changes && changes && code == Status::Clean {
        code = Status::Findings;
    }
    let outcome = ran(findings, steps, code, unmanaged);
    // The process ends soon after: the OS reclaims the parsed set faster than freeing it.
    std::mem::forget(g);
    Ok(outcome)
}

/// A step's action as a word (`new version + config`).
pub fn action_word(s: &Step) -> String {
    let base = match s.action {
        Action::Create => "create",
        Action::NewVersion => "new version",
        Action::Metadata => "update metadata",
        Action::Unchanged => "unchanged",
        Action::Rollback => "rollback",
        Action::Incompatible => "incompatible",
        // Nothing is done to a skipped subject, its level included.
        Action::Skipped => return "skipped".to_string(),
    };
    match (&s.config, s.action) {
        (Some(_), Action::Unchanged) => "config change".to_string(),
        (Some(_), _) => format!("{base} + config"),
        _ => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::version_list;

    #[test]
    fn version_lists_are_ranges_when_nothing_is_missing() {
        assert_eq!(version_list(&[1, 2, 3]), "1–3");
        assert_eq!(version_list(&[1, 3, 4]), "1, 3, 4");
        assert_eq!(version_list(&[2]), "2");
        assert_eq!(version_list(&[]), "");
    }
}
