//! The use cases: one module per command. Each takes plain options and returns a typed result
//! (findings with their sources, plans, generated files); the command line renders it. This is
//! where the file system ([`crate::workspace`]), git ([`crate::git`]), the registry client
//! ([`crate::registry`]) and the templates meet the pure [`crate::core`].

pub mod catalog;
pub mod check;
pub mod check_registry;
pub mod compat;
pub mod decode;
pub mod diff;
pub mod encode;
pub mod files;
pub mod fingerprint;
pub mod fmt;
pub mod generate;
pub mod governed;
pub mod hook;
pub mod init;
pub mod layout;
pub mod lint;
pub mod publish;
pub mod pull;
pub mod remote;
pub mod rules;
pub mod sample;
pub mod samples;
pub mod validate;

use crate::core::finding::Finding;
use crate::core::source::{FileId, SourceMap};
use crate::workspace::{UsageError, Workspace};
use std::path::PathBuf;

/// What every use case is run in: the working directory, an explicit config file, and whether
/// to trace what was loaded (to stderr).
#[derive(Clone, Debug)]
pub struct Env {
    pub cwd: PathBuf,
    pub config: Option<PathBuf>,
    pub verbose: bool,
}

impl Env {
    /// The workspace: schemapipe.yaml (found upwards, or the explicit one) and the schema root.
    pub fn workspace(&self) -> Result<Workspace, UsageError> {
        Workspace::discover(&self.cwd, self.config.as_deref())
    }

    /// A line of `--verbose` tracing on stderr.
    pub fn trace(&self, line: impl FnOnce() -> String) {
        if self.verbose {
            eprintln!("{}", line());
        }
    }
}

/// Findings about a set of files: what every checking command returns.
pub struct Findings {
    pub sources: SourceMap,
    /// Unsorted; reporters sort them.
    pub findings: Vec<Finding>,
    /// The files the command reports on (its targets), in load order.
    pub files: Vec<FileId>,
}

/// How a run that talks to a registry ended, beyond its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Clean,
    /// Something was refused or is wrong (exit 1).
    Findings,
    /// The registry could not be reached or failed (exit 3).
    Remote,
}
