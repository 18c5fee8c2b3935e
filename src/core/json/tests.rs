use super::*;

fn ok(text: &str) -> Parsed {
    parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{text:?} should parse: {e:?}"))
}

fn err(text: &str) -> JsonError {
    match parse(text, &Limits::default()) {
        Ok(p) => panic!("{text:?} should fail, got {:?}", p.root),
        Err(e) => e,
    }
}

#[test]
fn spans_of_keys_and_values() {
    let text = r#"{"type": "record", "n": [1, -2.5e3, true, null]}"#;
    let p = ok(text);
    let m = p.root.member("type").unwrap();
    assert_eq!(&text[m.key_span.start..m.key_span.end], "\"type\"");
    assert_eq!(&text[m.value.span.start..m.value.span.end], "\"record\"");
    let arr = p.root.get("n").unwrap().as_array().unwrap();
    assert_eq!(&text[arr[1].span.start..arr[1].span.end], "-2.5e3");
    assert_eq!(p.root.span, Span::new(0, text.len()));
    assert!(matches!(&arr[0].value, Value::Number(n) if n.as_i32() == Some(1)));
    assert!(matches!(&arr[1].value, Value::Number(n) if !n.is_integer && n.as_f64() == -2500.0));
}

#[test]
fn escapes_and_surrogates() {
    let p = ok(r#""a\"b\\c\/\n\u00e9\ud83d\ude00""#);
    assert_eq!(p.root.as_str().unwrap(), "a\"b\\c/\né😀");
    // A lone surrogate is kept as a replacement character rather than rejected.
    assert_eq!(ok(r#""\ud800x""#).root.as_str().unwrap(), "\u{FFFD}x");
    assert_eq!(err(r#""\x""#).code, "invalid-json");
    assert_eq!(err(r#""\u12G4""#).code, "invalid-json");
}

#[test]
fn duplicate_keys_are_reported_and_last_wins() {
    let text = r#"{"a": 1, "b": 2, "a": 3}"#;
    let p = ok(text);
    assert_eq!(p.issues.len(), 1);
    let e = &p.issues[0];
    assert_eq!(e.code, "duplicate-json-key");
    assert_eq!(e.span, Span::new(17, 20));
    assert_eq!(e.labels[0].0, Span::new(1, 4));
    assert!(matches!(&p.root.get("a").unwrap().value, Value::Number(n) if n.as_i64() == Some(3)));
    assert_eq!(p.root.as_object().unwrap().len(), 2);
}

#[test]
fn duplicate_keys_in_big_objects_use_the_index() {
    let mut text = String::from("{");
    for i in 0..100 {
        text.push_str(&format!("\"k{i}\": {i},"));
    }
    text.push_str("\"k5\": 0}");
    let p = ok(&text);
    assert_eq!(p.issues.len(), 1);
    assert_eq!(p.root.as_object().unwrap().len(), 100);
}

#[test]
fn rejections_have_their_own_codes() {
    assert_eq!(err(r#"{"a": 1} x"#).code, "trailing-content");
    assert_eq!(err(r#"{"a": 1} {"b": 2}"#).code, "trailing-content");
    assert_eq!(err("{} // trailing comment").code, "trailing-content");
    assert_eq!(err("{/* unterminated").code, "invalid-json");
    assert_eq!(err(r#"{"a": NaN}"#).code, "non-finite-number");
    assert_eq!(err(r#"{"a": -Infinity}"#).code, "non-finite-number");
    assert_eq!(err(r#"{"a": Infinity}"#).code, "non-finite-number");
    assert_eq!(err(r#"{"a": 01}"#).code, "invalid-json");
    assert_eq!(err(r#"{"a": 1.}"#).code, "invalid-json");
    assert_eq!(err(r#"{"a": .5}"#).code, "invalid-json");
    assert_eq!(err(r#"{"a": +1}"#).code, "invalid-json");
    assert_eq!(err(r#"{"a": 1,}"#).code, "invalid-json");
    assert_eq!(err(r#"[1,]"#).code, "invalid-json");
    assert_eq!(err(r#"{'a': 1}"#).code, "invalid-json");
    assert_eq!(err(r#"{a: 1}"#).code, "invalid-json");
    assert_eq!(err("\"a\tb\"").code, "invalid-json");
    assert_eq!(err("\"a\0b\"").code, "invalid-json");
    assert_eq!(err("{\"a\": 1\0}").code, "invalid-json");
    assert_eq!(err("").code, "invalid-json");
    assert_eq!(err("   ").code, "invalid-json");
    assert_eq!(err(r#"{"a": tru}"#).code, "invalid-json");
    assert_eq!(err(r#"{"a" 1}"#).code, "invalid-json");
    assert_eq!(err(r#"{"a": [1 2]}"#).code, "invalid-json");
    assert_eq!(err("\u{a0}{}").code, "invalid-json");
}

#[test]
fn error_positions_point_at_the_offending_character() {
    let e = err("{\n  \"a\": 1,\n}");
    assert_eq!(e.span, Span::new(12, 13));
    let e = err(r#"{"a": "unterminated"#);
    assert_eq!(e.span.start, 6);
    let e = err("[1, 2");
    assert!(e.message.contains("end of file"), "{}", e.message);
    // A number cut off by the end of the file: the span stays inside the text.
    for text in [r#"{"default": 1."#, r#"{"default": 1e"#, r#"{"default": 1e+"#, r#"{"default": -"#] {
        let e = err(text);
        assert!(e.span.start < e.span.end && e.span.end <= text.len(), "{text}: {:?}", e.span);
    }
}

#[test]
fn depth_is_bounded_without_recursion() {
    let limits = Limits::default();
    let ok_text = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse(&ok_text, &limits).is_ok());
    let at_limit = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    assert!(parse(&at_limit, &limits).is_ok());
    let deep = "[".repeat(100_000);
    let e = parse(&deep, &limits).unwrap_err();
    assert_eq!(e.code, "nesting-too-deep");
    assert_eq!(e.span, Span::new(1000, 1001));
    let deep_obj = "{\"a\":".repeat(100_000);
    assert_eq!(parse(&deep_obj, &limits).unwrap_err().code, "nesting-too-deep");
}

#[test]
fn decode_handles_bom_utf16_and_bad_bytes() {
    let l = Limits::default();
    let (t, e) = decode(b"\xEF\xBB\xBF{}", &l);
    assert_eq!(t, "{}");
    assert!(e.is_none());
    let (_, e) = decode(b"\xFF\xFE{\x00}\x00", &l);
    assert_eq!(e.unwrap().code, "unsupported-encoding");
    let (_, e) = decode(b"{\x00\"\x00", &l);
    assert_eq!(e.unwrap().code, "unsupported-encoding");
    let (_, e) = decode(b"\x00{\x00}", &l);
    assert_eq!(e.unwrap().code, "unsupported-encoding");
    // Binary that merely starts with a zero byte is not mistaken for UTF-16.
    let (_, e) = decode(b"\x00\x01\x02\x03\x80", &l);
    assert_eq!(e.unwrap().code, "invalid-utf8");
    let (t, e) = decode(b"{\"a\": \"\xC3\x28\"}", &l);
    let e = e.unwrap();
    assert_eq!(e.code, "invalid-utf8");
    assert_eq!(e.span.start, 7);
    assert!(t.contains('\u{FFFD}'));
    let small = Limits { max_bytes: 4, ..l };
    assert_eq!(decode(b"{\"a\":1}", &small).1.unwrap().code, "file-too-large");
}

#[test]
fn pointers_map_to_spans() {
    let text =
        r#"{"fields": [{"name": "a", "type": "int"}, {"name": "b/c", "type": {"type": "map", "values": "long"}}]}"#;
    let p = ok(text);
    let s = pointer_span(&p.root, "/fields/1/type/values").unwrap();
    assert_eq!(&text[s.start..s.end], "\"long\"");
    assert_eq!(pointer_span(&p.root, ""), Some(p.root.span));
    assert_eq!(pointer_span(&p.root, "/fields/7"), None);
    assert_eq!(pointer_span(&p.root, "/nope"), None);
    assert_eq!(escape_pointer_token("a/b~c"), "a~1b~0c");
}

#[test]
fn comments_are_accepted_with_a_warning() {
    let p = ok("// leading\n{\"a\": /* inline */ 1 // end of line\n}");
    assert_eq!(p.warnings.len(), 3);
    assert!(p.warnings.iter().all(|w| w.code == "json-comment"));
    assert_eq!(p.warnings[0].span, Span::new(0, 10));
    assert!(p.issues.is_empty());
}

#[test]
fn huge_keys_are_rejected() {
    let text = format!("{{\"{}\": 1}}", "k".repeat(50_001));
    assert_eq!(err(&text).code, "invalid-json");
    let text = format!("{{\"{}\": 1}}", "k".repeat(50_000));
    ok(&text);
}

#[test]
fn long_strings_are_scanned_fast_and_exactly() {
    for at in 0..20 {
        let mut s = "x".repeat(at);
        s.push('\t');
        s.push_str("tail");
        assert_eq!(err(&format!("\"{s}\"")).span.start, at + 1, "control character at {at}");
        let esc = format!("\"{}\\n{}\"", "y".repeat(at), "z".repeat(9));
        assert_eq!(ok(&esc).root.as_str().unwrap(), format!("{}\n{}", "y".repeat(at), "z".repeat(9)));
        let quote = format!("\"{}é€😀\"", "q".repeat(at));
        assert_eq!(ok(&quote).root.as_str().unwrap(), format!("{}é€😀", "q".repeat(at)));
    }
    for b in 0u8..=255 {
        let w = u64::from_le_bytes([b'a', b'b', b, b'c', b'd', b'e', b'f', b'g']);
        assert_eq!(has_special(w), b == b'"' || b == b'\\' || b < 0x20, "byte {b:#x}");
    }
}

#[test]
fn common_words_are_shared_and_others_owned() {
    for w in super::COMMON {
        assert!(matches!(super::text(w), super::Text::Borrowed(b) if b == *w), "{w}");
    }
    for w in ["", "typ", "types", "Type", "com.acme.Payment", "x"] {
        assert!(matches!(super::text(w), super::Text::Owned(o) if o == w), "{w}");
    }
}

#[test]
fn blank_runs_of_any_length_are_skipped() {
    for n in 0..20 {
        let pad = " ".repeat(n);
        let src = format!("{pad}{{{pad}\"a\"{pad}:{pad}[{pad}1{pad},\t\r\n{pad}2]{pad}}}{pad}");
        let parsed = super::parse(&src, &super::Limits::default()).expect("valid JSON");
        assert_eq!(parsed.root.get("a").and_then(|a| a.as_array()).map(|a| a.len()), Some(2), "{n}");
    }
}

#[test]
fn decode_owned_matches_decode() {
    let limits = super::Limits::default();
    let cases: Vec<Vec<u8>> = vec![
        b"{\"type\": \"string\"}".to_vec(),
        b"\xEF\xBB\xBF{}".to_vec(),
        b"{\"a\": \"\xFF\"}".to_vec(),
        vec![0xFF, 0xFE, b'{', 0, b'}', 0],
        Vec::new(),
    ];
    for bytes in cases {
        let (a, ea) = super::decode(&bytes, &limits);
        let (b, eb) = super::decode_owned(bytes.clone(), &limits);
        assert_eq!(a, b, "{bytes:?}");
        assert_eq!(ea, eb, "{bytes:?}");
    }
    let small = super::Limits { max_bytes: 3, ..limits };
    assert_eq!(super::decode(b"{ }  ", &small), super::decode_owned(b"{ }  ".to_vec(), &small));
}
