//! Where things are in a git work tree: the schema root in it and the working directory, with
//! the path conversions the git-based use cases (`check`, `diff`) share.

use crate::core::load::Input;
use crate::core::par;
use crate::git::GitRepo;
use crate::workspace::{display_path, normalize, read_within, UsageError, Workspace};

/// Work-tree files that could not be read (repository path → why).
pub type Unreadable = std::collections::HashMap<String, String>;

/// Work-tree files as (repository path, bytes), with those that could not be read.
pub type CurrentFiles = (Vec<(String, Vec<u8>)>, Unreadable);
use std::path::{Path, PathBuf};

/// The base shown when the repository has no commits yet (every schema is new).
pub const NO_COMMITS: &str = "no commits yet";

/// Where things are: the work tree, the schema root in it, and the working directory, with
/// the path conversions the git-based commands (`check`, `diff`) share.
pub struct Layout {
    pub workdir: PathBuf,
    pub root_abs: PathBuf,
    /// The schema root relative to the work tree (`schemas`; empty for the work tree itself).
    pub root_rel: String,
    cwd: PathBuf,
}

impl Layout {
    pub fn of(cwd: &Path, ws: &Workspace, repo: &GitRepo) -> Result<Layout, UsageError> {
        let Some(root_abs) = ws.root.clone() else {
            return Err(UsageError::new(
                "no schema root: there is no schemapipe.yaml and no `schemas/` directory here",
                "create schemapipe.yaml with `schemas: {root: <dir>}`",
            ));
        };
        let workdir =
            normalize(&std::fs::canonicalize(repo.workdir()).unwrap_or_else(|_| repo.workdir().to_path_buf()));
        let root_abs = normalize(&std::fs::canonicalize(&root_abs).unwrap_or(root_abs));
        let root_rel = match root_abs.strip_prefix(&workdir) {
            Ok(r) => r.to_string_lossy().replace('\\', "/"),
            Err(_) => {
                return Err(UsageError::new(
                    "the schema root is outside the git repository",
                    "run it inside the repository that holds the schemas",
                ))
            }
        };
        let cwd = normalize(&std::fs::canonicalize(cwd).unwrap_or(cwd.to_path_buf()));
        Ok(Layout { workdir, root_abs, root_rel, cwd })
    }

    /// A work-tree path relative to the schema root (how config patterns see it).
    pub fn rel_to_root(&self, repo_path: &str) -> String {
        repo_path.strip_prefix(&format!("{}/", self.root_rel)).unwrap_or(repo_path).to_string()
    }

    /// A work-tree path as shown to the user: relative to the working directory.
    pub fn shown(&self, repo_path: &str) -> String {
        display_path(&self.cwd, &self.workdir.join(repo_path))
    }

    /// The current schema files (work-tree paths and contents): the index with `staged`, else
    /// the working tree.
    pub fn current_files(&self, ws: &Workspace, repo: &GitRepo, staged: bool) -> Result<CurrentFiles, UsageError> {
        if staged {
            let files = repo
                .index_files(&self.root_rel)?
                .into_iter()
                .filter(|(p, _)| !ws.excluded_rel(&self.rel_to_root(p)))
                .collect();
            return Ok((files, Unreadable::new()));
        }
        // Paths under the root, made repo-relative through the root's own (canonical) place.
        // Files are read as `validate` reads them: regular files only, links kept inside the
        // schema root; a file that cannot be read is kept (empty) with the reason.
        let limits = ws.limits();
        let root_dir = normalize(ws.root.as_deref().unwrap_or(&self.root_abs));
        let paths = ws.root_files();
        // Reading is mostly waiting on the file system: every core reads.
        let read = par::map(&paths, |abs| {
            let under = abs.strip_prefix(&root_dir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            let rel = if self.root_rel.is_empty() { under } else { format!("{}/{under}", self.root_rel) };
            let bytes = read_within(abs, limits.max_bytes as u64 + 1, Some(&root_dir));
            (rel, bytes)
        });
        let mut unreadable = Unreadable::new();
        let files = read
            .into_iter()
            .map(|(rel, bytes)| match bytes {
                Ok(b) => (rel, b),
                Err(e) => {
                    unreadable.insert(rel.clone(), e.to_string());
                    (rel, Vec::new())
                }
            })
            .collect();
        Ok((files, unreadable))
    }

    /// The inputs to validate for `files`, named as shown, with the read errors kept.
    pub fn inputs(&self, files: &[(String, Vec<u8>)], unreadable: &Unreadable) -> Vec<Input> {
        files
            .iter()
            .map(|(p, b)| Input { name: self.shown(p), bytes: b.clone(), error: unreadable.get(p).cloned() })
            .collect()
    }

    /// PATH arguments as work-tree paths (`None`: everything).
    pub fn selection(&self, cwd: &Path, paths: &[PathBuf], staged: bool) -> Result<Option<Vec<String>>, UsageError> {
        if paths.is_empty() {
            return Ok(None);
        }
        let mut v = Vec::new();
        for p in paths {
            let abs = cwd.join(p);
            if !abs.exists() && !staged {
                return Err(UsageError::new(
                    format!("path `{}` does not exist", p.display()),
                    "pass .avsc files or directories under the schema root",
                ));
            }
            let canon = normalize(&std::fs::canonicalize(&abs).unwrap_or(abs));
            v.push(
                canon.strip_prefix(&self.workdir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default(),
            );
        }
        Ok(Some(v))
    }

    pub fn selects(selection: &Option<Vec<String>>, repo_path: &str) -> bool {
        selection
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| repo_path == p || repo_path.starts_with(&format!("{p}/")) || p.is_empty()))
    }
}
