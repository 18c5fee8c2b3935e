//! The lint rule registry, for `rules`.

use crate::core::finding::did_you_mean;
use crate::core::lint::{rules, Rule};
use crate::workspace::UsageError;

/// Every rule, in registry order.
pub fn all() -> &'static [&'static Rule] {
    rules::ALL
}

/// One rule by its code; an unknown code is a usage error with a suggestion.
pub fn find(code: &str) -> Result<&'static Rule, UsageError> {
    rules::find(code).ok_or_else(|| {
        let help = match did_you_mean(code, rules::ALL.iter().map(|r| r.code)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "run `schemapipe rules` to list every rule".into(),
        };
        UsageError::new(format!("no rule `{code}`"), help)
    })
}
