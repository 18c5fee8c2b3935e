//! `language-specific-property`: A schema carries a property for one language's code generator.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};

pub static RULE: Rule = Rule {
    code: "language-specific-property",
    category: Category::Types,
    severity: Severity::Warning,
    preset: Preset::Strict,
    summary: "A schema carries a property for one language's code generator.",
    what: "Reports `avro.java.string`, `java-class`, `java-key-class`, `java-element-class` and `javaAnnotation` properties.",
    why: "These hints only mean something to one generator, make Java refuse logical types next to them, and leak one team's build setup into a contract every team shares.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": {"type": "string", "avro.java.string": "String"}, "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

const HINTS: &[&str] = &["avro.java.string", "java-class", "java-key-class", "java-element-class", "javaAnnotation"];

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        for (k, v) in &node.props {
            if HINTS.contains(&k.as_str()) {
                out.push(Hit {
                    labels: Vec::new(),
                    span: v.span,
                    pointer: format!("{}/{k}", node.pointer),
                    message: format!("`{k}` is a hint for one language's code generator"),
                    help: "configure the generator instead (e.g. stringType in the Maven plugin)".into(),
                });
            }
        }
    }
    for f in ctx.fields() {
        for (k, v) in &f.props {
            if HINTS.contains(&k.as_str()) {
                out.push(Hit {
                    labels: Vec::new(),
                    span: v.span,
                    pointer: format!("{}/{k}", f.pointer),
                    message: format!("`{k}` is a hint for one language's code generator"),
                    help: "configure the generator instead".into(),
                });
            }
        }
    }
}
