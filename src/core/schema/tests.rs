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
fn an_identical_definition_in_another_file_is_accepted_as_java_does() {
    // Avro's own `multipleFile` test set: a type inline in one file and in a file of its own.
    let event = (
        "ApplicationEvent.avsc",
        r#"{"type": "record", "name": "ApplicationEvent", "namespace": "model", "fields": [
            {"name": "response", "type": {"type": "record", "name": "MyResponse", "doc": "inline copy",
             "fields": [{"name": "isSuccessful", "type": "boolean", "default": false, "doc": "x"}]}}]}"#,
    );
    let response = (
        "MyResponse.avsc",
        r#"{"fields": [{"type": "boolean", "name": "isSuccessful", "default": false, "aliases": ["ok"]}],
            "name": "model.MyResponse", "type": "record", "doc": "the type", "aliases": ["Reply"]}"#,
    );
    for files in [[event, response], [response, event]] {
        let set = set_of(&files);
        assert!(set.findings.is_empty(), "{:?}", set.findings);
        assert_eq!(set.redefinitions.len(), 1);
        let (copy, first) = set.redefinitions[0];
        assert_eq!((set.node(copy).file.0, set.node(first).file.0), (1, 0));
    }
}

#[test]
fn what_makes_two_definitions_differ_follows_schema_equals() {
    let rec =
        |fields: &str, extra: &str| format!(r#"{{"type": "record", "name": "a.R"{extra}, "fields": [{fields}]}}"#);
    let base = rec(r#"{"name": "x", "type": "long", "default": 1}"#, "");
    let redefined = |other: &str| {
        let set = set_of(&[("a.avsc", &base), ("b.avsc", other)]);
        let errors: Vec<&str> = set.findings.iter().map(|f| f.code).collect();
        assert!(errors.iter().all(|c| *c == "redefined-name"), "{errors:?}");
        !errors.is_empty()
    };
    // Equal for Java: docs, aliases, `error` vs `record`, namespace spelled apart, key order.
    assert!(!redefined(&rec(
        r#"{"default": 1, "type": "long", "name": "x", "doc": "d", "aliases": ["y"]}"#,
        r#", "doc": "other""#
    )));
    assert!(!redefined(
        r#"{"type": "error", "name": "R", "namespace": "a", "fields": [{"name": "x", "type": "long", "default": 1}]}"#
    ));
    // Different: a field's type, name, default (1 vs 1.0 too), order, props; the type's props.
    assert!(redefined(&rec(r#"{"name": "x", "type": "int", "default": 1}"#, "")));
    assert!(redefined(&rec(r#"{"name": "z", "type": "long", "default": 1}"#, "")));
    assert!(redefined(&rec(r#"{"name": "x", "type": "long", "default": 2}"#, "")));
    assert!(redefined(&rec(r#"{"name": "x", "type": "long"}"#, "")));
    assert!(redefined(&rec(r#"{"name": "x", "type": "long", "default": 1, "order": "ignore"}"#, "")));
    assert!(redefined(&rec(r#"{"name": "x", "type": "long", "default": 1, "owner": "ops"}"#, "")));
    assert!(redefined(&rec(
        r#"{"name": "x", "type": {"type": "long", "logicalType": "timestamp-millis"}, "default": 1}"#,
        ""
    )));
    assert!(redefined(&rec(r#"{"name": "x", "type": "long", "default": 1}"#, r#", "owner": "ops""#)));
    assert!(redefined(&rec(r#"{"name": "x", "type": "long", "default": 1}, {"name": "y", "type": "int"}"#, "")));
    // Enums: symbols in order count, the enum default does not.
    let e = |syms: &str, d: &str| format!(r#"{{"type": "enum", "name": "a.E", "symbols": {syms}{d}}}"#);
    let set = set_of(&[("a.avsc", &e(r#"["A", "B"]"#, "")), ("b.avsc", &e(r#"["A", "B"]"#, r#", "default": "A""#))]);
    assert!(set.findings.is_empty(), "{:?}", set.findings);
    let set = set_of(&[("a.avsc", &e(r#"["A", "B"]"#, "")), ("b.avsc", &e(r#"["B", "A"]"#, ""))]);
    assert_eq!(set.findings[0].code, "redefined-name");
}

#[test]
fn defaults_compare_as_json_values() {
    let r = |d: &str| {
        format!(
            r#"{{"type": "record", "name": "a.R", "fields": [{{"name": "m", "type": {{"type": "map", "values": "double"}}, "default": {d}}}, {{"name": "f", "type": "double", "default": "NaN"}}]}}"#
        )
    };
    let set = set_of(&[("a.avsc", &r(r#"{"p": 1.5, "q": 2.0}"#)), ("b.avsc", &r(r#"{"q": 2.00, "p": 1.5}"#))]);
    assert!(set.findings.is_empty(), "{:?}", set.findings);
    let set = set_of(&[("a.avsc", &r(r#"{"p": 1.5}"#)), ("b.avsc", &r(r#"{"p": 1}"#))]);
    assert_eq!(set.findings.len(), 1, "{:?}", set.findings);
}

#[test]
fn recursive_copies_compare_without_looping() {
    let node = r#"{"type": "record", "name": "a.Node", "fields": [{"name": "next", "type": ["null", "Node"], "default": null}]}"#;
    let holder = format!(r#"{{"type": "record", "name": "a.Holder", "fields": [{{"name": "n", "type": {node}}}]}}"#);
    let set = set_of(&[("n.avsc", node), ("h.avsc", &holder)]);
    assert!(set.findings.is_empty(), "{:?}", set.findings);
    assert_eq!(set.redefinitions.len(), 1);
}

#[test]
fn a_redefinition_within_one_file_stays_an_error() {
    let inner = r#"{"type": "enum", "name": "E", "symbols": ["A"]}"#;
    let s = format!(
        r#"{{"type": "record", "name": "a.R", "fields": [{{"name": "x", "type": {inner}}}, {{"name": "y", "type": {inner}}}]}}"#
    );
    let set = set_of(&[("a.avsc", &s)]);
    assert_eq!(set.findings.len(), 1);
    assert_eq!(set.findings[0].code, "redefined-name");
    assert!(set.findings[0].message.contains("identically"), "{}", set.findings[0].message);
    let a = ("a.avsc", r#"{"type": "enum", "name": "E", "symbols": ["A", "B"]}"#);
    let c = ("c.avsc", r#"{"type": "enum", "name": "E", "symbols": ["A"]}"#);
    let set = set_of(&[a, c]);
    assert!(!set.findings[0].message.contains("identically"));
    assert!(set.redefinitions.is_empty());
}

#[test]
fn many_copies_of_a_large_type_compare_in_linear_time() {
    // 300 files each repeating a 300-field record: every copy is compared with the first once.
    let fields: Vec<String> = (0..300).map(|i| format!(r#"{{"name": "f{i}", "type": "int"}}"#)).collect();
    let shared = format!(r#"{{"type": "record", "name": "a.Shared", "fields": [{}]}}"#, fields.join(","));
    let files: Vec<(String, String)> = (0..300)
        .map(|i| {
            (
                format!("u{i}.avsc"),
                format!(r#"{{"type": "record", "name": "a.U{i}", "fields": [{{"name": "s", "type": {shared}}}]}}"#),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let set = set_of(&refs);
    assert!(set.findings.is_empty());
    assert_eq!(set.redefinitions.len(), 299);
}
