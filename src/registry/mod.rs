//! A Confluent Schema Registry REST client (v1 media type), also for Karapace, Redpanda and
//! Apicurio's Confluent-compatible API.
//!
//! Blocking reqwest over rustls. Requests that are safe to repeat (all of them here: reads,
//! lookups, compatibility checks, config puts, and registration, which the registry makes
//! idempotent) are retried with exponential backoff and jitter on connection errors, timeouts,
//! HTTP 429 and 5xx. Secrets are a type that never prints, and URLs are masked before they
//! reach any message.

mod redact;

pub use redact::{mask_url, one_line, Redactor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::io::Read;
use std::time::Duration;

pub use crate::core::config::DEFAULT_MAX_RESPONSE_BYTES;

/// How much of an error body a message shows (one line).
const EXCERPT_CHARS: usize = 200;
/// How much of a registry's own error message (`message` of its JSON) is shown (one line).
const MESSAGE_CHARS: usize = 2000;

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
    /// The largest answer body read; a larger one is refused (not read into memory).
    pub max_response_bytes: u64,
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
    /// An answer no retry will change: not from a Schema Registry, too large, or a URL that
    /// cannot be requested. Message and help, already redacted.
    Unusable { message: String, help: String },
}

impl RegistryError {
    /// The HTTP status, when the registry answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            RegistryError::Http { status, .. } => Some(*status),
            RegistryError::Transport(_) | RegistryError::Unusable { .. } => None,
        }
    }

    pub fn code(&self) -> Option<i64> {
        match self {
            RegistryError::Http { code, status, .. } => code.or(Some(i64::from(*status))),
            RegistryError::Transport(_) | RegistryError::Unusable { .. } => None,
        }
    }

    /// A clear sentence: what failed and what to do.
    pub fn explain(&self) -> (String, String) {
        match self {
            RegistryError::Unusable { message, help } => (message.clone(), help.clone()),
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
            RegistryError::Unusable { .. } => false,
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

impl RegistryError {
    /// Adds a bounded one-line excerpt of a body to an unusable answer's message.
    fn with_excerpt(self, redactor: &Redactor, body: &str) -> RegistryError {
        match self {
            RegistryError::Unusable { message, help } => {
                let excerpt = redactor.message(body, 80);
                let message =
                    if excerpt.is_empty() { message } else { format!("{message} (it begins: \"{excerpt}\")") };
                RegistryError::Unusable { message, help }
            }
            other => other,
        }
    }
}

/// Largest PEM file read (certificates and keys are a few KiB).
const PEM_LIMIT: u64 = 1 << 20;

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
    /// Confluent's data-contract metadata, when the registry keeps any.
    #[serde(default)]
    pub metadata: Option<Value>,
}

pub struct Client {
    http: reqwest::blocking::Client,
    base: String,
    settings: Settings,
    redactor: Redactor,
}

const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";
const ACCEPT: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

/// Whether a `Content-Type` is one a Schema Registry answers with.
fn registry_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/vnd.schemaregistry") && essence.ends_with("+json"))
}

/// The registry URL checked before any request: `http://` or `https://`, a host, and a URL
/// that parses. The message shows the URL masked.
pub fn check_url(url: &str) -> Result<(), String> {
    let shown = mask_url(url);
    let Some((scheme, _)) = url.split_once("://") else {
        return Err(format!(
            "the registry URL `{shown}` has no scheme: it needs `http://` or `https://` (e.g. `https://{shown}`)"
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!("the registry URL `{shown}` uses `{scheme}://`: it needs `http://` or `https://`"));
    }
    match reqwest::Url::parse(url) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(format!("the registry URL `{shown}` has no host")),
        // The parser's reasons name no part of the URL ("invalid port number").
        Err(e) => Err(format!(
            "the registry URL `{shown}` is not a valid URL: {e}{}",
            if url.contains('@') {
                " (percent-encode `/`, `@`, `:` and `?` in a user name or password: %2F, %40, %3A, %3F)"
            } else {
                ""
            }
        )),
    }
}

impl Client {
    /// A client for the settings. Refuses (with a message to show as a usage error) a URL
    /// that cannot be requested, and unreadable certificate files.
    pub fn new(settings: Settings) -> Result<Client, String> {
        let redactor = Redactor::new(&settings);
        check_url(settings.url.trim()).map_err(|m| redactor.redact(&m))?;
        // reqwest is built without a default TLS provider; install ring once.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = reqwest::blocking::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)));
        let pem_file = |p: &std::path::Path, what: &str| {
            crate::workspace::read_limited(p, PEM_LIMIT)
                .map_err(|e| format!("cannot read {what} `{}`: {e}", p.display()))
        };
        if let Some(ca) = &settings.ca_cert {
            let pem = pem_file(ca, "CA certificate")?;
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| format!("bad CA certificate `{}`: {e}", ca.display()))?;
            b = b.add_root_certificate(cert);
        }
        if let (Some(cert), Some(key)) = (&settings.client_cert, &settings.client_key) {
            let mut pem = pem_file(cert, "client certificate")?;
            pem.extend(pem_file(key, "client key")?);
            let id = reqwest::Identity::from_pem(&pem).map_err(|e| format!("bad client certificate or key: {e}"))?;
            b = b.identity(id);
        }
        let http = b.build().map_err(|e| redactor.redact(&format!("cannot set up HTTP: {e}")))?;
        let base = settings.url.trim().trim_end_matches('/').to_string();
        Ok(Client { http, base, settings, redactor })
    }

    pub fn url_shown(&self) -> String {
        mask_url(&self.base)
    }

    /// The redactor every registry-derived string passes through.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    fn transport(&self, e: &reqwest::Error) -> RegistryError {
        let m = self.redactor.message(&describe(e), EXCERPT_CHARS);
        if e.is_builder() {
            return RegistryError::Unusable {
                message: format!("cannot send a request to {}: {m}", self.url_shown()),
                help: "check registry.url: it must be an http:// or https:// URL".into(),
            };
        }
        RegistryError::Transport(m)
    }

    /// An answer that is not from a Schema Registry (never retried, never planned on).
    fn not_registry(&self, what: &str) -> RegistryError {
        RegistryError::Unusable {
            message: format!("{} answered with {what}, not a Schema Registry", self.url_shown()),
            help: "check registry.url: it must be the Schema Registry's base URL (with any path prefix or context)"
                .into(),
        }
    }

    fn too_large(&self, size: Option<u64>) -> RegistryError {
        let limit = self.settings.max_response_bytes;
        RegistryError::Unusable {
            message: match size {
                Some(n) => format!(
                    "{} answered with {n} bytes, more than registry.max_response_bytes ({limit}); nothing of it was read",
                    self.url_shown()
                ),
                None => format!(
                    "{} answered with more than registry.max_response_bytes ({limit} bytes); the answer was cut off",
                    self.url_shown()
                ),
            },
            help: "check registry.url; if the registry really holds answers this large, raise `registry.max_response_bytes` in schemapipe.yaml".into(),
        }
    }

    /// The body, at most `max_response_bytes`: a stated larger length is refused before
    /// reading, and a streamed one is cut off as soon as it passes the limit.
    fn read_body(&self, resp: reqwest::blocking::Response) -> Result<Vec<u8>, RegistryError> {
        let limit = self.settings.max_response_bytes;
        if let Some(n) = resp.content_length().filter(|n| *n > limit) {
            return Err(self.too_large(Some(n)));
        }
        let mut buf = Vec::new();
        resp.take(limit.saturating_add(1)).read_to_end(&mut buf).map_err(|e| {
            RegistryError::Transport(self.redactor.message(&format!("bad response body: {e}"), EXCERPT_CHARS))
        })?;
        if buf.len() as u64 > limit {
            return Err(self.too_large(None));
        }
        Ok(buf)
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
        let resp = req.send().map_err(|e| self.transport(&e))?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let bytes = self.read_body(resp)?;
        let text = String::from_utf8_lossy(&bytes);
        let success = (200..300).contains(&status);
        // A proxy in front of a registry answers 429/5xx with its own page while the registry
        // restarts: that is worth a retry. Any other answer that is not JSON is not a registry.
        let transient = status == 429 || status >= 500;
        let parsed: Option<Value> =
            if text.trim().is_empty() { Some(Value::Null) } else { serde_json::from_str(&text).ok() };
        let json_type = match &content_type {
            Some(t) => registry_media_type(t),
            // No type at all: judged by the body alone.
            None => parsed.is_some(),
        };
        if !text.trim().is_empty() && !json_type && !transient {
            let t = match content_type.as_deref().and_then(|t| t.split(';').next()) {
                Some(t) if !t.trim().is_empty() => one_line(t, 60),
                _ => "no content type".into(),
            };
            return Err(self.not_registry(&format!("{t} (HTTP {status})")));
        }
        let value = match parsed {
            Some(v) => self.redactor.value(v),
            None if success => {
                return Err(self.not_registry("a body that is not JSON").with_excerpt(&self.redactor, &text));
            }
            None => Value::Null,
        };
        if success {
            return Ok(value);
        }
        let code = value.get("error_code").and_then(Value::as_i64);
        let message = match value.get("message").and_then(Value::as_str) {
            Some(m) => one_line(m, MESSAGE_CHARS),
            None => {
                let t = self.redactor.message(&text, EXCERPT_CHARS);
                if t.is_empty() {
                    format!("HTTP {status}")
                } else {
                    t
                }
            }
        };
        Err(RegistryError::Http { status, code, message })
    }

    /// An answer of the wrong shape for its endpoint: not a Schema Registry.
    fn shape<T>(&self, what: &str, v: Option<T>) -> Result<T, RegistryError> {
        v.ok_or_else(|| self.not_registry(&format!("JSON that is not {what}")))
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
        let list = v.as_array().and_then(|a| a.iter().map(|s| s.as_str().map(str::to_string)).collect());
        self.shape("a list of subjects", list)
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
            Ok(v) => self.shape("a list of versions", v.as_array().and_then(|a| a.iter().map(Value::as_i64).collect())),
            Err(e) if e.code() == Some(40401) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The schema text registered under a global id (`GET /schemas/ids/{id}`); `None` when the
    /// registry does not know the id.
    pub fn schema_by_id(&self, id: i64) -> Result<Option<String>, RegistryError> {
        match self.call(reqwest::Method::GET, &format!("/schemas/ids/{id}"), None) {
            Ok(v) => self.shape("a schema", v.get("schema").and_then(Value::as_str).map(str::to_string)).map(Some),
            Err(e) if e.code() == Some(40403) || e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn version(&self, subject: &str, version: &str) -> Result<Registered, RegistryError> {
        let v = self.call(
            reqwest::Method::GET,
            &format!("/subjects/{}/versions/{version}", encode_subject(subject)),
            None,
        )?;
        self.shape("a registered schema", serde_json::from_value(v).ok())
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
                let reg: Registered = self.shape("a registered schema", serde_json::from_value(v).ok())?;
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
        self.register_with_metadata(subject, schema, refs, None)
    }

    /// Registers a schema with Confluent's data-contract `metadata` beside it, when given.
    pub fn register_with_metadata(
        &self,
        subject: &str,
        schema: &str,
        refs: &[Reference],
        metadata: Option<&Value>,
    ) -> Result<i64, RegistryError> {
        let mut body = Self::body(schema, refs);
        if let Some(m) = metadata {
            body["metadata"] = m.clone();
        }
        let v = self.call(
            reqwest::Method::POST,
            &self.normalized(format!("/subjects/{}/versions", encode_subject(subject))),
            Some(&body),
        )?;
        self.shape("a schema id", v.get("id").and_then(Value::as_i64))
    }

    /// Whether the schema may be registered under the subject at its level, with the reasons
    /// when not. A subject that does not exist yet accepts anything. `level` is the level the
    /// subject will have when registering (the repository's), when known.
    ///
    /// Asks `POST /compatibility/subjects/{s}/versions` (every version the level requires). A
    /// registry without that route (Karapace, older Confluent) answers 404: then each version
    /// the level requires is checked on its own, which is what that route does.
    ///
    /// A reason names the version it concerns only where the answer allows it: the subject
    /// has one live version, or the registry's level is not transitive (the subject-wide
    /// route then checks the latest, and a per-version check the version it names). At a
    /// transitive level a registry may check every version whatever the URL names (Karapace
    /// does), so the refusal is kept unattributed, with the versions it may concern.
    pub fn compatible(
        &self,
        subject: &str,
        schema: &str,
        refs: &[Reference],
        level: Option<&str>,
    ) -> Result<Compatibility, RegistryError> {
        let path =
            self.normalized(format!("/compatibility/subjects/{}/versions?verbose=true", encode_subject(subject)));
        match self.call(reqwest::Method::POST, &path, Some(&Self::body(schema, refs))) {
            Ok(v) => {
                let (ok, msgs) = verdict(self.shape("a compatibility answer", v.is_object().then_some(&v))?);
                if ok {
                    return Ok(Compatibility::yes());
                }
                let versions = self.versions(subject)?;
                let latest = versions.iter().copied().max().unwrap_or(0);
                Ok(self.attribute(subject, versions, vec![(latest, msgs)]))
            }
            Err(e) if matches!(e.code(), Some(40401 | 40402)) => Ok(Compatibility::yes()),
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
    ) -> Result<Compatibility, RegistryError> {
        let versions = self.versions(subject)?;
        let Some(&latest) = versions.iter().max() else { return Ok(Compatibility::yes()) };
        let level = match level {
            Some(l) => l.to_string(),
            None => self.registry_level(subject)?.unwrap_or_else(|| "BACKWARD".into()),
        };
        let mut against =
            if level.to_ascii_uppercase().ends_with("_TRANSITIVE") { versions.clone() } else { vec![latest] };
        against.sort_unstable_by(|a, b| b.cmp(a));
        let (mut ok, mut answers) = (true, Vec::new());
        for v in against {
            let path = self
                .normalized(format!("/compatibility/subjects/{}/versions/{v}?verbose=true", encode_subject(subject)));
            match self.call(reqwest::Method::POST, &path, Some(&Self::body(schema, refs))) {
                Ok(answer) => {
                    let (this_ok, msgs) =
                        verdict(self.shape("a compatibility answer", answer.is_object().then_some(&answer))?);
                    ok &= this_ok;
                    if !this_ok {
                        answers.push((v, msgs));
                    }
                }
                // Deleted since it was listed: nothing left to be incompatible with.
                Err(e) if matches!(e.code(), Some(40401 | 40402)) => {}
                Err(e) => return Err(e),
            }
        }
        if ok {
            return Ok(Compatibility::yes());
        }
        Ok(self.attribute(subject, versions, answers))
    }

    /// A refusal from the answers received (the version asked about, its reasons), with each
    /// reason attributed to that version only when the registry's level allows it.
    fn attribute(&self, subject: &str, mut versions: Vec<i64>, answers: Vec<(i64, Vec<String>)>) -> Compatibility {
        versions.sort_unstable();
        // A level that cannot be read (a registry that keeps its config from this user) is
        // taken as transitive: the reasons are then not pinned on a version.
        let level = self.registry_level(subject).ok().flatten();
        let transitive = level.as_deref().is_none_or(|l| l.to_ascii_uppercase().ends_with("_TRANSITIVE"));
        let attributed = versions.len() <= 1 || !transitive;
        let mut seen = std::collections::HashSet::new();
        let reasons = answers
            .into_iter()
            .flat_map(|(v, msgs)| msgs.into_iter().map(move |m| (v, m)))
            .map(|(v, m)| if attributed { format!("version {v}: {m}") } else { m })
            // Karapace checks every version at a transitive level whichever one is named, so
            // the same reasons come back for each: each is kept once.
            .filter(|r| seen.insert(r.clone()))
            .collect();
        Compatibility {
            compatible: false,
            reasons,
            unattributed: if attributed { Vec::new() } else { versions },
            level,
        }
    }

    /// The level the registry applies to the subject: its own, else the global one.
    pub fn registry_level(&self, subject: &str) -> Result<Option<String>, RegistryError> {
        match self.subject_level(subject)? {
            Some(l) => Ok(Some(l)),
            None => self.global_level(),
        }
    }

    /// The subject's own compatibility level (`None` when it has none of its own).
    pub fn subject_level(&self, subject: &str) -> Result<Option<String>, RegistryError> {
        match self.call(reqwest::Method::GET, &format!("/config/{}", encode_subject(subject)), None) {
            Ok(v) => Ok(self
                .shape("a compatibility configuration", v.is_object().then_some(&v))?
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
        let v = self.shape("a compatibility configuration", v.is_object().then_some(v))?;
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
            Ok(v) => Ok(self
                .shape("a mode", v.is_object().then_some(&v))?
                .get("mode")
                .and_then(Value::as_str)
                .map(str::to_string)),
            Err(e) if matches!(e.code(), Some(404 | 40401)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// What the registry says about registering a schema under a subject.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Compatibility {
    pub compatible: bool,
    /// The registry's reasons; each begins with `version N: ` when the answer tells which
    /// version it concerns.
    pub reasons: Vec<String>,
    /// A refusal the answer cannot pin on one version: the live versions it may concern,
    /// oldest first (empty when the reasons are attributed).
    pub unattributed: Vec<i64>,
    /// The level the registry decided at (subject's, else global), read for refusals.
    pub level: Option<String>,
}

impl Compatibility {
    fn yes() -> Self {
        Compatibility { compatible: true, ..Default::default() }
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
    fn urls_are_checked_before_any_request() {
        let e = check_url("bob:pw@host:8081").unwrap_err();
        assert!(e.contains("needs `http://` or `https://`") && !e.contains("pw"), "{e}");
        let e = check_url("ftp://bob:a/b@host").unwrap_err();
        assert!(e.contains("`ftp://`") && !e.contains("a/b"), "{e}");
        assert!(check_url("http://bob:pw@host:99999").unwrap_err().contains("not a valid URL"));
        assert!(check_url("http://").is_err());
        let e = check_url("http://bob:a/b@host:8081").unwrap_err();
        assert!(e.contains("percent-encode") && !e.contains("a/b"), "{e}");
        assert!(check_url("http://bob:a%2Fb@host:8081").is_ok());
        assert!(check_url("https://[::1]:8081/ctx").is_ok());
        assert!(registry_media_type("application/vnd.schemaregistry.v1+json; charset=utf-8"));
        assert!(registry_media_type("application/json"));
        assert!(!registry_media_type("text/html"));
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
