//! Decoding never panics, never allocates from an unchecked length and always says where:
//! random bytes and mutated valid encodings against every valid schema of the validation
//! corpus and a few recursive ones (a property test with a fixed seed, as tests/fuzz_props.rs;
//! SCHEMAPIPE_FUZZ_CASES asks for more cases).

use proptest::prelude::*;
use schemapipe::core::codec::{binary, json, resolve, Codec};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::sample::{sample, Rng};
use schemapipe::core::source::SourceMap;
use std::path::PathBuf;
use std::sync::OnceLock;

fn codec_of(text: &str) -> Option<Codec> {
    let set = load(vec![Input::new("s.avsc", text)], &Limits::default(), &mut SourceMap::new());
    if set.has_errors() {
        return None;
    }
    Codec::compile_set(&set, set.files[0].root?).ok()
}

const EXTRA: &[&str] = &[
    r#"{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}"#,
    r#"{"type":"record","name":"Tree","fields":[{"name":"kids","type":{"type":"array","items":"Tree"}},{"name":"m","type":{"type":"map","values":"Tree"}}]}"#,
    r#"{"type":"array","items":{"type":"array","items":"null"}}"#,
    r#"{"type":"map","values":{"type":"record","name":"E","fields":[]}}"#,
    r#"["null","string","bytes",{"type":"fixed","name":"F","size":3},{"type":"enum","name":"S","symbols":["A","B"]}]"#,
];

fn schemas() -> &'static Vec<Codec> {
    static ALL: OnceLock<Vec<Codec>> = OnceLock::new();
    ALL.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let manifest = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
        let mut out: Vec<Codec> = manifest
            .lines()
            .filter_map(|l| {
                let mut p = l.split('\t');
                let (path, verdict) = (p.next()?, p.next()?);
                (verdict == "valid").then(|| codec_of(&std::fs::read_to_string(dir.join(path)).unwrap())).flatten()
            })
            .collect();
        out.extend(EXTRA.iter().map(|s| codec_of(s).unwrap()));
        assert!(out.len() >= 50);
        out
    })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("SCHEMAPIPE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512);
    ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0xc0de_c0de),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_decode_or_fail_with_an_offset(k in 0usize..10_000, bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let all = schemas();
        let c = &all[k % all.len()];
        if let Err(e) = binary::decode(c, &bytes) {
            prop_assert!(e.offset <= bytes.len(), "{e} beyond {} bytes", bytes.len());
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn mutated_encodings_decode_or_fail_with_an_offset(k in 0usize..10_000, seed in any::<u64>(), flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in any::<usize>()) {
        let all = schemas();
        let c = &all[k % all.len()];
        let Ok(v) = sample(c, c.root, &mut Rng::new(seed)) else { return Ok(()) };
        let mut bytes = Vec::new();
        binary::encode(c, c.root, &v, &mut bytes).unwrap();
        if !bytes.is_empty() {
            for (at, b) in flips {
                let n = bytes.len();
                bytes[at % n] = b;
            }
            bytes.truncate(cut % (bytes.len() + 1));
        }
        match binary::decode(c, &bytes) {
            Ok(v) => {
                // Whatever decodes re-encodes to the same bytes and resolves to itself.
                let mut again = Vec::new();
                binary::encode(c, c.root, &v, &mut again).unwrap();
                let mut s = String::new();
                json::to_json(c, c.root, &v, &mut s);
                prop_assert!(resolve::resolve(c, c.root, c, c.root, &v).is_ok());
            }
            Err(e) => prop_assert!(e.offset <= bytes.len()),
        }
    }
}

#[test]
fn a_length_of_two_to_the_31_is_refused_with_its_offset() {
    let c =
        codec_of(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"s","type":"string"}]}"#)
            .unwrap();
    let mut bytes = vec![2];
    binary::write_long(&mut bytes, 1 << 31);
    bytes.extend_from_slice(b"abc");
    let e = binary::decode(&c, &bytes).unwrap_err();
    assert_eq!(e.offset, 1);
    assert_eq!(e.pointer, "/fields/1/type");
    assert!(e.message.contains("string length 2147483648 is more than the 3 bytes left"), "{}", e.message);
}

#[test]
fn deep_recursion_is_bounded() {
    let c = codec_of(EXTRA[0]).unwrap();
    // 100,000 nodes of a linked list: each is an int and the branch index 1.
    let mut bytes = Vec::new();
    for _ in 0..100_000 {
        bytes.extend_from_slice(&[2, 2]);
    }
    bytes.extend_from_slice(&[2, 0]);
    let e = binary::decode(&c, &bytes).unwrap_err();
    assert!(e.message.contains("deeper than"), "{}", e.message);
}

#[test]
fn invalid_utf8_in_a_string_is_located() {
    let c =
        codec_of(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"s","type":"string"}]}"#)
            .unwrap();
    let e = binary::decode(&c, &[2, 6, b'a', 0xC3, 0x28]).unwrap_err();
    assert_eq!(e.offset, 3);
    assert!(e.message.contains("invalid UTF-8"), "{}", e.message);
}

#[test]
fn truncated_input_is_located() {
    let c =
        codec_of(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"d","type":"double"}]}"#)
            .unwrap();
    let e = binary::decode(&c, &[0x80, 0x01, 1, 2, 3]).unwrap_err();
    assert_eq!(e.offset, 2);
    assert!(e.message.contains("needs 8 bytes but only 3 are left"), "{}", e.message);
}
