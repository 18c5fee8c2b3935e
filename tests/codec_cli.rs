//! `encode`, `decode` and `sample` through the real binary.

mod support {
    pub mod bin;
}

use support::bin::run;

const SCHEMA: &str = r#"{"type": "record", "name": "Order", "namespace": "com.acme", "fields": [
  {"name": "id", "type": "string"},
  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "note", "type": ["null", "string"], "default": null},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["OPEN", "PAID"]}}
]}
"#;

const READER: &str = r#"{"type": "record", "name": "Order", "namespace": "com.acme", "fields": [
  {"name": "id", "type": "bytes"},
  {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["OPEN", "PAID"]}},
  {"name": "channel", "type": "string", "default": "web"}
]}
"#;

fn dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("Order.avsc"), SCHEMA).unwrap();
    std::fs::write(d.path().join("Reader.avsc"), READER).unwrap();
    d
}

const EVENTS: &str = "{\"id\": \"o-1\", \"amount\": \"\\u0004\\u00d2\", \"note\": null, \"status\": \"OPEN\"}\n\n{\"id\": \"o-2\", \"amount\": \"\\u00ff\", \"note\": {\"string\": \"gift\"}, \"status\": \"PAID\"}\n";

/// EVENTS as decode writes them: one per line, bytes above 0x7F as their (UTF-8) characters,
/// as Java's JsonEncoder writes them.
const DECODED: &str = "{\"id\": \"o-1\", \"amount\": \"\\u0004\u{d2}\", \"note\": null, \"status\": \"OPEN\"}\n{\"id\": \"o-2\", \"amount\": \"\u{ff}\", \"note\": {\"string\": \"gift\"}, \"status\": \"PAID\"}\n";

#[test]
fn encode_hex_with_wire_format_and_decode_back() {
    let d = dir();
    std::fs::write(d.path().join("events.jsonl"), EVENTS).unwrap();
    let (code, out, err) = run(
        d.path(),
        &["encode", "Order.avsc", "events.jsonl", "--wire-format", "--schema-id", "7", "--output", "hex"],
    );
    assert_eq!(code, 0, "{err}");
    // Magic byte, id 7, "o-1", decimal 12.34, null branch, OPEN.
    assert_eq!(out, "0000000007066f2d310404d20000\n0000000007066f2d3202ff02086769667402\n");
    std::fs::write(d.path().join("events.hex"), &out).unwrap();
    let (code, back, err) = run(d.path(), &["decode", "Order.avsc", "events.hex", "--wire-format", "--input", "hex"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(back, DECODED);
    // With a reader schema: string read as bytes, `amount` and `note` skipped, `channel` defaulted.
    let (code, read, err) = run(
        d.path(),
        &["decode", "Order.avsc", "events.hex", "--wire-format", "--input", "hex", "--reader", "Reader.avsc"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        read,
        "{\"id\": \"o-1\", \"status\": \"OPEN\", \"channel\": \"web\"}\n{\"id\": \"o-2\", \"status\": \"PAID\", \"channel\": \"web\"}\n"
    );
}

#[test]
fn raw_binary_and_base64_streams_round_trip() {
    let d = dir();
    std::fs::write(d.path().join("events.jsonl"), EVENTS).unwrap();
    for (out_fmt, file) in [("binary", "events.bin"), ("base64", "events.b64")] {
        let o = assert_cmd::Command::cargo_bin("schemapipe")
            .unwrap()
            .current_dir(d.path())
            .args(["encode", "Order.avsc", "events.jsonl", "--output", out_fmt])
            .output()
            .unwrap();
        assert!(o.status.success());
        std::fs::write(d.path().join(file), &o.stdout).unwrap();
        let (code, back, err) = run(d.path(), &["decode", "Order.avsc", file, "--input", out_fmt]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(back, DECODED);
    }
}

#[test]
fn bad_events_and_bad_bytes_are_located() {
    let d = dir();
    std::fs::write(
        d.path().join("bad.jsonl"),
        "{\"id\": \"o-1\", \"amount\": \"\", \"note\": {\"strin\": \"x\"}, \"status\": \"OPEN\"}\n",
    )
    .unwrap();
    let (code, _, err) = run(d.path(), &["encode", "Order.avsc", "bad.jsonl"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("encode_bad_union_branch", err);

    std::fs::write(
        d.path().join("bad2.jsonl"),
        "{\"id\": \"o-1\", \"amount\": \"\", \"note\": null, \"status\": \"CLOSED\"}\n",
    )
    .unwrap();
    let (code, _, err) = run(d.path(), &["encode", "Order.avsc", "bad2.jsonl"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("encode_bad_enum_symbol", err);

    // Wrong magic byte.
    std::fs::write(d.path().join("magic.hex"), "0100000007066f2d310404d20000\n").unwrap();
    let (code, _, err) = run(d.path(), &["decode", "Order.avsc", "magic.hex", "--wire-format", "--input", "hex"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("decode_wrong_magic_byte", err);

    // A string length of 2^31 (zig-zag 0x80 0x80 0x80 0x80 0x10).
    std::fs::write(d.path().join("huge.hex"), "80808080106f2d31\n").unwrap();
    let (code, _, err) = run(d.path(), &["decode", "Order.avsc", "huge.hex", "--input", "hex"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("decode_huge_length", err);

    // Truncated raw input: the second event is cut.
    std::fs::write(d.path().join("cut.bin"), [6, b'o', b'-', b'1', 4, 4, 0xd2, 0, 0, 6, b'o']).unwrap();
    let (code, out, err) = run(d.path(), &["decode", "Order.avsc", "cut.bin"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "the first event is written before the error");
    insta::assert_snapshot!("decode_truncated", err);

    // Invalid UTF-8 in a string.
    std::fs::write(d.path().join("utf8.hex"), "06c3286f0404d20000\n").unwrap();
    let (code, _, err) = run(d.path(), &["decode", "Order.avsc", "utf8.hex", "--input", "hex"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("decode_invalid_utf8", err);
}

#[test]
fn usage_errors_exit_2() {
    let d = dir();
    let (code, _, err) = run(d.path(), &["encode", "Order.avsc", "--wire-format"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(d.path(), &["decode", "--registry-url", "http://127.0.0.1:9", "x.bin"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--wire-format"), "{err}");
}

#[test]
fn sample_is_valid_and_reproducible() {
    let d = dir();
    let (code, a, err) = run(d.path(), &["sample", "Order.avsc", "--count", "50", "--seed", "42"]);
    assert_eq!(code, 0, "{err}");
    let (_, b, _) = run(d.path(), &["sample", "Order.avsc", "--count", "50", "--seed", "42"]);
    let (_, c, _) = run(d.path(), &["sample", "Order.avsc", "--count", "50", "--seed", "43"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.lines().count(), 50);
    // Every event encodes.
    std::fs::write(d.path().join("s.jsonl"), &a).unwrap();
    let (code, hex, err) = run(d.path(), &["encode", "Order.avsc", "s.jsonl", "--output", "hex"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(hex.lines().count(), 50);
}

/// A record that holds itself with nothing to stop at (Java's parser takes it) has no value:
/// `sample` says so, naming the record of the cycle, not the type it happened to reach.
#[test]
fn sample_of_a_record_that_cannot_end_names_the_record() {
    let d = tempfile::tempdir().unwrap();
    let schema = r#"{"type": "record", "name": "User", "namespace": "example.avro", "fields": [
        {"name": "name", "type": "string"},
        {"name": "favorite_number", "type": ["int", "null"]},
        {"name": "wrapper", "type": {"type": "record", "name": "Inner", "fields": [{"name": "friend", "type": "User"}]}}
    ]}"#;
    std::fs::write(d.path().join("User.avsc"), schema).unwrap();
    let (code, out, err) = run(d.path(), &["sample", "User.avsc", "--count", "3"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("record example.avro.") && err.contains("cannot end: it contains itself"), "{err}");
    assert!(!err.contains("null cannot end") && !err.contains("string cannot end"), "{err}");
}

/// A deep chain of records that ends is sampled up to the depth `generate` writes (200), and
/// one deeper is refused as too deep, not as a record that cannot end.
#[test]
fn sample_of_a_deep_chain_samples_or_says_it_is_too_deep() {
    let chain = |n: usize| {
        let mut t = r#""int""#.to_string();
        for i in (1..=n).rev() {
            t = format!(r#"{{"type": "record", "name": "L{i}", "fields": [{{"name": "x", "type": {t}}}]}}"#);
        }
        t
    };
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("D150.avsc"), chain(150)).unwrap();
    std::fs::write(d.path().join("D250.avsc"), chain(250)).unwrap();
    let (code, out, err) = run(d.path(), &["sample", "D150.avsc"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("{\"x\": ").count(), 150, "{out}");
    let (code, out, err) = run(d.path(), &["sample", "D250.avsc"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("nests types more than 200 levels deep") && !err.contains("cannot end"), "{err}");
}

/// A registry that knows one schema id (7) and counts the requests.
fn registry() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let h = hits.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let json = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
            let resp = if req.url() == "/schemas/ids/7" {
                tiny_http::Response::from_string(serde_json::json!({ "schema": SCHEMA }).to_string())
                    .with_status_code(200)
            } else {
                tiny_http::Response::from_string(r#"{"error_code":40403,"message":"Schema not found"}"#)
                    .with_status_code(404)
            };
            let _ = req.respond(resp.with_header(json));
        }
    });
    (url, hits)
}

#[test]
fn the_writer_schema_comes_from_the_registry_by_id() {
    let d = dir();
    let (url, hits) = registry();
    std::fs::write(
        d.path().join("events.hex"),
        "0000000007066f2d310404d20000\n0000000007066f2d3202ff02086769667402\n0000000009066f2d310404d20000\n",
    )
    .unwrap();
    let (code, out, err) =
        run(d.path(), &["decode", "--registry-url", &url, "--wire-format", "--input", "hex", "events.hex"]);
    // Two events decoded with id 7 (fetched once), then id 9 is unknown: exit 3.
    assert_eq!(code, 3, "{err}");
    assert_eq!(out, DECODED);
    assert!(err.contains("has no schema with id 9"), "{err}");
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 2);
}
