//! Init: start a governed schema repository in a directory — schemapipe.yaml, one example event
//! at the path of its full name, the CI pipeline (the same `Jenkinsfile` this repository runs),
//! a pre-commit config and a README on the workflow. Existing files are never overwritten: they
//! are listed as skipped. Outside a git repository a new one is created on `main`, so that
//! `schemapipe check` works at once.

use crate::core::compat::level::Level;
use crate::core::config::Strategy;
use crate::fsguard::{Policy, Transaction};
use crate::workspace::UsageError;
use std::path::{Path, PathBuf};

const CONFIG: &str = include_str!("../../templates/init/schemapipe.yaml");
const EXAMPLE: &str = include_str!("../../templates/init/ExampleEvent.avsc");
const PRE_COMMIT: &str = include_str!("../../templates/init/pre-commit-config.yaml");
const README: &str = include_str!("../../templates/init/README.md");
/// The pipeline this repository itself runs, byte for byte.
const JENKINSFILE: &str = include_str!("../../Jenkinsfile");

pub struct InitOptions {
    /// The directory to set up (created if missing).
    pub dir: PathBuf,
    pub strategy: Strategy,
    pub level: Level,
    /// Written as `registry.url`; CI may override it with SCHEMAPIPE_REGISTRY_URL.
    pub registry_url: Option<String>,
    /// Namespace of the example event.
    pub namespace: String,
}

/// What init did.
#[derive(Debug, serde::Serialize)]
pub struct Initialized {
    /// The directory, as given.
    pub dir: String,
    /// Files written, relative to the directory.
    pub created: Vec<String>,
    /// Files that existed and were left as they are.
    pub skipped: Vec<String>,
    /// A git repository was created (the directory was not inside one).
    pub git_init: bool,
}

fn check_namespace(ns: &str) -> Result<(), UsageError> {
    let bad = ns.is_empty()
        || ns.split('.').any(|part| {
            let mut c = part.chars();
            !c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                || !c.all(|x| x.is_ascii_alphanumeric() || x == '_')
        });
    if bad {
        return Err(UsageError::new(
            format!("`{ns}` is not an Avro namespace"),
            "use dot-separated names of letters, digits and _, each starting with a letter or _ (com.example.events)",
        ));
    }
    Ok(())
}

/// The files init writes, relative to the directory, with their contents.
pub fn files(opts: &InitOptions) -> Result<Vec<(String, String)>, UsageError> {
    check_namespace(&opts.namespace)?;
    let url_line = match &opts.registry_url {
        Some(u) => {
            crate::registry::check_url(u).map_err(|m| UsageError::new(m, "pass --registry-url http(s)://host:port"))?;
            if u.contains('@') {
                return Err(UsageError::new(
                    "the registry URL holds credentials",
                    "credentials go into the environment variables named by registry.username_env/password_env, never into schemapipe.yaml",
                ));
            }
            // A JSON string is a YAML double-quoted scalar: any URL stays one value.
            format!("  url: {}", serde_json::to_string(u).expect("a string serializes"))
        }
        None => "  # url: http://localhost:8081".to_string(),
    };
    let strategy = match opts.strategy {
        Strategy::TopicNameStrategy => "TopicNameStrategy",
        Strategy::RecordNameStrategy => "RecordNameStrategy",
        Strategy::TopicRecordNameStrategy => "TopicRecordNameStrategy",
    };
    let full_name = format!("{}.ExampleEvent", opts.namespace);
    let topics = match opts.strategy {
        Strategy::RecordNameStrategy => String::new(),
        _ => format!(
            "  # The topic strategies need each topic's value (and key) schema.\n  topics:\n    example-events: {{value: {full_name}}}\n"
        ),
    };
    let config = CONFIG
        .replace("{{level}}", opts.level.as_str())
        .replace("{{url_line}}", &url_line)
        .replace("{{strategy}}", strategy)
        .replace("{{topics}}", &topics);
    let example = EXAMPLE.replace("{{namespace}}", &opts.namespace);
    let example_path = format!("schemas/{}/ExampleEvent.avsc", opts.namespace.replace('.', "/"));
    Ok(vec![
        ("schemapipe.yaml".into(), config),
        (example_path, example),
        ("Jenkinsfile".into(), JENKINSFILE.to_string()),
        (".pre-commit-config.yaml".into(), PRE_COMMIT.to_string()),
        ("README.md".into(), README.to_string()),
    ])
}

pub fn init(cwd: &Path, opts: &InitOptions) -> Result<Initialized, UsageError> {
    let planned = files(opts)?;
    let dir = cwd.join(&opts.dir);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if !m.is_dir() => {
            return Err(UsageError::new(
                format!("`{}` exists and is not a directory", opts.dir.display()),
                "name a new or existing directory",
            ))
        }
        Ok(_) => {}
        Err(_) => std::fs::create_dir_all(&dir).map_err(|e| {
            UsageError::new(format!("cannot create `{}`: {e}", opts.dir.display()), "check the path and permissions")
        })?,
    }
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    let mut tx = Transaction::new(&dir, Policy::AllOrNothing);
    for (rel, text) in planned {
        // Anything at the path — a file, a link, a directory — is the user's: left alone.
        if std::fs::symlink_metadata(dir.join(&rel)).is_ok() {
            skipped.push(rel);
        } else {
            tx.put(&rel, text.into_bytes());
            created.push(rel);
        }
    }
    tx.commit().map_err(|f| UsageError::new(f.to_string(), "nothing was written; fix the cause and run init again"))?;
    let git_init = crate::git::init_if_outside(&dir)?;
    Ok(Initialized { dir: opts.dir.display().to_string(), created, skipped, git_init })
}
