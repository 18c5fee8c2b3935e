//! A TLS front for the fake registry: terminates TLS (optionally requiring a client certificate
//! signed by the test CA) and relays each request to the registry's plain HTTP port. The
//! certificates in tests/fixtures/tls are a test CA, a server certificate for 127.0.0.1 and
//! localhost, and a client certificate, all valid for a century.

#![allow(dead_code)]

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls").join(name)
}

fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(fixture(name)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Starts the front; returns its `https://127.0.0.1:<port>` URL.
pub fn start(backend_url: &str, require_client_cert: bool) -> String {
    let backend = backend_url.trim_start_matches("http://").to_string();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder =
        rustls::ServerConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().unwrap();
    let builder = if require_client_cert {
        let mut roots = rustls::RootCertStore::empty();
        for c in certs("ca.pem") {
            roots.add(c).unwrap();
        }
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build().unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let key = PrivateKeyDer::from_pem_file(fixture("server-key.pem")).unwrap();
    let config = Arc::new(builder.with_single_cert(certs("server.pem"), key).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let (config, backend) = (config.clone(), backend.clone());
            std::thread::spawn(move || {
                let _ = serve(tcp, config, &backend);
            });
        }
    });
    url
}

/// Relays one request per connection (both sides are told to close afterwards).
fn serve(tcp: TcpStream, config: Arc<rustls::ServerConfig>, backend: &str) -> std::io::Result<()> {
    let conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if tls.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let length = text
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    tls.read_exact(&mut body)?;
    let mut up = TcpStream::connect(backend)?;
    let head = text.trim_end_matches("\r\n").to_string() + "\r\nConnection: close\r\n\r\n";
    up.write_all(head.as_bytes())?;
    up.write_all(&body)?;
    let mut resp = Vec::new();
    up.read_to_end(&mut resp)?;
    let resp = String::from_utf8_lossy(&resp).into_owned();
    // Tell the client not to reuse the connection.
    let (rhead, rbody) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    let rhead: Vec<&str> = rhead.lines().filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
    tls.write_all(format!("{}\r\nConnection: close\r\n\r\n{rbody}", rhead.join("\r\n")).as_bytes())?;
    tls.conn.send_close_notify();
    tls.flush()
}
