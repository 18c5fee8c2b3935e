//! Finding the config, walking the schema root and reading files with limits.
//!
//! The I/O edge between the command line and the pure core.

use crate::core::config::{self, Config, ConfigError};
use crate::core::json::Limits;
use crate::core::load::Input;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// A usage or configuration problem: exit code 2.
#[derive(Debug)]
pub enum UsageError {
    /// Plain message and help.
    Message { message: String, help: Option<String> },
    /// A problem inside the config file, rendered with its source.
    Config(Box<ConfigProblem>),
}

impl UsageError {
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        UsageError::Message { message: message.into(), help: Some(help.into()) }
    }
}

/// A config file that did not parse: its shown path, its text and the error.
#[derive(Debug)]
pub struct ConfigProblem {
    pub path: String,
    pub text: String,
    pub error: ConfigError,
}

/// Where a run happens: the config (if any) and the directories it names.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub cwd: PathBuf,
    /// The config file used, if one was found or given.
    pub config_path: Option<PathBuf>,
    pub config: Config,
    /// The schema root, when there is one (from the config, or `schemas/` in the working directory).
    pub root: Option<PathBuf>,
}

impl Workspace {
    /// Finds the config (`explicit`, else walking up from `cwd`) and the schema root.
    pub fn discover(cwd: &Path, explicit: Option<&Path>) -> Result<Workspace, UsageError> {
        let config_path = match explicit {
            Some(p) => {
                let p = cwd.join(p);
                if !p.is_file() {
                    return Err(UsageError::new(
                        format!("config file `{}` does not exist", p.display()),
                        "pass the path of a schemapipe.yaml, or leave out --config to search for one",
                    ));
                }
                Some(p)
            }
            None => cwd.ancestors().map(|d| d.join(config::FILE_NAME)).find(|p| p.is_file()),
        };
        let mut ws = Workspace { cwd: cwd.to_path_buf(), config_path: None, config: Config::default(), root: None };
        match config_path {
            Some(path) => {
                let bytes = read_limited(&path, 1 << 20).map_err(|e| {
                    UsageError::new(
                        format!("cannot read config `{}`: {e}", path.display()),
                        "check the file's permissions",
                    )
                })?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    UsageError::new(format!("config `{}` is not UTF-8", path.display()), "save it as UTF-8")
                })?;
                let cfg = config::parse(&text).map_err(|error| {
                    UsageError::Config(Box::new(ConfigProblem {
                        path: display_path(cwd, &path),
                        text: text.clone(),
                        error,
                    }))
                })?;
                let base = path.parent().unwrap_or(cwd).to_path_buf();
                let root = base.join(&cfg.schema_root);
                if !root.is_dir() {
                    return Err(UsageError::new(
                        format!(
                            "schema root `{}` (from `{}`) is not a directory",
                            display_path(cwd, &root),
                            display_path(cwd, &path)
                        ),
                        "create it, or set `schemas.root` in the config to the directory holding your .avsc files",
                    ));
                }
                ws.root = Some(root);
                ws.config = cfg;
                ws.config_path = Some(path);
            }
            None => {
                let default_root = cwd.join("schemas");
                if default_root.is_dir() {
                    ws.root = Some(default_root);
                }
            }
        }
        Ok(ws)
    }

    pub fn limits(&self) -> Limits {
        self.config.limits
    }

    /// The schema files of this run: every `.avsc` under the root, plus those under `paths`.
    /// Returns the inputs (sorted, each once) and, per input, whether its findings are reported:
    /// with no `paths` all are; with `paths` only the files under them, though the whole root is
    /// still loaded so names from other files resolve. Paths outside the schema root are checked
    /// on their own.
    pub fn collect(&self, paths: &[PathBuf]) -> Result<(Vec<Input>, Vec<bool>), UsageError> {
        let mut files: Vec<PathBuf> = Vec::new();
        let mut selected: Vec<PathBuf> = Vec::new();
        // The governed set is loaded when the run is about it: no paths, or paths inside (or
        // around) the schema root. Files elsewhere — a draft, a file from another repository —
        // are checked on their own, not mixed into the governed set.
        if let (Some(root), true) = (&self.root, self.about_root(paths)) {
            walk(root, &mut files);
            files.retain(|f| !self.excluded(root, f));
        }
        for p in paths {
            let abs = normalize(&self.cwd.join(p));
            if !abs.exists() {
                return Err(UsageError::new(
                    format!("path `{}` does not exist", p.display()),
                    "pass .avsc files or directories that hold them",
                ));
            }
            if abs.is_dir() {
                let mut under = Vec::new();
                walk(&abs, &mut under);
                selected.extend(under.iter().cloned());
                files.extend(under);
            } else {
                selected.push(abs.clone());
                files.push(abs);
            }
        }
        if self.root.is_none() && paths.is_empty() {
            return Err(UsageError::new(
                "no schemas to check: there is no schemapipe.yaml and no `schemas/` directory here",
                "pass .avsc files or directories, or create schemapipe.yaml with `schemas: {root: <dir>}`",
            ));
        }
        let mut files: Vec<PathBuf> = files.into_iter().map(|f| normalize(&f)).collect();
        files.sort();
        files.dedup();
        let selected: std::collections::HashSet<PathBuf> = selected.into_iter().map(|f| normalize(&f)).collect();
        let limit = self.limits().max_bytes;
        let mut inputs = Vec::with_capacity(files.len());
        let mut report = Vec::with_capacity(files.len());
        for f in &files {
            let name = display_path(&self.cwd, f);
            report.push(paths.is_empty() || selected.contains(f));
            inputs.push(match read_limited(f, limit as u64 + 1) {
                Ok(bytes) => Input { name, bytes, error: None },
                Err(e) => Input { name, bytes: Vec::new(), error: Some(e.to_string()) },
            });
        }
        Ok((inputs, report))
    }

    /// Whether a run on `paths` concerns the governed set: no paths, or one inside (or
    /// around) the schema root.
    pub fn about_root(&self, paths: &[PathBuf]) -> bool {
        let Some(root) = self.root.as_ref().map(|r| normalize(r)) else { return false };
        paths.is_empty()
            || paths.iter().any(|p| {
                let abs = normalize(&self.cwd.join(p));
                abs.starts_with(&root) || root.starts_with(&abs)
            })
    }

    /// Every `.avsc` file under the schema root (absolute paths, sorted, excludes applied).
    pub fn root_files(&self) -> Vec<PathBuf> {
        let Some(root) = &self.root else { return Vec::new() };
        let mut files = Vec::new();
        walk(root, &mut files);
        files.retain(|f| !self.excluded(root, f));
        let mut files: Vec<PathBuf> = files.into_iter().map(|f| normalize(&f)).collect();
        files.sort();
        files
    }

    /// Whether a path relative to the schema root is excluded by the config.
    pub fn excluded_rel(&self, rel: &str) -> bool {
        self.config.exclude.iter().any(|p| config::glob_match(p, rel))
    }

    fn excluded(&self, root: &Path, f: &Path) -> bool {
        let Ok(rel) = f.strip_prefix(root) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.config.exclude.iter().any(|p| config::glob_match(p, &rel))
    }
}

/// Reads at most `limit` bytes, so a huge file costs bounded memory (the core reports it as
/// too large from its length).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let f = std::fs::File::open(path)?;
    if f.metadata()?.is_dir() {
        return Err(std::io::Error::other("it is a directory"));
    }
    let mut buf = Vec::new();
    f.take(limit).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Every `.avsc` file under `dir`, skipping hidden directories and not following symlinked
/// directories (no cycles). Iterative, so deep trees cannot overflow the stack.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            if ft.is_dir() {
                if !hidden {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|x| x == "avsc") && !hidden {
                out.push(path);
            }
        }
    }
}

/// Removes `.` and `..` without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as users see it: relative to the working directory when under it, with `/`.
pub fn display_path(cwd: &Path, p: &Path) -> String {
    let p = normalize(p);
    let shown = p.strip_prefix(normalize(cwd)).map(Path::to_path_buf).unwrap_or(p);
    shown.to_string_lossy().replace('\\', "/")
}
