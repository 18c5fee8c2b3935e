//! File-system helpers the use cases share: atomic writes and paths relative to the schema root.

use crate::workspace::Workspace;
use std::io::Write;
use std::path::Path;

/// Replaces a file's contents all at once: a temporary file beside it, flushed to disk, then
/// renamed over it, so a crash leaves the old or the new file, never half of one.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.schemapipe-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Paths of files relative to the schema root (layout rules, path-based levels, generated
/// headers), whatever directory the command runs in: `names` are as shown, relative to `cwd`.
pub fn rel_paths(ws: &Workspace, cwd: &Path, names: &[String]) -> Vec<Option<String>> {
    let canon = |p: &Path| crate::workspace::normalize(&std::fs::canonicalize(p).unwrap_or(p.to_path_buf()));
    let Some(root) = ws.root.as_deref().map(canon) else { return vec![None; names.len()] };
    let cwd = canon(cwd);
    names
        .iter()
        .map(|n| {
            let abs = crate::workspace::normalize(&cwd.join(n));
            abs.strip_prefix(&root).ok().map(|r| r.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}
