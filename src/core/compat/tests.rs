use super::level::{check_level, Level, Version};
use super::*;
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::source::SourceMap;

fn set(text: &str) -> SchemaSet {
    let s = load(vec![Input::new("s.avsc", text)], &Limits::default(), &mut SourceMap::new());
    assert!(!s.has_errors(), "{text}: {:?}", s.findings);
    s
}

fn kinds(reader: &str, writer: &str) -> Vec<&'static str> {
    let (r, w) = (set(reader), set(writer));
    let root = |s: &SchemaSet| NodeRef { unit: 0, id: s.files[0].root.unwrap() };
    let mut k: Vec<&str> =
        check(&SetView(&r), root(&r), &SetView(&w), root(&w)).iter().map(|i| i.kind.code()).collect();
    k.sort();
    k.dedup();
    k
}

#[test]
fn promotions_are_exactly_javas() {
    let prims = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];
    let allowed = [
        ("long", "int"),
        ("float", "int"),
        ("float", "long"),
        ("double", "int"),
        ("double", "long"),
        ("double", "float"),
        ("bytes", "string"),
        ("string", "bytes"),
    ];
    for r in prims {
        for w in prims {
            let ok = r == w || allowed.contains(&(r, w));
            let got = kinds(&format!("\"{r}\""), &format!("\"{w}\""));
            assert_eq!(got.is_empty(), ok, "reader {r} writer {w}: {got:?}");
            if !ok {
                assert_eq!(got, ["type-mismatch"]);
            }
        }
    }
}

#[test]
fn records_fields_and_defaults() {
    let w = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    // Added field without default.
    assert_eq!(
        kinds(
            r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","int"]}]}"#,
            w
        ),
        ["reader-field-missing-default-value"]
    );
    // Presence of a default is what counts, null included.
    assert!(kinds(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","int"],"default":null}]}"#, w).is_empty());
    // Removed field: fine for the reader.
    assert!(kinds(r#"{"type":"record","name":"R","fields":[]}"#, w).is_empty());
    // Renamed with an alias.
    assert!(
        kinds(r#"{"type":"record","name":"R","fields":[{"name":"b","type":"long","aliases":["a"]}]}"#, w).is_empty()
    );
    // Several writer fields matched.
    let w2 = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#;
    assert_eq!(
        kinds(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b"]}]}"#, w2),
        ["ambiguous-field-alias"]
    );
}

#[test]
fn names_compare_unqualified_and_through_reader_aliases() {
    let w = r#"{"type":"fixed","name":"x.F","size":4}"#;
    assert!(kinds(r#"{"type":"fixed","name":"y.F","size":4}"#, w).is_empty());
    assert_eq!(kinds(r#"{"type":"fixed","name":"y.G","size":4}"#, w), ["name-mismatch"]);
    assert!(kinds(r#"{"type":"fixed","name":"x.G","aliases":["F"],"size":4}"#, w).is_empty());
    // The alias is qualified with the reader's namespace, so it does not name x.F from y.
    assert_eq!(kinds(r#"{"type":"fixed","name":"y.G","aliases":["F"],"size":4}"#, w), ["name-mismatch"]);
    assert!(kinds(r#"{"type":"fixed","name":"y.G","aliases":["x.F"],"size":4}"#, w).is_empty());
    // Writer aliases are ignored.
    assert_eq!(
        kinds(r#"{"type":"fixed","name":"G","size":4}"#, r#"{"type":"fixed","name":"F","aliases":["G"],"size":4}"#),
        ["name-mismatch"]
    );
    assert_eq!(
        kinds(r#"{"type":"fixed","name":"F","size":8}"#, r#"{"type":"fixed","name":"F","size":4}"#),
        ["fixed-size-mismatch"]
    );
}

#[test]
fn enums_and_their_defaults() {
    let w = r#"{"type":"enum","name":"E","symbols":["A","B","C"]}"#;
    assert_eq!(kinds(r#"{"type":"enum","name":"E","symbols":["A","B"]}"#, w), ["missing-enum-symbols"]);
    assert!(kinds(r#"{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}"#, w).is_empty());
    // A field-level default does not help with missing symbols.
    let rec = |e: &str, d: &str| format!(r#"{{"type":"record","name":"R","fields":[{{"name":"e","type":{e}{d}}}]}}"#);
    assert_eq!(
        kinds(&rec(r#"{"type":"enum","name":"E","symbols":["A","B"]}"#, r#","default":"A""#), &rec(w, "")),
        ["missing-enum-symbols"]
    );
    // A reader enum field missing from the writer, with an enum default but no field default:
    // Java checks the enum against the writer record, a type mismatch.
    let r = r#"{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}}]}"#;
    assert_eq!(kinds(r, r#"{"type":"record","name":"R","fields":[]}"#), ["type-mismatch"]);
}

#[test]
fn unions_both_ways() {
    assert!(kinds(r#"["null","int"]"#, r#""int""#).is_empty());
    assert_eq!(kinds(r#"["null","string"]"#, r#""int""#), ["missing-union-branch"]);
    assert_eq!(kinds(r#""int""#, r#"["null","int"]"#), ["type-mismatch"]);
    assert!(kinds(r#""long""#, r#"["int","long"]"#).is_empty());
    assert_eq!(kinds(r#"["null","int"]"#, r#"["null","int","string"]"#), ["missing-union-branch"]);
    assert!(kinds(r#"["null","int","string"]"#, r#"["null","int"]"#).is_empty());
    assert!(kinds(r#"["null","long"]"#, r#"["null","int"]"#).is_empty());
}

#[test]
fn recursion_terminates_and_logical_types_are_invisible() {
    let list = r#"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"],"default":null}]}"#;
    let list2 = r#"{"type":"record","name":"Node","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","Node"],"default":null}]}"#;
    assert!(kinds(list2, list).is_empty());
    assert_eq!(kinds(list, list2), ["type-mismatch"]);
    assert!(kinds(
        r#"{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}"#,
        r#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":1}"#
    )
    .is_empty());
    assert!(kinds(
        r#"{"type":"long","logicalType":"timestamp-micros"}"#,
        r#"{"type":"long","logicalType":"timestamp-millis"}"#
    )
    .is_empty());
}

#[test]
fn levels() {
    let v1 = set(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
    let v2 = set(
        r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}"#,
    );
    let v3 = set(r#"{"type":"record","name":"R","fields":[{"name":"b","type":"int","default":0}]}"#);
    let (w1, w2, w3) = (SetView(&v1), SetView(&v2), SetView(&v3));
    fn mk<'a>(w: &'a SetView<'a>, s: &SchemaSet) -> Version<'a> {
        Version { view: w, root: NodeRef { unit: 0, id: s.files[0].root.unwrap() } }
    }
    let prev = [mk(&w1, &v1), mk(&w2, &v2)];
    let new = mk(&w3, &v3);
    let ok = |l: Level| check_level(l, &new, &prev).iter().all(|c| c.compatible());
    assert!(ok(Level::Backward));
    assert!(ok(Level::BackwardTransitive));
    // Removing `a` (no default in v1/v2 readers) breaks FORWARD.
    assert!(!ok(Level::Forward));
    assert!(!ok(Level::Full));
    assert!(ok(Level::None));
    assert!(check_level(Level::FullTransitive, &new, &[]).is_empty());
    assert_eq!(Level::parse("backward_transitive"), Some(Level::BackwardTransitive));
    assert_eq!(Level::parse("sideways"), None);
}

#[test]
fn records_of_many_fields_match_by_name_and_alias() {
    // More than 16 fields: the writer's fields are looked up by name, as Java's getField does.
    let fields = |names: &[String], extra: &str| {
        let f: Vec<String> = names.iter().map(|n| format!(r#"{{"name": "{n}", "type": "int"}}"#)).collect();
        format!(r#"{{"type": "record", "name": "R", "fields": [{}{extra}]}}"#, f.join(", "))
    };
    let names: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
    let writer = fields(&names, r#", {"name": "old", "type": "int"}"#);
    assert!(kinds(&fields(&names, ""), &writer).is_empty());
    assert!(kinds(&fields(&names, r#", {"name": "new", "type": "int", "aliases": ["old"]}"#), &writer).is_empty());
    assert_eq!(
        kinds(&fields(&names, r#", {"name": "new", "type": "int"}"#), &writer),
        ["reader-field-missing-default-value"]
    );
    assert_eq!(
        kinds(&fields(&names, r#", {"name": "new", "type": "string", "aliases": ["old"]}"#), &writer),
        ["type-mismatch"]
    );
}

fn union_of_records(n: usize, extra_in_last: bool) -> String {
    let branches: Vec<String> = (0..n)
        .map(|i| {
            let extra =
                if extra_in_last && i == n - 1 { r#", {"name": "e", "type": "string", "default": ""}"# } else { "" };
            format!(r#"{{"type": "record", "name": "B{i}", "fields": [{{"name": "id", "type": "long"}}{extra}]}}"#)
        })
        .collect();
    format!(r#"{{"type": "record", "name": "a.H", "fields": [{{"name": "v", "type": [{}]}}]}}"#, branches.join(","))
}

#[test]
fn a_union_of_many_records_costs_a_pair_check_per_branch_not_per_pair_of_branches() {
    let n = 1_500;
    let (r, w) = (set(&union_of_records(n, true)), set(&union_of_records(n, false)));
    let root = |s: &SchemaSet| NodeRef { unit: 0, id: s.files[0].root.unwrap() };
    let (rv, wv) = (SetView(&r), SetView(&w));
    let mut c = Checker::new(&rv, &wv);
    assert!(c.check(root(&r), root(&w)).is_empty());
    // Each writer branch meets the reader union once and its one same-named reader branch.
    assert!(c.pairs_checked < 10 * n, "{} pairs checked for {n} branches", c.pairs_checked);
    // A writer branch no reader branch reads is still reported, once.
    let (r2, w2) = (set(&union_of_records(n, false)), set(&union_of_records(n + 1, false)));
    let found = check(&SetView(&r2), root(&r2), &SetView(&w2), root(&w2));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, IncompatibilityKind::MissingUnionBranch);
}

#[test]
fn reader_union_candidates_keep_javas_results() {
    // Renamed branch read through an alias, promotion to a primitive branch, unrelated kinds.
    assert!(kinds(
        r#"["null", {"type": "record", "name": "New", "aliases": ["Old"], "fields": []}]"#,
        r#"{"type": "record", "name": "Old", "fields": []}"#
    )
    .is_empty());
    assert!(kinds(r#"["string", "long"]"#, r#""int""#).is_empty());
    assert_eq!(
        kinds(r#"["string", {"type": "array", "items": "int"}]"#, r#"{"type": "map", "values": "int"}"#),
        ["missing-union-branch"]
    );
    assert_eq!(
        kinds(r#"[{"type": "enum", "name": "E", "symbols": ["A"]}]"#, r#"{"type": "fixed", "name": "E", "size": 1}"#),
        ["missing-union-branch"]
    );
}

#[test]
fn an_enum_of_many_symbols_is_checked_by_set_membership() {
    let e = |n: usize| {
        let s: Vec<String> = (0..n).map(|i| format!("\"S{i}\"")).collect();
        format!(r#"{{"type": "enum", "name": "E", "symbols": [{}]}}"#, s.join(","))
    };
    assert!(kinds(&e(60_001), &e(60_000)).is_empty());
    assert_eq!(kinds(&e(60_000), &e(60_001)), ["missing-enum-symbols"]);
}

/// A view of one set that shares verdicts with the other views of the same store.
struct Shared<'a>(&'a SchemaSet, &'a SharedVerdicts);

impl View for Shared<'_> {
    fn set(&self, _unit: u32) -> &SchemaSet {
        self.0
    }
    fn resolve(&self, r: NodeRef) -> NodeRef {
        NodeRef { unit: r.unit, id: self.0.deref(r.id) }
    }
    fn shared_verdicts(&self) -> Option<&SharedVerdicts> {
        Some(self.1)
    }
}

fn chain(n: usize, last: &str) -> String {
    let mut inner = format!(r#"{{"type": "record", "name": "L{n}", "fields": [{{"name": "v", "type": "{last}"}}]}}"#);
    for i in (0..n).rev() {
        inner = format!(
            r#"{{"type": "record", "name": "L{i}", "fields": [{{"name": "next", "type": ["null", {inner}], "default": null}}]}}"#
        );
    }
    inner
}

#[test]
fn checks_of_many_versions_share_compatible_verdicts_but_report_every_break() {
    // Nested inline, shallow enough for a test thread's stack in a debug build.
    let n = 60;
    let (old, new, bad) = (set(&chain(n, "int")), set(&chain(n, "long")), set(&chain(n, "string")));
    // Distinct unit numbers, as a store gives its loaded files: shared verdicts are keyed by them.
    let roots = |s: &SchemaSet, unit: u32| -> Vec<NodeRef> {
        (0..=n).map(|i| NodeRef { unit, id: s.lookup(&format!("L{i}")).unwrap() }).collect()
    };
    let verdicts = SharedVerdicts::default();
    let (ov, nv) = (Shared(&old, &verdicts), Shared(&new, &verdicts));
    let mut work = 0;
    for (r, w) in roots(&new, 1).into_iter().zip(roots(&old, 0)) {
        let mut c = Checker::new(&nv, &ov);
        assert!(c.check(r, w).is_empty());
        work += c.pairs_checked;
    }
    // Each of the n + 1 checks walks the rest of the chain unless verdicts are shared.
    assert!(work < 10 * n, "{work} pair checks for {n} versions");
    // An incompatible end is reported from every root: only compatible verdicts are shared.
    let bv = Shared(&bad, &verdicts);
    for _ in 0..2 {
        for (r, w) in roots(&bad, 2).into_iter().zip(roots(&old, 0)) {
            assert_eq!(Checker::new(&bv, &ov).check(r, w).len(), 1);
        }
    }
}
