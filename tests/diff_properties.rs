//! Properties of the semantic diff over 2,000 random schema evolutions (the strategies of
//! tests/support/evolutions.rs, deterministic seed): a version has no changes against itself;
//! a change of the canonical form always shows as a change readers or writers can notice;
//! every direction the checker finds broken is marked on some change; and the diff read
//! backwards mirrors it (an added field is a removed one).

mod support {
    pub mod evolutions;
}

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use schemapipe::core::canonical::parsing_canonical_form;
use schemapipe::core::compat::level::Direction;
use schemapipe::core::compat::{check, NodeRef, SetView};
use schemapipe::core::diff::{annotate, diff, Change, ChangeKind};
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::schema::SchemaSet;
use schemapipe::core::source::SourceMap;
use serde_json::Value;

fn set(v: &Value) -> SchemaSet {
    let s = load(vec![Input::new("s.avsc", v.to_string())], &Limits::default(), &mut SourceMap::new());
    assert!(!s.has_errors(), "generated an invalid schema: {v}: {:?}", s.findings);
    s
}

fn root(s: &SchemaSet) -> NodeRef {
    NodeRef { unit: 0, id: s.files[0].root.unwrap() }
}

/// The annotated changes, and whether the checker found each direction broken.
fn changes(old: &SchemaSet, new: &SchemaSet) -> (Vec<Change>, bool, bool) {
    let (ov, nv) = (SetView(old), SetView(new));
    let mut c = diff(&ov, root(old), &nv, root(new));
    let backward = check(&nv, root(new), &ov, root(old));
    let forward = check(&ov, root(old), &nv, root(new));
    annotate(&mut c, &backward, &forward);
    (c, !backward.is_empty(), !forward.is_empty())
}

fn count(c: &[Change], kind: ChangeKind) -> usize {
    c.iter().filter(|x| x.kind == kind).count()
}

#[test]
fn random_evolutions_keep_the_properties_of_a_diff() {
    let mut runner =
        TestRunner::new(Config { rng_seed: proptest::test_runner::RngSeed::Fixed(20261127), ..Config::default() });
    let strategy = support::evolutions::pairs();
    let (mut changed, mut broken) = (0, 0);
    for _ in 0..2000 {
        let (old_json, new_json) = strategy.new_tree(&mut runner).unwrap().current();
        let (old, new) = (set(&old_json), set(&new_json));
        let case = format!("old {old_json}\nnew {new_json}");

        assert!(changes(&old, &old).0.is_empty(), "a version differs from itself:\n{case}");
        let (c, backward_broken, forward_broken) = changes(&old, &new);

        let canonical_differs =
            parsing_canonical_form(&old, root(&old).id) != parsing_canonical_form(&new, root(&new).id);
        if canonical_differs {
            changed += 1;
            assert!(
                c.iter().any(|x| !x.kind.cosmetic()),
                "the canonical form changed, the diff shows nothing:\n{case}"
            );
        }
        for (dir, is_broken) in [(Direction::Backward, backward_broken), (Direction::Forward, forward_broken)] {
            if is_broken {
                broken += 1;
                assert!(
                    c.iter().any(|x| x.breaks.contains(&dir)),
                    "the checker finds {dir:?} broken, no change is marked:\n{case}\n{c:#?}"
                );
            }
        }
        // Read backwards, additions are removals and the breaks swap directions.
        let (r, _, _) = changes(&new, &old);
        assert_eq!(count(&c, ChangeKind::FieldAdded), count(&r, ChangeKind::FieldRemoved), "{case}");
        assert_eq!(count(&c, ChangeKind::SymbolAdded), count(&r, ChangeKind::SymbolRemoved), "{case}");
        assert_eq!(count(&c, ChangeKind::BranchAdded), count(&r, ChangeKind::BranchRemoved), "{case}");
        assert_eq!(count(&c, ChangeKind::TypeChanged), count(&r, ChangeKind::TypeChanged), "{case}");
    }
    // The generator must exercise what is checked, or the properties prove little.
    assert!(changed > 1000 && broken > 500, "{changed} changed, {broken} broken directions");
}
