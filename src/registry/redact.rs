//! Removing secrets from everything a registry (or the transport to it) says, before any of it
//! reaches a message, a plan, a log line or a report.
//!
//! A [`Redactor`] is built once from the configured credentials and the URL, and the client
//! passes every string it hands out through it: error bodies, transport errors, and every
//! string inside a successful answer (subjects, reasons, schema texts). Callers never see an
//! unredacted registry string, so new call sites are safe by construction.

use super::{Auth, Settings};
use regex_lite::{Captures, Regex};
use serde_json::Value;
use std::sync::LazyLock;

/// What replaces a secret.
pub const MASK: &str = "***";

/// The configured secrets and the patterns of credentials in text.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Literal secrets, longest first (so a secret containing another is replaced whole).
    secrets: Vec<String>,
}

impl Redactor {
    /// Secrets of the settings: the password, the token, `user:password` and its base64
    /// (what a `Basic` header carries), and the same for credentials written in the URL
    /// (raw and percent-decoded).
    pub fn new(settings: &Settings) -> Redactor {
        let mut secrets: Vec<String> = Vec::new();
        let basic = |user: &str, password: &str, secrets: &mut Vec<String>| {
            secrets.push(password.to_string());
            secrets.push(format!("{user}:{password}"));
            secrets.push(base64(&format!("{user}:{password}")));
            // Without padding, as some servers echo it.
            secrets.push(base64(&format!("{user}:{password}")).trim_end_matches('=').to_string());
        };
        match &settings.auth {
            Auth::None => {}
            Auth::Basic { username, password } => basic(username, password.expose(), &mut secrets),
            Auth::Bearer(t) => secrets.push(t.expose().to_string()),
        }
        if let Some((user, password)) = userinfo(&settings.url) {
            basic(&user, &password, &mut secrets);
            let (du, dp) = (percent_decode(&user), percent_decode(&password));
            if (du.as_str(), dp.as_str()) != (user.as_str(), password.as_str()) {
                basic(&du, &dp, &mut secrets);
            }
            if password.is_empty() && !user.is_empty() {
                // `https://TOKEN@host`: the user part is the secret.
                secrets.push(user.clone());
                secrets.push(du);
            }
        }
        // Percent-encoded (either case of hex digit), as a server echoing a query or form value
        // shows it.
        let encoded: Vec<String> =
            secrets.iter().flat_map(|s| [percent_encode(s, false), percent_encode(s, true)]).collect();
        secrets.extend(encoded);
        secrets.retain(|s| !s.is_empty() && s != ":");
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor { secrets }
    }

    /// The text with every configured secret, `Authorization`/`Proxy-Authorization` value,
    /// `Basic`/`Bearer` credential and URL userinfo replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out = header_values(&out);
        out = schemes(&out);
        mask_urls_in(&out)
    }

    /// [`Redactor::redact`] and [`one_line`]: what an error message may show.
    pub fn message(&self, text: &str, max_chars: usize) -> String {
        one_line(&self.redact(text), max_chars)
    }

    /// Every string in a JSON answer (keys too) redacted, control characters replaced (a
    /// schema text keeps its line breaks and tabs).
    pub fn value(&self, v: Value) -> Value {
        self.value_in(v, false)
    }

    fn value_in(&self, v: Value, schema_text: bool) -> Value {
        match v {
            Value::String(s) => Value::String(printable(&self.redact(&s), schema_text)),
            Value::Array(a) => Value::Array(a.into_iter().map(|x| self.value_in(x, false)).collect()),
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, x)| {
                        let is_schema = k == "schema";
                        (printable(&self.redact(&k), false), self.value_in(x, is_schema))
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// Control characters (terminal escapes) replaced by U+FFFD; line breaks and tabs kept with
/// `layout`, else spaces.
fn printable(s: &str, layout: bool) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' if layout => c,
            '\n' | '\t' | '\r' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// One line of at most `max_chars` characters: whitespace runs and control characters become
/// one space; a cut is marked with `…`.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        space = false;
        if count >= max_chars {
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    out
}

/// `Authorization: <anything>` and `Proxy-Authorization: <anything>` (as a header line, a
/// JSON member or `key=value`): the value up to the end of the line or quote becomes `***`.
fn header_values(text: &str) -> String {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)((?:proxy-)?authorization["']?\s*[:=]\s*["']?)([^"'\r\n]*)"#).expect("valid pattern")
    });
    RE.replace_all(
        text,
        |c: &Captures| {
            if c[2].trim().is_empty() {
                c[0].to_string()
            } else {
                format!("{}{MASK}", &c[1])
            }
        },
    )
    .into_owned()
}

/// `Basic <credentials>` and `Bearer <token>` anywhere.
fn schemes(text: &str) -> String {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(basic|bearer|token)(\s+)([A-Za-z0-9+/=._~-]{8,})").expect("valid pattern")
    });
    RE.replace_all(
        text,
        |c: &Captures| {
            if c[3].starts_with(MASK) {
                c[0].to_string()
            } else {
                format!("{}{}{MASK}", &c[1], &c[2])
            }
        },
    )
    .into_owned()
}

/// Every `scheme://user:password@` in free text masked as `scheme://***@`.
fn mask_urls_in(text: &str) -> String {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)\b([a-z][a-z0-9+.-]*://)[^\s"'<>@]*@"#).expect("valid pattern"));
    RE.replace_all(text, |c: &Captures| format!("{}{MASK}@", &c[1])).into_owned()
}

/// The authority's user and password of a URL (with or without a scheme), when it has any.
/// The userinfo ends at the last `@` (a password may hold `@`, `/`, `:`).
pub fn userinfo(url: &str) -> Option<(String, String)> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let at = rest.rfind('@')?;
    let info = &rest[..at];
    Some(match info.split_once(':') {
        Some((u, p)) => (u.to_string(), p.to_string()),
        None => (info.to_string(), String::new()),
    })
}

/// A URL with its userinfo (`user:password@`) replaced by `***@`, whatever it holds (`/`,
/// `@`, percent-escapes), with or without a scheme, for IPv6 hosts too.
pub fn mask_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), url),
    };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}{MASK}@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
fn percent_encode(s: &str, lower: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else if lower {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Standard base64 with padding (what HTTP basic authentication sends).
pub fn base64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.as_bytes().chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Secret;
    use std::time::Duration;

    fn settings(url: &str, auth: Auth) -> Settings {
        Settings {
            url: url.into(),
            auth,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            timeout: Duration::from_secs(1),
            attempts: 1,
            backoff: Duration::from_millis(1),
            normalize: false,
            max_response_bytes: super::super::DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    #[test]
    fn urls_are_masked_in_every_form() {
        for (url, shown) in [
            ("https://user:pw@reg.example:8081/ctx", "https://***@reg.example:8081/ctx"),
            ("http://bob:a/b@host", "http://***@host"),
            ("http://bob:a/b@c@host:8081/x", "http://***@host:8081/x"),
            ("http://bob:p%40ss%2F@host", "http://***@host"),
            ("http://bob:pw@[::1]:8081", "http://***@[::1]:8081"),
            ("bob:pw@host:8081", "***@host:8081"),
            ("https://TOKEN@host", "https://***@host"),
            ("http://localhost:8081", "http://localhost:8081"),
            ("localhost:8081", "localhost:8081"),
        ] {
            assert_eq!(mask_url(url), shown, "{url}");
        }
    }

    #[test]
    fn percent_encoded_secrets_are_redacted() {
        let r = Redactor::new(&settings(
            "http://localhost",
            Auth::Basic { username: "bob".into(), password: Secret::new("Sup3r/S3cret+pw".into()) },
        ));
        let out = r.redact("pw=Sup3r%2FS3cret%2Bpw and pw=Sup3r%2fS3cret%2bpw and bob%3ASup3r%2FS3cret%2Bpw");
        assert!(!out.contains("S3cret"), "{out}");
    }

    #[test]
    fn configured_secrets_and_credentials_in_text_are_redacted() {
        let r = Redactor::new(&settings(
            "http://localhost",
            Auth::Basic { username: "alice".into(), password: Secret::new("hunter2-pw".into()) },
        ));
        let b64 = base64("alice:hunter2-pw");
        let text = format!(
            "echo: Authorization: Basic {b64}\nproxy-authorization=Bearer abc.def.ghi; pw hunter2-pw; {b64}; Bearer eyJhbGciOiJIUzI1NiJ9.x.y; see http://u:p/q@h/x"
        );
        let out = r.redact(&text);
        for leak in ["hunter2-pw", b64.as_str(), "abc.def.ghi", "eyJhbGci", "u:p/q"] {
            assert!(!out.contains(leak), "{leak} in {out}");
        }
        assert!(out.contains("Authorization: ***"), "{out}");
        let v = r.value(serde_json::json!({"message": format!("bad {b64}"), "list": ["hunter2-pw\u{1b}[2J"]}));
        assert_eq!(v["message"], "bad ***");
        assert_eq!(v["list"][0], "***\u{FFFD}[2J");
    }

    #[test]
    fn url_credentials_are_secrets_too() {
        let r = Redactor::new(&settings("http://bob:p%40ss/w@host", Auth::None));
        let out = r.redact("server says: p@ss/w and p%40ss/w and ".to_string().as_str());
        assert!(!out.contains("p@ss/w") && !out.contains("p%40ss/w"), "{out}");
        let b64 = base64("bob:p@ss/w");
        assert!(!r.redact(&b64).contains(&b64));
    }

    #[test]
    fn one_line_is_bounded() {
        assert_eq!(one_line("a\n\n b\tc", 10), "a b c");
        assert_eq!(one_line(&"x".repeat(50), 10), format!("{}…", "x".repeat(10)));
    }
}
