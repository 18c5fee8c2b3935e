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

// Closures along histories of schemas that use each other (rings, chains, any graph), checked
// against a walk per schema and per commit over every file of the commit.

/// One file of a generated history: the types it uses, an extra field count (a change of
/// contents), and whether it lives under `moved/`.
#[derive(Clone)]
struct Node {
    uses: Vec<usize>,
    extra: usize,
    moved: bool,
}

fn node_path(k: usize, n: &Node) -> String {
    if n.moved {
        format!("schemas/moved/N{k}.avsc")
    } else {
        format!("schemas/N{k}.avsc")
    }
}

fn node_text(k: usize, n: &Node) -> String {
    let mut fields = vec![r#"{"name": "id", "type": "long"}"#.to_string()];
    for t in &n.uses {
        fields.push(format!(r#"{{"name": "r{t}", "type": ["null", "com.t.N{t}"], "default": null}}"#));
    }
    for e in 0..n.extra {
        fields.push(format!(r#"{{"name": "e{e}", "type": "int", "default": 0}}"#));
    }
    format!(r#"{{"type": "record", "name": "N{k}", "namespace": "com.t", "fields": [{}]}}"#, fields.join(", "))
}

/// A history in memory: every commit's files (path, blob), the blobs, and git-like deltas.
struct History {
    commits: Vec<Vec<(String, BlobKey)>>,
    blobs: HashMap<BlobKey, Vec<u8>>,
}

impl History {
    fn new(states: &[Vec<Node>]) -> Self {
        let mut blobs: HashMap<BlobKey, Vec<u8>> = HashMap::new();
        let mut keys: HashMap<String, BlobKey> = HashMap::new();
        let mut commits = Vec::new();
        for nodes in states {
            let mut files = Vec::new();
            for (k, n) in nodes.iter().enumerate() {
                let text = node_text(k, n);
                let next = keys.len() as u32 + 1;
                let key = *keys.entry(text.clone()).or_insert_with(|| {
                    let mut key = [0u8; 20];
                    key[..4].copy_from_slice(&next.to_be_bytes());
                    key
                });
                blobs.insert(key, text.into_bytes());
                files.push((node_path(k, n), key));
            }
            files.sort();
            commits.push(files);
        }
        History { commits, blobs }
    }

    fn deltas(&self) -> Vec<Vec<Delta>> {
        let mut out = vec![Vec::new()];
        for w in self.commits.windows(2) {
            let old: HashMap<&String, BlobKey> = w[0].iter().map(|(p, k)| (p, *k)).collect();
            let new: HashMap<&String, BlobKey> = w[1].iter().map(|(p, k)| (p, *k)).collect();
            let mut paths: Vec<&String> = old.keys().chain(new.keys()).copied().collect();
            paths.sort();
            paths.dedup();
            let d = paths
                .into_iter()
                .filter(|p| old.get(p) != new.get(p))
                .map(|p| Delta { path: p.clone(), old: old.get(p).copied(), new: new.get(p).copied() })
                .collect();
            out.push(d);
        }
        out
    }

    /// Each subject's versions from the walk: the blobs of each closure, oldest first.
    fn walked(&self, subjects: &HashSet<String>) -> HashMap<String, Vec<Vec<BlobKey>>> {
        let labels: Vec<String> = (0..self.commits.len()).map(|i| format!("c{i}")).collect();
        let last = self.commits.len() - 1;
        let base = Snapshot {
            label: labels[last].clone(),
            files: self.commits[last].iter().map(|(p, k)| FileEntry { path: p.clone(), key: *k }).collect(),
        };
        let mut store = Store::new(Limits::default());
        let mut load = |k: &BlobKey| self.blobs.get(k).cloned().ok_or_else(|| "missing".to_string());
        let versions = walk_back(&mut store, &base, &labels, &self.deltas(), subjects, &mut load);
        let key_of: HashMap<u32, BlobKey> = store.by_key.iter().map(|(k, u)| (*u, *k)).collect();
        versions
            .into_iter()
            .map(|(s, vs)| {
                let keys = vs
                    .iter()
                    .map(|v| {
                        let mut ks: Vec<BlobKey> = v.units.iter().map(|u| key_of[u]).collect();
                        ks.sort();
                        ks
                    })
                    .collect();
                (s, keys)
            })
            .collect()
    }

    /// The same by brute force: every commit's closure of each subject, walked alone over all of
    /// the commit's files; distinct closures, in the order they first appear.
    fn brute(&self, subjects: &HashSet<String>) -> HashMap<String, Vec<Vec<BlobKey>>> {
        let mut store = Store::new(Limits::default());
        let mut out: HashMap<String, Vec<Vec<BlobKey>>> = subjects.iter().map(|s| (s.clone(), Vec::new())).collect();
        for files in &self.commits {
            let units: Vec<(u32, BlobKey)> =
                files.iter().map(|(p, k)| (store.unit(k, p, || Ok(self.blobs[k].clone())), *k)).collect();
            let mut by_name: HashMap<&str, (u32, BlobKey)> = HashMap::new();
            for (u, k) in &units {
                for (n, _) in &store.units[*u as usize].defs {
                    by_name.insert(n, (*u, *k));
                }
            }
            for (s, list) in out.iter_mut() {
                let Some(&first) = by_name.get(s.as_str()) else { continue };
                let mut seen: HashMap<u32, BlobKey> = HashMap::new();
                let mut todo = vec![first];
                while let Some((u, k)) = todo.pop() {
                    if seen.insert(u, k).is_some() {
                        continue;
                    }
                    for cands in store.units[u as usize].external.iter() {
                        todo.extend(cands.iter().find_map(|c| by_name.get(c.as_str())).copied());
                    }
                }
                let mut ks: Vec<BlobKey> = seen.into_values().collect();
                ks.sort();
                if list.last() != Some(&ks) {
                    list.push(ks);
                }
            }
        }
        out
    }
}

/// A small deterministic generator (no dependency): xorshift.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A history of `commits` commits from `start`: each changes one file's contents, what it
/// uses, or where it lives.
fn evolve(start: Vec<Node>, commits: usize, rng: &mut Rng) -> Vec<Vec<Node>> {
    let mut states = vec![start];
    for _ in 0..commits {
        let mut next = states.last().cloned().unwrap_or_default();
        let n = next.len();
        let k = rng.below(n);
        match rng.below(4) {
            0 | 1 => next[k].extra += 1,
            2 => {
                let t = rng.below(n);
                if next[k].uses.contains(&t) {
                    next[k].uses.retain(|u| *u != t);
                } else {
                    next[k].uses.push(t);
                }
            }
            _ => next[k].moved = !next[k].moved,
        }
        states.push(next);
    }
    states
}

fn assert_walk_matches_brute_force(states: &[Vec<Node>], what: &str) {
    let history = History::new(states);
    let n = states[0].len();
    let subjects: HashSet<String> = (0..n).map(|k| format!("com.t.N{k}")).collect();
    let walked = history.walked(&subjects);
    let brute = history.brute(&subjects);
    for s in &subjects {
        let w = walked.get(s).cloned().unwrap_or_default();
        let mut b = brute[s].clone();
        // The walk keeps each distinct closure once, at its oldest appearance.
        let mut once: Vec<Vec<BlobKey>> = Vec::new();
        for c in b.drain(..) {
            if !once.contains(&c) {
                once.push(c);
            }
        }
        assert_eq!(w, once, "{what}: versions of {s}");
    }
}

fn ring(n: usize) -> Vec<Node> {
    (0..n).map(|k| Node { uses: vec![(k + 1) % n], extra: 0, moved: false }).collect()
}

fn chain(n: usize) -> Vec<Node> {
    (0..n).map(|k| Node { uses: if k + 1 < n { vec![k + 1] } else { vec![] }, extra: 0, moved: false }).collect()
}

#[test]
fn closures_along_rings_and_chains_match_a_walk_per_schema() {
    for (shape, start) in [("ring", ring(200)), ("chain", chain(200))] {
        // The hostile repositories' history: one change at one end.
        let mut v2 = start.clone();
        v2[0].extra += 1;
        assert_walk_matches_brute_force(&[start.clone(), v2], shape);
        let mut v2 = start.clone();
        v2[199].extra += 1;
        assert_walk_matches_brute_force(&[start.clone(), v2], shape);
        // Longer histories that break and join the cycle, move files and change contents.
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        assert_walk_matches_brute_force(&evolve(start, 30, &mut rng), shape);
    }
}

#[test]
fn closures_along_random_histories_match_a_walk_per_schema() {
    for seed in 1..=60u64 {
        let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let n = 2 + rng.below(9);
        let start: Vec<Node> = (0..n)
            .map(|_| {
                let mut uses: Vec<usize> = (0..rng.below(3)).map(|_| rng.below(n)).collect();
                uses.sort();
                uses.dedup();
                Node { uses, extra: 0, moved: false }
            })
            .collect();
        let commits = 1 + rng.below(12);
        assert_walk_matches_brute_force(&evolve(start, commits, &mut rng), &format!("seed {seed}"));
    }
}

#[test]
fn clean_closures_are_found_alike_through_every_name_or_the_ambiguous_ones() {
    // Files defining overlapping names: `A` twice, `B` three times, one file defining `D` twice.
    let texts = [
        r#"{"type": "record", "name": "A", "fields": []}"#,
        r#"{"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}"#,
        r#"{"type": "record", "name": "B", "fields": []}"#,
        r#"{"type": "record", "name": "B", "fields": [{"name": "x", "type": "int"}]}"#,
        r#"{"type": "record", "name": "B", "fields": [{"name": "y", "type": "int"}]}"#,
        r#"{"type": "record", "name": "C", "fields": []}"#,
        r#"{"type": "record", "name": "W", "fields": [{"name": "a", "type": {"type": "fixed", "name": "D", "size": 1}}, {"name": "b", "type": {"type": "fixed", "name": "D", "size": 1}}]}"#,
    ];
    let mut store = Store::new(Limits::default());
    for (i, t) in texts.iter().enumerate() {
        store.unit(&[i as u8 + 1; 20], &format!("f{i}.avsc"), || Ok(t.as_bytes().to_vec()));
    }
    let mut seen_clean = [false, false];
    for mask in 0u32..(1 << texts.len()) {
        let units: Vec<u32> = (0..texts.len() as u32).filter(|u| mask & (1 << u) != 0).collect();
        let by_names = store.clean_by_names(&units);
        assert_eq!(by_names, store.clean_by_ambiguous(&units), "{units:?}");
        seen_clean[by_names as usize] = true;
    }
    assert_eq!(seen_clean, [true, true]);
}
