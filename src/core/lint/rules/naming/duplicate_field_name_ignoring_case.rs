//! `duplicate-field-name-ignoring-case`: Two fields of a record differ only in case or underscores.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "duplicate-field-name-ignoring-case",
    category: Category::Naming,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "Two fields of a record differ only in case or underscores.",
    what: "Reports a field whose name equals an earlier field's once case and `_` are ignored, such as `user_id` and `userId`.",
    why: "Case-insensitive stores (Hive, Redshift, BigQuery column names, many JSON mappers) fold such fields into one column, so one silently overwrites the other downstream.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "userid", "type": "string", "default": "", "doc": "Legacy copy of the account id."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "legacy_user_id", "type": "string", "default": "", "doc": "Legacy copy of the account id."}
  ]
}"#,
    bad_path: None,
    check,
};

/// A name without `_`, in lower case.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().filter(|c| *c != '_').flat_map(char::to_lowercase)
}

/// FNV-1a of the folded name: equal folded names have equal digests.
fn digest(name: &str) -> u64 {
    let ascii = name.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |c: u32| {
        h ^= u64::from(c);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    if ascii {
        // Already lower case: only `_` to drop.
        name.bytes().filter(|b| *b != b'_').for_each(|b| eat(u32::from(b)));
    } else {
        folded(name).for_each(|c| eat(u32::from(c)));
    }
    h
}

/// Records up to this many fields compare folded names pairwise (no allocation, no hashing);
/// larger ones use a map, so that records of many fields cost no quadratic search.
const SMALL: usize = 32;

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, r) in ctx.records() {
        // Folded name -> the first field with it.
        let mut report = |f: &crate::core::schema::Field, first: &str| {
            out.push(Hit {
                labels: Vec::new(),
                span: f.name_span,
                pointer: format!("{}/name", f.pointer),
                message: format!("field `{}` differs from field `{first}` only in case or underscores", f.name),
                help: "give the two fields clearly different names".into(),
            })
        };
        if r.fields.len() <= SMALL {
            // The first field of each folded name, with a digest of the folded name: names are
            // compared in full only when their digests agree.
            let mut firsts: Vec<(u64, &str)> = Vec::with_capacity(r.fields.len());
            for f in &r.fields {
                let d = digest(&f.name);
                match firsts.iter().find(|(x, n)| *x == d && folded(n).eq(folded(&f.name))) {
                    Some((_, first)) if *first != f.name.as_str() => report(f, first),
                    Some(_) => {}
                    None => firsts.push((d, &f.name)),
                }
            }
            continue;
        }
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for f in &r.fields {
            let key: String = folded(&f.name).collect();
            if let Some(first) = seen.get(&key).copied().filter(|n| *n != f.name) {
                report(f, first);
            } else {
                seen.entry(key).or_insert(&f.name);
            }
        }
    }
}
