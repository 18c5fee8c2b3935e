use crate::core::finding::Severity;
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::schema::{SchemaKind, SchemaSet};
use crate::core::source::SourceMap;

fn set_of(files: &[(&str, &str)]) -> SchemaSet {
    let inputs = files.iter().map(|(n, t)| Input::new(*n, t.as_bytes())).collect();
    load(inputs, &Limits::default(), &mut SourceMap::new())
}

fn codes(text: &str) -> Vec<&'static str> {
    let set = set_of(&[("a.avsc", text)]);
    set.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code).collect()
}

fn warnings(text: &str) -> Vec<&'static str> {
    let set = set_of(&[("a.avsc", text)]);
    set.findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| f.code).collect()
}

#[test]
fn valid_schemas_have_no_errors() {
    for s in [
        r#""string""#,
        r#"{"type": "int"}"#,
        r#"["null", "string"]"#,
        r#"{"type": "record", "name": "R", "fields": []}"#,
        r#"{"type": "record", "name": "R", "namespace": "a.b", "fields": [{"name": "self", "type": ["null", "R"], "default": null}]}"#,
        r#"{"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "A"}"#,
        r#"{"type": "fixed", "name": "F", "size": 16}"#,
        r#"{"type": "array", "items": {"type": "map", "values": "long"}}"#,
        r#"{"type": "error", "name": "Oops", "fields": [{"name": "m", "type": "string", "default": "x"}]}"#,
        r#"{"type": "record", "name": "R", "fields": [{"name": "d", "type": "double", "default": "NaN"}, {"name": "f", "type": "float", "default": 1}]}"#,
    ] {
        assert_eq!(codes(s), Vec::<&str>::new(), "{s}");
    }
}

#[test]
fn all_errors_in_a_file_are_reported() {
    let s = r#"{"type": "record", "name": "R", "fields": [
        {"name": "a", "type": "int", "default": "x"},
        {"name": "a", "type": "long"},
        {"name": "b", "type": "Nope"},
        {"name": "c", "type": ["int", "int"]}
    ]}"#;
    let mut c = codes(s);
    c.sort();
    assert_eq!(c, ["duplicate-field", "duplicate-union-branch", "invalid-default", "undefined-name"]);
}

#[test]
fn names_resolve_across_files_in_any_order() {
    let money = (
        "m.avsc",
        r#"{"type": "record", "name": "Money", "namespace": "com.acme", "fields": [{"name": "c", "type": "com.acme.Cur"}]}"#,
    );
    let cur = ("c.avsc", r#"{"type": "enum", "name": "Cur", "namespace": "com.acme", "symbols": ["EUR"]}"#);
    let pay = (
        "p.avsc",
        r#"{"type": "record", "name": "Pay", "namespace": "com.acme.pay", "fields": [{"name": "m", "type": "com.acme.Money"}]}"#,
    );
    for order in [[money, cur, pay], [pay, cur, money], [cur, pay, money]] {
        let set = set_of(&order);
        assert!(set.findings.is_empty(), "{:?}", set.findings);
        let pay = set.lookup("com.acme.pay.Pay").unwrap();
        let SchemaKind::Record(r) = &set.node(pay).kind else { panic!() };
        let target = set.resolved(r.fields[0].ty);
        assert_eq!(target.named().unwrap().full_name, "com.acme.Money");
    }
}

#[test]
fn redefinition_across_files_shows_both_places() {
    let a = ("a.avsc", r#"{"type": "fixed", "name": "x.F", "size": 1}"#);
    let b = ("b.avsc", r#"{"type": "fixed", "name": "F", "namespace": "x", "size": 2}"#);
    let set = set_of(&[a, b]);
    assert_eq!(set.findings.len(), 1);
    let f = &set.findings[0];
    assert_eq!(f.code, "redefined-name");
    assert_eq!(f.file.unwrap().0, 1);
    assert_eq!(f.labels[0].file.0, 0);
}

#[test]
fn unknown_name_suggests_a_close_one() {
    let a = ("a.avsc", r#"{"type": "record", "name": "Address", "namespace": "com.acme", "fields": []}"#);
    let b = (
        "b.avsc",
        r#"{"type": "record", "name": "O", "namespace": "com.shop", "fields": [{"name": "x", "type": "com.acme.Adress"}, {"name": "y", "type": "Address"}]}"#,
    );
    let set = set_of(&[a, b]);
    let helps: Vec<&str> = set.findings.iter().map(|f| f.help.as_deref().unwrap()).collect();
    assert_eq!(set.findings.len(), 2);
    assert!(helps[0].contains("`com.acme.Address`"), "{helps:?}");
    assert!(helps[1].contains("`com.acme.Address`"), "{helps:?}");
}

#[test]
fn namespaces_are_inherited_and_overridden() {
    let s = r#"{"type": "record", "name": "a.b.R", "namespace": "ignored", "fields": [
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["X"]}},
        {"name": "f", "type": {"type": "fixed", "name": "F", "namespace": "", "size": 1}},
        {"name": "e2", "type": "E"},
        {"name": "f2", "type": "F"}
    ]}"#;
    let set = set_of(&[("a.avsc", s)]);
    assert!(set.findings.is_empty(), "{:?}", set.findings);
    let mut names: Vec<&String> = set.names.keys().collect();
    names.sort();
    assert_eq!(names, ["F", "a.b.E", "a.b.R"]);
}

#[test]
fn invalid_logical_types_are_warnings_only() {
    let s = r#"{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 6}"#;
    assert!(codes(s).is_empty());
    assert_eq!(warnings(s), ["invalid-logical-type"]);
    assert_eq!(warnings(r#"{"type": "long", "logicalType": "timestamp-milis"}"#), ["unknown-logical-type"]);
    let f = r#"{"type": "record", "name": "R", "fields": [{"name": "t", "type": "long", "logicalType": "timestamp-millis"}]}"#;
    assert_eq!(warnings(f), ["misplaced-logical-type"]);
}

#[test]
fn defaults_follow_java() {
    let rec = |ty: &str, d: &str| {
        format!(r#"{{"type": "record", "name": "R", "fields": [{{"name": "f", "type": {ty}, "default": {d}}}]}}"#)
    };
    let ok = [
        ("\"int\"", "2147483647"),
        ("\"long\"", "-9223372036854775808"),
        ("\"double\"", "1e400"),
        ("\"float\"", "\"-Infinity\""),
        ("\"bytes\"", "\"\\u00ff\""),
        ("[\"null\", \"int\"]", "null"),
        ("[\"int\", \"null\"]", "1"),
        ("{\"type\": \"array\", \"items\": \"int\"}", "[1, 2]"),
        ("{\"type\": \"map\", \"values\": \"int\"}", "{\"a\": 1}"),
        ("{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\"]}", "\"A\""),
        ("{\"type\": \"record\", \"name\": \"S\", \"fields\": [{\"name\": \"x\", \"type\": \"int\", \"default\": 1}]}", "{}"),
    ];
    for (t, d) in ok {
        assert!(codes(&rec(t, d)).is_empty(), "{t} {d}");
    }
    let bad = [
        ("\"int\"", "2147483648"),
        ("\"int\"", "1.0"),
        ("\"int\"", "\"1\""),
        ("\"int\"", "null"),
        ("\"long\"", "9223372036854775808"),
        ("\"double\"", "\"abc\""),
        ("\"boolean\"", "0"),
        ("\"string\"", "null"),
        ("[\"null\", \"int\"]", "\"x\""),
        ("[\"int\", \"null\"]", "1.5"),
        ("[\"double\", \"null\"]", "\"NaN\""),
        ("{\"type\": \"array\", \"items\": \"int\"}", "[\"a\"]"),
        ("{\"type\": \"map\", \"values\": \"int\"}", "[]"),
        ("{\"type\": \"record\", \"name\": \"S\", \"fields\": [{\"name\": \"x\", \"type\": \"int\"}]}", "{}"),
    ];
    for (t, d) in bad {
        assert_eq!(codes(&rec(t, d)), ["invalid-default"], "{t} {d}");
    }
}

#[test]
fn deep_valid_nesting_is_accepted() {
    let depth = 300;
    let s = format!("{}\"int\"{}", "{\"type\": \"array\", \"items\": ".repeat(depth), "}".repeat(depth));
    let handle = std::thread::Builder::new().stack_size(64 << 20).spawn(move || codes(&s)).unwrap();
    assert!(handle.join().unwrap().is_empty());
}

#[test]
fn union_defaults_may_match_any_branch_with_a_warning() {
    let s = r#"{"type": "record", "name": "R", "fields": [{"name": "f", "type": ["null", "int"], "default": 1}]}"#;
    assert!(codes(s).is_empty());
    assert_eq!(warnings(s), ["union-default-not-first-branch"]);
    let s = r#"{"type": "record", "name": "R", "fields": [{"name": "f", "type": ["null", "int"], "default": null}]}"#;
    assert!(warnings(s).is_empty());
}

#[test]
fn object_form_name_reference_falls_back_to_the_null_namespace() {
    let s = r#"{"type": "record", "name": "R", "namespace": "ns", "fields": [
        {"name": "a", "type": {"type": "fixed", "name": "F", "namespace": "", "size": 2}},
        {"name": "b", "type": {"type": "F", "ignored": true}},
        {"name": "c", "type": {"type": "ns.R"}}
    ]}"#;
    assert!(set_of(&[("a.avsc", s)]).findings.is_empty());
    assert_eq!(codes(r#"{"type": "Nope"}"#), ["undefined-name"]);
}

#[test]
fn fixed_sizes_follow_java() {
    for (size, ok) in [
        ("0", true),
        ("16", true),
        ("2147483639", true),
        ("2147483640", false),
        ("-1", false),
        ("1.0", false),
        ("\"4\"", false),
    ] {
        let s = format!(r#"{{"type": "fixed", "name": "F", "size": {size}}}"#);
        assert_eq!(codes(&s).is_empty(), ok, "{size}");
    }
}

#[test]
fn identical_redefinition_is_still_an_error_but_says_so() {
    let a = ("a.avsc", r#"{"type": "enum", "name": "E", "symbols": ["A", "B"]}"#);
    let b = ("b.avsc", r#"{"symbols": ["A", "B"], "name": "E", "type": "enum"}"#);
    let set = set_of(&[a, b]);
    assert_eq!(set.findings.len(), 1);
    assert!(set.findings[0].message.contains("identically"), "{}", set.findings[0].message);
    let c = ("c.avsc", r#"{"type": "enum", "name": "E", "symbols": ["A"]}"#);
    let set = set_of(&[a, c]);
    assert!(!set.findings[0].message.contains("identically"));
}
