//! An in-memory Confluent-compatible Schema Registry for tests, on a local port: subjects and
//! versions, global ids shared across subjects, lookups, registration (idempotent), verbose
//! compatibility (decided with schemapipe's own engine at the subject's level), config and
//! mode, references, basic auth, and injected faults.

#![allow(dead_code)]

use schemapipe::core::compat::level::{check_level, Level, Version};
use schemapipe::core::compat::{NodeRef, SetView};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::schema::SchemaSet;
use schemapipe::core::source::SourceMap;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status and error code.
    Status(u16, i64),
    /// Close the connection without answering.
    Drop,
    /// Wait this long before answering normally.
    Delay(std::time::Duration),
}

/// A fault for requests whose line (`METHOD /path`) starts with a prefix, every time.
#[derive(Clone, Debug)]
pub struct Targeted {
    /// A request line prefix; one ending in `$` must match the whole line.
    pub prefix: String,
    pub status: u16,
    pub code: i64,
    pub message: String,
}

#[derive(Clone, Debug)]
struct Stored {
    version: i64,
    id: i64,
    schema: String,
    refs: Vec<Value>,
    /// Data-contract `metadata` registered with it.
    metadata: Option<Value>,
    /// Soft-deleted: hidden from reads, but its version number is never reused.
    deleted: bool,
}

#[derive(Default)]
pub struct State {
    subjects: BTreeMap<String, Vec<Stored>>,
    ids: Vec<(String, Vec<Value>)>,
    configs: HashMap<String, String>,
    pub global: String,
    pub faults: VecDeque<Fault>,
    /// After this many more requests, every request fails with 503 (a registry going down).
    pub down_after: Option<usize>,
    pub requests: Vec<String>,
    pub auth: Option<(String, String)>,
    pub targeted: Vec<Targeted>,
    /// Subjects of the registrations whose body carried `metadata`, in order.
    pub metadata_sent: Vec<String>,
    /// Lookups answer with the oldest version holding the schema, not the latest.
    pub lookup_oldest: bool,
    pub mode: Option<String>,
    /// Like Karapace: no `POST /compatibility/subjects/{s}/versions` route (404), only checks
    /// against one version.
    pub per_version_compat_only: bool,
    /// Like Karapace: at a transitive level, a check against one version
    /// (`POST /compatibility/subjects/{s}/versions/{v}`) checks every live version whatever
    /// the URL names, and the reasons come back whether `verbose` is asked or not.
    pub karapace_compat: bool,
    /// Like Apicurio: a compatibility level can only be set on a subject that exists (40401).
    pub levels_need_subject: bool,
    /// A careless registry (or proxy): every error message, and every compatibility reason,
    /// echoes the request's `Authorization` header and the credentials it decodes to.
    pub echo_credentials: bool,
    /// Not a registry at all: every request gets this status, content type and body.
    pub raw: Option<(u16, String, String)>,
}

pub struct FakeRegistry {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

fn compact(schema: &str) -> String {
    serde_json::from_str::<Value>(schema).map(|v| v.to_string()).unwrap_or_else(|_| schema.to_string())
}

impl State {
    /// The live (not soft-deleted) versions of a subject; `None` when there are none.
    fn live(&self, subject: &str) -> Option<Vec<&Stored>> {
        let v: Vec<&Stored> = self.subjects.get(subject)?.iter().filter(|x| !x.deleted).collect();
        (!v.is_empty()).then_some(v)
    }

    fn find(&self, subject: &str, version: i64) -> Option<&Stored> {
        self.subjects.get(subject)?.iter().find(|s| s.version == version)
    }

    /// The schema texts a schema needs (its references, recursively), then the schema.
    fn texts(&self, schema: &str, refs: &[Value], out: &mut Vec<String>, depth: usize) -> Result<(), String> {
        if depth > 20 {
            return Err("reference cycle".into());
        }
        for r in refs {
            let subject = r["subject"].as_str().unwrap_or("");
            let version = r["version"].as_i64().unwrap_or(-1);
            let s =
                self.find(subject, version).ok_or_else(|| format!("reference {subject} v{version} not found"))?.clone();
            self.texts(&s.schema, &s.refs, out, depth + 1)?;
        }
        out.push(schema.to_string());
        Ok(())
    }

    fn parse(&self, schema: &str, refs: &[Value]) -> Result<SchemaSet, String> {
        let mut texts = Vec::new();
        self.texts(schema, refs, &mut texts, 0)?;
        let mut seen = std::collections::HashSet::new();
        texts.retain(|t| seen.insert(t.clone()));
        let inputs = texts.iter().enumerate().map(|(i, t)| Input::new(format!("f{i}.avsc"), t)).collect();
        let set = load(inputs, &Limits::default(), &mut SourceMap::new());
        if let Some(f) = set.findings.iter().find(|f| f.severity == schemapipe::core::finding::Severity::Error) {
            return Err(f.message.clone());
        }
        Ok(set)
    }

    fn level(&self, subject: &str) -> Level {
        Level::parse(self.configs.get(subject).unwrap_or(&self.global)).unwrap_or(Level::Backward)
    }

    fn compatibility(
        &self,
        subject: &str,
        schema: &str,
        refs: &[Value],
        version: Option<&str>,
    ) -> Result<(bool, Vec<String>), (u16, i64, String)> {
        let new = self.parse(schema, refs).map_err(|m| (422, 42201, m))?;
        let live = self.live(subject).unwrap_or_default();
        // Against one version, the level's direction applies to that version alone.
        let against: Vec<&Stored> = match version {
            None => live,
            Some(v) if self.karapace_compat && self.level(subject).transitive() => {
                if v != "latest" && !live.iter().any(|x| x.version.to_string() == v) {
                    return Err((404, 40402, "Version not found.".into()));
                }
                live
            }
            Some("latest") => live.last().into_iter().copied().collect(),
            Some(v) => match live.iter().find(|x| x.version.to_string() == v) {
                Some(x) => vec![*x],
                None => return Err((404, 40402, "Version not found.".into())),
            },
        };
        let olds: Vec<SchemaSet> = against.iter().filter_map(|s| self.parse(&s.schema, &s.refs).ok()).collect();
        let root = |s: &SchemaSet| NodeRef { unit: 0, id: s.files.last().unwrap().root.unwrap() };
        let new_view = SetView(&new);
        let views: Vec<SetView> = olds.iter().map(SetView).collect();
        let prev: Vec<Version> = views.iter().zip(&olds).map(|(v, s)| Version { view: v, root: root(s) }).collect();
        let checks = check_level(self.level(subject), &Version { view: &new_view, root: root(&new) }, &prev);
        let msgs: Vec<String> = checks
            .iter()
            .flat_map(|c| {
                c.incompatibilities.iter().map(|i| {
                    format!(
                        "{{errorType:'{}', description:'{}', additionalInfo:'{}'}}",
                        i.kind.java_name(),
                        i.message,
                        i.location
                    )
                })
            })
            .collect();
        Ok((msgs.is_empty(), msgs))
    }

    fn key(schema: &str, refs: &[Value]) -> (String, Vec<Value>) {
        (compact(schema), refs.to_vec())
    }

    fn handle(&mut self, method: &str, path: &str, query: &str, body: &Value) -> (u16, Value) {
        let err = |status: u16, code: i64, msg: &str| (status, json!({"error_code": code, "message": msg}));
        let parts: Vec<String> = path.trim_start_matches('/').split('/').map(decode).collect();
        let mut schema = body["schema"].as_str().unwrap_or("").to_string();
        if query.contains("normalize=true") {
            // A stand-in for Confluent's normalization: a stored form that differs from the text sent.
            schema = normalized(&schema);
        }
        let refs: Vec<Value> = body["references"].as_array().cloned().unwrap_or_default();
        match (method, parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice()) {
            ("GET", ["subjects"]) => {
                (200, json!(self.subjects.keys().filter(|s| self.live(s).is_some()).collect::<Vec<_>>()))
            }
            ("GET", ["subjects", s, "versions"]) if query.contains("deleted=true") => match self.subjects.get(*s) {
                Some(v) => (200, json!(v.iter().map(|x| x.version).collect::<Vec<_>>())),
                None => err(404, 40401, "Subject not found."),
            },
            ("GET", ["subjects", s, "versions"]) => match self.live(s) {
                Some(v) => (200, json!(v.iter().map(|x| x.version).collect::<Vec<_>>())),
                None => err(404, 40401, "Subject not found."),
            },
            ("GET", ["subjects", s, "versions", v]) => {
                let Some(list) = self.live(s) else { return err(404, 40401, "Subject not found.") };
                let found =
                    if *v == "latest" { list.last() } else { list.iter().find(|x| x.version.to_string() == *v) };
                match found {
                    Some(x) => {
                        let mut v = json!({"subject": s, "version": x.version, "id": x.id, "schema": x.schema, "references": x.refs});
                        if let Some(m) = &x.metadata {
                            v["metadata"] = m.clone();
                        }
                        (200, v)
                    }
                    None => err(404, 40402, "Version not found."),
                }
            }
            ("POST", ["subjects", s]) => {
                let Some(list) = self.live(s) else { return err(404, 40401, "Subject not found.") };
                let key = Self::key(&schema, &refs);
                // The latest version holding the schema (several may, with different metadata).
                let found = if self.lookup_oldest {
                    list.iter().find(|x| Self::key(&x.schema, &x.refs) == key)
                } else {
                    list.iter().rev().find(|x| Self::key(&x.schema, &x.refs) == key)
                };
                match found {
                    Some(x) => (200, json!({"subject": s, "version": x.version, "id": x.id, "schema": x.schema})),
                    None => err(404, 40403, "Schema not found"),
                }
            }
            ("POST", ["subjects", s, "versions"]) => {
                if let Err(m) = self.parse(&schema, &refs) {
                    return err(422, 42201, &format!("Invalid schema: {m}"));
                }
                let key = Self::key(&schema, &refs);
                let metadata = body.get("metadata").filter(|m| !m.is_null()).cloned();
                if metadata.is_some() {
                    self.metadata_sent.push(s.to_string());
                }
                // Registered already, unless the metadata sent differs: then, as Confluent does,
                // the same schema becomes a new version carrying the new metadata.
                if let Some(x) = self.live(s).and_then(|l| {
                    l.into_iter().rev().find(|x| {
                        Self::key(&x.schema, &x.refs) == key && (metadata.is_none() || x.metadata == metadata)
                    })
                }) {
                    return (200, json!({"id": x.id}));
                }
                match self.compatibility(s, &schema, &refs, None) {
                    Ok((true, _)) => {}
                    Ok((false, msgs)) => {
                        return err(
                            409,
                            40901,
                            &format!(
                                "Schema being registered is incompatible with an earlier schema; {}",
                                msgs.join("; ")
                            ),
                        )
                    }
                    Err((st, c, m)) => return err(st, c, &m),
                }
                let id = match self.ids.iter().position(|k| *k == key) {
                    Some(i) => i as i64 + 1,
                    None => {
                        self.ids.push(key);
                        self.ids.len() as i64
                    }
                };
                let list = self.subjects.entry(s.to_string()).or_default();
                let version = list.last().map(|x| x.version + 1).unwrap_or(1);
                list.push(Stored { version, id, schema: schema.clone(), refs, metadata, deleted: false });
                (200, json!({"id": id}))
            }
            ("POST", ["compatibility", "subjects", _, "versions"]) if self.per_version_compat_only => {
                err(404, 404, "HTTP 404 Not Found")
            }
            ("POST", ["compatibility", "subjects", s, "versions", rest @ ..]) if rest.len() <= 1 => {
                if self.live(s).is_none() {
                    return err(404, 40401, "Subject not found.");
                }
                match self.compatibility(s, &schema, &refs, rest.first().copied()) {
                    Ok((ok, msgs)) if query.contains("verbose=true") || self.karapace_compat => {
                        (200, json!({"is_compatible": ok, "messages": msgs}))
                    }
                    Ok((ok, _)) => (200, json!({"is_compatible": ok})),
                    Err((st, c, m)) => err(st, c, &m),
                }
            }
            ("GET", ["config"]) => (200, json!({"compatibilityLevel": self.global})),
            ("GET", ["config", s]) => match self.configs.get(*s) {
                Some(l) => (200, json!({"compatibilityLevel": l})),
                None => err(404, 40408, "Subject does not have subject-level compatibility configured"),
            },
            ("PUT", ["config", s]) if self.levels_need_subject && self.live(s).is_none() => {
                err(404, 40401, "No artifact with ID found")
            }
            ("PUT", ["config", s]) => match body["compatibility"].as_str().and_then(Level::parse) {
                Some(l) => {
                    self.configs.insert(s.to_string(), l.as_str().to_string());
                    (200, json!({"compatibility": l.as_str()}))
                }
                None => err(422, 42203, "Invalid compatibility level"),
            },
            ("DELETE", ["subjects", s]) => {
                let Some(live) = self.live(s) else { return err(404, 40401, "Subject not found.") };
                let versions: Vec<i64> = live.iter().map(|x| x.version).collect();
                let used = self.subjects.iter().any(|(other, list)| {
                    other != s && list.iter().any(|x| !x.deleted && x.refs.iter().any(|r| r["subject"] == *s))
                });
                if used {
                    return err(422, 42206, "One or more references exist to the schema");
                }
                for v in &versions {
                    self.soft_delete(s, *v);
                }
                (200, json!(versions))
            }
            ("GET", ["mode"]) => (200, json!({"mode": self.mode.clone().unwrap_or_else(|| "READWRITE".into())})),
            _ => err(404, 404, "HTTP 404 Not Found"),
        }
    }

    /// Live versions registered under a subject.
    pub fn versions(&self, subject: &str) -> Vec<i64> {
        self.live(subject).map(|v| v.iter().map(|x| x.version).collect()).unwrap_or_default()
    }

    /// Soft-deletes one version, as `DELETE /subjects/{subject}/versions/{version}` does.
    pub fn soft_delete(&mut self, subject: &str, version: i64) {
        if let Some(x) = self.subjects.get_mut(subject).and_then(|l| l.iter_mut().find(|x| x.version == version)) {
            x.deleted = true;
        }
    }

    pub fn references(&self, subject: &str) -> Vec<Value> {
        self.subjects.get(subject).and_then(|v| v.last()).map(|x| x.refs.clone()).unwrap_or_default()
    }

    pub fn subject_names(&self) -> Vec<String> {
        self.subjects.keys().cloned().collect()
    }

    pub fn config(&self, subject: &str) -> Option<String> {
        self.configs.get(subject).cloned()
    }

    /// Registers a schema with references (`[{name, subject, version}]`), unchecked.
    pub fn put_with_refs(&mut self, subject: &str, schema: &str, refs: Vec<Value>) {
        self.put(subject, schema);
        if let Some(x) = self.subjects.get_mut(subject).and_then(|l| l.last_mut()) {
            x.refs = refs;
        }
    }

    pub fn put(&mut self, subject: &str, schema: &str) {
        let id = self.ids.len() as i64 + 1;
        self.ids.push((compact(schema), Vec::new()));
        let list = self.subjects.entry(subject.to_string()).or_default();
        let version = list.last().map(|x| x.version + 1).unwrap_or(1);
        list.push(Stored { version, id, schema: schema.to_string(), refs: Vec::new(), metadata: None, deleted: false });
    }

    /// The `metadata` of a subject's latest live version.
    pub fn metadata(&self, subject: &str) -> Option<Value> {
        self.live(subject).and_then(|l| l.last().and_then(|x| x.metadata.clone()))
    }
}

/// The schema with every object's keys sorted.
fn normalized(schema: &str) -> String {
    fn sort(v: Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut entries: Vec<(String, Value)> = m.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k, sort(v))).collect())
            }
            Value::Array(a) => Value::Array(a.into_iter().map(sort).collect()),
            other => other,
        }
    }
    serde_json::from_str::<Value>(schema).map(|v| sort(v).to_string()).unwrap_or_else(|_| schema.to_string())
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl FakeRegistry {
    pub fn start() -> FakeRegistry {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let state = Arc::new(Mutex::new(State { global: "BACKWARD".into(), ..Default::default() }));
        let st = state.clone();
        std::thread::spawn(move || {
            for mut req in server.incoming_requests() {
                let method = req.method().as_str().to_string();
                let full = req.url().to_string();
                let (path, query) = full.split_once('?').unwrap_or((&full, ""));
                let (path, query) = (path.to_string(), query.to_string());
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let auth =
                    req.headers().iter().find(|h| h.field.equiv("Authorization")).map(|h| h.value.as_str().to_string());
                let (fault, result) = {
                    let mut s = st.lock().unwrap();
                    s.requests.push(format!("{method} {full}"));
                    let line = format!("{method} {full}");
                    let targeted = s
                        .targeted
                        .iter()
                        .find(|t| t.prefix.strip_suffix('$').map_or(line.starts_with(&t.prefix), |p| line == p))
                        .cloned();
                    let fault = match s.down_after {
                        Some(0) => Some(Fault::Status(503, 50003)),
                        Some(n) => {
                            s.down_after = Some(n - 1);
                            s.faults.pop_front()
                        }
                        None => s.faults.pop_front(),
                    };
                    let expected = s.auth.as_ref().map(|(u, p)| format!("Basic {}", base64(&format!("{u}:{p}"))));
                    let echo = s.echo_credentials.then(|| {
                        let header = auth.clone().unwrap_or_default();
                        let decoded = header.strip_prefix("Basic ").map(unbase64).unwrap_or_default();
                        let password = decoded.split_once(':').map(|(_, p)| p.to_string()).unwrap_or_default();
                        format!(" [request had Authorization: {header}; credentials {decoded}; password={password}; token {}]", header.trim_start_matches("Bearer "))
                    });
                    let result = if let Some(t) = targeted {
                        (t.status, json!({"error_code": t.code, "message": t.message}))
                    } else if expected.is_some() && auth != expected {
                        (401, json!({"error_code": 40101, "message": "Unauthorized"}))
                    } else {
                        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                        s.handle(&method, &path, &query, &v)
                    };
                    let result = match (echo, result) {
                        (Some(e), (st, mut v)) if st >= 400 => {
                            let m = format!("{}{e}", v["message"].as_str().unwrap_or(""));
                            v["message"] = json!(m);
                            (st, v)
                        }
                        (Some(e), (st, mut v)) if v.get("messages").is_some() => {
                            v["messages"].as_array_mut().unwrap().push(json!(format!("reason{e}")));
                            (st, v)
                        }
                        (_, r) => r,
                    };
                    let raw = s.raw.clone();
                    if let Some((status, ctype, body)) = raw {
                        drop(s);
                        let resp = tiny_http::Response::from_string(body)
                            .with_status_code(status)
                            .with_header(format!("Content-Type: {ctype}").parse::<tiny_http::Header>().unwrap());
                        let _ = req.respond(resp);
                        continue;
                    }
                    (fault, result)
                };
                let (status, value) = match fault {
                    Some(Fault::Drop) => {
                        let _ = req.into_writer().flush();
                        continue;
                    }
                    Some(Fault::Delay(d)) => {
                        std::thread::sleep(d);
                        result
                    }
                    Some(Fault::Status(st, code)) => (st, json!({"error_code": code, "message": "injected failure"})),
                    None => result,
                };
                let resp = tiny_http::Response::from_string(value.to_string()).with_status_code(status).with_header(
                    "Content-Type: application/vnd.schemaregistry.v1+json".parse::<tiny_http::Header>().unwrap(),
                );
                let _ = req.respond(resp);
            }
        });
        FakeRegistry { url, state }
    }
}

fn unbase64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let Some(v) = T.iter().position(|t| *t == c) else { break };
        bits = bits << 6 | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn base64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
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
