//! Relative paths built from names that come from outside: registry subjects and full names
//! (`pull`), schema names, namespaces and `--package` (`generate`).
//!
//! A name is turned into path segments, and every segment must be one plain file name: not
//! empty, not `.` or `..`, no `/`, `\` or NUL inside, no Windows drive prefix (`C:`), at most
//! 255 bytes (NAME_MAX), and the whole path at most 4096 bytes (PATH_MAX). Anything else is
//! refused with an error naming the name and the segment, never cleaned up silently: a name
//! that does not map to a file one-to-one would make two names share a file.
//!
//! Windows also reserves device names (`CON`, `PRN`, `AUX`, `NUL`, `COM1`-`COM9`,
//! `LPT1`-`LPT9`, with any extension) and refuses trailing dots and spaces; schemapipe runs on
//! Unix file systems and does not refuse those here.
//!
//! Pure: no file system access. The checks at write time (symlinks, the canonical root) are in
//! [`crate::fsguard`].

use std::fmt;

/// Longest file name (one segment) in bytes: NAME_MAX on Linux and macOS.
pub const NAME_MAX: usize = 255;
/// Longest path in bytes: PATH_MAX on Linux.
pub const PATH_MAX: usize = 4096;

/// Why a name cannot become a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathNameError {
    /// The whole name as given (`../../tmp/x`, `com..acme.Order`).
    pub name: String,
    /// The offending segment (empty for an empty segment).
    pub segment: String,
    pub reason: Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Empty,
    Dot,
    DotDot,
    Absolute,
    Separator,
    Backslash,
    Nul,
    DrivePrefix,
    TooLong,
    PathTooLong,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Empty => "is empty (two separators in a row, or one at the start or end)",
            Reason::Dot => "is `.`, which names the directory itself",
            Reason::DotDot => "is `..`, which would leave the directory",
            Reason::Absolute => "is an absolute path",
            Reason::Separator => "contains `/`",
            Reason::Backslash => "contains `\\`, a path separator on Windows",
            Reason::Nul => "contains a NUL byte, which no file name may hold",
            Reason::DrivePrefix => "starts with a Windows drive prefix",
            Reason::TooLong => "is longer than 255 bytes, the longest file name file systems accept",
            Reason::PathTooLong => "makes a path longer than 4096 bytes, the longest path file systems accept",
        }
    }
}

impl fmt::Display for PathNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            Reason::PathTooLong => write!(f, "`{}` {}", escape(&self.name), self.reason.describe()),
            Reason::Absolute => write!(f, "`{}` {}", escape(&self.name), self.reason.describe()),
            _ => write!(
                f,
                "`{}` cannot be a file path: its segment `{}` {}",
                escape(&self.name),
                escape(&self.segment),
                self.reason.describe()
            ),
        }
    }
}

impl std::error::Error for PathNameError {}

/// A name for a message: control characters (NUL included) shown escaped, long names cut.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 120 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&c.escape_default().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Why one segment cannot be a file name, if it cannot. Works on bytes, so that names from
/// the file system that are not UTF-8 are checked the same way.
pub fn check_segment_bytes(seg: &[u8]) -> Result<(), Reason> {
    match seg {
        [] => Err(Reason::Empty),
        b"." => Err(Reason::Dot),
        b".." => Err(Reason::DotDot),
        _ if seg.contains(&0) => Err(Reason::Nul),
        _ if seg.contains(&b'/') => Err(Reason::Separator),
        _ if seg.contains(&b'\\') => Err(Reason::Backslash),
        [d, b':', ..] if d.is_ascii_alphabetic() => Err(Reason::DrivePrefix),
        _ if seg.len() > NAME_MAX => Err(Reason::TooLong),
        _ => Ok(()),
    }
}

/// Checks one segment of `name`.
pub fn check_segment(name: &str, seg: &str) -> Result<(), PathNameError> {
    check_segment_bytes(seg.as_bytes()).map_err(|reason| PathNameError {
        name: name.to_string(),
        segment: seg.to_string(),
        reason,
    })
}

/// Joins segments into a `/`-separated relative path, checking each. `name` is what the
/// segments came from, for the error (a full name, a subject).
pub fn join<S: AsRef<str>>(name: &str, segments: &[S]) -> Result<String, PathNameError> {
    if segments.is_empty() {
        return Err(PathNameError { name: name.to_string(), segment: String::new(), reason: Reason::Empty });
    }
    let mut out = String::new();
    for s in segments {
        check_segment(name, s.as_ref())?;
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(s.as_ref());
    }
    if out.len() > PATH_MAX {
        return Err(PathNameError { name: name.to_string(), segment: String::new(), reason: Reason::PathTooLong });
    }
    Ok(out)
}

/// A relative path given as one string with `/` separators (`com/acme/Order.avsc`), checked
/// segment by segment: absolute paths, `a//b`, `a/./b`, `a/../b` and the rest are refused.
pub fn relative(path: &str) -> Result<String, PathNameError> {
    if path.starts_with('/') {
        return Err(PathNameError { name: path.to_string(), segment: path.to_string(), reason: Reason::Absolute });
    }
    let segments: Vec<&str> = path.split('/').collect();
    join(path, &segments)
}

/// The path of a named type's file: its full name's dot-separated parts as directories, the
/// last one with `extension` (`com.acme.Order` -> `com/acme/Order.avsc`). A namespace `..`, an
/// empty part (`com..acme`, `.Order`) or a part with a separator is refused.
pub fn for_full_name(full_name: &str, extension: &str) -> Result<String, PathNameError> {
    let mut segments: Vec<String> = full_name.split('.').map(str::to_string).collect();
    if let Some(last) = segments.last_mut() {
        check_segment(full_name, last)?;
        last.push('.');
        last.push_str(extension);
    }
    join(full_name, &segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(r: Result<String, PathNameError>) -> Reason {
        r.expect_err("refused").reason
    }

    #[test]
    fn plain_names_join() {
        assert_eq!(join("x", &["com", "acme", "Order.avsc"]).unwrap(), "com/acme/Order.avsc");
        assert_eq!(relative("com/acme/Order.avsc").unwrap(), "com/acme/Order.avsc");
        assert_eq!(for_full_name("com.acme.Order", "avsc").unwrap(), "com/acme/Order.avsc");
        assert_eq!(for_full_name("Order", "avsc").unwrap(), "Order.avsc");
        assert_eq!(relative("café/ünï.avsc").unwrap(), "café/ünï.avsc");
        // A dot inside a segment is fine: only `.` and `..` themselves are not.
        assert_eq!(relative("a/.hidden/..x/x..").unwrap(), "a/.hidden/..x/x..");
    }

    #[test]
    fn hostile_relative_paths_are_refused() {
        assert_eq!(reason(relative("..")), Reason::DotDot);
        assert_eq!(reason(relative("a/../..")), Reason::DotDot);
        assert_eq!(reason(relative("../../../../tmp/x")), Reason::DotDot);
        assert_eq!(reason(relative("/etc/x")), Reason::Absolute);
        assert_eq!(reason(relative("/")), Reason::Absolute);
        assert_eq!(reason(relative("a//b")), Reason::Empty);
        assert_eq!(reason(relative("a/")), Reason::Empty);
        assert_eq!(reason(relative("")), Reason::Empty);
        assert_eq!(reason(relative(".")), Reason::Dot);
        assert_eq!(reason(relative("a/./b")), Reason::Dot);
        assert_eq!(reason(relative("a\0b")), Reason::Nul);
        assert_eq!(reason(relative("a\\..\\b")), Reason::Backslash);
        assert_eq!(reason(relative("C:")), Reason::DrivePrefix);
        assert_eq!(reason(relative("c:x/y")), Reason::DrivePrefix);
        assert_eq!(reason(relative(&"x".repeat(300))), Reason::TooLong);
        assert_eq!(reason(relative(&format!("a/{}/b", "é".repeat(128)))), Reason::TooLong);
        let long = vec!["x".repeat(200); 30].join("/");
        assert_eq!(reason(relative(&long)), Reason::PathTooLong);
    }

    #[test]
    fn hostile_full_names_are_refused() {
        assert_eq!(reason(for_full_name("...x", "avsc")), Reason::Empty);
        assert_eq!(reason(for_full_name("..", "avsc")), Reason::Empty);
        assert_eq!(reason(for_full_name("com..acme.X", "avsc")), Reason::Empty);
        assert_eq!(reason(for_full_name(".X", "avsc")), Reason::Empty);
        assert_eq!(reason(for_full_name("X.", "avsc")), Reason::Empty);
        assert_eq!(reason(for_full_name("../../../../tmp/x", "avsc")), Reason::Separator);
        assert_eq!(reason(for_full_name("a/b.X", "avsc")), Reason::Separator);
        assert_eq!(reason(for_full_name("com.a\\b.X", "avsc")), Reason::Backslash);
        assert_eq!(reason(for_full_name("com.X\0", "avsc")), Reason::Nul);
        assert_eq!(reason(for_full_name(&format!("com.{}", "X".repeat(252)), "avsc")), Reason::TooLong);
        assert_eq!(reason(join("x", &[] as &[&str])), Reason::Empty);
    }

    #[test]
    fn errors_name_the_name_and_the_segment() {
        let e = relative("a/../b").unwrap_err();
        assert_eq!(e.name, "a/../b");
        assert_eq!(e.segment, "..");
        let m = e.to_string();
        assert!(m.contains("`a/../b`") && m.contains("`..`") && m.contains("leave"), "{m}");
        let m = relative("a\0b").unwrap_err().to_string();
        assert!(m.contains("a\\u{0}b") && m.contains("NUL"), "{m}");
    }
}
