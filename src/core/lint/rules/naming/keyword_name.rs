//! `keyword-name`: A type, field or enum symbol is named after a keyword of a common target language.

use crate::core::finding::Severity;
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::schema::SchemaKind;

pub static RULE: Rule = Rule {
    code: "keyword-name",
    category: Category::Naming,
    severity: Severity::Error,
    preset: Preset::Minimal,
    summary: "A type, field or enum symbol is named after a keyword of a common target language.",
    what: "Reports record, enum, fixed and field names, and enum symbols, that are reserved words in Java, Python, Go, TypeScript, C#, Scala or Rust (such as `class`, `default`, `package`, `import`, `return`).",
    why: "Adapters are generated in these languages; a field called `class` or `default` does not compile, or gets mangled differently by each generator, so producers and consumers end up with different names for the same data.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "class", "type": "string", "default": "", "doc": "Customer tier at sign-up."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."},
    {"name": "customer_class", "type": "string", "default": "", "doc": "Customer tier at sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

/// Hard keywords of Java, Python, Go, TypeScript/JavaScript, C#, Scala and Rust. Words that
/// are only contextual somewhere (`type`, `value`, `from`...) are left out: they are common
/// field names and every generator handles them.
const KEYWORDS: &[&str] = &[
    "abstract",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "def",
    "default",
    "del",
    "delete",
    "do",
    "elif",
    "else",
    "enum",
    "except",
    "extends",
    "extern",
    "false",
    "final",
    "finally",
    "fn",
    "for",
    "func",
    "function",
    "go",
    "goto",
    "if",
    "impl",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "is",
    "lambda",
    "let",
    "mut",
    "namespace",
    "native",
    "new",
    "nonlocal",
    "null",
    "object",
    "operator",
    "package",
    "pass",
    "private",
    "protected",
    "pub",
    "public",
    "raise",
    "return",
    "sealed",
    "short",
    "static",
    "struct",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "trait",
    "transient",
    "true",
    "try",
    "typeof",
    "unsafe",
    "using",
    "var",
    "virtual",
    "void",
    "volatile",
    "while",
    "with",
    "yield",
];

/// The longest keyword (a test keeps it so).
const LONGEST: usize = 12;

fn is_keyword(s: &str) -> bool {
    // Every keyword is short and lowercase ASCII letters only: most names (`user_id`,
    // `createdAt`) are told apart by a scan, without a search.
    s.len() <= LONGEST && s.bytes().all(|b| b.is_ascii_lowercase()) && KEYWORDS.binary_search(&s).is_ok()
}

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    for (_, node) in ctx.nodes() {
        if let Some(n) = node.named() {
            if is_keyword(&n.name) {
                out.push(Hit {
                    labels: Vec::new(),
                    span: n.name_span,
                    pointer: format!("{}/name", node.pointer),
                    message: format!("type name `{}` is a keyword in common target languages", n.name),
                    help: "choose a name that is not a reserved word".into(),
                });
            }
        }
        if let SchemaKind::Enum(e) = &node.kind {
            for (i, (sym, span)) in e.symbols.iter().enumerate() {
                if is_keyword(sym) {
                    out.push(Hit {
                        labels: Vec::new(),
                        span: *span,
                        pointer: format!("{}/symbols/{i}", node.pointer),
                        message: format!("enum symbol `{sym}` is a keyword in common target languages"),
                        help: "choose a symbol that is not a reserved word".into(),
                    });
                }
            }
        }
    }
    for f in ctx.fields() {
        if is_keyword(&f.name) {
            out.push(Hit {
                labels: Vec::new(),
                span: f.name_span,
                pointer: format!("{}/name", f.pointer),
                message: format!("field name `{}` is a keyword in common target languages", f.name),
                help: format!("rename it, e.g. to `{}_value`, and keep `{}` in the field's `aliases`", f.name, f.name),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(super::KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::KEYWORDS.iter().all(|k| k.len() <= super::LONGEST && k.bytes().all(|b| b.is_ascii_lowercase())));
        assert!(super::is_keyword("class") && !super::is_keyword("amount"));
    }
}
