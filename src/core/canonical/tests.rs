//! Vectors from the Avro repository's `share/test/data/schema-tests.txt` (input, canonical form
//! and Java's signed 64-bit fingerprint).

use super::*;
use crate::core::json::Limits;
use crate::core::load::{load, Input};
use crate::core::source::SourceMap;

fn pcf(text: &str) -> String {
    let set = load(vec![Input::new("t.avsc", text.as_bytes())], &Limits::default(), &mut SourceMap::new());
    assert!(!set.has_errors(), "{text}: {:?}", set.findings);
    parsing_canonical_form(&set, set.files[0].root.unwrap())
}

const VECTORS: &[(&str, &str, i64)] = &[
    (r#""null""#, r#""null""#, 7195948357588979594),
    (r#"{"type":"null"}"#, r#""null""#, 7195948357588979594),
    (r#""boolean""#, r#""boolean""#, -6970731678124411036),
    (r#""int""#, r#""int""#, 8247732601305521295),
    (r#"{"type":"int"}"#, r#""int""#, 8247732601305521295),
    (r#""long""#, r#""long""#, -3434872931120570953),
    (r#""float""#, r#""float""#, 5583340709985441680),
    (r#""double""#, r#""double""#, -8181574048448539266),
    (r#""bytes""#, r#""bytes""#, 5746618253357095269),
    (r#""string""#, r#""string""#, -8142146995180207161),
    (r#"[  ]"#, r#"[]"#, -1241056759729112623),
    (r#"[ "int"  ]"#, r#"["int"]"#, -5232228896498058493),
    (r#"[ "int" , {"type":"boolean"} ]"#, r#"["int","boolean"]"#, 5392556393470105090),
    (
        r#"{"fields":[], "type":"record", "name":"foo"}"#,
        r#"{"name":"foo","type":"record","fields":[]}"#,
        -4824392279771201922,
    ),
    (
        r#"{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}"#,
        r#"{"name":"x.y.foo","type":"record","fields":[]}"#,
        5916914534497305771,
    ),
    (
        r#"{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}"#,
        r#"{"name":"a.b.foo","type":"record","fields":[]}"#,
        -4616218487480524110,
    ),
    (
        r#"{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}"#,
        r#"{"name":"foo","type":"record","fields":[]}"#,
        -4824392279771201922,
    ),
    (
        r#"{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}"#,
        r#"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}"#,
        7843277075252814651,
    ),
    (
        r#"{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true}, {"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo" }"#,
        r#"{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}"#,
        -4860222112080293046,
    ),
    (
        r#"{"type":"enum", "name":"foo", "symbols":["A1"]}"#,
        r#"{"name":"foo","type":"enum","symbols":["A1"]}"#,
        -6342190197741309591,
    ),
    (
        r#"{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}"#,
        r#"{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}"#,
        -4448647247586288245,
    ),
    (r#"{"name":"foo","type":"fixed","size":15}"#, r#"{"name":"foo","type":"fixed","size":15}"#, 1756455273707447556),
    (
        r#"{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}"#,
        r#"{"name":"x.y.z.foo","type":"fixed","size":32}"#,
        -3064184465700546786,
    ),
    (r#"{ "items":{"type":"null"}, "type":"array"}"#, r#"{"type":"array","items":"null"}"#, -589620603366471059),
    (r#"{ "values":"string", "type":"map"}"#, r#"{"type":"map","values":"string"}"#, -8732877298790414990),
    (
        r#"{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}"#,
        r#"{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}"#,
        -1759257747318642341,
    ),
];

#[test]
fn specification_vectors() {
    for (input, canonical, fp) in VECTORS {
        let got = pcf(input);
        assert_eq!(&got, canonical, "{input}");
        assert_eq!(fingerprints(&got).rabin_i64, *fp, "{input}");
    }
}

#[test]
fn little_endian_hex_and_digests() {
    let f = fingerprints("\"int\"");
    assert_eq!(f.rabin_hex, "8f5c393f1ad57572");
    assert_eq!(f.md5, "ef524ea1b91e73173d938ade36c1db32");
    assert_eq!(f.sha256, "3f2b87a9fe7cc9b13835598c3981cd45e3e355309e5090aa0933d7becb6fba45");
}

#[test]
fn logical_types_are_stripped() {
    // apache-avro 0.22 keeps logicalType here, so its fingerprints differ from Java's.
    assert_eq!(pcf(r#"{"type":"long","logicalType":"timestamp-millis"}"#), r#""long""#);
    assert_eq!(
        pcf(r#"{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":10,"scale":2}"#),
        r#"{"name":"D","type":"fixed","size":8}"#
    );
    assert_eq!(pcf(r#"{"type":"error","name":"E","fields":[]}"#), r#"{"name":"E","type":"record","fields":[]}"#);
}

#[test]
fn types_from_other_files_are_inlined_once() {
    let files = vec![
        Input::new(
            "m.avsc",
            r#"{"type":"record","name":"Money","namespace":"c","fields":[{"name":"a","type":"long"}]}"#,
        ),
        Input::new(
            "p.avsc",
            r#"{"type":"record","name":"P","namespace":"p","fields":[{"name":"x","type":"c.Money"},{"name":"y","type":"c.Money"}]}"#,
        ),
    ];
    let set = load(files, &Limits::default(), &mut SourceMap::new());
    assert_eq!(
        parsing_canonical_form(&set, set.files[1].root.unwrap()),
        r#"{"name":"p.P","type":"record","fields":[{"name":"x","type":{"name":"c.Money","type":"record","fields":[{"name":"a","type":"long"}]}},{"name":"y","type":"c.Money"}]}"#
    );
}
