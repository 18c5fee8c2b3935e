//! `personal-field-without-classification`: A field that looks like personal data carries no
//! classification.

use crate::core::finding::{did_you_mean, Severity};
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::metadata;

pub static RULE: Rule = Rule {
    code: "personal-field-without-classification",
    category: Category::Docs,
    severity: Severity::Error,
    preset: Preset::Recommended,
    summary: "A field whose name looks like personal data carries no classification.",
    what: "Once a repository records metadata (see `schema-without-owner`), reports fields named like personal data — `email`, `phone`, `ip`, `address`, `birth`, `first_name`, `username`, `ssn`, … — that have no classification, from `metadata.schemas.<schema>.fields` in schemapipe.yaml or a `classification` property on the field; and a classification that is not one of `metadata.classifications`.",
    why: "Personal data has to be found before it can be protected: masked in the warehouse, kept out of logs, deleted on request. A field nobody classified is copied into every sink unnoticed.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "owner": "identity-team",
  "fields": [
    {"name": "email", "type": "string", "default": "", "doc": "Address the user signed up with."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "owner": "identity-team",
  "fields": [
    {"name": "email", "type": "string", "default": "", "doc": "Address the user signed up with.", "classification": "pii"}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let root = ctx.set.node(ctx.root);
    let md = &ctx.options.metadata;
    if !md.declared && !metadata::file_has_metadata(root, ctx.fields()) {
        return;
    }
    let schema_meta = match root.named() {
        Some(n) => metadata::resolve(md, &n.full_name, root),
        None => Default::default(),
    };
    for f in ctx.fields() {
        let meta = metadata::field_meta(&schema_meta, f);
        match &meta.classification {
            Some(c) if !md.classification_known(c) => {
                let known: Vec<&str> = if md.declared {
                    md.classifications.iter().map(String::as_str).collect()
                } else {
                    metadata::DEFAULT_CLASSIFICATIONS.to_vec()
                };
                let span =
                    f.props.iter().find(|(k, _)| k == "classification").map(|(_, v)| v.span).unwrap_or(f.name_span);
                out.push(Hit {
                    labels: Vec::new(),
                    span,
                    pointer: format!("{}/classification", f.pointer),
                    message: format!("field `{}` is classified `{c}`, which is not a known classification", f.name),
                    help: match did_you_mean(c, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("use one of {}", known.join(", ")),
                    },
                });
            }
            Some(_) => {}
            None => {
                if let Some(word) = metadata::personal_word(&f.name) {
                    out.push(Hit {
                        labels: Vec::new(),
                        span: f.name_span,
                        pointer: format!("{}/name", f.pointer),
                        message: format!("field `{}` looks like personal data (`{word}`) but has no classification", f.name),
                        help: "classify it under `metadata.schemas.<schema>.fields` in schemapipe.yaml (`{classification: pii}`), or add a \"classification\" property to the field (`public` when it is not personal)".into(),
                    });
                }
            }
        }
    }
}
