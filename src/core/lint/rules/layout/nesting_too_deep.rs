//! `nesting-too-deep`: Records nest deeper than the configured limit (default 5).

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "nesting-too-deep",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "Records nest deeper than the configured limit (default 5).",
    what: "Reports a record nested inside more records than `lint.max_nesting` allows (counting records defined inline, through arrays, maps and unions).",
    why: "Deeply nested events are hard to query (every consumer flattens them differently), hard to evolve, and usually hide entities that deserve their own schema.",
    bad: r#"{
  "type": "record",
  "name": "OrderPlaced",
  "namespace": "com.acme.orders",
  "doc": "An order was placed.",
  "fields": [
    {"name": "a", "type": {"type": "record", "name": "A", "doc": "Level 1.", "fields": [{"name": "b", "type": {"type": "record", "name": "B", "doc": "Level 2.", "fields": [{"name": "c", "type": {"type": "record", "name": "C", "doc": "Level 3.", "fields": [{"name": "d", "type": {"type": "record", "name": "D", "doc": "Level 4.", "fields": [{"name": "e", "type": {"type": "record", "name": "E", "doc": "Level 5.", "fields": [{"name": "f", "type": {"type": "record", "name": "F", "doc": "Level 6.", "fields": [{"name": "x", "type": "string", "default": "", "doc": "Leaf value."}]}, "default": {}, "doc": "Sixth level."}]}, "default": {}, "doc": "Fifth level."}]}, "default": {}, "doc": "Fourth level."}]}, "default": {}, "doc": "Third level."}]}, "default": {}, "doc": "Second level."}]}, "default": {}, "doc": "First level."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "OrderPlaced",
  "namespace": "com.acme.orders",
  "doc": "An order was placed.",
  "fields": [
    {"name": "a", "type": {"type": "record", "name": "A", "doc": "Level 1.", "fields": [{"name": "x", "type": "string", "default": "", "doc": "Leaf value."}]}, "default": {}, "doc": "First level."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let max = ctx.options.max_nesting;
    // Iterative walk from the root: (node, records above it).
    let mut stack = vec![(ctx.root, 0usize)];
    // The file's nodes are a contiguous range: a bitmap of them (a set for anything outside).
    let (base, len) = (ctx.nodes.start, ctx.nodes.len());
    let mut seen = vec![false; len];
    let mut seen_outside = std::collections::HashSet::new();
    while let Some((id, depth)) = stack.pop() {
        let first = match id.0.checked_sub(base).map(|i| i as usize).filter(|i| *i < len) {
            Some(i) => !std::mem::replace(&mut seen[i], true),
            None => seen_outside.insert(id),
        };
        if !first {
            continue;
        }
        let node = ctx.set.node(id);
        match &node.kind {
            SchemaKind::Record(r) => {
                if depth > max {
                    out.push(Hit {
                        labels: Vec::new(),
                        span: r.named.name_span,
                        pointer: format!("{}/name", node.pointer),
                        message: format!("record `{}` is nested {depth} records deep (limit {max})", r.named.name),
                        help: "define the nested entity as its own schema and reference it by full name, or flatten it"
                            .into(),
                    });
                    continue;
                }
                stack.extend(r.fields.iter().map(|f| (f.ty, depth + 1)));
            }
            SchemaKind::Array(x) | SchemaKind::Map(x) => stack.push((*x, depth)),
            SchemaKind::Union(b) => stack.extend(b.iter().map(|x| (*x, depth))),
            _ => {}
        }
    }
}
