use super::*;
use crate::core::compat::{check, SetView};
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::schema::SchemaSet;
use crate::core::source::SourceMap;

fn set(text: &str) -> SchemaSet {
    let s = load(vec![Input::new("s.avsc", text)], &Limits::default(), &mut SourceMap::new());
    assert!(!s.has_errors(), "{text}: {:?}", s.findings);
    s
}

fn root(s: &SchemaSet) -> NodeRef {
    NodeRef { unit: 0, id: s.files[0].root.unwrap() }
}

/// The changes from `old` to `new`, marked with what the checker finds in each direction.
fn changes(old: &str, new: &str) -> Vec<Change> {
    let (o, n) = (set(old), set(new));
    let (ov, nv) = (SetView(&o), SetView(&n));
    let mut c = diff(&ov, root(&o), &nv, root(&n));
    let backward = check(&nv, root(&n), &ov, root(&o)).to_vec();
    let forward = check(&ov, root(&o), &nv, root(&n)).to_vec();
    annotate(&mut c, &backward, &forward);
    c
}

/// `kind path [breaks]` per change, for compact assertions.
fn summary(old: &str, new: &str) -> Vec<String> {
    changes(old, new)
        .iter()
        .map(|c| {
            let mut s = format!("{} {}", c.kind.code(), c.path);
            for d in &c.breaks {
                s.push_str(match d {
                    Direction::Backward => " !backward",
                    Direction::Forward => " !forward",
                });
            }
            s
        })
        .collect()
}

fn record(fields: &str) -> String {
    format!(r#"{{"type": "record", "name": "E", "namespace": "com.x", "fields": [{fields}]}}"#)
}

const ID: &str = r#"{"name": "id", "type": "string"}"#;

#[test]
fn identical_versions_have_no_changes() {
    let s = record(&format!(r#"{ID}, {{"name": "n", "type": ["null", "long"], "default": null}}"#));
    assert!(changes(&s, &s).is_empty());
    // Layout and key order are not changes.
    let relaid = r#"{"fields": [{"type": "string", "name": "id"}, {"default": null, "type": ["null", "long"], "name": "n"}],
        "namespace": "com.x", "name": "E", "type": "record"}"#;
    assert!(changes(&s, relaid).is_empty());
}

#[test]
fn added_fields_break_readers_only_without_a_default() {
    let old = record(ID);
    let with_default = record(&format!(r#"{ID}, {{"name": "note", "type": "string", "default": ""}}"#));
    assert_eq!(summary(&old, &with_default), ["field-added note"]);
    let c = &changes(&old, &with_default)[0];
    assert_eq!(c.message, "field `note` added: `string`, default \"\"");
    assert!(c.old.is_none() && c.new.as_ref().unwrap().pointer == "/fields/1");
    let without = record(&format!(r#"{ID}, {{"name": "note", "type": "string"}}"#));
    assert_eq!(summary(&old, &without), ["field-added note !backward"]);
}

#[test]
fn removed_fields_break_old_readers_without_a_default() {
    let with_default = record(&format!(r#"{ID}, {{"name": "note", "type": "string", "default": ""}}"#));
    let without = record(&format!(r#"{ID}, {{"name": "note", "type": "string"}}"#));
    assert_eq!(summary(&with_default, &record(ID)), ["field-removed note"]);
    assert_eq!(summary(&without, &record(ID)), ["field-removed note !forward"]);
}

#[test]
fn a_field_renamed_with_an_alias_is_a_rename() {
    let old = record(&format!(r#"{ID}, {{"name": "mail", "type": "string"}}"#));
    let new = record(&format!(r#"{ID}, {{"name": "email", "type": "string", "aliases": ["mail"]}}"#));
    // The old reader has no `email` and no default: forward breaks; the alias only helps readers.
    assert_eq!(summary(&old, &new), ["field-renamed email !forward", "aliases-changed email"]);
    let without_alias = record(&format!(r#"{ID}, {{"name": "email", "type": "string"}}"#));
    assert_eq!(summary(&old, &without_alias), ["field-added email !backward", "field-removed mail !forward"]);
}

#[test]
fn type_changes_name_both_types_and_promotions_break_only_old_readers() {
    let old = record(r#"{"name": "n", "type": "int"}"#);
    let new = record(r#"{"name": "n", "type": "long"}"#);
    assert_eq!(summary(&old, &new), ["type-changed n !forward"]);
    let c = &changes(&old, &new)[0];
    assert_eq!((c.before.as_deref(), c.after.as_deref()), (Some("int"), Some("long")));
    assert_eq!(c.message, "type of `n` changed from `int` to `long`");
    let s = record(r#"{"name": "n", "type": "string"}"#);
    assert_eq!(summary(&old, &s), ["type-changed n !backward !forward"]);
}

#[test]
fn making_a_field_optional_is_a_type_change_that_old_readers_cannot_follow() {
    let old = record(r#"{"name": "n", "type": "string"}"#);
    let new = record(r#"{"name": "n", "type": ["null", "string"], "default": null}"#);
    assert_eq!(summary(&old, &new), ["default-added n", "type-changed n !forward"]);
    let c = changes(&old, &new);
    assert_eq!(c[1].after.as_deref(), Some("[null, string]"));
}

#[test]
fn enum_symbols_are_compared_by_name() {
    let e = |symbols: &str, default: &str| {
        record(&format!(r#"{{"name": "s", "type": {{"type": "enum", "name": "S", "symbols": [{symbols}]{default}}}}}"#))
    };
    assert_eq!(summary(&e(r#""A", "B""#, ""), &e(r#""A", "B", "C""#, "")), ["symbol-added s !forward"]);
    // With a default symbol an old reader reads the new symbol as the default.
    assert_eq!(
        summary(&e(r#""A", "B""#, r#", "default": "A""#), &e(r#""A", "B", "C""#, r#", "default": "A""#)),
        ["symbol-added s"]
    );
    assert_eq!(summary(&e(r#""A", "B""#, ""), &e(r#""A""#, "")), ["symbol-removed s !backward"]);
    assert_eq!(summary(&e(r#""A", "B""#, ""), &e(r#""B", "A""#, "")), ["symbols-reordered s"]);
    assert_eq!(
        summary(&e(r#""A", "B""#, r#", "default": "A""#), &e(r#""A", "B""#, r#", "default": "B""#)),
        ["enum-default-changed s"]
    );
}

#[test]
fn union_branches_are_matched_by_type() {
    let u = |branches: &str| record(&format!(r#"{{"name": "v", "type": [{branches}], "default": null}}"#));
    assert_eq!(summary(&u(r#""null", "string""#), &u(r#""null", "string", "int""#)), ["branch-added v !forward"]);
    assert_eq!(summary(&u(r#""null", "string", "int""#), &u(r#""null", "string""#)), ["branch-removed v !backward"]);
    let c = &changes(&u(r#""null", "string""#), &u(r#""null", "string", "int""#))[0];
    assert_eq!(c.message, "branch `int` added to the union at `v`");
    assert_eq!(summary(&u(r#""null", "string", "int""#), &u(r#""null", "int", "string""#)), ["branches-reordered v"]);
}

#[test]
fn nested_places_have_readable_paths() {
    let old = record(
        r#"{"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
               {"name": "price", "type": "int"}]}}},
           {"name": "tags", "type": {"type": "map", "values": "int"}},
           {"name": "payload", "type": ["null", {"type": "record", "name": "A", "fields": [{"name": "a", "type": "int"}]},
                                       {"type": "record", "name": "B", "fields": []}], "default": null}"#,
    );
    let new = record(
        r#"{"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
               {"name": "price", "type": "long"}]}}},
           {"name": "tags", "type": {"type": "map", "values": "long"}},
           {"name": "payload", "type": ["null", {"type": "record", "name": "A", "fields": [{"name": "a", "type": "long"}]},
                                       {"type": "record", "name": "B", "fields": []}], "default": null}"#,
    );
    assert_eq!(
        summary(&old, &new),
        [
            "type-changed items[].price !forward",
            "type-changed tags{} !forward",
            "type-changed payload<com.x.A>.a !forward"
        ]
    );
}

#[test]
fn a_named_type_used_twice_is_compared_once() {
    let old = record(
        r#"{"name": "from", "type": {"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"}]}},
           {"name": "to", "type": "P"}"#,
    );
    let new = record(
        r#"{"name": "from", "type": {"type": "record", "name": "P", "fields": [{"name": "x", "type": "int"},
               {"name": "y", "type": "int", "default": 0}]}},
           {"name": "to", "type": "P"}"#,
    );
    assert_eq!(summary(&old, &new), ["field-added from.y"]);
}

#[test]
fn recursive_types_terminate() {
    let list = |extra: &str| {
        format!(
            r#"{{"type": "record", "name": "Node", "fields": [{{"name": "v", "type": "int"}},
               {{"name": "next", "type": ["null", "Node"], "default": null}}{extra}]}}"#
        )
    };
    assert_eq!(summary(&list(""), &list(r#", {"name": "w", "type": "int", "default": 1}"#)), ["field-added w"]);
}

#[test]
fn documentation_and_properties_never_break() {
    let old = record(r#"{"name": "n", "type": "int", "doc": "old"}"#);
    let new = record(r#"{"name": "n", "type": "int", "doc": "new", "x-owner": "team-a", "order": "descending"}"#);
    assert_eq!(summary(&old, &new), ["order-changed n", "doc-changed n", "property-changed n"]);
    assert!(changes(&old, &new).iter().all(|c| c.kind.cosmetic()));
}

#[test]
fn defaults_logical_types_sizes_and_names() {
    let old = record(r#"{"name": "n", "type": "int", "default": 1}"#);
    let new = record(r#"{"name": "n", "type": "int", "default": 2}"#);
    assert_eq!(summary(&old, &new), ["default-changed n"]);
    assert_eq!(changes(&old, &new)[0].message, "default of `n` changed from 1 to 2");
    assert_eq!(summary(&new, &record(r#"{"name": "n", "type": "int"}"#)), ["default-removed n"]);

    let ts = |l: &str| record(&format!(r#"{{"name": "t", "type": {{"type": "long", "logicalType": "{l}"}}}}"#));
    assert_eq!(summary(&ts("timestamp-millis"), &ts("timestamp-micros")), ["logical-type-changed t"]);

    let fx =
        |size: u32| record(&format!(r#"{{"name": "h", "type": {{"type": "fixed", "name": "H", "size": {size}}}}}"#));
    assert_eq!(summary(&fx(16), &fx(32)), ["size-changed h !backward !forward"]);

    let moved =
        r#"{"type": "record", "name": "E", "namespace": "com.y", "fields": [{"name": "id", "type": "string"}]}"#;
    assert_eq!(summary(&record(ID), moved), ["type-renamed "]);
    let renamed = r#"{"type": "record", "name": "F", "namespace": "com.x", "aliases": ["com.x.E"], "fields": [{"name": "id", "type": "string"}]}"#;
    // Java compares record names unqualified and ignores writer aliases: old readers break.
    assert_eq!(summary(&record(ID), renamed), ["type-renamed  !forward", "aliases-changed "]);
    // A field whose named type is replaced by another is a type change, not a rename.
    let a = record(r#"{"name": "m", "type": {"type": "record", "name": "A", "fields": []}}"#);
    let b = record(r#"{"name": "m", "type": {"type": "record", "name": "B", "fields": []}}"#);
    assert_eq!(summary(&a, &b), ["type-changed m !backward !forward"]);
}

#[test]
fn deep_nesting_is_diffed() {
    // Loading is recursive in the schema builder: run where the CLI runs, on a large stack.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let depth = 900;
            let nested = |leaf: &str| {
                format!("{}{leaf}{}", "{\"type\": \"array\", \"items\": ".repeat(depth), "}".repeat(depth))
            };
            let (o, n) = (set(&nested("\"int\"")), set(&nested("\"long\"")));
            let got = diff(&SetView(&o), root(&o), &SetView(&n), root(&n));
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].path, "[]".repeat(depth));
            assert_eq!(got[0].after.as_deref(), Some("long"));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn compact_values_are_cut() {
    let s = set(&format!(
        r#"{{"type": "record", "name": "R", "fields": [{{"name": "a", "type": "string", "default": "{}"}}]}}"#,
        "é".repeat(100)
    ));
    let SchemaKind::Record(r) = &s.node(s.files[0].root.unwrap()).kind else { panic!() };
    let shown = compact(r.fields[0].default.as_ref().unwrap());
    assert!(shown.ends_with('…') && shown.chars().count() < 80, "{shown}");
}

#[test]
fn changes_inside_a_union_branch_carry_the_branch_break() {
    let u = |fields: &str| {
        record(&format!(
            r#"{{"name": "p", "type": ["null", {{"type": "record", "name": "X", "fields": [{fields}]}}], "default": null}}"#
        ))
    };
    let a = r#"{"name": "a", "type": "int"}"#;
    let with_b = format!(r#"{a}, {{"name": "b", "type": "int"}}"#);
    // Java reports both at the union (MISSING_UNION_BRANCH), not at the field.
    assert_eq!(summary(&u(a), &u(&with_b)), ["field-added p.b !backward"]);
    assert_eq!(summary(&u(&with_b), &u(a)), ["field-removed p.b !forward"]);
}

#[test]
fn symbols_and_branches_break_only_the_direction_they_can() {
    let e = |symbols: &str| {
        record(&format!(r#"{{"name": "s", "type": {{"type": "enum", "name": "S", "symbols": [{symbols}]}}}}"#))
    };
    assert_eq!(
        summary(&e(r#""A", "B""#), &e(r#""A", "C""#)),
        ["symbol-added s !forward", "symbol-removed s !backward"]
    );
    let u = |branches: &str| record(&format!(r#"{{"name": "v", "type": [{branches}], "default": null}}"#));
    // `long` reads `int` (a promotion): only old readers break.
    assert_eq!(
        summary(&u(r#""null", "int""#), &u(r#""null", "long""#)),
        ["branch-added v !forward", "branch-removed v"]
    );
    // A rename breaks old readers only; the field added without a default breaks new readers.
    let renamed = r#"{"type": "record", "name": "F", "namespace": "com.x", "aliases": ["com.x.E"],
        "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "int"}]}"#;
    assert_eq!(
        summary(&record(ID), renamed),
        ["type-renamed  !forward", "aliases-changed ", "field-added n !backward"]
    );
}

#[test]
fn a_union_branch_moved_to_another_namespace_is_followed() {
    let u = |ns: &str, ty: &str| {
        record(&format!(
            r#"{{"name": "p", "type": ["null", {{"type": "record", "name": "X", "namespace": "{ns}", "fields": [{{"name": "a", "type": "{ty}"}}]}}], "default": null}}"#
        ))
    };
    assert_eq!(summary(&u("a", "int"), &u("b", "long")), ["type-renamed p", "type-changed p.a !forward"]);
}

#[test]
fn a_type_that_changes_kind_under_the_same_name_says_so() {
    let old = record(r#"{"name": "m", "type": {"type": "record", "name": "T", "fields": []}}"#);
    let new = record(r#"{"name": "m", "type": {"type": "enum", "name": "T", "symbols": ["A"]}}"#);
    let c = changes(&old, &new);
    assert_eq!(c[0].message, "type of `m` changed from `record com.x.T` to `enum com.x.T`");
}

#[test]
fn enums_and_unions_of_thousands_diff_without_quadratic_searches() {
    // Quadratic versions of these took minutes at this size; they must stay fast in a debug build.
    let e = |n: usize| {
        let s: Vec<String> = (0..n).map(|i| format!("\"S{i}\"")).collect();
        format!(r#"{{"type": "enum", "name": "E", "symbols": [{}]}}"#, s.join(","))
    };
    let (o, n) = (set(&e(50_000)), set(&e(50_001)));
    let c = diff(&SetView(&o), root(&o), &SetView(&n), root(&n));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].kind, ChangeKind::SymbolAdded);
    let u = |n: usize| {
        let b: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"type": "record", "name": "B{i}", "fields": [{{"name": "id", "type": "long"}}]}}"#))
            .collect();
        format!(r#"{{"type": "record", "name": "a.H", "fields": [{{"name": "v", "type": [{}]}}]}}"#, b.join(","))
    };
    let (o, n) = (set(&u(3_000)), set(&u(3_001)));
    let c = diff(&SetView(&o), root(&o), &SetView(&n), root(&n));
    assert_eq!(c.iter().filter(|c| c.kind == ChangeKind::BranchAdded).count(), 1);
}
