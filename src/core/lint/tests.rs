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
