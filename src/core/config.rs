//! `schemapipe.yaml`: the raw options as written, validated into settings.
//!
//! Pure: the caller reads the file. Unknown keys are errors with a did-you-mean and the YAML
//! line and column, so a typo never silently turns a setting off.

use crate::core::compat::level::Level;
use crate::core::finding::did_you_mean;
pub use crate::core::glob::glob_match;
use crate::core::json::Limits;
use crate::core::lint::{self, FieldCase, FileNameMatch, LintOptions, Preset, Setting};
use serde::Deserialize;

/// The file name searched for by walking up from the working directory.
pub const FILE_NAME: &str = "schemapipe.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    version: Option<u32>,
    schemas: Option<RawSchemas>,
    limits: Option<RawLimits>,
    compatibility: Option<RawCompatibility>,
    git: Option<RawGit>,
    lint: Option<RawLint>,
    registry: Option<RawRegistry>,
    metadata: Option<crate::core::metadata::RawMetadata>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    url: Option<String>,
    username_env: Option<String>,
    password_env: Option<String>,
    token_env: Option<String>,
    ca_cert: Option<String>,
    client_cert: Option<String>,
    client_key: Option<String>,
    timeout_seconds: Option<u64>,
    retries: Option<u32>,
    max_response_bytes: Option<u64>,
    normalize: Option<bool>,
    references: Option<String>,
    subject_strategy: Option<String>,
    context: Option<String>,
    metadata: Option<bool>,
    topics: Option<std::collections::BTreeMap<String, RawTopic>>,
    subjects: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    value: Option<OneOrMany>,
    key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLint {
    preset: Option<String>,
    field_case: Option<String>,
    file_name: Option<String>,
    max_nesting: Option<u32>,
    rules: Option<std::collections::BTreeMap<String, String>>,
    overrides: Option<Vec<RawOverride>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    paths: Vec<String>,
    rules: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompatibility {
    level: Option<String>,
    subjects: Option<std::collections::BTreeMap<String, String>>,
    paths: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGit {
    base_branch: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchemas {
    root: Option<String>,
    exclude: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_file_bytes: Option<u64>,
    max_nesting_depth: Option<u32>,
}

/// Resolved settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Directory holding the `.avsc` files, relative to the config file's directory.
    pub schema_root: String,
    /// Glob patterns (relative to the schema root) of files to leave out.
    pub exclude: Vec<String>,
    pub limits: Limits,
    /// Compatibility level for schemas without an override.
    pub level: Level,
    /// Per-schema overrides: a full name or a glob over full names (`com.acme.cdc.**`).
    pub subject_levels: Vec<(String, Level)>,
    /// Per-path overrides: globs relative to the schema root.
    pub path_levels: Vec<(String, Level)>,
    /// The branch whose history holds the versions (`main`); also tried as `origin/<name>`.
    pub base_branch: Option<String>,
    pub lint: LintOptions,
    /// Whether the config sets compatibility levels (publish then applies them to subjects).
    pub levels_configured: bool,
    pub registry: RegistryConfig,
    /// `metadata:`: owners, domains, lineage and field classifications (docs/catalog.md).
    pub metadata: crate::core::metadata::Metadata,
}

/// How schemas become registry subjects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Strategy {
    TopicNameStrategy,
    RecordNameStrategy,
    TopicRecordNameStrategy,
}

/// `registry:` in schemapipe.yaml. Secrets are never here: only the names of the environment
/// variables that hold them.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryConfig {
    pub url: Option<String>,
    pub username_env: String,
    pub password_env: String,
    pub token_env: String,
    pub ca_cert: Option<String>,
    pub client_cert: Option<String>,
    pub client_key: Option<String>,
    pub timeout_seconds: u64,
    pub retries: u32,
    /// The largest registry answer read (`registry.max_response_bytes`).
    pub max_response_bytes: u64,
    /// Ask the registry to normalize schemas on lookup, compatibility and registration.
    pub normalize: bool,
    /// Register named types from other files as their own subjects (`true`) or inline them.
    pub references_as_subjects: bool,
    pub strategy: Strategy,
    /// A registry context (`.staging`): subjects become `:.staging:<subject>`.
    pub context: Option<String>,
    /// Send owners, domains, tags and field classifications as Confluent's data-contract
    /// `metadata` when publishing (`registry.metadata`).
    pub metadata: bool,
    /// Topic -> (value schemas, key schema), for the topic strategies.
    pub topics: Vec<(String, Vec<String>, Option<String>)>,
    /// Full name -> subject, overriding the strategy.
    pub subjects: Vec<(String, String)>,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig {
            url: None,
            username_env: "SCHEMAPIPE_REGISTRY_USERNAME".into(),
            password_env: "SCHEMAPIPE_REGISTRY_PASSWORD".into(),
            token_env: "SCHEMAPIPE_REGISTRY_TOKEN".into(),
            ca_cert: None,
            client_cert: None,
            client_key: None,
            timeout_seconds: 30,
            retries: 4,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            normalize: false,
            references_as_subjects: true,
            strategy: Strategy::RecordNameStrategy,
            context: None,
            metadata: false,
            topics: Vec::new(),
            subjects: Vec::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            schema_root: "schemas".into(),
            exclude: Vec::new(),
            limits: Limits::default(),
            level: Level::Backward,
            subject_levels: Vec::new(),
            path_levels: Vec::new(),
            base_branch: None,
            lint: LintOptions::default(),
            levels_configured: false,
            registry: RegistryConfig::default(),
            metadata: crate::core::metadata::Metadata::default(),
        }
    }
}

impl Config {
    /// The level for a schema: a subject override, else a path override, else the default.
    /// Among several matching overrides the most specific (longest pattern) wins. An empty
    /// `full_name` (a top level that is not a named type) matches path overrides only.
    pub fn level_for(&self, full_name: &str, path: &str) -> Level {
        let by_name = full_name.replace('.', "/");
        let best = |list: &[(String, Level)], key: &str, dotted: bool| {
            list.iter()
                .filter(|(p, _)| if dotted { glob_match(&p.replace('.', "/"), key) } else { glob_match(p, key) })
                .max_by_key(|(p, _)| p.len())
                .map(|(_, l)| *l)
        };
        (!full_name.is_empty())
            .then(|| best(&self.subject_levels, &by_name, true))
            .flatten()
            .or_else(|| best(&self.path_levels, path, false))
            .unwrap_or(self.level)
    }
}

impl PartialEq for Limits {
    fn eq(&self, o: &Self) -> bool {
        self.max_depth == o.max_depth && self.max_bytes == o.max_bytes
    }
}

/// A problem in the config file, with its 1-based position when known.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
}

/// The largest registry answer read unless `registry.max_response_bytes` says otherwise:
/// 64 MiB, far above any schema a registry accepts.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest nesting depth a config may ask for; deeper documents are never legitimate schemas.
pub const MAX_NESTING_DEPTH: u32 = 10_000;

pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let raw: Option<RawConfig> = serde_saphyr::from_str(text).map_err(yaml_error)?;
    let raw = raw.unwrap_or_default();
    let mut cfg = Config::default();
    let err = |m: String, h: &str| ConfigError { message: m, line: None, column: None, help: Some(h.into()) };
    if let Some(v) = raw.version {
        if v != 1 {
            return Err(err(format!("unsupported config version {v}"), "set `version: 1`"));
        }
    }
    if let Some(s) = raw.schemas {
        if let Some(root) = s.root {
            if root.trim().is_empty() {
                return Err(err(
                    "`schemas.root` is empty".into(),
                    "set it to the directory holding your .avsc files, e.g. `schemas`",
                ));
            }
            cfg.schema_root = root;
        }
        cfg.exclude = s.exclude.unwrap_or_default();
    }
    if let Some(l) = raw.limits {
        if let Some(b) = l.max_file_bytes {
            if b == 0 {
                return Err(err(
                    "`limits.max_file_bytes` must be positive".into(),
                    "remove it to use the default of 16 MiB",
                ));
            }
            cfg.limits.max_bytes = usize::try_from(b).unwrap_or(usize::MAX);
        }
        if let Some(d) = l.max_nesting_depth {
            if d == 0 || d > MAX_NESTING_DEPTH {
                return Err(err(
                    format!("`limits.max_nesting_depth` must be between 1 and {MAX_NESTING_DEPTH}, not {d}"),
                    "remove it to use the default of 1000 (the registry's own limit)",
                ));
            }
            cfg.limits.max_depth = d as usize;
        }
    }
    if let Some(r) = raw.registry {
        cfg.registry = registry_config(r, text)?;
    }
    if let Some(c) = raw.compatibility {
        cfg.levels_configured = true;
        let level = |s: &str, key: &str| {
            Level::parse(s).ok_or_else(|| {
                let names: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
                err(
                    format!("unknown compatibility level `{s}` for `{key}`"),
                    &match did_you_mean(&s.to_ascii_uppercase(), names.iter().copied()) {
                        Some(m) => format!("did you mean `{m}`?"),
                        None => format!("use one of {}", names.join(", ")),
                    },
                )
            })
        };
        if let Some(l) = c.level {
            cfg.level = level(&l, "compatibility.level")?;
        }
        for (k, v) in c.subjects.unwrap_or_default() {
            cfg.subject_levels.push((k.clone(), level(&v, &format!("compatibility.subjects.{k}"))?));
        }
        for (k, v) in c.paths.unwrap_or_default() {
            cfg.path_levels.push((k.clone(), level(&v, &format!("compatibility.paths.{k}"))?));
        }
    }
    if let Some(l) = raw.lint {
        cfg.lint = lint_options(l, text)?;
    }
    if let Some(m) = raw.metadata {
        cfg.metadata = crate::core::metadata::Metadata::build(m, text).map_err(|e| ConfigError {
            message: e.message,
            line: e.line,
            column: e.column,
            help: e.help,
        })?;
    }
    // The ownership lint rules see the metadata.
    cfg.lint.metadata = std::sync::Arc::new(cfg.metadata.clone());
    if let Some(g) = raw.git {
        if let Some(b) = g.base_branch {
            if b.trim().is_empty() {
                return Err(err(
                    "`git.base_branch` is empty".into(),
                    "name the branch whose history holds the versions, e.g. `main`",
                ));
            }
            cfg.base_branch = Some(b);
        }
    }
    Ok(cfg)
}

/// 1-based line and column of the first `key:` in the text after `after` (a section name),
/// for errors about values serde has already turned into plain maps.
fn locate(text: &str, after: &str, key: &str) -> (Option<usize>, Option<usize>) {
    let start = text.find(&format!("{after}:")).unwrap_or(0);
    let mut offset = 0;
    for (i, line) in text.lines().enumerate() {
        let line_start = offset;
        offset += line.len() + 1;
        if line_start < start {
            continue;
        }
        let trimmed = line.trim_start().trim_start_matches("- ");
        let bare = trimmed.trim_start_matches(['"', '\'']);
        if bare.starts_with(key) && bare[key.len()..].trim_start_matches(['"', '\'']).starts_with(':') {
            let col = line.len() - trimmed.len() + 1;
            return (Some(i + 1), Some(col));
        }
    }
    (None, None)
}

fn settings(map: std::collections::BTreeMap<String, String>, text: &str) -> Result<Vec<Setting>, ConfigError> {
    let mut out = Vec::new();
    for (name, level) in map {
        if let Err(help) = lint::check_name(&name) {
            let (line, column) = locate(text, "lint", &name);
            return Err(ConfigError {
                message: format!("unknown lint rule or category `{name}`"),
                line,
                column,
                help: Some(help),
            });
        }
        let Some(level) = lint::Level::parse(&level) else {
            let (line, column) = locate(text, "lint", &name);
            return Err(ConfigError {
                message: format!("unknown level `{level}` for `{name}`"),
                line,
                column,
                help: Some("use off, warn or error".into()),
            });
        };
        out.push(Setting { name, level });
    }
    Ok(out)
}

fn lint_options(raw: RawLint, text: &str) -> Result<LintOptions, ConfigError> {
    let mut o = LintOptions::default();
    let err = |m: String, key: &str, h: &str| {
        let (line, column) = locate(text, "lint", key);
        ConfigError { message: m, line, column, help: Some(h.into()) }
    };
    if let Some(p) = raw.preset {
        o.preset = Preset::parse(&p)
            .ok_or_else(|| err(format!("unknown lint preset `{p}`"), "preset", "use minimal, recommended or strict"))?;
    }
    if let Some(c) = raw.field_case {
        o.field_case = FieldCase::parse(&c).ok_or_else(|| {
            err(
                format!("unknown field case `{c}`"),
                "field_case",
                "use consistent (the style most field names of the schemas use), snake or camel",
            )
        })?;
    }
    if let Some(f) = raw.file_name {
        o.file_name = match f.as_str() {
            "loose" => FileNameMatch::Loose,
            "strict" => FileNameMatch::Strict,
            _ => return Err(err(format!("unknown file name matching `{f}`"), "file_name", "use loose or strict")),
        };
    }
    if let Some(n) = raw.max_nesting {
        if n == 0 {
            return Err(err(
                "`lint.max_nesting` must be at least 1".into(),
                "max_nesting",
                "remove it to use the default of 5",
            ));
        }
        o.max_nesting = n as usize;
    }
    o.settings = settings(raw.rules.unwrap_or_default(), text)?;
    for ov in raw.overrides.unwrap_or_default() {
        o.overrides.push((ov.paths, settings(ov.rules, text)?));
    }
    Ok(o)
}

fn registry_config(r: RawRegistry, text: &str) -> Result<RegistryConfig, ConfigError> {
    let mut c = RegistryConfig::default();
    let err = |m: String, key: &str, h: &str| {
        let (line, column) = locate(text, "registry", key);
        ConfigError { message: m, line, column, help: Some(h.into()) }
    };
    c.url = r.url;
    for (dst, src, key) in [
        (&mut c.username_env, r.username_env, "username_env"),
        (&mut c.password_env, r.password_env, "password_env"),
        (&mut c.token_env, r.token_env, "token_env"),
    ] {
        if let Some(v) = src {
            if v.is_empty() || !v.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
                // The position goes in the message only: a located error shows its line, and
                // that line may hold a secret.
                let at = match locate(text, "registry", key) {
                    (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
                    _ => String::new(),
                };
                return Err(ConfigError {
                    message: format!("`registry.{key}`{at} must name an environment variable, not hold a value"),
                    line: None,
                    column: None,
                    help: Some(
                        "write the variable's name, e.g. REGISTRY_PASSWORD; never put a secret in this file".into(),
                    ),
                });
            }
            *dst = v;
        }
    }
    c.ca_cert = r.ca_cert;
    c.client_cert = r.client_cert;
    c.client_key = r.client_key;
    if c.client_cert.is_some() != c.client_key.is_some() {
        return Err(err(
            "`registry.client_cert` and `registry.client_key` go together".into(),
            "client_cert",
            "set both PEM files for mTLS, or neither",
        ));
    }
    if let Some(t) = r.timeout_seconds {
        if t == 0 || t > 3600 {
            return Err(err(
                format!("`registry.timeout_seconds` must be 1 to 3600, not {t}"),
                "timeout_seconds",
                "remove it to use 30",
            ));
        }
        c.timeout_seconds = t;
    }
    if let Some(n) = r.retries {
        c.retries = n.min(20);
    }
    if let Some(n) = r.max_response_bytes {
        if n < 1024 {
            return Err(err(
                format!("`registry.max_response_bytes` must be at least 1024, not {n}"),
                "max_response_bytes",
                "remove it to use the default of 64 MiB",
            ));
        }
        c.max_response_bytes = n;
    }
    c.normalize = r.normalize.unwrap_or(false);
    c.metadata = r.metadata.unwrap_or(false);
    if let Some(refs) = r.references {
        c.references_as_subjects = match refs.as_str() {
            "subjects" => true,
            "inline" => false,
            _ => {
                return Err(err(
                    format!("unknown `registry.references` mode `{refs}`"),
                    "references",
                    "use subjects or inline",
                ))
            }
        };
    }
    if let Some(s) = r.subject_strategy {
        c.strategy = match s.as_str() {
            "TopicNameStrategy" => Strategy::TopicNameStrategy,
            "RecordNameStrategy" => Strategy::RecordNameStrategy,
            "TopicRecordNameStrategy" => Strategy::TopicRecordNameStrategy,
            _ => {
                let m = did_you_mean(&s, ["TopicNameStrategy", "RecordNameStrategy", "TopicRecordNameStrategy"]);
                return Err(err(
                    format!("unknown subject strategy `{s}`"),
                    "subject_strategy",
                    &m.map(|m| format!("did you mean `{m}`?")).unwrap_or_else(|| {
                        "use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy".into()
                    }),
                ));
            }
        };
    }
    c.context =
        r.context.map(|x| x.trim_start_matches(':').trim_end_matches(':').to_string()).filter(|x| !x.is_empty());
    for (topic, t) in r.topics.unwrap_or_default() {
        let values = match t.value {
            None => Vec::new(),
            Some(OneOrMany::One(v)) => vec![v],
            Some(OneOrMany::Many(v)) => v,
        };
        c.topics.push((topic, values, t.key));
    }
    c.subjects = r.subjects.unwrap_or_default().into_iter().collect();
    Ok(c)
}

fn yaml_error(e: serde_saphyr::Error) -> ConfigError {
    let loc = e.location();
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    // serde-saphyr prefixes "error: line L column C: "; keep only the message.
    let message = match first.find(": ").map(|i| &first[i + 2..]) {
        Some(rest) if first.starts_with("error: line ") => rest.split_once(": ").map(|(_, m)| m).unwrap_or(rest),
        _ => first,
    }
    .to_string();
    let help = if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = rest
            .split_once("expected one of ")
            .map(|(_, l)| l.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        let expected_single: Vec<&str> =
            rest.split_once("expected ").map(|(_, l)| vec![l.trim_matches('`')]).unwrap_or_default();
        let options = if expected.is_empty() { expected_single } else { expected };
        match did_you_mean(field, options.iter().copied()) {
            Some(s) => Some(format!("did you mean `{s}`?")),
            None => Some(format!("valid keys here: {}", options.join(", "))),
        }
    } else if message.starts_with("duplicate mapping key") {
        Some("remove one of the two entries".to_string())
    } else {
        Some("see docs/config.md for every key and its type".to_string())
    };
    let message = plain(&message.replace(", set DuplicateKeyPolicy in Options if acceptable", ""));
    ConfigError {
        message,
        line: loc.as_ref().map(|l| l.line() as usize).filter(|&l| l > 0),
        column: loc.as_ref().map(|l| l.column() as usize).filter(|&c| c > 0),
        help,
    }
}

/// The YAML reader's wording for a value of the wrong type, in the config's terms (no Rust
/// type names such as `Option<String>` or `u64`).
fn plain(message: &str) -> String {
    fn kind(t: &str) -> &'static str {
        match t.trim().trim_matches('`').to_ascii_lowercase().as_str() {
            "string" | "str" | "string scalar" | "a string" => "a text value",
            "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" | "integer" => "a whole number (0 or more)",
            "bool" | "boolean" | "a boolean" => "true or false",
            "sequence" | "sequence start" | "a sequence" | "vec" => "a list",
            "mapping" | "mapping start" | "map" | "a map" | "struct" => "a mapping of keys to values",
            _ => "",
        }
    }
    if let Some(rest) = message.strip_prefix("cannot deserialize null into ") {
        let t = rest.split(';').next().unwrap_or(rest);
        return match kind(t) {
            "" => "this key has no value".to_string(),
            k => format!("this key has no value: expected {k}"),
        };
    }
    if let Some(t) = message.strip_prefix("invalid ").filter(|t| !kind(t).is_empty()) {
        return format!("expected {} here", kind(t));
    }
    if let Some(t) = message.strip_prefix("expected ").filter(|t| !kind(t).is_empty()) {
        return format!("expected {} here", kind(t));
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let c = parse("version: 1\nschemas:\n  root: avro\n  exclude: [\"legacy/**\"]\nlimits:\n  max_file_bytes: 1000\n  max_nesting_depth: 50\n").unwrap();
        assert_eq!(c.schema_root, "avro");
        assert_eq!(c.exclude, ["legacy/**"]);
        assert_eq!(c.limits.max_bytes, 1000);
        assert_eq!(c.limits.max_depth, 50);
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(parse("# only a comment\n").unwrap(), Config::default());
    }

    #[test]
    fn unknown_keys_get_a_did_you_mean_and_a_position() {
        let e = parse("version: 1\nschemas:\n  roots: x\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(3)));
        assert!(e.message.contains("unknown field `roots`"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean `root`?"));
        let e = parse("limit:\n  max_file_bytes: 1\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `limits`?"));
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(parse("version: 2\n").is_err());
        assert!(parse("version: x\n").unwrap_err().line == Some(1));
        assert!(parse("schemas: 5\n").is_err());
        assert!(parse("schemas:\n  root: ''\n").is_err());
        assert!(parse("limits:\n  max_nesting_depth: 0\n").is_err());
        assert!(parse("limits:\n  max_nesting_depth: 100000\n").is_err());
        assert!(parse("version: 1\nversion: 1\n").is_err());
        assert!(parse("a: [\n").is_err());
    }

    #[test]
    fn wrong_and_missing_values_say_what_is_expected_where() {
        for (yaml, want, line) in [
            ("schemas:\n  exclude: [a, null]\n", "this key has no value: expected a text value", 2),
            ("lint:\n  rules:\n    docs:\n", "this key has no value: expected a text value", 3),
            ("registry:\n  retries: -1\n", "expected a whole number (0 or more) here", 2),
            ("registry:\n  url: [a]\n", "expected a text value here", 2),
            ("schemas: []\n", "expected a mapping of keys to values here", 1),
            ("schemas:\n  exclude: x\n", "expected a list here", 2),
        ] {
            let e = parse(yaml).unwrap_err();
            assert_eq!(e.message, want, "{yaml}");
            assert!(!e.message.contains("Option<") && !e.message.contains("u32"), "{}", e.message);
            assert_eq!(e.line, Some(line), "{yaml}");
        }
        let e = parse("version: 1\nregistry:\n  password_env: \"hunter2 secret\"\n").unwrap_err();
        assert!(e.message.contains("(line 3, column 3)"), "{}", e.message);
        assert!(!e.message.contains("hunter2") && e.line.is_none(), "the line with the secret is not shown");
        assert!(parse("registry:\n  max_response_bytes: 10\n").is_err());
        assert_eq!(parse("registry:\n  max_response_bytes: 2048\n").unwrap().registry.max_response_bytes, 2048);
        assert_eq!(parse("").unwrap().registry.max_response_bytes, DEFAULT_MAX_RESPONSE_BYTES);
    }

    #[test]
    fn yaml_bombs_are_refused() {
        let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        assert!(parse(&bomb).is_err());
    }

    #[test]
    fn compatibility_levels_and_overrides() {
        let c = parse(
            "compatibility:\n  level: full_transitive\n  subjects:\n    com.acme.cdc.**: NONE\n    com.acme.cdc.mysql.Source: BACKWARD\n  paths:\n    \"legacy/**\": FORWARD\ngit:\n  base_branch: trunk\n",
        )
        .unwrap();
        assert_eq!(c.level, Level::FullTransitive);
        assert_eq!(c.level_for("com.acme.cdc.mysql.shop.Orders", "x.avsc"), Level::None);
        assert_eq!(c.level_for("com.acme.cdc.mysql.Source", "x.avsc"), Level::Backward);
        assert_eq!(c.level_for("com.acme.Pay", "legacy/a/Pay.avsc"), Level::Forward);
        assert_eq!(c.level_for("com.acme.Pay", "Pay.avsc"), Level::FullTransitive);
        // A top level that is not named matches path overrides only, never `**`-style names.
        assert_eq!(c.level_for("", "legacy/a/events.avsc"), Level::Forward);
        assert_eq!(c.level_for("", "events.avsc"), Level::FullTransitive);
        assert_eq!(c.base_branch.as_deref(), Some("trunk"));
        let e = parse("compatibility:\n  level: BACKWARDS\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `BACKWARD`?"));
        assert_eq!(parse("").unwrap().level, Level::Backward);
        let c = parse("compatibility:\n  level: FULL\n  subjects:\n    \"**\": NONE\n").unwrap();
        assert_eq!(c.level_for("com.acme.Pay", "Pay.avsc"), Level::None);
        assert_eq!(c.level_for("", "events.avsc"), Level::Full);
    }

    #[test]
    fn lint_settings_are_checked_by_name() {
        let c = parse("lint:\n  preset: strict\n  field_case: camelCase\n  max_nesting: 3\n  rules:\n    docs: off\n    float-for-money: warn\n  overrides:\n    - paths: [\"legacy/**\"]\n      rules:\n        naming: off\n").unwrap();
        assert_eq!(c.lint.preset, Preset::Strict);
        assert_eq!(c.lint.field_case, FieldCase::Camel);
        assert_eq!(parse("").unwrap().lint.field_case, FieldCase::Consistent);
        assert_eq!(parse("lint:\n  field_case: snake\n").unwrap().lint.field_case, FieldCase::Snake);
        assert_eq!(parse("lint:\n  field_case: snake_case\n").unwrap().lint.field_case, FieldCase::Snake);
        assert_eq!(parse("lint:\n  field_case: camel\n").unwrap().lint.field_case, FieldCase::Camel);
        assert!(parse("lint:\n  field_case: kebab\n").is_err());
        assert_eq!(parse("").unwrap().lint.file_name, FileNameMatch::Loose);
        assert_eq!(parse("lint:\n  file_name: strict\n").unwrap().lint.file_name, FileNameMatch::Strict);
        assert!(parse("lint:\n  file_name: exact\n").is_err());
        assert_eq!(c.lint.max_nesting, 3);
        assert_eq!(c.lint.settings.len(), 2);
        assert_eq!(c.lint.overrides[0].0, ["legacy/**"]);
        let e = parse("version: 1\nlint:\n  rules:\n    float-for-mony: error\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `float-for-money`?"));
        assert_eq!((e.line, e.column), (Some(4), Some(5)));
        let e = parse("lint:\n  rules:\n    docs: loud\n").unwrap_err();
        assert!(e.message.contains("unknown level"), "{}", e.message);
        assert!(parse("lint:\n  preset: lax\n").is_err());
        assert!(parse("lint:\n  presets: strict\n").unwrap_err().help.unwrap().contains("preset"));
    }

    #[test]
    fn metadata_is_checked_and_reaches_lint() {
        let c = parse("metadata:\n  teams:\n    pay: {contact: x}\n  schemas:\n    com.acme.**:\n      owner: pay\n")
            .unwrap();
        assert!(c.metadata.declared && c.lint.metadata.declared);
        assert_eq!(c.metadata.for_name("com.acme.Payment").owner.as_deref(), Some("pay"));
        assert!(!parse("").unwrap().metadata.declared);
        let e = parse("metadata:\n  teams:\n    pay: {}\n  schemas:\n    a.B: {owner: pai}\n").unwrap_err();
        assert_eq!((e.line, e.column, e.help.as_deref()), (Some(5), Some(18), Some("did you mean `pay`?")));
        let e = parse("metadata:\n  schemas:\n    a.B:\n      ownr: x\n").unwrap_err();
        assert_eq!((e.line, e.help.as_deref()), (Some(4), Some("did you mean `owner`?")));
    }

    #[test]
    fn registry_metadata_is_off_unless_set() {
        assert!(!parse("").unwrap().registry.metadata);
        assert!(!parse("registry:\n  metadata: false\n").unwrap().registry.metadata);
        assert!(parse("registry:\n  metadata: true\n").unwrap().registry.metadata);
        assert!(parse("registry:\n  metadata: yes please\n").is_err());
        let e = parse("registry:\n  metadat: true\n").unwrap_err();
        assert!(e.help.unwrap_or_default().contains("metadata"), "{}", e.message);
    }
}
