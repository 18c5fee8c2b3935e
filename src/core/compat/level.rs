//! Confluent's compatibility levels on top of the reader/writer checker.

use super::{Checker, Incompatibility, NodeRef, View};

/// A Confluent Schema Registry compatibility level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

impl Level {
    pub const ALL: [Level; 7] = [
        Level::Backward,
        Level::BackwardTransitive,
        Level::Forward,
        Level::ForwardTransitive,
        Level::Full,
        Level::FullTransitive,
        Level::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Backward => "BACKWARD",
            Level::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Level::Forward => "FORWARD",
            Level::ForwardTransitive => "FORWARD_TRANSITIVE",
            Level::Full => "FULL",
            Level::FullTransitive => "FULL_TRANSITIVE",
            Level::None => "NONE",
        }
    }

    /// Case-insensitive, as the registry accepts it.
    pub fn parse(s: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
    }

    pub fn transitive(self) -> bool {
        matches!(self, Level::BackwardTransitive | Level::ForwardTransitive | Level::FullTransitive)
    }

    /// New schema as reader of old data.
    pub fn backward(self) -> bool {
        matches!(self, Level::Backward | Level::BackwardTransitive | Level::Full | Level::FullTransitive)
    }

    /// Old schema as reader of new data.
    pub fn forward(self) -> bool {
        matches!(self, Level::Forward | Level::ForwardTransitive | Level::Full | Level::FullTransitive)
    }
}

/// Which way data flows in one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The new schema reads data written with a previous one.
    Backward,
    /// A previous schema reads data written with the new one.
    Forward,
}

/// A schema version as the level check sees it.
pub struct Version<'a> {
    pub view: &'a dyn View,
    pub root: NodeRef,
}

/// The outcome of checking the new schema against one previous version in one direction.
#[derive(Clone, Debug)]
pub struct PairCheck {
    /// Index into the previous versions (oldest first).
    pub previous: usize,
    pub direction: Direction,
    pub incompatibilities: Vec<Incompatibility>,
}

impl PairCheck {
    pub fn compatible(&self) -> bool {
        self.incompatibilities.is_empty()
    }
}

/// The previous versions a level compares against: the latest only, or all (transitive).
pub fn versions_to_check(level: Level, previous: usize) -> std::ops::Range<usize> {
    if level == Level::None || previous == 0 {
        0..0
    } else if level.transitive() {
        0..previous
    } else {
        previous - 1..previous
    }
}

/// Checks `new` against `previous` (oldest first) at `level`. A subject with no previous
/// version, and the level NONE, are always compatible.
pub fn check_level(level: Level, new: &Version, previous: &[Version]) -> Vec<PairCheck> {
    let mut out = Vec::new();
    for i in versions_to_check(level, previous.len()) {
        let old = &previous[i];
        if level.backward() {
            let mut c = Checker::new(new.view, old.view);
            out.push(PairCheck {
                previous: i,
                direction: Direction::Backward,
                incompatibilities: c.check(new.root, old.root).to_vec(),
            });
        }
        if level.forward() {
            let mut c = Checker::new(old.view, new.view);
            out.push(PairCheck {
                previous: i,
                direction: Direction::Forward,
                incompatibilities: c.check(old.root, new.root).to_vec(),
            });
        }
    }
    out
}
