use super::python::*;
use super::{target, Context, TypeRef, Value};
use crate::core::config::Config;
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::publish::FileInput;
use crate::core::source::SourceMap;

/// The model of schema files for a target, or the refusal.
fn model(target_name: &str, files: &[(&str, String)]) -> Result<Context, String> {
    let inputs = files.iter().map(|(p, t)| Input::new(*p, t.as_bytes())).collect();
    let set = load(inputs, &Limits::default(), &mut SourceMap::new());
    assert!(!set.has_errors(), "{files:?}");
    let fi: Vec<FileInput> =
        files.iter().enumerate().map(|(index, (path, text))| FileInput { index, path, text }).collect();
    super::context(&set, &fi, &Config::default(), target(target_name).unwrap(), "pkg")
}

/// The generated module paths of schema files, or the refusal.
fn paths(target: &str, files: &[(&str, String)]) -> Result<Vec<String>, String> {
    Ok(model(target, files)?.schemas.into_iter().map(|s| s.path).collect())
}

fn record(name: &str, namespace: Option<&str>) -> String {
    let ns = namespace.map(|n| format!(r#","namespace":"{n}""#)).unwrap_or_default();
    format!(r#"{{"type":"record","name":"{name}"{ns},"fields":[]}}"#)
}

#[test]
fn modules_never_take_the_name_of_a_file_the_generator_writes() {
    let files = vec![
        ("a.avsc", record("__init__", None)),
        ("b.avsc", record("__main__", Some("com.acme"))),
        ("c.avsc", record("schemapipe_runtime", None)),
        ("d.avsc", record("__INIT__", Some("org"))),
        ("e.avsc", record("X", Some("__pycache__"))),
    ];
    let got = paths("python", &files).unwrap();
    assert_eq!(
        got,
        [
            "pkg/__init___.py",
            "pkg/__pycache___/x.py",
            "pkg/com/acme/__main___.py",
            "pkg/org/__init___.py",
            "pkg/schemapipe_runtime_.py"
        ]
    );
    let got =
        paths("javascript", &[("a.avsc", record("Schemapipe_Runtime", None)), ("b.avsc", record("__init__", None))])
            .unwrap();
    assert_eq!(got, ["pkg/Schemapipe_Runtime_.js", "pkg/__init__.js"]);
    // Elsewhere than the package's directory, the runtime's name is free.
    assert_eq!(
        paths("python", &[("a.avsc", record("schemapipe_runtime", Some("com")))]).unwrap(),
        ["pkg/com/schemapipe_runtime.py"]
    );
}

#[test]
fn paths_that_differ_only_in_case_get_a_hash_of_their_avro_name() {
    let h = |s: &str| super::manifest::sha256(s.as_bytes())[..8].to_string();
    // The first Avro name (in byte order: upper case first) keeps the path, whatever the files' order.
    for files in [
        vec![("a.avsc", record("Order", None)), ("b.avsc", record("order", None))],
        vec![("b.avsc", record("order", None)), ("a.avsc", record("Order", None))],
    ] {
        assert_eq!(
            paths("javascript", &files).unwrap(),
            ["pkg/Order.js", format!("pkg/order_{}.js", h("order")).as_str()]
        );
    }
    let got =
        paths("javascript", &[("a.avsc", record("X", Some("com.Acme"))), ("b.avsc", record("Y", Some("com.acme")))])
            .unwrap();
    assert_eq!(got, ["pkg/com/Acme/X.js", format!("pkg/com/acme_{}/Y.js", h("com.acme")).as_str()]);
    // Python lower-cases module names: `Order` and `ORDER` would share one.
    let got = paths("python", &[("a.avsc", record("Order", None)), ("b.avsc", record("ORDER", None))]).unwrap();
    assert_eq!(got, ["pkg/order.py", format!("pkg/order_{}.py", h("Order")).as_str()]);
}

#[test]
fn a_name_too_long_for_a_file_is_shortened_alike_in_every_target() {
    let long = "N".repeat(300);
    let h = &super::manifest::sha256(long.as_bytes())[..8];
    let full = &super::manifest::sha256(format!("{long}.{long}").as_bytes())[..8];
    let js = paths("javascript", &[("a.avsc", record(&long, Some(&long)))]).unwrap();
    let n = "N".repeat(100);
    assert_eq!(js, [format!("pkg/{n}_{h}/{n}_{full}.js")]);
    let py = paths("python", &[("a.avsc", record(&long, None))]).unwrap();
    assert_eq!(py, [format!("pkg/{}_{h}.py", "n".repeat(100))]);
    // The class keeps its name.
    let m = model("javascript", &[("a.avsc", record(&long, None))]).unwrap();
    assert_eq!(m.schemas[0].class_name, long);
}

#[test]
fn a_top_level_that_is_not_named_gets_a_module_named_after_the_file() {
    let files = vec![
        ("com/acme/order-ids.avsc", r#"{"type": "array", "items": "long"}"#.to_string()),
        (
            "events.avsc",
            r#"[{"type":"record","name":"A","fields":[]},{"type":"record","name":"B","fields":[{"name":"x","type":["null","B"],"default":null}]}]"#
                .to_string(),
        ),
        ("empty.avsc", "[]".to_string()),
        ("s.avsc", r#""string""#.to_string()),
    ];
    let m = model("python", &files).unwrap();
    let got: Vec<(&str, &str, &str, &str)> = m
        .schemas
        .iter()
        .map(|s| (s.path.as_str(), s.class_name.as_str(), s.kind, s.value_type_expr.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("pkg/com/acme/order_ids.py", "OrderIds", "array", "list[int]"),
            ("pkg/empty.py", "Empty", "union", "_typing.NoReturn"),
            ("pkg/events.py", "Events", "union", "A | B"),
            ("pkg/s.py", "S", "primitive", "str"),
        ]
    );
    let events = &m.schemas[2];
    assert_eq!(events.full_name, "events");
    assert_eq!(
        events.types.iter().map(|t| (t.class_name.as_str(), t.recursive)).collect::<Vec<_>>(),
        [("A", false), ("B", true)]
    );
    let TypeRef::Union { tags, .. } = &events.value_type else { panic!() };
    assert_eq!(tags, &["A", "B"]);
    // A file named like a type it defines: the value type's alias steps aside.
    let m = model("javascript", &[("A.avsc", r#"[{"type":"record","name":"A","fields":[]}, "null"]"#.to_string())])
        .unwrap();
    assert_eq!((m.schemas[0].class_name.as_str(), m.schemas[0].adapter_name.as_str()), ("A_", "A_Adapter"));
}

#[test]
fn defaults_are_typed_by_the_branch_they_belong_to() {
    let schema = r#"{"type":"record","name":"R","fields":[
        {"name":"a","type":["null","string"],"default":"x"},
        {"name":"b","type":"bytes","default":"\u00ff"},
        {"name":"c","type":{"type":"map","values":"long"},"default":{"k":9007199254740993}},
        {"name":"d","type":"double","default":"NaN"},
        {"name":"e","type":["int","null"],"default":1}]}"#;
    let m = model("javascript", &[("r.avsc", schema.to_string())]).unwrap();
    let f = &m.schemas[0].types[0].fields;
    assert_eq!(
        f[0].default_value,
        Some(Value::Union { index: 1, tag: "string".into(), value: Box::new(Value::String { value: "x".into() }) })
    );
    let exprs: Vec<&str> = f.iter().map(|x| x.default_expr.as_deref().unwrap()).collect();
    assert_eq!(
        exprs,
        ["_schemapipeBranch(\"string\", \"x\")", "new Uint8Array([0xff])", "{[\"k\"]: 9007199254740993n}", "NaN", "1"]
    );
    let m = model("python", &[("r.avsc", schema.to_string())]).unwrap();
    let exprs: Vec<String> = m.schemas[0].types[0].fields.iter().map(|x| x.default_expr.clone().unwrap()).collect();
    assert_eq!(
        exprs,
        [
            "(\"string\", \"x\")",
            "b\"\\xff\"",
            "_dataclasses.field(default_factory=lambda: {\"k\": 9007199254740993})",
            "(1e999 * 0)",
            "1"
        ]
    );
}

#[test]
fn relative_paths() {
    assert_eq!(super::relative_path("p/com/a/X.js", "p/com/b/Y.js"), "../b/Y.js");
    assert_eq!(super::relative_path("p/com/a/X.js", "p/com/a/Y.js"), "./Y.js");
    assert_eq!(super::relative_path("p/X.js", "p/com/Y.js"), "./com/Y.js");
    assert_eq!(super::to_root("p/com/a/X.js", "p"), "../../");
    assert_eq!(super::to_root("p/X.js", "p"), "./");
    assert_eq!(super::to_root("a/b/X.js", "a.b"), "./");
}

#[test]
fn python_names() {
    assert_eq!(snake("PaymentCaptured"), "payment_captured");
    assert_eq!(snake("HTTPRequest"), "http_request");
    assert_eq!(snake("OrderV2Placed"), "order_v2_placed");
    assert_eq!(snake("money"), "money");
    assert_eq!(ident("from"), "from_");
    assert_eq!(ident("None"), "None_");
    assert_eq!(ident("type"), "type");
    assert_eq!(bytes_literal("\u{0}a\"\u{ff}"), "b\"\\x00a\\\"\\xff\"");
    assert_eq!(literal(&serde_json::json!({"a": [1, null, true, "x\n"]})), "{\"a\": [1, None, True, \"x\\n\"]}");
    assert_eq!(super::pascal("order-ids"), "OrderIds");
    assert_eq!(super::pascal("2fa"), "_2fa");
}

#[test]
fn comments_are_not_in_the_schema_text() {
    assert_eq!(super::plain_json("\u{feff}{\"a\": /* x */ \"//b\" // c\n}"), "{\"a\":   \"//b\"  \n}");
    let m =
        model("python", &[("a.avsc", "{/* c */ \"type\": \"record\", \"name\": \"A\", \"fields\": []} ".to_string())])
            .unwrap();
    assert_eq!(m.schemas[0].schema_json, r#"{"type":"record","name":"A","fields":[]}"#);
}

#[test]
fn typescript_types() {
    let schema = r#"{"type":"record","name":"string","namespace":"n","fields":[
        {"name":"a","type":["null","long"]},
        {"name":"b","type":["int","string",{"type":"array","items":"string"}]},
        {"name":"c","type":{"type":"map","values":["string","null"]}},
        {"name":"d","type":[]},
        {"name":"e","type":{"type":"long","logicalType":"timestamp-micros"}}]}"#;
    let m = model("typescript", &[("s.avsc", schema.to_string())]).unwrap();
    let s = &m.schemas[0];
    assert_eq!((s.path.as_str(), s.class_name.as_str()), ("pkg/n/string.ts", "string_"));
    let exprs: Vec<&str> = s.types[0].fields.iter().map(|f| f.type_expr.as_str()).collect();
    assert_eq!(
        exprs,
        [
            "(number | bigint) | null",
            "({ branch: \"int\"; value: number } | { branch: \"string\"; value: string } | { branch: \"array\"; value: Array<string> })",
            "{ [key: string]: string | null }",
            "never",
            "Date | number | bigint"
        ]
    );
}

#[test]
fn escaped_names_stay_distinct() {
    let schema = r#"{"type":"record","name":"R","fields":[
        {"name":"from","type":"int"},{"name":"from_","type":"int"},{"name":"from__","type":"int"},
        {"name":"e","type":{"type":"enum","name":"E","symbols":["mro","mro_","_x","symbol_x"]}}]}"#;
    let m = model("python", &[("r.avsc", schema.to_string())]).unwrap();
    let idents: Vec<&str> = m.schemas[0].types[0].fields.iter().map(|f| f.ident.as_str()).collect();
    assert_eq!(idents, ["from_", "from___", "from__", "e"]);
    let members: Vec<&str> = m.schemas[0].types[1].symbols.iter().map(|s| s.ident.as_str()).collect();
    assert_eq!(members, ["mro_", "mro__", "symbol_x", "symbol_x_"]);
}

#[test]
fn a_namespace_too_long_for_a_path_becomes_one_directory() {
    let namespace = vec!["p".repeat(200); 60].join(".");
    let got = paths("typescript", &[("a.avsc", record("X", Some(&namespace)))]).unwrap();
    let h = &super::manifest::sha256(namespace.as_bytes())[..8];
    let prefix = "p".repeat(60);
    assert_eq!(got, [format!("pkg/{prefix}_{h}/X.ts")]);
}

/// A target that cannot express unions: the run stops on the first module with one, naming it.
struct NoUnions;

impl super::Target for NoUnions {
    fn name(&self) -> &'static str {
        "no-unions"
    }
    fn extension(&self) -> &'static str {
        "x"
    }
    fn templates(&self) -> &'static [super::Template] {
        &[]
    }
    fn valid_package(&self, _package: &str) -> bool {
        true
    }
    fn ident(&self, name: &str) -> String {
        name.to_string()
    }
    fn type_expr(&self, ty: &TypeRef, _names: &super::Names) -> String {
        ty.tag()
    }
    fn default_expr(&self, _ty: &TypeRef, _value: &Value, _names: &super::Names) -> String {
        String::new()
    }
    fn refuse(&self, module: &super::Module) -> Option<String> {
        let union = |t: &TypeRef| matches!(t, TypeRef::Union { .. });
        module
            .types
            .iter()
            .flat_map(|t| &t.fields)
            .find(|f| union(&f.ty))
            .map(|f| format!("field `{}` is a union", f.name))
    }
}

#[test]
fn what_a_target_cannot_express_is_refused_naming_the_schema() {
    let files = [
        ("a.avsc", record("A", None)),
        ("b.avsc", r#"{"type":"record","name":"B","fields":[{"name":"u","type":["null","int"]}]}"#.to_string()),
    ];
    let inputs = files.iter().map(|(p, t)| Input::new(*p, t.as_bytes())).collect();
    let set = load(inputs, &Limits::default(), &mut SourceMap::new());
    let fi: Vec<FileInput> =
        files.iter().enumerate().map(|(index, (path, text))| FileInput { index, path, text }).collect();
    let e = super::context(&set, &fi, &Config::default(), &NoUnions, "pkg").unwrap_err();
    assert_eq!(e, "`b.avsc` cannot be generated for no-unions: field `u` is a union");
}

/// The whole set as the targets that name types across files read it: every named type with
/// the file defining it, its fields' type trees and typed defaults, every file's top level
/// (a reference to another file's type as that type), and a union known by one identity
/// wherever the walk meets it; followed as deep as the target generates. Only the targets
/// whose table reads it get it.
#[test]
fn the_set_model_holds_every_named_type_and_every_top_level() {
    let money = r#"{"type":"record","name":"Money","namespace":"com.acme","fields":[
        {"name":"units","type":"long","default":5},
        {"name":"tag","type":["null","string",{"type":"enum","name":"Cur","symbols":["EUR","USD"]}],"default":null}]}"#;
    let files = vec![
        ("money.avsc", money.to_string()),
        ("ref.avsc", r#""com.acme.Money""#.to_string()),
        ("either.avsc", r#"["com.acme.Money","int"]"#.to_string()),
        ("deep.avsc", format!("{}\"int\"{}", r#"{"type":"array","items":"#.repeat(80), "}".repeat(80))),
    ];
    let java = model("java", &files).unwrap();
    let set = &java.set;
    assert_eq!(set.named.keys().collect::<Vec<_>>(), ["com.acme.Cur", "com.acme.Money"]);
    let m = &set.named["com.acme.Money"];
    assert_eq!((m.kind, m.file.as_str(), m.namespace.as_deref()), ("record", "money.avsc", Some("com.acme")));
    assert_eq!(m.fields[0].default_value, Some(Value::Long { value: 5 }));
    assert!(matches!(m.fields[1].default_value, Some(Value::Union { index: 0, .. })));
    assert_eq!(set.named["com.acme.Cur"].symbols, ["EUR", "USD"]);
    assert_eq!(set.named["com.acme.Cur"].file, "money.avsc");
    assert!(matches!(&set.tops["ref.avsc"], TypeRef::Named { full_name, .. } if full_name == "com.acme.Money"));
    // The module's field and the set model's hold the same union, by the same identity; the
    // top-level union of another file is another.
    let module = java.schemas.iter().find(|s| s.file == "money.avsc").unwrap();
    let union_id = |t: &TypeRef| match t {
        TypeRef::Union { id, .. } => *id,
        other => panic!("not a union: {other:?}"),
    };
    assert_eq!(union_id(&module.types[0].fields[1].ty), union_id(&m.fields[1].ty));
    assert_ne!(union_id(&set.tops["either.avsc"]), union_id(&m.fields[1].ty));
    // 80 arrays: past the 64 levels of the scripting targets, within Java's 200.
    let levels = |mut t: &TypeRef| {
        let mut n = 0;
        while let TypeRef::Array { items } = t {
            t = items;
            n += 1;
        }
        (n, t.clone())
    };
    let (n, leaf) = levels(&set.tops["deep.avsc"]);
    assert_eq!(n, 80);
    assert!(matches!(leaf, TypeRef::Primitive { name: "int", .. }), "{leaf:?}");
    // A scripting target reads no whole-set model; its own type trees stop at 64 levels.
    let python = model("python", &files).unwrap();
    assert!(python.set.named.is_empty() && python.set.tops.is_empty());
    let deep = python.schemas.iter().find(|s| s.file == "deep.avsc").unwrap();
    assert_eq!(levels(&deep.value_type), (65, TypeRef::Deep));
}
