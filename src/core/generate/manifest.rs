//! The record of what one `generate` run wrote into `--out`, one per package and target
//! (`<out>/.schemapipe-generated-<package>-<target>.json`): each file's path relative to
//! `--out` and the SHA-256 of its text. The next run removes as stale only what the previous
//! manifest lists and this run no longer generates, and only while its content still has the
//! recorded hash (a file modified by hand is kept and reported). Files are never judged by
//! their contents alone: a hand-written file with the generated-file marker, or another
//! package's files in the same `--out`, are never touched.
//!
//! Pure: text in, text out; hashing is by the caller's bytes.

use crate::core::pathname;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// `schemapipe <version>` that wrote it.
    pub generator: String,
    pub target: String,
    pub package: String,
    /// Path relative to `--out` (`/`-separated) -> SHA-256 of the text, lowercase hex.
    pub files: BTreeMap<String, String>,
}

/// The manifest's file name inside `--out`.
pub fn file_name(package: &str, target: &str) -> String {
    format!(".schemapipe-generated-{package}-{target}.json")
}

/// SHA-256 of a file's bytes, lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest of a run that wrote `rendered` (path -> text).
pub fn of(target: &str, package: &str, rendered: &BTreeMap<String, String>) -> Manifest {
    of_hashed(target, package, rendered.iter().map(|(p, t)| (p.clone(), sha256(t.as_bytes()))).collect())
}

/// [`of`] with the SHA-256 of every file computed already (path -> hash).
pub fn of_hashed(target: &str, package: &str, files: BTreeMap<String, String>) -> Manifest {
    Manifest {
        generator: format!("schemapipe {}", env!("CARGO_PKG_VERSION")),
        target: target.to_string(),
        package: package.to_string(),
        files,
    }
}

/// The manifest as written: pretty JSON, sorted paths, a final newline.
pub fn render(m: &Manifest) -> String {
    let mut s = serde_json::to_string_pretty(m).expect("a manifest serializes");
    s.push('\n');
    s
}

/// Reads a manifest and checks it is one this run may act on: the same target and
/// package, and every path a plain relative path inside the package's directory with a
/// SHA-256 hash. A manifest that fails is never acted on (nothing would be removed by it).
pub fn parse(text: &str, target: &str, package: &str) -> Result<Manifest, String> {
    let m: Manifest = serde_json::from_str(text).map_err(|e| format!("not a generate manifest: {e}"))?;
    if m.target != target || m.package != package {
        return Err(format!(
            "it is the manifest of target `{}`, package `{}`, not `{target}`, `{package}`",
            m.target, m.package
        ));
    }
    // `__init__.py` goes in every directory of a dotted package, so its first one bounds.
    let dir = format!("{}/", package.split('.').next().unwrap_or(package));
    for (path, hash) in &m.files {
        pathname::relative(path).map_err(|e| format!("it lists an unsafe path: {e}"))?;
        if !path.starts_with(&dir) {
            return Err(format!("it lists `{path}`, outside the package's directory `{dir}`"));
        }
        if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(format!("the hash of `{path}` is not a SHA-256"));
        }
    }
    Ok(m)
}

/// What a run does to the files of `--out`, given the previous manifest.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Listed before, not generated now: remove each if its content still has the hash.
    pub stale: Vec<(String, String)>,
    /// The manifest to write after the run.
    pub next: Option<Manifest>,
}

/// Compares the previous manifest with what this run generates. `partial` (generating
/// for some schema files only) removes nothing and keeps the previous entries of the
/// files not generated now.
pub fn changes(previous: Option<&Manifest>, now: &Manifest, partial: bool) -> Changes {
    let mut next = now.clone();
    let mut stale = Vec::new();
    if let Some(prev) = previous {
        for (path, hash) in &prev.files {
            if now.files.contains_key(path) {
                continue;
            }
            if partial {
                next.files.insert(path.clone(), hash.clone());
            } else {
                stale.push((path.clone(), hash.clone()));
            }
        }
    }
    Changes { stale, next: Some(next) }
}

/// Whether an existing file where the run writes `path` may be replaced: the previous
/// manifest lists it (a file this package generated, perhaps since edited), or, with no
/// manifest yet (output of a version before manifests), it carries the generated-file
/// marker. Anything else is a file of the user's, which stops the run.
pub fn may_replace(path: &str, previous: Option<&Manifest>, has_marker: bool) -> bool {
    match previous {
        Some(m) => m.files.contains_key(path),
        None => has_marker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    }

    #[test]
    fn round_trips_and_lists_hashes() {
        let m = of("python", "pkg", &rendered(&[("pkg/a.py", "a\n"), ("pkg/__init__.py", "")]));
        assert_eq!(m.files["pkg/__init__.py"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let text = render(&m);
        assert!(text.ends_with("}\n"));
        assert_eq!(parse(&text, "python", "pkg").unwrap(), m);
        assert_eq!(file_name("acme.events", "python"), ".schemapipe-generated-acme.events-python.json");
        let dotted = of("python", "acme.events", &rendered(&[("acme/__init__.py", ""), ("acme/events/a.py", "a")]));
        assert_eq!(parse(&render(&dotted), "python", "acme.events").unwrap(), dotted);
    }

    #[test]
    fn stale_is_what_the_previous_run_listed_and_this_one_does_not_generate() {
        let prev = of("python", "pkg", &rendered(&[("pkg/a.py", "a"), ("pkg/gone.py", "g"), ("pkg/__init__.py", "")]));
        let now = of("python", "pkg", &rendered(&[("pkg/a.py", "a2"), ("pkg/new.py", "n"), ("pkg/__init__.py", "")]));
        let c = changes(Some(&prev), &now, false);
        assert_eq!(c.stale, vec![("pkg/gone.py".to_string(), sha256(b"g"))]);
        assert_eq!(c.next.as_ref().unwrap(), &now);
        // Generating some files only: nothing is stale, the others stay listed.
        let c = changes(Some(&prev), &now, true);
        assert!(c.stale.is_empty());
        assert!(c.next.unwrap().files.contains_key("pkg/gone.py"));
        // No previous manifest: nothing is stale, whatever is in --out.
        assert!(changes(None, &now, false).stale.is_empty());
    }

    #[test]
    fn only_listed_files_may_be_replaced() {
        let prev = of("python", "pkg", &rendered(&[("pkg/a.py", "a")]));
        assert!(may_replace("pkg/a.py", Some(&prev), false));
        assert!(!may_replace("pkg/b.py", Some(&prev), true), "a marker alone is not enough once there is a manifest");
        assert!(may_replace("pkg/b.py", None, true));
        assert!(!may_replace("pkg/b.py", None, false));
    }

    #[test]
    fn a_hostile_or_foreign_manifest_is_refused() {
        let h = sha256(b"x");
        let bad = [
            format!(
                r#"{{"generator":"x","target":"python","package":"pkg","files":{{"pkg/../../etc/passwd":"{h}"}}}}"#
            ),
            format!(r#"{{"generator":"x","target":"python","package":"pkg","files":{{"/etc/passwd":"{h}"}}}}"#),
            format!(r#"{{"generator":"x","target":"python","package":"pkg","files":{{"other/a.py":"{h}"}}}}"#),
            format!(r#"{{"generator":"x","target":"python","package":"pkg","files":{{"pkg//a.py":"{h}"}}}}"#),
            r#"{"generator":"x","target":"python","package":"pkg","files":{"pkg/a.py":"abc"}}"#.to_string(),
            format!(r#"{{"generator":"x","target":"javascript","package":"pkg","files":{{"pkg/a.py":"{h}"}}}}"#),
            format!(r#"{{"generator":"x","target":"python","package":"other","files":{{"pkg/a.py":"{h}"}}}}"#),
            "[]".to_string(),
            "{".to_string(),
        ];
        for b in bad {
            assert!(parse(&b, "python", "pkg").is_err(), "{b}");
        }
    }
}
