//! Finding the config, walking the schema root and reading files with limits.
//!
//! The I/O edge between the command line and the pure core.

use crate::core::config::{self, Config, ConfigError};
use crate::core::finding::Finding;
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

/// The code of the warning given when `schemas.exclude` leaves no file to work on.
pub const NO_FILES_SELECTED: &str = "no-files-selected";

/// The files of a run, as [`Workspace::collect_files`] finds them.
#[derive(Debug)]
pub struct Collected {
    /// What was read of each file (or why it was not), sorted by path.
    pub inputs: Vec<Input>,
    /// Per input, whether its findings are reported.
    pub reported: Vec<bool>,
    /// Per input, its path on disk: absolute, normalized, with its original bytes.
    pub paths: Vec<PathBuf>,
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
                let what = match std::fs::metadata(&p) {
                    Ok(m) if m.is_file() => None,
                    Ok(m) => Some(format!("is {}, not a file", kind_of(&m.file_type()))),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(if p.symlink_metadata().is_ok() {
                        "is a symbolic link to a path that does not exist".to_string()
                    } else {
                        "does not exist".to_string()
                    }),
                    Err(e) => Some(format!("cannot be read: {e}")),
                };
                if let Some(what) = what {
                    return Err(UsageError::new(
                        format!("config file `{}` {what}", p.display()),
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
        let c = self.collect_files(paths)?;
        Ok((c.inputs, c.reported))
    }

    /// [`collect`](Self::collect), with each input's path as it is on disk (absolute; a name
    /// that is not UTF-8 kept byte for byte, where [`Input::name`] shows it lossily).
    pub fn collect_files(&self, paths: &[PathBuf]) -> Result<Collected, UsageError> {
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
            if abs.is_dir() && check_links(&abs, None).is_ok() {
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
        let report = files.iter().map(|f| paths.is_empty() || selected.contains(f)).collect();
        let root = self.root.as_ref().map(|r| normalize(r));
        // Reading is mostly waiting on the file system: every core reads.
        let inputs = crate::core::par::map(&files, |f| {
            let name = display_path(&self.cwd, f);
            // Files under the schema root keep their links inside it.
            let boundary = root.as_deref().filter(|r| f.starts_with(r));
            match read_within(f, limit as u64 + 1, boundary) {
                Ok(bytes) => Input { name, bytes, error: None },
                Err(e) => Input { name, bytes: Vec::new(), error: Some(e.to_string()) },
            }
        });
        Ok(Collected { inputs, reported: report, paths: files })
    }

    /// The directory a write to `file` (absolute, normalized, as collected) must stay in: the
    /// schema root for the files under it, else the enclosing repository or project, else the
    /// file's own directory. The same boundary its links were read within.
    pub fn write_root(&self, file: &Path) -> PathBuf {
        if let Some(root) = self.root.as_ref().map(|r| normalize(r)).filter(|r| file.starts_with(r)) {
            return root;
        }
        enclosing_project(file).or_else(|| file.parent().map(Path::to_path_buf)).unwrap_or_else(|| self.cwd.clone())
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

    /// When the config's `exclude` patterns leave out every `.avsc` file under the schema
    /// root: a warning naming the patterns and the root (a run would otherwise check nothing
    /// and pass). `None` when something is left, or nothing was there to exclude.
    pub fn excluded_everything(&self) -> Option<String> {
        let root = self.root.as_ref()?;
        if self.config.exclude.is_empty() {
            return None;
        }
        let mut files = Vec::new();
        walk(root, &mut files);
        let total = files.len();
        files.retain(|f| !self.excluded(root, f));
        (total > 0 && files.is_empty()).then(|| {
            let patterns: Vec<String> = self.config.exclude.iter().map(|p| format!("`{p}`")).collect();
            let config = match &self.config_path {
                Some(p) => format!(" in `{}`", display_path(&self.cwd, p)),
                None => String::new(),
            };
            format!(
                "`schemas.exclude`{config} ({}) leaves out all {total} .avsc files under `{}`: no file is selected",
                patterns.join(", "),
                display_path(&self.cwd, root)
            )
        })
    }

    /// The `no-files-selected` warning of a run that reports on no file at all because
    /// `schemas.exclude` leaves out every schema file (see
    /// [`excluded_everything`](Self::excluded_everything)); `None` when `reported_any`, or when
    /// the root simply holds no `.avsc` file. A warning: the run still exits 0.
    pub fn no_files_selected(&self, reported_any: bool) -> Option<Finding> {
        if reported_any {
            return None;
        }
        let message = self.excluded_everything()?;
        Some(
            Finding::warning(NO_FILES_SELECTED, message).help(
                "narrow the patterns of `schemas.exclude` in the config, or pass the files to check as arguments",
            ),
        )
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

/// What a path is, in words, when it is not a regular file.
pub fn kind_of(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// A file refused on purpose, with the finding code it is reported under. Its `Display`
/// (`code: reason`) is what [`crate::core::load::Input::error`] carries.
#[derive(Debug)]
pub struct Refusal {
    pub code: &'static str,
    pub reason: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.reason)
    }
}

impl std::error::Error for Refusal {}

/// The codes a file is refused under when reading it, with what to do about each.
pub const REFUSALS: [(&str, &str); 3] = [
    ("symlink-outside-root", "a schema file must be inside the schema root: put the file itself there, not a link"),
    ("symlink-loop", "fix or remove the symbolic link"),
    ("not-a-regular-file", "schema files are regular files: remove or rename it"),
];

/// A read error as carried by [`Input::error`], split into the refusal's code, its reason
/// and its hint, when the file was refused on purpose (see [`Refusal`]).
pub fn refusal_of(error: &str) -> Option<(&'static str, &str, &'static str)> {
    REFUSALS.iter().find_map(|(code, help)| {
        error.strip_prefix(code).and_then(|r| r.strip_prefix(": ")).map(|reason| (*code, reason, *help))
    })
}

fn refuse(code: &'static str, reason: String) -> std::io::Error {
    std::io::Error::other(Refusal { code, reason })
}

/// The directory a path's links must stay in: the nearest enclosing directory holding `.git`
/// or a `schemapipe.yaml` (a repository or a schemapipe project), if any.
fn enclosing_project(abs: &Path) -> Option<PathBuf> {
    abs.ancestors()
        .skip(1)
        .find(|d| d.join(".git").exists() || d.join(config::FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

/// Directories resolved so far in this run, by absolute path: schema files share a few
/// directories, and resolving a path from scratch costs one `readlink` per component.
/// Bounded: cleared when it grows past [`DIR_CACHE_MAX`] entries.
static CANONICAL_DIRS: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<PathBuf, PathBuf>>> =
    std::sync::OnceLock::new();
const DIR_CACHE_MAX: usize = 1 << 14;

/// `std::fs::canonicalize` of a directory, remembered for the rest of the run.
fn canonical_dir(dir: &Path) -> std::io::Result<PathBuf> {
    let cache = CANONICAL_DIRS.get_or_init(Default::default);
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(dir).cloned()) {
        return Ok(c);
    }
    let c = std::fs::canonicalize(dir)?;
    if let Ok(mut m) = cache.lock() {
        if m.len() >= DIR_CACHE_MAX {
            m.clear();
        }
        m.insert(dir.to_path_buf(), c.clone());
    }
    Ok(c)
}

/// Checks that `path`, after following every symbolic link in it, stays inside `boundary`
/// (by default the enclosing repository or project). A link loop or a link leading outside is
/// refused, naming the link, never reading the target.
pub fn check_links(path: &Path, boundary: Option<&Path>) -> std::io::Result<()> {
    resolve_links(path, boundary).map(drop)
}

/// [`check_links`], returning the file's own `lstat` when it is not itself a link (its parent
/// directory is then resolved once per run, not once per file).
fn resolve_links(path: &Path, boundary: Option<&Path>) -> std::io::Result<Option<std::fs::Metadata>> {
    let abs = if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&std::env::current_dir().unwrap_or_default().join(path))
    };
    let own = abs.symlink_metadata().ok().filter(|m| !m.file_type().is_symlink());
    let resolved = match (&own, abs.parent(), abs.file_name()) {
        (Some(_), Some(dir), Some(name)) => canonical_dir(dir).map(|d| d.join(name)),
        _ => std::fs::canonicalize(&abs),
    };
    let canon = match resolved {
        Ok(c) => c,
        Err(e) if e.raw_os_error() == Some(40) || e.to_string().to_ascii_lowercase().contains("symbolic links") => {
            return Err(refuse("symlink-loop", "it is a symbolic link that loops (it never reaches a file)".into()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && abs.symlink_metadata().is_ok() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "it is a symbolic link to a path that does not exist",
            ))
        }
        Err(e) => return Err(e),
    };
    if canon == abs {
        return Ok(own);
    }
    let Some(boundary) = boundary.map(Path::to_path_buf).or_else(|| enclosing_project(&abs)) else { return Ok(own) };
    let inside = std::fs::canonicalize(&boundary).map(|b| canon.starts_with(b)).unwrap_or(false);
    if inside {
        Ok(own)
    } else {
        Err(refuse(
            "symlink-outside-root",
            format!(
                "it is a symbolic link (or under one) leading outside `{}`, to `{}`; not read",
                boundary.display(),
                canon.display()
            ),
        ))
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd"))]
const O_NONBLOCK: i32 = 0x4;

/// Opens a file without waiting on it: a FIFO swapped in after the type check would
/// otherwise block the open until a writer appears.
fn open_no_wait(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(all(
        unix,
        any(
            target_os = "linux",
            target_os = "android",
            target_os = "macos",
            target_os = "ios",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd"
        )
    ))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(O_NONBLOCK);
    }
    o.open(path)
}

/// Reads a regular file, at most `limit` bytes, so a huge file costs bounded memory (the core
/// reports it as too large from its length). Anything else (FIFO, socket, device, directory)
/// is refused before it is opened, and the opened handle is checked again; symbolic links
/// must stay inside the enclosing repository (see [`check_links`]).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    read_within(path, limit, None)
}

/// [`read_limited`] with the links kept inside `boundary`.
pub fn read_within(path: &Path, limit: u64, boundary: Option<&Path>) -> std::io::Result<Vec<u8>> {
    let own = resolve_links(path, boundary)?;
    let not_regular = |ft: &std::fs::FileType| {
        refuse("not-a-regular-file", format!("it is {}, not a regular file; not read", kind_of(ft)))
    };
    let meta = match own {
        Some(m) => m,
        None => std::fs::metadata(path)?,
    };
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    let f = open_no_wait(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    // Sized from the length up front: one read for the bytes and one for the end, where
    // growing from empty costs a read per doubling. A file grown since is still cut at `limit`.
    let mut buf = Vec::with_capacity(meta.len().min(limit).saturating_add(1).min(1 << 26) as usize);
    f.take(limit).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Every `.avsc` file under `dir`, skipping hidden directories. Symbolic links to
/// directories are not followed (no cycles; one inside the tree is walked where it really is):
/// one leading outside the tree is listed, so that reading it reports where it leads.
/// Anything named `.avsc` that is not a file (a directory, a FIFO) is listed too, to be
/// reported. Iterative, so deep trees cannot overflow the stack.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let top = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
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
            let avsc = path.extension().is_some_and(|x| x == "avsc");
            if hidden {
                continue;
            }
            if ft.is_dir() && !avsc {
                stack.push(path);
            } else if ft.is_symlink() && !avsc {
                // A linked directory: walked where it is when inside; reported when outside.
                let target = std::fs::canonicalize(&path);
                let outside = target.as_ref().map(|t| !t.starts_with(&top)).unwrap_or(true);
                if std::fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false) && outside {
                    out.push(path);
                }
            } else if avsc {
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
