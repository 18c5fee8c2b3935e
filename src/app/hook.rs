//! `hook install` / `hook uninstall`: a plain git pre-commit hook that runs
//! `schemapipe check --staged --against HEAD`, for teams that do not use the pre-commit
//! framework (which uses `.pre-commit-hooks.yaml` instead).
//!
//! The hooks directory is the one git runs hooks from: `core.hooksPath` when set (a relative
//! path is relative to the top of the work tree, `~/` is the home directory), else the `hooks`
//! folder of the repository's common git directory — shared by every linked worktree, so a hook
//! installed from a worktree applies to all of them, as git does.
//!
//! The hook is written whole or not at all: to a temporary file beside it, made executable,
//! then renamed over the destination. An existing hook is replaced only when schemapipe wrote it
//! (it holds [`MARKER`]) or with `force`; `uninstall` removes only a hook holding the marker.

use crate::workspace::UsageError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The line that identifies a hook schemapipe wrote.
pub const MARKER: &str = "# schemapipe-pre-commit-hook: written by `schemapipe hook install`";

/// What the hook runs.
pub const COMMAND: &str = "schemapipe check --staged --against HEAD";

/// The hook script: POSIX sh, no bashisms.
pub fn script() -> String {
    format!(
        "#!/bin/sh\n\
         {MARKER}\n\
         # Before each commit: validate and lint the staged .avsc files and check every staged\n\
         # schema change for compatibility with its versions up to HEAD (schemapipe.yaml levels).\n\
         # Skip it once with `git commit --no-verify`; remove it with `schemapipe hook uninstall`.\n\
         if ! command -v schemapipe >/dev/null 2>&1; then\n\
         \x20 echo 'pre-commit: schemapipe is not on PATH, so the staged schemas cannot be checked.' >&2\n\
         \x20 echo 'pre-commit: install it (cargo install --locked --path <schemapipe checkout>), or skip the check once with git commit --no-verify.' >&2\n\
         \x20 exit 1\n\
         fi\n\
         exec {COMMAND}\n"
    )
}

/// Where git takes the hooks from, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HooksDir {
    pub dir: PathBuf,
    /// `core.hooksPath` as configured, when that is where the directory comes from.
    pub hooks_path: Option<String>,
}

/// What `install` or `uninstall` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// There was no hook: it was written.
    Created,
    /// A hook schemapipe wrote before, with other contents: rewritten.
    Updated,
    /// A hook schemapipe did not write, replaced (`--force`).
    Replaced,
    /// The hook already had exactly these contents.
    Unchanged,
    /// The hook schemapipe wrote was removed.
    Removed,
    /// There was no hook to remove.
    Absent,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Replaced => "replaced",
            Action::Unchanged => "unchanged",
            Action::Removed => "removed",
            Action::Absent => "absent",
        }
    }
}

#[derive(Debug, Clone)]
pub struct HookResult {
    /// The hook file.
    pub path: PathBuf,
    pub hooks: HooksDir,
    pub action: Action,
}

/// The hooks directory of the repository around `cwd`.
pub fn hooks_dir(cwd: &Path) -> Result<HooksDir, UsageError> {
    let repo = git2::Repository::discover(cwd).map_err(|_| {
        UsageError::new(
            format!("`{}` is not inside a git repository", cwd.display()),
            "run `schemapipe hook install` in a clone of your schema repository",
        )
    })?;
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        return Err(UsageError::new(
            "the repository is bare: git runs no pre-commit hook there",
            "install the hook in a clone with a work tree",
        ));
    };
    let configured = repo.config().ok().and_then(|c| match c.get_string("core.hooksPath") {
        Ok(raw) if !raw.trim().is_empty() => Some((raw, c.get_path("core.hooksPath").ok())),
        _ => None,
    });
    match configured {
        Some((raw, expanded)) => {
            let path = expanded.unwrap_or_else(|| PathBuf::from(&raw));
            // A relative hooksPath is relative to where git runs hooks: the top of the work tree.
            let dir = if path.is_absolute() { path } else { workdir.join(path) };
            Ok(HooksDir { dir, hooks_path: Some(raw) })
        }
        None => Ok(HooksDir { dir: repo.commondir().join("hooks"), hooks_path: None }),
    }
}

/// The hook file, and what is there now.
enum Existing {
    None,
    /// Contents of a regular file (or what a symlink points to).
    File(Vec<u8>),
    /// A directory or another non-file.
    Other,
}

fn existing(path: &Path) -> Result<Existing, UsageError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::None),
        Err(e) => return Err(io_error("cannot inspect", path, &e)),
    };
    if meta.is_dir() {
        return Ok(Existing::Other);
    }
    match std::fs::read(path) {
        Ok(b) => Ok(Existing::File(b)),
        // A dangling symlink: a hook that cannot run, but still the user's.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Existing::File(Vec::new())),
        Err(_) if !meta.is_file() && !meta.file_type().is_symlink() => Ok(Existing::Other),
        Err(e) => Err(io_error("cannot read", path, &e)),
    }
}

/// Whether a hook's contents are one schemapipe wrote.
pub fn is_ours(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes).lines().any(|l| l.trim_end() == MARKER)
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> UsageError {
    UsageError::new(
        format!("{what} `{}`: {e}", path.display()),
        "check that the hooks directory exists and is writable by you",
    )
}

/// Writes the hook (see the module documentation).
pub fn install(cwd: &Path, force: bool) -> Result<HookResult, UsageError> {
    let hooks = hooks_dir(cwd)?;
    let path = hooks.dir.join("pre-commit");
    let wanted = script();
    let action = match existing(&path)? {
        Existing::None => Action::Created,
        Existing::File(b) if b == wanted.as_bytes() && is_executable(&path) => {
            return Ok(HookResult { path, hooks, action: Action::Unchanged })
        }
        Existing::File(b) if is_ours(&b) => Action::Updated,
        Existing::File(_) if force => Action::Replaced,
        Existing::File(b) => {
            let framework = String::from_utf8_lossy(&b).contains("pre-commit.com");
            let also = if framework {
                "; it is the pre-commit framework's hook: add schemapipe to .pre-commit-config.yaml instead \
                 (docs/pre-commit.md)"
            } else {
                ", or add the line `schemapipe check --staged --against HEAD` to it yourself"
            };
            return Err(UsageError::new(
                format!("`{}` already exists and was not written by schemapipe; left as it is", path.display()),
                format!("pass --force to replace it{also}"),
            ));
        }
        Existing::Other => {
            return Err(UsageError::new(
                format!("`{}` is a directory or another non-file; left as it is", path.display()),
                "move it out of the way, then run `schemapipe hook install` again",
            ))
        }
    };
    std::fs::create_dir_all(&hooks.dir).map_err(|e| io_error("cannot create", &hooks.dir, &e))?;
    write_atomically(&path, wanted.as_bytes()).map_err(|e| io_error("cannot write", &path, &e))?;
    Ok(HookResult { path, hooks, action })
}

/// Removes the hook when schemapipe wrote it.
pub fn uninstall(cwd: &Path) -> Result<HookResult, UsageError> {
    let hooks = hooks_dir(cwd)?;
    let path = hooks.dir.join("pre-commit");
    match existing(&path)? {
        Existing::None => Ok(HookResult { path, hooks, action: Action::Absent }),
        Existing::File(b) if is_ours(&b) => {
            std::fs::remove_file(&path).map_err(|e| io_error("cannot remove", &path, &e))?;
            Ok(HookResult { path, hooks, action: Action::Removed })
        }
        _ => Err(UsageError::new(
            format!("`{}` was not written by schemapipe; left as it is", path.display()),
            "remove it yourself if you no longer want it",
        )),
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map(|m| m.permissions().mode() & 0o111 == 0o111).unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    true
}

/// Writes `bytes` to a temporary file in `path`'s directory, executable, synced, then renames
/// it over `path`; on any failure the temporary file is removed and `path` is untouched.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".pre-commit.schemapipe-{}.tmp", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o755);
        }
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        #[cfg(unix)]
        {
            // The mode given at creation is reduced by the umask; a hook must be executable.
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o755))?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_marked_and_runs_the_staged_check() {
        let s = script();
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(is_ours(s.as_bytes()));
        assert!(s.lines().any(|l| l == format!("exec {COMMAND}")));
        assert!(!is_ours(b"#!/bin/sh\n# schemapipe check --staged\nexec schemapipe check --staged\n"));
    }
}
