//! Hostile and careless registries: answers that echo credentials, pages from services that
//! are not a registry, endless bodies, and URLs that cannot be requested. Every output format
//! of publish, pull and check --registry is checked for secrets.

mod support {
    pub mod bin;
    pub mod fake_registry;
}

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};
use support::bin::{copy_dir, repo_root};
use support::fake_registry::{FakeRegistry, Targeted};

const USER: &str = "ci-bot";
const PASSWORD: &str = "pw-Zq9/x@y:v%41-end";
const TOKEN: &str = "tok_4f9c2b7e1d0a8b6c";

fn base64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.as_bytes().chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            out.push(if i <= c.len() { T[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// Every form a configured secret can take in an answer.
fn leaks() -> Vec<String> {
    vec![
        PASSWORD.to_string(),
        format!("{USER}:{PASSWORD}"),
        base64(&format!("{USER}:{PASSWORD}")),
        base64(&format!("{USER}:{PASSWORD}")).trim_end_matches('=').to_string(),
        TOKEN.to_string(),
        "pw-Zq9".to_string(),
    ]
}

fn workspace(url: &str, extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("schemas"), &tmp.path().join("schemas"));
    std::fs::write(
        tmp.path().join("schemapipe.yaml"),
        format!("version: 1\nschemas:\n  root: schemas\nregistry:\n  url: {url}\n  timeout_seconds: 5\n  retries: 3\n{extra}"),
    )
    .unwrap();
    tmp
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = Command::cargo_bin("schemapipe").unwrap();
    c.env_clear().env("NO_COLOR", "1").env("COLUMNS", "100").current_dir(dir).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.timeout(Duration::from_secs(60));
    let started = Instant::now();
    let out = c.output().unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: started.elapsed(),
    };
    for leak in leaks() {
        assert!(
            !r.stdout.contains(&leak) && !r.stderr.contains(&leak),
            "`{leak}` was printed by {args:?}:\n{}\n{}",
            r.stdout,
            r.stderr
        );
    }
    r
}

/// Output without the renderer's line wrapping.
fn flat(s: &str) -> String {
    s.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

const FORMATS: [&str; 6] = ["human", "json", "markdown", "github", "sarif", "junit"];

/// Runs every registry command in every output format.
fn every_output(dir: &Path, env: &[(&str, &str)], url: Option<&str>) -> Vec<Run> {
    let mut out = Vec::new();
    for format in FORMATS {
        for cmd in [&["publish", "--dry-run"][..], &["publish"], &["pull"], &["check", "--registry"]] {
            if format == "markdown" && cmd[0] != "publish" {
                continue;
            }
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend(["--format", format, "-v"]);
            if let Some(u) = url {
                args.extend(["--registry-url", u]);
            }
            out.push(run(dir, &args, env));
        }
    }
    out
}

#[test]
fn echoed_credentials_never_reach_any_output() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    // Errors are not retried here, to keep the many runs short.
    let cfg = ws.path().join("schemapipe.yaml");
    std::fs::write(&cfg, std::fs::read_to_string(&cfg).unwrap().replace("retries: 3", "retries: 0")).unwrap();
    let creds = [("SCHEMAPIPE_REGISTRY_USERNAME", USER), ("SCHEMAPIPE_REGISTRY_PASSWORD", PASSWORD)];
    assert_eq!(run(ws.path(), &["publish"], &creds).code, 0);
    {
        let mut st = reg.state.lock().unwrap();
        st.auth = Some((USER.into(), PASSWORD.into()));
        st.echo_credentials = true;
        // An error on one route, with a message that repeats the request's headers.
        st.targeted.push(Targeted {
            prefix: "GET /subjects$".into(),
            status: 500,
            code: 50001,
            message: "internal error".into(),
        });
    }
    // An incompatible change: the registry's reasons (which echo the credentials) are shown.
    let p = ws.path().join("schemas/com/acme/users/UserDeleted.avsc");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        t.replacen("\"fields\": [", "\"fields\": [\n    {\"name\": \"required_now\", \"type\": \"string\"},", 1),
    )
    .unwrap();
    let runs = every_output(ws.path(), &creds, None);
    // The redaction kept what matters: the reasons and the registry's error are still shown.
    assert!(runs.iter().any(|r| r.stdout.contains("READER_FIELD_MISSING_DEFAULT_VALUE")));
    assert!(runs.iter().any(|r| r.stdout.contains("Authorization: ***")), "{}", runs[0].stdout);
    // Wrong credentials: the 401 answer echoes them.
    let wrong = [("SCHEMAPIPE_REGISTRY_USERNAME", USER), ("SCHEMAPIPE_REGISTRY_PASSWORD", "pw-Zq9-wrong-one")];
    let r = run(ws.path(), &["publish", "--dry-run", "--format", "json"], &wrong);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(!r.stdout.contains("pw-Zq9-wrong-one"), "{}", r.stdout);
    // A bearer token, echoed.
    reg.state.lock().unwrap().auth = None;
    reg.state.lock().unwrap().targeted.push(Targeted {
        prefix: "GET /subjects/".into(),
        status: 403,
        code: 40301,
        message: "forbidden".into(),
    });
    for r in every_output(ws.path(), &[("SCHEMAPIPE_REGISTRY_TOKEN", TOKEN)], None) {
        assert!(r.code != 0, "{}", r.stdout);
    }
    // Credentials in the URL (percent-encoded, as a URL needs) are secrets too.
    let encoded = PASSWORD.replace('%', "%25").replace('/', "%2F").replace('@', "%40").replace(':', "%3A");
    let url = reg.url.replace("http://", &format!("http://{USER}:{encoded}@"));
    let runs = every_output(ws.path(), &[], Some(&url));
    for r in &runs {
        assert!(!r.stdout.contains(&encoded) && !r.stderr.contains(&encoded), "{}{}", r.stdout, r.stderr);
    }
}

#[test]
fn urls_that_cannot_be_requested_are_config_errors_masked_and_not_retried() {
    let ws = workspace("http://localhost:1", "");
    for url in [
        "bob:pw-Zq9@host:8081".to_string(),
        "bob:pw-Zq9/x@host:8081".to_string(),
        "http://bob:pw-Zq9/x@127.0.0.1:8081".to_string(),
        "ftp://bob:pw-Zq9@127.0.0.1".to_string(),
        "http://bob:pw-Zq9@".to_string(),
        "localhost:8081".to_string(),
    ] {
        let r = run(ws.path(), &["publish", "--dry-run", "--registry-url", &url], &[]);
        assert_eq!(r.code, 2, "{url}: {}{}", r.stdout, r.stderr);
        assert!(r.took < Duration::from_secs(5), "{url} took {:?}", r.took);
        assert!(!r.stderr.contains("scheme is not allowed"), "{}", r.stderr);
        if !url.contains("://") {
            assert!(r.stderr.contains("needs `http://` or `https://`"), "{}", r.stderr);
        }
        if url.contains('@') {
            assert!(r.stderr.contains("***@"), "{}", r.stderr);
        }
    }
}

/// Serves every connection with `answer(request line)`, written raw.
fn raw_server(answer: impl Fn(&mut std::net::TcpStream) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answer = std::sync::Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut s = stream;
                let mut reader = BufReader::new(s.try_clone().unwrap());
                // The request head, up to the blank line (GET requests: no body).
                let mut line = String::new();
                while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) && !line.trim().is_empty() {
                    line.clear();
                }
                answer(&mut s);
            });
        }
    });
    url
}

#[test]
fn an_endless_body_is_cut_off_at_the_limit() {
    // Chunked, no length: it would stream forever.
    let url = raw_server(|s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "\"a\",".repeat(16 * 1024));
        let _ = s.write_all(b"1\r\n[\r\n");
        while s.write_all(chunk.as_bytes()).is_ok() {}
    });
    let ws = workspace(&url, "  max_response_bytes: 1048576\n");
    let r = run(ws.path(), &["publish", "--dry-run"], &[]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("max_response_bytes"), "{}", r.stdout);
    assert!(r.took < Duration::from_secs(20), "took {:?}", r.took);
    // A stated length over the limit is refused before reading anything.
    let url = raw_server(|s| {
        let _ =
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n[");
        std::thread::sleep(Duration::from_secs(30));
    });
    let ws = workspace(&url, "");
    let r = run(ws.path(), &["pull"], &[]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("10737418240 bytes"), "{}", r.stdout);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
}

#[test]
fn a_service_that_is_not_a_registry_is_named_in_one_line_and_never_planned_on() {
    let reg = FakeRegistry::start();
    let page = format!("<!DOCTYPE html><html><body>{}</body></html>", "<p>Welcome to the portal</p>\n".repeat(180_000));
    assert!(page.len() > 5_000_000);
    let ws = workspace(&reg.url, "");
    for (status, ctype, body) in [
        (200, "text/html; charset=utf-8", page.clone()),
        (404, "text/html", page.clone()),
        (401, "text/html", page.clone()),
        (200, "application/json", r#"{"status": "ok", "service": "portal"}"#.to_string()),
        (200, "application/json", "not json at all".to_string()),
    ] {
        reg.state.lock().unwrap().raw = Some((status, ctype.to_string(), body));
        for format in ["human", "json", "markdown"] {
            let r = run(ws.path(), &["publish", "--dry-run", "--format", format], &[]);
            assert_eq!(r.code, 3, "{status} {ctype}: {}", r.stdout);
            assert!(flat(&r.stdout).contains("not a Schema Registry"), "{format}: {}", r.stdout);
            assert!(!r.stdout.contains("Welcome"), "the page is not quoted: {}", &r.stdout[..r.stdout.len().min(500)]);
            assert!(r.stdout.len() < 4000, "{} bytes of output", r.stdout.len());
            let planned = r.stdout.lines().any(|l| l.trim_start().starts_with("create") || l.contains("| create |"));
            assert!(!planned && !r.stdout.contains("\"action\""), "nothing is planned: {}", r.stdout);
        }
        let r = run(ws.path(), &["publish", "--dry-run"], &[]);
        if ctype.starts_with("text/html") {
            assert!(flat(&r.stdout).contains(&format!("{} answered with text/html", reg.url)), "{}", r.stdout);
        }
        let r = run(ws.path(), &["check", "--registry"], &[]);
        assert_eq!(r.code, 3, "{}", r.stdout);
        let r = run(ws.path(), &["pull"], &[]);
        assert_eq!(r.code, 3, "{}", r.stdout);
    }
    // Not retried: one request, one answer.
    reg.state.lock().unwrap().raw = Some((200, "text/html".into(), page));
    let before = reg.state.lock().unwrap().requests.len();
    run(ws.path(), &["pull"], &[]);
    assert_eq!(reg.state.lock().unwrap().requests.len(), before + 1);
}

#[test]
fn a_long_registry_error_is_one_bounded_line() {
    let reg = FakeRegistry::start();
    let ws = workspace(&reg.url, "");
    reg.state.lock().unwrap().targeted.push(Targeted {
        prefix: "GET /subjects".into(),
        status: 400,
        code: 40000,
        message: format!("line one\nline two\u{1b}[2J{}", "x".repeat(100_000)),
    });
    let r = run(ws.path(), &["pull", "--format", "json"], &[]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.stdout.len() < 10_000, "{} bytes", r.stdout.len());
    assert!(r.stdout.contains("line one line two"), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains("\\u001b"), "no terminal escapes");
}

/// A config error on the line of a registry URL with credentials quotes that line with the
/// credentials masked, in every URL form.
#[test]
fn a_config_error_quoting_a_registry_url_shows_no_credentials() {
    for url in ["[http://bob:s3cr/et@host:8081", "[bob:s3cr/et@host:8081", "[https://bob:s3cr%2Fet@[::1]:8081"] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("schemas")).unwrap();
        std::fs::write(tmp.path().join("schemapipe.yaml"), format!("version: 1\nregistry:\n  url: {url}\n")).unwrap();
        let out = Command::cargo_bin("schemapipe").unwrap().current_dir(tmp.path()).arg("validate").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{url}");
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(all.contains("schemapipe.yaml:3"), "{all}");
        assert!(!all.contains("s3cr"), "{all}");
        assert!(!all.contains("bob"), "{all}");
    }
}
