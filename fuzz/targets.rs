//! The fuzz targets' bodies, shared by the cargo-fuzz binaries (`fuzz_targets/*.rs`) and by
//! the property tests that run them on stable Rust (`tests/fuzz_props.rs`). Each takes
//! arbitrary bytes; any panic, overflow or hang is a bug, and every error must say where it is.

use schemapipe::core::canonical::parsing_canonical_form;
use schemapipe::core::config;
use schemapipe::core::finding::Severity;
use schemapipe::core::format::format;
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::schema::SchemaSet;
use schemapipe::core::schema_eq;
use schemapipe::core::source::SourceMap;
use schemapipe::registry::{self, Registered, RegistryError};

/// Every error finding points into its file: a file, and a span within the text.
fn errors_are_located(set: &SchemaSet, sources: &SourceMap) {
    for f in set.findings.iter().filter(|f| f.severity == Severity::Error) {
        let file = f.file.unwrap_or_else(|| panic!("error without a file: {} {}", f.code, f.message));
        let span = f.span.unwrap_or_else(|| panic!("error without a place: {} {}", f.code, f.message));
        let len = sources.get(file).text.len();
        assert!(span.start <= span.end && span.end <= len, "{}: span {span:?} outside {len} bytes", f.code);
        assert!(!f.message.is_empty(), "{}: empty message", f.code);
    }
}

/// A set of files: no panic, located errors, and when it is valid, a canonical form per root.
fn check_schemas(inputs: Vec<Input>) {
    let limits = Limits::default();
    let mut sources = SourceMap::new();
    let set = load(inputs, &limits, &mut sources);
    errors_are_located(&set, &sources);
    if set.has_errors() {
        return;
    }
    for file in &set.files {
        if let Some(root) = file.root {
            let pcf = parsing_canonical_form(&set, root);
            assert!(!pcf.is_empty(), "empty canonical form");
        }
    }
}

/// `fmt` of a schema text: idempotent, and the same schema as publishing sees it.
fn check_format(text: &str) {
    let limits = Limits::default();
    if let Ok(formatted) = format(text, &limits) {
        assert_eq!(format(&formatted, &limits).ok().as_deref(), Some(formatted.as_str()), "fmt is not idempotent");
        assert_eq!(schema_eq::compare(text, &formatted, &limits), Ok(None), "fmt changed the schema");
    }
}

/// Schema JSON: as one file, and (split at the first 0xFF byte, which never occurs in UTF-8)
/// as two files that may reference each other's named types.
pub fn validate(data: &[u8]) {
    check_schemas(vec![Input::new("fuzz/one.avsc", data)]);
    if let Some(i) = data.iter().position(|&b| b == 0xFF) {
        check_schemas(vec![Input::new("fuzz/a.avsc", &data[..i]), Input::new("fuzz/b.avsc", &data[i + 1..])]);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check_format(text);
    }
}

/// schemapipe.yaml: `config::parse`. An error has a message, and its line and column (when
/// given) are inside the text.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match config::parse(&text) {
        Ok(cfg) => {
            let _ = cfg.level_for("com.acme.Order", "com/acme/Order.avsc");
        }
        Err(e) => {
            assert!(!e.message.trim().is_empty(), "config error without a message");
            let lines = text.lines().count().max(1);
            if let Some(line) = e.line {
                assert!(line >= 1 && line <= lines + 1, "line {line} outside the {lines} lines: {}", e.message);
            }
            if let Some(column) = e.column {
                assert!(column >= 1 && e.line.is_some(), "column {column} without a line: {}", e.message);
            }
        }
    }
}

/// A registry's answer, read as the client reads it (`registry::Client` parses the body as
/// JSON, or keeps it as a string, and then reads a version's fields, a subject list, a version
/// list, or an error's `error_code` and `message`; that parsing is private to the client, so it
/// is mirrored here on the public `Registered` type). A version's schema then goes through
/// what `pull` does with it: load, format, compare.
pub fn registry(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let value: serde_json::Value = if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text.clone()))
    };
    let _subjects: Vec<String> =
        value.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default();
    let _versions: Vec<i64> =
        value.as_array().map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect()).unwrap_or_default();
    let code = value.get("error_code").and_then(serde_json::Value::as_i64);
    let message = value
        .get("message")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| text.chars().take(200).collect());
    for status in [404u16, 409, 422, 500] {
        let (m, h) = RegistryError::Http { status, code, message: message.clone() }.explain();
        assert!(!m.is_empty() && !h.is_empty());
    }
    if let Ok(reg) = serde_json::from_value::<Registered>(value) {
        let _ = registry::encode_subject(&reg.subject);
        let _ = schemapipe::core::publish::in_context(&reg.subject, Some("staging"));
        check_schemas(vec![Input::new(reg.subject.clone(), reg.schema.as_bytes())]);
        check_format(&reg.schema);
    }
}
