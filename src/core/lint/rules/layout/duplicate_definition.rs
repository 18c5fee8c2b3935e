//! `duplicate-definition`: A named type is defined again, identically, in another file.

use crate::core::finding::{Label, Severity};
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "duplicate-definition",
    category: Category::Layout,
    severity: Severity::Warning,
    preset: Preset::Recommended,
    summary: "A named type is defined again, identically, in another file.",
    what: "Reports a definition of a named type whose full name an earlier file already defines, where both definitions are equal as Java's `Schema.equals` compares them (documentation and aliases aside). Validation accepts such a copy, as Java's parser does; a copy that differs is the error `redefined-name`. The finding points at the copy and at the definition that counts.",
    why: "Copies drift apart: the next change lands in one of them, and the other file silently keeps the old shape (or stops validating). Defining the type once and referring to it by full name keeps one source of truth.",
    bad: r#"{
  "type": "record",
  "name": "HostChecked",
  "namespace": "com.acme.ops",
  "doc": "A host answered a liveness check.",
  "fields": [
    {"name": "beat", "type": {"type": "record", "name": "Heartbeat", "doc": "A liveness ping.", "fields": [{"name": "host", "type": "string", "default": "", "doc": "Host name of the sender."}]}, "default": {"host": ""}, "doc": "The ping that was answered."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "HostChecked",
  "namespace": "com.acme.ops",
  "doc": "A host answered a liveness check.",
  "fields": [
    {"name": "beat", "type": "com.acme.ops.Heartbeat", "default": {"host": ""}, "doc": "The ping that was answered."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    // Copies are listed in node order: the file's are one slice, found by binary search.
    let all = &ctx.set.redefinitions;
    let from = all.partition_point(|(c, _)| c.0 < ctx.nodes.start);
    let to = all.partition_point(|(c, _)| c.0 < ctx.nodes.end);
    for &(copy, first) in &all[from..to] {
        let node = ctx.set.node(copy);
        let (Some(named), Some(original)) = (node.named(), ctx.set.node(first).named()) else { continue };
        let first_node = ctx.set.node(first);
        let docs_differ = named.doc != original.doc;
        out.push(Hit {
            labels: vec![Label {
                file: first_node.file,
                span: original.name_span,
                message: "defined first here".into(),
            }],
            span: named.name_span,
            pointer: format!("{}/name", node.pointer),
            message: format!(
                "type `{}` is defined again here, identically{}",
                named.full_name,
                if docs_differ { " (its documentation differs)" } else { "" }
            ),
            help: format!("refer to it by name (\"{}\") instead of repeating its definition", named.full_name),
        });
    }
}
