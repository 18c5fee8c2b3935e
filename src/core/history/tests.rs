use super::*;

const INT: &str =
    r#"{"type": "record", "name": "Pay", "namespace": "com.acme", "fields": [{"name": "amount", "type": "int"}]}"#;
const STRING: &str =
    r#"{"type": "record", "name": "Pay", "namespace": "com.acme", "fields": [{"name": "amount", "type": "string"}]}"#;
const NOT_JSON: &str = r#"{"type": "record", "name": "Pay", "fields": [ <<<<<<< HEAD"#;
const SPEC_ERROR: &str = r#"{"type": "record", "name": "Pay", "namespace": "com.acme", "fields": [{"name": "amount", "type": "int"}, {"name": "amount", "type": "long"}]}"#;
const PATH: &str = "schemas/com/acme/Pay.avsc";

/// One file's contents along a history, oldest first: the versions and what was stepped over.
fn walk(contents: &[&str], with_hint: bool) -> (Vec<String>, Vec<Skipped>) {
    // Git's blob ids: equal contents, equal ids.
    let key = |i: usize| [contents.iter().position(|c| *c == contents[i]).unwrap() as u8 + 1; 20];
    let labels: Vec<String> = (0..contents.len()).map(|i| format!("c{i}")).collect();
    let mut deltas = vec![Vec::new()];
    for i in 1..contents.len() {
        deltas.push(vec![Delta { path: PATH.into(), old: Some(key(i - 1)), new: Some(key(i)) }]);
    }
    let last = contents.len() - 1;
    let base = Snapshot { label: labels[last].clone(), files: vec![FileEntry { path: PATH.into(), key: key(last) }] };
    let blobs: HashMap<BlobKey, Vec<u8>> =
        (0..contents.len()).map(|i| (key(i), contents[i].as_bytes().to_vec())).collect();
    let mut load = |k: &BlobKey| blobs.get(k).cloned().ok_or_else(|| "missing".to_string());
    let mut store = Store::new(Limits::default());
    let tracked: HashSet<String> = ["com.acme.Pay".to_string()].into();
    let paths: HashMap<String, String> =
        if with_hint { [("com.acme.Pay".to_string(), PATH.to_string())].into() } else { HashMap::new() };
    let w = walk_back_reporting(&mut store, &base, &labels, &deltas, &tracked, &paths, &mut load);
    let versions = w.versions.get("com.acme.Pay").cloned().unwrap_or_default();
    let shown = versions
        .iter()
        .map(|v| {
            let set = store.set(v.root.unit);
            let crate::core::schema::SchemaKind::Record(r) = &set.node(v.root.id).kind else { panic!() };
            let ty = match &set.resolved(r.fields[0].ty).kind {
                crate::core::schema::SchemaKind::Primitive(p) => p.name(),
                _ => "other",
            };
            format!("{}:{ty}", v.label)
        })
        .collect();
    (shown, w.skipped.get("com.acme.Pay").cloned().unwrap_or_default())
}

#[test]
fn an_unreadable_version_does_not_hide_the_older_ones() {
    let (versions, skipped) = walk(&[STRING, NOT_JSON, INT], false);
    assert_eq!(versions, ["c0:string", "c2:int"]);
    assert_eq!(skipped.len(), 1);
    assert_eq!((skipped[0].label.as_str(), skipped[0].path.as_str()), ("c1", PATH));
    assert!(skipped[0].reason.contains(':'), "{}", skipped[0].reason);
}

#[test]
fn a_version_with_spec_errors_is_stepped_over_too() {
    let (versions, skipped) = walk(&[STRING, SPEC_ERROR, SPEC_ERROR, INT], false);
    assert_eq!(versions, ["c0:string", "c3:int"]);
    // The same contents in two commits: reported once, at the oldest.
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].label, "c1");
    assert!(skipped[0].reason.starts_with("duplicate-field"), "{}", skipped[0].reason);
}

#[test]
fn an_unreadable_base_still_finds_the_history_and_says_so() {
    let (versions, skipped) = walk(&[STRING, INT, NOT_JSON], false);
    assert_eq!(versions, ["c0:string", "c1:int"]);
    // Without knowing where the schema lives now, the unreadable base cannot be named.
    assert!(skipped.is_empty());
    let (versions, skipped) = walk(&[STRING, INT, NOT_JSON], true);
    assert_eq!(versions, ["c0:string", "c1:int"]);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].label, "c2");
}

#[test]
fn readable_histories_are_unchanged() {
    let (versions, skipped) = walk(&[STRING, INT, STRING], false);
    assert_eq!(versions, ["c0:string", "c1:int"]);
    assert!(skipped.is_empty());
}
