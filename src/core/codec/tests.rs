use super::*;
use crate::core::load::{load, Input};
use crate::core::source::SourceMap;

fn codec(schema: &str) -> Codec {
    let set = load(vec![Input::new("t.avsc", schema)], &Default::default(), &mut SourceMap::new());
    assert!(!set.has_errors(), "{:?}", set.findings);
    Codec::compile_set(&set, set.files[0].root.unwrap()).unwrap()
}

fn event(c: &Codec, text: &str) -> Value {
    let p = crate::core::json::parse(text, &Default::default()).unwrap();
    json::from_json(c, c.root, &p.root).unwrap()
}

#[test]
fn zigzag_longs() {
    let mut out = Vec::new();
    for v in [0i64, -1, 1, -64, 64, i64::MAX, i64::MIN] {
        out.clear();
        binary::write_long(&mut out, v);
        let c = codec("\"long\"");
        assert_eq!(binary::decode(&c, &out).unwrap(), Value::Long(v));
    }
    out.clear();
    binary::write_long(&mut out, -64);
    assert_eq!(out, vec![0x7f]);
}

#[test]
fn union_json_uses_full_names_and_round_trips() {
    let c = codec(
        r#"{"type":"record","name":"R","namespace":"a.b","fields":[{"name":"x","type":["null",{"type":"enum","name":"E","symbols":["A","B"]}]},{"name":"b","type":"bytes"}]}"#,
    );
    let v = event(&c, r#"{"x": {"a.b.E": "B"}, "b": "\u00ff\u0000"}"#);
    let mut bytes = Vec::new();
    binary::encode(&c, c.root, &v, &mut bytes).unwrap();
    assert_eq!(bytes, vec![2, 2, 4, 0xff, 0]);
    let mut s = String::new();
    json::to_json(&c, c.root, &binary::decode(&c, &bytes).unwrap(), &mut s);
    assert_eq!(s, r#"{"x": {"a.b.E": "B"}, "b": "ÿ\u0000"}"#);
}

#[test]
fn huge_lengths_are_refused_before_allocating() {
    let c = codec("\"string\"");
    let mut bytes = Vec::new();
    binary::write_long(&mut bytes, 1 << 31);
    let e = binary::decode(&c, &bytes).unwrap_err();
    assert_eq!(e.offset, 0);
    assert!(e.message.contains("2147483648"), "{}", e.message);
    let c = codec(r#"{"type":"array","items":"null"}"#);
    let mut bytes = Vec::new();
    binary::write_long(&mut bytes, 1 << 40);
    assert!(binary::decode(&c, &bytes).unwrap_err().message.contains("take no bytes"));
}

#[test]
fn timestamp_unit_change_reads_differently() {
    let w = codec(
        r#"{"type":"record","name":"R","fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}]}"#,
    );
    let r = codec(
        r#"{"type":"record","name":"R","fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-micros"}}]}"#,
    );
    let v = event(&w, r#"{"at": 1700000000000}"#);
    let rv = resolve::resolve(&w, w.root, &r, r.root, &v).unwrap();
    let d = meaning::compare(&w, w.root, &v, &r, r.root, &rv).unwrap();
    assert_eq!(d.path, ".at");
    assert!(d.why.contains("timestamp-millis to timestamp-micros"), "{}", d.why);
    assert!(meaning::compare(&w, w.root, &v, &w, w.root, &v).is_none());
}

#[test]
fn decimal_text_of_twos_complement() {
    assert_eq!(meaning::decimal_text(&[0x04, 0xD2], 2), "12.34");
    assert_eq!(meaning::decimal_text(&[0xFB, 0x2E], 2), "-12.34");
    assert_eq!(meaning::decimal_text(&[0x05], 3), "0.005");
}

#[test]
fn promotions_and_enum_defaults() {
    let w = codec(
        r#"{"type":"record","name":"R","fields":[{"name":"n","type":"int"},{"name":"e","type":{"type":"enum","name":"E","symbols":["A","Z"]}}]}"#,
    );
    let r = codec(
        r#"{"type":"record","name":"R","fields":[{"name":"n","type":["null","string","double","long"]},{"name":"e","type":{"type":"enum","name":"E","symbols":["A","U"],"default":"U"}},{"name":"x","type":"string","default":"d"}]}"#,
    );
    let v = event(&w, r#"{"n": 3, "e": "Z"}"#);
    let rv = resolve::resolve(&w, w.root, &r, r.root, &v).unwrap();
    assert_eq!(
        rv,
        Value::Record(vec![Value::Union(2, Box::new(Value::Double(3.0))), Value::Enum(1), Value::String("d".into())])
    );
}
