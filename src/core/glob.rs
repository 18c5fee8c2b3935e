//! Path globs for `schemas.exclude`, lint overrides and compatibility overrides.
//!
//! Its own module so that the config and the lint rules both depend on it, not on each other.

/// Matches a path (with `/` separators) against a glob: `*` and `?` stay within one path
/// segment, `**` spans segments. A pattern without a glob character also matches everything
/// under it, so `legacy` excludes `legacy/a/B.avsc`.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        let p = pattern.trim_end_matches('/');
        return path == p || path.starts_with(&format!("{p}/"));
    }
    let pat: Vec<&str> = pattern.split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    // ok[i][j]: pattern segments i.. match path segments j.. (filled from the end, no recursion).
    let mut ok = vec![vec![false; segs.len() + 1]; pat.len() + 1];
    ok[pat.len()][segs.len()] = true;
    for i in (0..pat.len()).rev() {
        for j in (0..=segs.len()).rev() {
            ok[i][j] = if pat[i] == "**" {
                ok[i + 1][j] || (j < segs.len() && ok[i][j + 1])
            } else {
                j < segs.len() && segment_match(pat[i].as_bytes(), segs[j].as_bytes()) && ok[i + 1][j + 1]
            };
        }
    }
    ok[0][0]
}

/// `*` and `?` within one path segment; a single backtrack point keeps it linear.
fn segment_match(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi + 1, si));
            pi += 1;
        } else if pi < p.len() && (p[pi] == s[si] || p[pi] == b'?') {
            pi += 1;
            si += 1;
        } else if let Some((sp, ss)) = star {
            star = Some((sp, ss + 1));
            pi = sp;
            si = ss + 1;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("legacy/**", "legacy/a/B.avsc"));
        assert!(glob_match("legacy", "legacy/a/B.avsc"));
        assert!(!glob_match("legacy", "legacyx/B.avsc"));
        assert!(glob_match("**/*.tmp.avsc", "a/b/c.tmp.avsc"));
        assert!(glob_match("*.avsc", "B.avsc"));
        assert!(!glob_match("*.avsc", "a/B.avsc"));
        assert!(glob_match("a/?.avsc", "a/B.avsc"));
        assert!(!glob_match(&"*a".repeat(20), &"a".repeat(19)));
        assert!(glob_match(&"*a".repeat(20), &"a".repeat(30)));
        assert!(glob_match("**", "x/y.avsc"));
        assert!(glob_match("a/**/b/*.avsc", "a/b/c.avsc"));
        assert!(glob_match("a/**/b/*.avsc", "a/x/y/b/c.avsc"));
    }
}
