//! A Confluent Schema Registry REST client (v1 media type), also for Karapace, Redpanda and
//! Apicurio's Confluent-compatible API.
//!
//! Blocking reqwest over rustls. Requests that are safe to repeat (all of them here: reads,
//! lookups, compatibility checks, config puts, and registration, which the registry makes
//! idempotent) are retried with exponential backoff and jitter on connection errors, timeouts,
//! HTTP 429 and 5xx. Secrets are a type that never prints, and URLs are masked before they
//! reach any message.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// A password or token: its `Debug` and `Display` print `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: String) -> Self {
        Secret(s)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Basic { username: String, password: Secret },
    Bearer(Secret),
}

/// How to reach the registry.
#[derive(Clone, Debug)]
pub struct Settings {
    pub url: String,
    pub auth: Auth,
    /// PEM file of a CA to trust besides the system roots.
    pub ca_cert: Option<std::path::PathBuf>,
    /// PEM files of a client certificate and key, for mTLS.
    pub client_cert: Option<std::path::PathBuf>,
    pub client_key: Option<std::path::PathBuf>,
    pub timeout: Duration,
    /// Attempts per request (1 = no retry).
    pub attempts: u32,
    /// First backoff; doubled per attempt, with jitter.
    pub backoff: Duration,
    /// Send `normalize=true` with lookups, compatibility checks and registrations. The same
    /// flag on all three keeps a lookup matching what registration stored, so an unchanged
    /// schema is never planned as a new version again and again.
    pub normalize: bool,
}

/// A URL with any `user:password@` replaced by `***@`.
pub fn mask_url(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let host_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..host_end].rfind('@') {
            return format!("{}://***@{}", &url[..scheme_end], &rest[at + 1..]);
        }
    }
    url.to_string()
}

/// Percent-encodes a subject for a URL path: subjects may hold `/`, `:` and contexts.
pub fn encode_subject(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What went wrong talking to the registry.
#[derive(Clone, Debug, PartialEq)]
pub enum RegistryError {
    /// The registry answered with an error.
    Http { status: u16, code: Option<i64>, message: String },
    /// No usable answer (connection refused, timeout, TLS, bad body), after retries.
    Transport(String),
}

impl RegistryError {
    /// The HTTP status, when the registry answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            RegistryError::Http { status, .. } => Some(*status),
            RegistryError::Transport(_) => None,
        }
    }

    pub fn code(&self) -> Option<i64> {
        match self {
            RegistryError::Http { code, status, .. } => code.or(Some(i64::from(*status))),
            RegistryError::Transport(_) => None,
        }
    }

    /// A clear sentence: what failed and what to do.
    pub fn explain(&self) -> (String, String) {
        match self {
            RegistryError::Transport(m) => {
                let lower = m.to_ascii_lowercase();
                let help = if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
                    "the TLS handshake failed: set `registry.ca_cert` to the CA that signed the registry's certificate, and `registry.client_cert` + `registry.client_key` if it asks for one"
                } else {
                    "check the registry URL and that it is up; re-run to continue where this stopped"
                };
                (format!("cannot reach the schema registry: {m}"), help.into())
            }
            RegistryError::Http { status, code, message } => {
                let code = code.unwrap_or(i64::from(*status));
                let (what, todo) = match code {
                    40401 => ("subject not found", "check the subject name and strategy"),
                    40402 => ("version not found", "check the version; it may have been deleted"),
                    40403 => ("schema not found", "the schema is not registered under this subject"),
                    40404 | 40406 => ("subject or version soft-deleted", "restore it or delete it permanently first"),
                    409 | 40901 => ("schema is incompatible with the subject's versions", "fix the change, or change the subject's compatibility level on purpose"),
                    42201 => ("the registry rejects the schema as invalid", "run `schemapipe validate` and fix what it reports"),
                    42202 => ("invalid version", "report this bug"),
                    42203 => ("invalid compatibility level", "use BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE or NONE"),
                    42205 => ("operation not permitted (the registry or subject may be in READONLY or IMPORT mode)", "ask the registry's owners to set the mode to READWRITE"),
                    42206 => ("the schema is referenced by another subject", "delete or update the referencing subjects first"),
                    42209 => ("schema too large for the registry", "split the schema"),
                    401 | 40100..=40199 => ("authentication failed", "check the credentials in SCHEMAPIPE_REGISTRY_USERNAME/PASSWORD or SCHEMAPIPE_REGISTRY_TOKEN (or the variables registry.* names)"),
                    403 | 40300..=40399 => ("not authorized", "ask for write access to these subjects"),
                    404 => ("not found", "check the registry URL (a path prefix or context may be missing)"),
                    429 => ("too many requests", "retry later or lower the concurrency"),
                    50001..=50099 => ("the registry failed internally", "retry; if it persists, check the registry's logs"),
                    _ if *status >= 500 => ("the registry failed", "retry; if it persists, check the registry's logs"),
                    _ => ("request refused", "see the registry's message"),
                };
                (format!("{what} ({code}): {message}"), todo.to_string())
            }
        }
    }

    /// The registry has no such route (404 or 405 without a Schema Registry error code).
    fn route_missing(&self) -> bool {
        matches!(self, RegistryError::Http { status: 404 | 405, code: None | Some(404 | 405), .. })
    }

    fn retryable(&self) -> bool {
        match self {
            // A certificate the client does not trust will not be trusted on the next try.
            RegistryError::Transport(m) => !m.to_ascii_lowercase().contains("certificate"),
            RegistryError::Http { status, .. } if self.unparsable_lookup() => *status == 429,
            RegistryError::Http { status, .. } => *status == 429 || *status >= 500,
        }
    }

    /// Redpanda answers a lookup of a schema it cannot parse with HTTP 500 (Confluent and
    /// Karapace with 422): the same answer comes back on every try.
    fn unparsable_lookup(&self) -> bool {
        matches!(self, RegistryError::Http { status: 500, message, .. }
            if message.to_ascii_lowercase().contains("looking up schema"))
    }
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.explain().0)
    }
}

/// A reference from a schema to another subject's version.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    pub subject: String,
    pub version: i64,
}

/// A schema as the registry holds it.
#[derive(Clone, Debug, Deserialize)]
pub struct Registered {
    #[serde(default)]
    pub subject: String,
    pub id: i64,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub schema: String,
    #[serde(default)]
    pub references: Vec<Reference>,
}

pub struct Client {
    http: reqwest::blocking::Client,
    base: String,
    settings: Settings,
}

const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";
const ACCEPT: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

impl Client {
    pub fn new(settings: Settings) -> Result<Client, String> {
        // reqwest is built without a default TLS provider; install ring once.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = reqwest::blocking::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)));
        if let Some(ca) = &settings.ca_cert {
            let pem = std::fs::read(ca).map_err(|e| format!("cannot read CA certificate `{}`: {e}", ca.display()))?;
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| format!("bad CA certificate `{}`: {e}", ca.display()))?;
            b = b.add_root_certificate(cert);
        }
        if let (Some(cert), Some(key)) = (&settings.client_cert, &settings.client_key) {
            let mut pem =
                std::fs::read(cert).map_err(|e| format!("cannot read client certificate `{}`: {e}", cert.display()))?;
            pem.extend(std::fs::read(key).map_err(|e| format!("cannot read client key `{}`: {e}", key.display()))?);
            let id = reqwest::Identity::from_pem(&pem).map_err(|e| format!("bad client certificate or key: {e}"))?;
            b = b.identity(id);
        }
        let http = b.build().map_err(|e| format!("cannot set up HTTP: {e}"))?;
        let base = settings.url.trim_end_matches('/').to_string();
        Ok(Client { http, base, settings })
    }

    pub fn url_shown(&self) -> String {
        mask_url(&self.base)
    }

    fn once(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<Value, RegistryError> {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method, &url).header("Accept", ACCEPT);
        match &self.settings.auth {
            Auth::None => {}
            Auth::Basic { username, password } => req = req.basic_auth(username, Some(password.expose())),
            Auth::Bearer(t) => req = req.bearer_auth(t.expose()),
        }
        if let Some(b) = body {
            req = req.header("Content-Type", CONTENT_TYPE).body(b.to_string());
        }
        let resp = req.send().map_err(|e| RegistryError::Transport(describe(&e)))?;
        let status = resp.status().as_u16();
        let text = resp.text().map_err(|e| RegistryError::Transport(describe(&e)))?;
        let value: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text.clone()))
        };
        if (200..300).contains(&status) {
            return Ok(value);
        }
        let code = value.get("error_code").and_then(Value::as_i64);
        let message = value.get("message").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| {
            let t: String = text.chars().take(200).collect();
            if t.is_empty() {
                format!("HTTP {status}")
            } else {
                t
            }
        });
        Err(RegistryError::Http { status, code, message })
    }

    /// One request with retries (every request here is safe to repeat).
    fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<Value, RegistryError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.once(method.clone(), path, body) {
                Err(e) if e.retryable() && attempt < self.settings.attempts.max(1) => {
                    let base = self.settings.backoff.as_millis() as u64 * (1u64 << (attempt - 1).min(6));
                    let nanos = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.subsec_nanos())
                        .unwrap_or(0);
                    let jitter = u64::from(nanos) % (base / 2 + 1);
                    std::thread::sleep(Duration::from_millis(base + jitter));
                }
                other => return other,
            }
        }
    }

    pub fn subjects(&self) -> Result<Vec<String>, RegistryError> {
        let v = self.call(reqwest::Method::GET, "/subjects", None)?;
        Ok(v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default())
    }

    /// The live versions of a subject (empty when the subject does not exist).
    pub fn versions(&self, subject: &str) -> Result<Vec<i64>, RegistryError> {
        self.version_list(subject, "")
    }

    /// Every version number a subject holds, soft-deleted ones included. The registry numbers
    /// a new version after the highest of these, so a soft-deleted number is never reused.
    /// Registries without `?deleted=` ignore it and answer with the live versions.
    pub fn versions_including_deleted(&self, subject: &str) -> Result<Vec<i64>, RegistryError> {
        self.version_list(subject, "?deleted=true")
    }

    fn version_list(&self, subject: &str, query: &str) -> Result<Vec<i64>, RegistryError> {
        match self.call(reqwest::Method::GET, &format!("/subjects/{}/versions{query}", encode_subject(subject)), None) {
            Ok(v) => Ok(v.as_array().map(|a| a.iter().filter_map(Value::as_i64).collect()).unwrap_or_default()),
            Err(e) if e.code() == Some(40401) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub fn version(&self, subject: &str, version: &str) -> Result<Registered, RegistryError> {
        let v = self.call(
            reqwest::Method::GET,
            &format!("/subjects/{}/versions/{version}", encode_subject(subject)),
            None,
        )?;
        serde_json::from_value(v).map_err(|e| RegistryError::Transport(format!("unexpected answer: {e}")))
    }

    fn body(schema: &str, refs: &[Reference]) -> Value {
        let mut b = serde_json::json!({ "schema": schema });
        if !refs.is_empty() {
            b["references"] = serde_json::to_value(refs).expect("references serialize");
        }
        b
    }

    /// `?normalize=true` when configured, joined to any other query.
    fn normalized(&self, path: String) -> String {
        match (self.settings.normalize, path.contains('?')) {
            (false, _) => path,
            (true, false) => format!("{path}?normalize=true"),
            (true, true) => format!("{path}&normalize=true"),
        }
    }

    /// The registered version of this exact schema under the subject, if any.
    pub fn lookup(&self, subject: &str, schema: &str, refs: &[Reference]) -> Result<Option<Registered>, RegistryError> {
        match self.call(
            reqwest::Method::POST,
            &self.normalized(format!("/subjects/{}", encode_subject(subject))),
            Some(&Self::body(schema, refs)),
        ) {
            Ok(v) => {
                let reg: Registered = serde_json::from_value(v)
                    .map_err(|e| RegistryError::Transport(format!("unexpected answer: {e}")))?;
                // Confluent also searches other contexts for an unqualified subject and answers
                // with a match there: that is not this subject's version.
                if !reg.subject.is_empty() && reg.subject != subject && reg.subject.trim_start_matches(":.:") != subject
                {
                    return Ok(None);
                }
                Ok(Some(reg))
            }
            Err(e) if matches!(e.code(), Some(40401 | 40403 | 40404)) => Ok(None),
            // Not found as far as publishing goes: registering it will say what the registry
            // cannot parse, as a refusal of this subject.
            Err(e) if e.unparsable_lookup() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Registers a schema; returns its global id.
    pub fn register(&self, subject: &str, schema: &str, refs: &[Reference]) -> Result<i64, RegistryError> {
        let v = self.call(
            reqwest::Method::POST,
            &self.normalized(format!("/subjects/{}/versions", encode_subject(subject))),
            Some(&Self::body(schema, refs)),
        )?;
        v.get("id")
            .and_then(Value::as_i64)
            .ok_or_else(|| RegistryError::Transport("the registry answered without an id".into()))
    }

    /// Whether the schema may be registered under the subject at its level, with the reasons
    /// when not. A subject that does not exist yet accepts anything. `level` is the level the
    /// subject will have when registering (the repository's), when known.
    ///
    /// Asks `POST /compatibility/subjects/{s}/versions` (every version the level requires). A
    /// registry without that route (Karapace, older Confluent) answers 404: then each version
    /// the level requires is checked on its own, which is what that route does.
    pub fn compatible(
        &self,
        subject: &str,
        schema: &str,
        refs: &[Reference],
        level: Option<&str>,
    ) -> Result<(bool, Vec<String>), RegistryError> {
        let path =
            self.normalized(format!("/compatibility/subjects/{}/versions?verbose=true", encode_subject(subject)));
        match self.call(reqwest::Method::POST, &path, Some(&Self::body(schema, refs))) {
            Ok(v) => Ok(verdict(&v)),
            Err(e) if matches!(e.code(), Some(40401 | 40402)) => Ok((true, Vec::new())),
            Err(e) if e.route_missing() => self.compatible_per_version(subject, schema, refs, level),
            Err(e) => Err(e),
        }
    }

    fn compatible_per_version(
        &self,
        subject: &str,
        schema: &str,
        refs: &[Reference],
        level: Option<&str>,
    ) -> Result<(bool, Vec<String>), RegistryError> {
        let versions = self.versions(subject)?;
        let Some(&latest) = versions.iter().max() else { return Ok((true, Vec::new())) };
        let level = match level {
            Some(l) => l.to_string(),
            None => match self.subject_level(subject)? {
                Some(l) => l,
                None => self.global_level()?.unwrap_or_else(|| "BACKWARD".into()),
            },
        };
        let mut against = if level.to_ascii_uppercase().ends_with("_TRANSITIVE") { versions } else { vec![latest] };
        // Newest first. Karapace checks every version at a transitive level whichever one is
        // named, so the same reasons come back for each: each is kept once.
        against.sort_unstable_by(|a, b| b.cmp(a));
        let (mut ok, mut reasons, mut seen) = (true, Vec::new(), std::collections::HashSet::new());
        for v in against {
            let path = self
                .normalized(format!("/compatibility/subjects/{}/versions/{v}?verbose=true", encode_subject(subject)));
            match self.call(reqwest::Method::POST, &path, Some(&Self::body(schema, refs))) {
                Ok(answer) => {
                    let (this_ok, msgs) = verdict(&answer);
                    ok &= this_ok;
                    reasons.extend(
                        msgs.into_iter().filter(|m| seen.insert(m.clone())).map(|m| format!("version {v}: {m}")),
                    );
                }
                // Deleted since it was listed: nothing left to be incompatible with.
                Err(e) if matches!(e.code(), Some(40401 | 40402)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((ok, reasons))
    }

    /// The subject's own compatibility level (`None` when it has none of its own).
    pub fn subject_level(&self, subject: &str) -> Result<Option<String>, RegistryError> {
        match self.call(reqwest::Method::GET, &format!("/config/{}", encode_subject(subject)), None) {
            Ok(v) => Ok(v
                .get("compatibilityLevel")
                .or_else(|| v.get("compatibility"))
                .and_then(Value::as_str)
                .map(str::to_string)),
            Err(e) if matches!(e.code(), Some(40401 | 40408)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn global_level(&self) -> Result<Option<String>, RegistryError> {
        let v = self.call(reqwest::Method::GET, "/config", None)?;
        Ok(v.get("compatibilityLevel").or_else(|| v.get("compatibility")).and_then(Value::as_str).map(str::to_string))
    }

    pub fn set_subject_level(&self, subject: &str, level: &str) -> Result<(), RegistryError> {
        self.call(
            reqwest::Method::PUT,
            &format!("/config/{}", encode_subject(subject)),
            Some(&serde_json::json!({ "compatibility": level })),
        )?;
        Ok(())
    }

    /// Soft-deletes every version of a subject (`DELETE /subjects/{subject}`, never
    /// `permanent=true`): its schemas stay readable by id and the subject can be restored.
    pub fn delete_subject(&self, subject: &str) -> Result<(), RegistryError> {
        self.call(reqwest::Method::DELETE, &format!("/subjects/{}", encode_subject(subject)), None)?;
        Ok(())
    }

    /// The registry's mode (READWRITE, READONLY, IMPORT).
    pub fn mode(&self) -> Result<Option<String>, RegistryError> {
        match self.call(reqwest::Method::GET, "/mode", None) {
            Ok(v) => Ok(v.get("mode").and_then(Value::as_str).map(str::to_string)),
            Err(e) if matches!(e.code(), Some(404 | 40401)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A compatibility answer: `is_compatible` (a missing flag is not a yes: some registries send
/// no reasons) and the reasons, when there are any.
fn verdict(v: &Value) -> (bool, Vec<String>) {
    let ok = v.get("is_compatible").and_then(Value::as_bool).unwrap_or(false);
    let msgs = v
        .get("messages")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|m| m.as_str().map(str::to_string).unwrap_or_else(|| m.to_string())).collect())
        .unwrap_or_default();
    (ok, msgs)
}

/// A transport error without the URL's credentials.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "bad response body"
    } else {
        "request failed"
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = src {
        detail = s.to_string();
        src = s.source();
    }
    let detail = mask_url(&detail);
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_urls_never_print() {
        let s = Secret::new("hunter2".into());
        assert_eq!(format!("{s} {s:?}"), "*** ***");
        let a = Auth::Basic { username: "u".into(), password: s };
        assert!(!format!("{a:?}").contains("hunter2"));
        assert_eq!(mask_url("https://user:pw@reg.example:8081/ctx"), "https://***@reg.example:8081/ctx");
        assert_eq!(mask_url("http://localhost:8081"), "http://localhost:8081");
    }

    #[test]
    fn subjects_are_percent_encoded() {
        assert_eq!(encode_subject("orders-value"), "orders-value");
        assert_eq!(encode_subject(":.ctx:com/acme.X"), "%3A.ctx%3Acom%2Facme.X");
    }

    #[test]
    fn error_codes_get_a_clear_message() {
        let e = RegistryError::Http {
            status: 409,
            code: Some(40901),
            message: "Schema being registered is incompatible".into(),
        };
        assert!(e.explain().0.starts_with("schema is incompatible"));
        let e = RegistryError::Http { status: 422, code: Some(42201), message: "bad".into() };
        assert!(e.explain().1.contains("schemapipe validate"));
        assert!(RegistryError::Http { status: 503, code: Some(50003), message: String::new() }.retryable());
        assert!(!RegistryError::Http { status: 422, code: Some(42201), message: String::new() }.retryable());
    }
}
