//! Every rule's documentation is executable: its bad example triggers that rule and no other,
//! its good example triggers nothing (all rules on), and the diagnostics are snapshotted.

use super::*;
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::source::SourceMap;

/// Lints one example file at its path (the one its full name gives, unless the rule says
/// otherwise) with every rule on. Returns the set, the findings, and the sources.
fn lint_example(text: &str, path: Option<&str>) -> (Vec<Finding>, SourceMap) {
    let mut sources = SourceMap::new();
    let probe = load(vec![Input::new("probe.avsc", text)], &Limits::default(), &mut SourceMap::new());
    let natural = probe.files[0]
        .root
        .and_then(|r| probe.node(r).named().map(|n| format!("{}.avsc", n.full_name.replace('.', "/"))))
        .unwrap_or_else(|| "Example.avsc".into());
    let rel = path.map(str::to_string).unwrap_or(natural);
    // A second, unrelated and clean schema, so rules that look across the set have a set.
    let other = r#"{"type": "record", "name": "Heartbeat", "namespace": "com.acme.ops", "doc": "A liveness ping.", "fields": [{"name": "host", "type": "string", "default": "", "doc": "Host name of the sender."}]}"#;
    let set = load(
        // The example comes second: a type it repeats from the other file is the copy.
        vec![Input::new("schemas/com/acme/ops/Heartbeat.avsc", other), Input::new(format!("schemas/{rel}"), text)],
        &Limits::default(),
        &mut sources,
    );
    // As `schemapipe lint` does: spec errors, then the rules.
    let mut findings: Vec<Finding> = set.findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    let options = LintOptions { preset: Preset::Strict, ..LintOptions::default() };
    findings.extend(lint(&set, &[Target { index: 1, rel_path: Some(&rel) }], &options));
    (findings, sources)
}

#[test]
fn registry_is_well_formed() {
    assert!(rules::ALL.len() >= 30, "{} rules", rules::ALL.len());
    let mut codes = std::collections::HashSet::new();
    for r in rules::ALL {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()), "{}", r.code);
        assert!(!r.summary.is_empty() && !r.what.is_empty() && !r.why.is_empty(), "{}", r.code);
        let d = r.docs();
        assert!(
            d.contains("## What it does") && d.contains("## Why is this bad?") && d.contains("Use instead:"),
            "{}",
            r.code
        );
    }
    assert_eq!(rules::find("float-for-money").map(|r| r.category), Some(Category::Types));
}

#[test]
fn every_bad_example_triggers_its_rule_only_and_every_good_example_nothing() {
    let mut rendered = String::new();
    for rule in rules::ALL {
        let (bad, sources) = lint_example(rule.bad, rule.bad_path);
        let codes: Vec<&str> = bad.iter().map(|f| f.code).collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == rule.code),
            "{}: bad example gives {codes:?}",
            rule.code
        );
        let r = crate::core::finding::Finding::clone;
        let _ = r;
        for f in &bad {
            let src = sources.get(f.file.unwrap());
            let (l, c) = src.line_col(f.span.unwrap().start);
            rendered.push_str(&format!(
                "{}:{l}:{c}: {}[{}] {}\n  help: {}\n",
                src.name,
                f.severity.as_str(),
                f.code,
                f.message,
                f.help.as_deref().unwrap_or("")
            ));
        }
        let (good, _) = lint_example(rule.good, None);
        let codes: Vec<&str> = good.iter().map(|f| f.code).collect();
        assert!(codes.is_empty(), "{}: good example gives {codes:?}", rule.code);
    }
    insta::assert_snapshot!("lint_rule_examples", rendered);
}

#[test]
fn presets_nest_and_settings_apply() {
    let count = |p: Preset| rules::ALL.iter().filter(|r| r.preset <= p).count();
    assert!(count(Preset::Minimal) < count(Preset::Recommended) && count(Preset::Recommended) < count(Preset::Strict));
    let money = rules::find("float-for-money").unwrap();
    let docs = rules::find("field-without-doc").unwrap();
    let strict_only = rules::find("field-without-default").unwrap();
    let mut o = LintOptions::default();
    assert_eq!(severity_for(money, &o, None), Some(Severity::Error));
    assert_eq!(severity_for(strict_only, &o, None), None);
    o.settings = vec![
        Setting { name: "field-without-doc".into(), level: Level::Error },
        Setting { name: "docs".into(), level: Level::Off },
    ];
    // The rule setting wins over its category's, whatever the order.
    assert_eq!(severity_for(docs, &o, None), Some(Severity::Error));
    assert_eq!(severity_for(rules::find("record-without-doc").unwrap(), &o, None), None);
    o.overrides =
        vec![(vec!["legacy/**".into()], vec![Setting { name: "float-for-money".into(), level: Level::Warn }])];
    assert_eq!(severity_for(money, &o, Some("legacy/a/B.avsc")), Some(Severity::Warning));
    assert_eq!(severity_for(money, &o, Some("new/B.avsc")), Some(Severity::Error));
    assert!(check_name("float-for-money").is_ok() && check_name("docs").is_ok());
    assert_eq!(check_name("float-for-mony").unwrap_err(), "did you mean `float-for-money`?");
}

#[test]
fn words_split_every_case() {
    assert_eq!(words("createdAt"), ["created", "at"]);
    assert_eq!(words("created_at"), ["created", "at"]);
    assert_eq!(words("HTTPRequestId"), ["http", "request", "id"]);
    assert_eq!(words("ts_ms"), ["ts", "ms"]);
    assert_eq!(words("line2"), ["line2"]);
}

#[test]
fn a_lone_file_is_not_judged_unused() {
    let text = rules::find("unused-named-type").unwrap().bad;
    let mut sources = SourceMap::new();
    let set =
        load(vec![Input::new("schemas/com/acme/users/AccountStatus.avsc", text)], &Limits::default(), &mut sources);
    let found = lint(
        &set,
        &[Target { index: 0, rel_path: Some("com/acme/users/AccountStatus.avsc") }],
        &LintOptions::default(),
    );
    assert!(found.is_empty(), "{found:?}");
}

/// Lints every file of a set with one option changed; returns `(file, code)` of each finding.
fn lint_files(files: &[(&str, &str)], options: &LintOptions) -> Vec<(String, &'static str, String)> {
    let mut sources = SourceMap::new();
    let inputs = files.iter().map(|(p, t)| Input::new(*p, *t)).collect();
    let set = load(inputs, &Limits::default(), &mut sources);
    let targets: Vec<Target> =
        files.iter().enumerate().map(|(i, (p, _))| Target { index: i, rel_path: Some(p) }).collect();
    lint(&set, &targets, options)
        .into_iter()
        .map(|f| (files[f.file.unwrap().0 as usize].0.to_string(), f.code, f.help.unwrap_or_default()))
        .collect()
}

fn rec(name: &str, fields: &[&str]) -> String {
    let f: Vec<String> = fields.iter().map(|n| format!(r#"{{"name": "{n}", "type": "int"}}"#)).collect();
    format!(r#"{{"type": "record", "name": "{name}", "namespace": "com.acme", "fields": [{}]}}"#, f.join(","))
}

#[test]
fn field_case_follows_the_sets_own_style_by_default() {
    let camel = rec("Payment", &["paymentId", "createdAt", "amount"]);
    let mixed = rec("Refund", &["refundId", "payment_id"]);
    let files = [("com/acme/Payment.avsc", camel.as_str()), ("com/acme/Refund.avsc", mixed.as_str())];
    let only = |found: Vec<(String, &'static str, String)>| -> Vec<(String, String)> {
        found.into_iter().filter(|f| f.1 == "field-name-wrong-case").map(|f| (f.0, f.2)).collect()
    };
    // camelCase wins 3 to 1: only `payment_id` deviates, and the help says why.
    let found = only(lint_files(&files, &LintOptions::default()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "com/acme/Refund.avsc");
    assert!(found[0].1.contains("camelCase is this schema set's style (3 of 4"), "{}", found[0].1);
    // Explicit styles still apply, and the old spellings stay accepted.
    let snake = LintOptions { field_case: FieldCase::Snake, ..LintOptions::default() };
    assert_eq!(only(lint_files(&files, &snake)).len(), 3);
    assert_eq!(FieldCase::parse("camelCase"), Some(FieldCase::Camel));
    // A tie picks snake_case, whatever the order of the files.
    let a = rec("A", &["oneTwo"]);
    let b = rec("B", &["three_four"]);
    for files in [
        [("com/acme/A.avsc", a.as_str()), ("com/acme/B.avsc", b.as_str())],
        [("com/acme/B.avsc", b.as_str()), ("com/acme/A.avsc", a.as_str())],
    ] {
        let found = only(lint_files(&files, &LintOptions::default()));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "com/acme/A.avsc");
        assert!(found[0].1.contains("snake_case is this schema set's style (1 of 2"), "{}", found[0].1);
    }
}

#[test]
fn file_names_match_loosely_by_default() {
    let pay = rec("PaymentEvent", &["id"]);
    let mismatch = |path: &str, options: &LintOptions| {
        lint_files(&[(path, pay.as_str())], options).iter().any(|f| f.1 == "file-name-mismatch")
    };
    let loose = LintOptions::default();
    for ok in [
        "com/acme/PaymentEvent.avsc",
        "com/acme/paymentevent.avsc",
        "com/acme/PAYMENTEVENT.avsc",
        "com/acme/payment_event.avsc",
        "com/acme/payment-event.avsc",
    ] {
        assert!(!mismatch(ok, &loose), "{ok}");
    }
    assert!(mismatch("com/acme/payment.avsc", &loose));
    assert!(mismatch("com/acme/PaymentEvents.avsc", &loose));
    let strict = LintOptions { file_name: FileNameMatch::Strict, ..LintOptions::default() };
    assert!(!mismatch("com/acme/PaymentEvent.avsc", &strict));
    assert!(mismatch("com/acme/payment_event.avsc", &strict));
}

#[test]
fn a_nullable_field_without_default_is_a_warning_even_in_the_minimal_preset() {
    let rule = rules::find("nullable-field-without-default").unwrap();
    for preset in [Preset::Minimal, Preset::Recommended, Preset::Strict] {
        let o = LintOptions { preset, ..LintOptions::default() };
        assert_eq!(severity_for(rule, &o, None), Some(Severity::Warning));
    }
}

/// `duplicate-field-name-ignoring-case` finds the same pairs in short records (pairwise) and
/// long ones (a map), for ASCII and non-ASCII names.
#[test]
fn case_duplicates_short_and_long_records_agree() {
    for padding in [0, 40] {
        let mut fields: Vec<String> = (0..padding).map(|i| format!("f{i}")).collect();
        fields.extend(
            ["user_id", "userId", "USER_ID", "Straße", "strasse", "STRASSE", "straßE", "other"].map(String::from),
        );
        let json: Vec<String> = fields
            .iter()
            .map(|n| format!(r#"{{"name": "{n}", "type": "string", "default": "", "doc": "d"}}"#))
            .collect();
        let text = format!(
            r#"{{"type": "record", "name": "Wide", "namespace": "com.acme", "doc": "d", "fields": [{}]}}"#,
            json.join(",")
        );
        let (findings, _) = lint_example(&text, Some("com/acme/Wide.avsc"));
        let mut hits: Vec<&str> = findings
            .iter()
            .filter(|f| f.code == "duplicate-field-name-ignoring-case")
            .map(|f| f.message.as_str())
            .collect();
        hits.sort();
        assert_eq!(
            hits,
            [
                "field `STRASSE` differs from field `strasse` only in case or underscores",
                "field `USER_ID` differs from field `user_id` only in case or underscores",
                "field `straßE` differs from field `Straße` only in case or underscores",
                "field `userId` differs from field `user_id` only in case or underscores",
            ],
            "{padding} padding fields"
        );
    }
}

/// `default-not-a-value`: each kind of default the parser lets through although a reader
/// cannot use it, inside arrays, maps, records and unions too, where a union's default is read
/// as Java's reader reads it (the first branch of a fitting kind); nothing else is reported.
#[test]
fn defaults_that_are_no_value_are_reported_where_they_are() {
    let text = r#"{"type": "record", "name": "Odd", "namespace": "com.acme", "fields": [
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}, "default": "C"},
        {"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "abc"},
        {"name": "g", "type": "F", "default": "\u0100b"},
        {"name": "b", "type": "bytes", "default": "\u20ac"},
        {"name": "x", "type": "float", "default": 1e39},
        {"name": "es", "type": {"type": "array", "items": "E"}, "default": ["A", "Z"]},
        {"name": "fm", "type": {"type": "map", "values": "F"}, "default": {"k": "ab", "l": "a"}},
        {"name": "r", "type": {"type": "record", "name": "R", "fields": [{"name": "e", "type": "E", "default": "A"}, {"name": "n", "type": "int", "default": 0}]}, "default": {"e": "Q"}},
        {"name": "u", "type": ["null", "E"], "default": "Y"},
        {"name": "first", "type": ["E", "string"], "default": "Y"},
        {"name": "i", "type": ["int", "float"], "default": 1e39},
        {"name": "s", "type": "float", "default": "1e39"},
        {"name": "m", "type": {"type": "record", "name": "M", "fields": [{"name": "q", "type": "int"}]}, "default": {}},
        {"name": "rr", "type": ["R", {"type": "record", "name": "R2", "fields": [{"name": "e", "type": "string"}]}], "default": {"e": "Z"}},
        {"name": "ok1", "type": ["string", "E"], "default": "Y"},
        {"name": "ok2", "type": "F", "default": "\u00ffa"},
        {"name": "ok3", "type": "float", "default": 3.4e38},
        {"name": "ok4", "type": {"type": "array", "items": "E"}, "default": ["B"]},
        {"name": "ok5", "type": "double", "default": 1e300},
        {"name": "ok6", "type": "float", "default": "NaN"},
        {"name": "ok7", "type": ["null", "R"], "default": null},
        {"name": "ok8", "type": "R", "default": {"n": 3}}
    ]}"#;
    let mut sources = SourceMap::new();
    let set = load(vec![Input::new("com/acme/Odd.avsc", text)], &Limits::default(), &mut sources);
    let found: Vec<String> =
        lint(&set, &[Target { index: 0, rel_path: Some("com/acme/Odd.avsc") }], &LintOptions::default())
            .into_iter()
            .filter(|f| f.code == "default-not-a-value")
            .map(|f| format!("{} {}", f.path.unwrap_or_default(), f.message))
            .collect();
    let expected = [
        ("/fields/0/default", "`C` is not a symbol of enum `com.acme.E`"),
        ("/fields/1/default", "3 bytes, but fixed `com.acme.F` holds exactly 2"),
        ("/fields/2/default", "character U+0100 is not a byte"),
        ("/fields/3/default", "character U+20AC is not a byte"),
        ("/fields/4/default", "1e39 is beyond a float's range"),
        ("/fields/5/default", "`Z` is not a symbol"),
        ("/fields/6/default", "1 byte, but fixed"),
        ("/fields/7/default", "`Q` is not a symbol"),
        ("/fields/8/default", "`Y` is not a symbol"),
        ("/fields/9/default", "`Y` is not a symbol"),
        ("/fields/10/default", "1e39 is not an int"),
        ("/fields/11/default", "1e39 is beyond a float's range"),
        ("/fields/12/default", "leaves out field `q` of record `com.acme.M`"),
        ("/fields/13/default", "`Z` is not a symbol"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((pointer, why), got) in expected.iter().zip(&found) {
        assert!(got.starts_with(pointer) && got.contains(why), "expected {pointer} {why}, got {got}");
    }
}

/// Each part of a default is looked at once: a union of records nested in its own default
/// deep down costs no more than its size (it once tried every branch at every level).
#[test]
fn a_deep_union_default_is_checked_in_one_pass() {
    let mut default = r#"{"e": "Z"}"#.to_string();
    for _ in 0..25 {
        default = format!(r#"{{"a": {default}}}"#);
    }
    let text = format!(
        r#"{{"type": "record", "name": "Top", "namespace": "com.acme", "fields": [
            {{"name": "r", "type": {{"type": "record", "name": "R1", "fields": [
                {{"name": "a", "type": ["null", "R1", {{"type": "record", "name": "R2", "fields": [
                    {{"name": "a", "type": ["null", "R1", "R2"], "default": null}},
                    {{"name": "e", "type": {{"type": "enum", "name": "E", "symbols": ["A"]}}, "default": "A"}}
                ]}}], "default": null}},
                {{"name": "e", "type": "E", "default": "A"}}
            ]}}, "default": {default}}}
        ]}}"#
    );
    let mut sources = SourceMap::new();
    let set = load(vec![Input::new("com/acme/Top.avsc", &text)], &Limits::default(), &mut sources);
    let target = [Target { index: 0, rel_path: Some("com/acme/Top.avsc") }];
    // The union's first fitting branch for an object is R1 at every level, down to the `Z`.
    let found: Vec<_> =
        lint(&set, &target, &LintOptions::default()).into_iter().filter(|f| f.code == "default-not-a-value").collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.contains("`Z` is not a symbol of enum `com.acme.E`"), "{}", found[0].message);
}
