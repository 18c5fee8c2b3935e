//! The layers hold: the core is pure (no I/O, knows no edge), the use cases in `app/` know no
//! command line, command files share only `cli/mod.rs`, and no module of `src/` takes part in
//! an import cycle. See docs/architecture.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FORBIDDEN: &[&str] = &[
    "std::fs",
    "std::env",
    "std::process",
    "std::net",
    "std::io",
    "git2",
    "reqwest",
    "clap",
    "miette",
    "crate::app",
    "crate::cli",
    "crate::git",
    "crate::registry",
    "crate::workspace",
    "crate::report",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library source file of `src/` (not main.rs): module path (`core::lint::rules`) -> text.
fn sources() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src()).unwrap().to_string_lossy().replace('\\', "/");
        // Unit-test modules (`#[cfg(test)] mod tests;`) are not part of the library: a test of
        // the schema model may well load files.
        if rel == "main.rs" || rel.ends_with("/tests.rs") {
            continue;
        }
        out.insert(module_of(&rel), std::fs::read_to_string(&f).unwrap());
    }
    out
}

/// `core/lint/mod.rs` -> `core::lint`; `cli/check.rs` -> `cli::check`; `lib.rs` -> ``.
fn module_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    if rel == "lib" {
        String::new()
    } else {
        rel.replace('/', "::")
    }
}

/// The code of a file without comments and string literals (a path in a doc comment or a
/// message is no import).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Strings may span lines.
    let mut in_str = false;
    for line in text.lines() {
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_str {
                if c == '"' && prev != '\\' {
                    in_str = false;
                }
                prev = if c == '\\' && prev == '\\' { ' ' } else { c };
                continue;
            }
            if c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\'' {
                in_str = true;
                prev = ' ';
                continue;
            }
            out.push(c);
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    // `a as b` names `a`; whitespace means nothing else in a use tree.
    let tree = tree.replace(" as ", "#");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn go(prefix: &str, t: &str, out: &mut Vec<String>) {
        // Split the top level of `t` by commas.
        let mut depth = 0;
        let mut start = 0;
        let mut parts = Vec::new();
        for (i, c) in t.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&t[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&t[start..]);
        for p in parts.into_iter().filter(|p| !p.is_empty()) {
            match p.find('{') {
                Some(i) => {
                    let head = p[..i].trim_end_matches("::");
                    let inner = &p[i + 1..p.len() - 1];
                    go(&join(prefix, head), inner, out);
                }
                None => out.push(join(prefix, p.split('#').next().unwrap_or(p))),
            }
        }
    }
    fn join(a: &str, b: &str) -> String {
        match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_string(),
            (_, true) => a.to_string(),
            _ => format!("{a}::{b}"),
        }
    }
    let mut out = Vec::new();
    go("", &tree, &mut out);
    out
}

/// The module paths a file's code refers to, as written (`crate::..`, `super::..`, `self::..`,
/// or relative to the file's module).
fn referenced_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // `use` declarations, which may span lines and group paths in braces.
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        let after = &rest[i + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            rest = after;
            continue;
        }
        let end = after.find(';').unwrap_or(after.len());
        out.extend(expand_use(&after[..end]));
        rest = &after[end..];
    }
    // Paths written in code: `crate::a::b(..)`, `super::a::B`.
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if text[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String =
                text[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            out.push(path.trim_end_matches(':').to_string());
        }
    }
    out
}

/// The module a path written in `from` lands in: the longest known module that prefixes it.
fn resolve(from: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = if from.is_empty() { Vec::new() } else { from.split("::").collect() };
    let mut i = 0;
    match segs.first() {
        Some(&"crate") => {
            base.clear();
            i = 1;
        }
        Some(&"self") => i = 1,
        Some(&"super") => {
            while segs.get(i) == Some(&"super") {
                base.pop()?;
                i += 1;
            }
        }
        Some(first) => {
            // A relative path starts with a child module of `from`, or is no module of ours.
            let child = if from.is_empty() { first.to_string() } else { format!("{from}::{first}") };
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    let mut full: Vec<&str> = base;
    full.extend(&segs[i..]);
    (0..=full.len()).rev().map(|n| full[..n].join("::")).find(|m| modules.contains(m))
}

/// Module -> the modules its code refers to (itself excluded).
fn uses(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(m, text)| {
            let targets = referenced_paths(&code_of(text))
                .iter()
                .filter_map(|p| resolve(m, p, &modules))
                .filter(|t| t != m)
                .collect();
            (m.clone(), targets)
        })
        .collect()
}

fn is_within(m: &str, ancestor: &str) -> bool {
    ancestor.is_empty() || m == ancestor || m.starts_with(&format!("{ancestor}::"))
}

/// The import graph between sibling modules: a use of `a::x::y` from `a::z::w` is an edge
/// `a::z -> a::x` (so cycles between whole layers show, as do cycles between two files). A
/// module using its own parent or child (as every `mod.rs` does) is no edge.
fn sibling_graph(uses: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in uses {
        for to in targets {
            if is_within(from, to) || is_within(to, from) {
                continue;
            }
            let (a, b): (Vec<&str>, Vec<&str>) = (from.split("::").collect(), to.split("::").collect());
            let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            let lift = |p: &[&str]| p[..common + 1].join("::");
            g.entry(lift(&a)).or_default().insert(lift(&b));
        }
    }
    g
}

/// The strongly connected components with more than one module (the import cycles), each
/// sorted, by Tarjan's algorithm.
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        if let Some(next) = t.g.get(v) {
            for w in next {
                let w = w.as_str();
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t =
        T { g, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on: BTreeSet::new(), out: Vec::new() };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn unexpected_cycles(files: &BTreeMap<String, String>) -> Vec<Vec<String>> {
    cycles(&sibling_graph(&uses(files)))
}

#[test]
fn core_does_no_io_and_knows_no_edges() {
    let mut files = Vec::new();
    rust_files(&src().join("core"), &mut files);
    assert!(files.len() > 5);
    let mut violations = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    violations.push(format!("{}:{}: uses `{word}`", f.display(), i + 1));
                }
            }
        }
    }
    assert!(violations.is_empty(), "the core must stay pure:\n{}", violations.join("\n"));
}

#[test]
fn layers_import_only_downwards() {
    let files = sources();
    let uses = uses(&files);
    // Sanity: the graph sees the imports it must see.
    assert!(uses["cli::check"].contains("app::check"), "{:?}", uses["cli::check"]);
    assert!(uses["app::check"].contains("core::history"), "{:?}", uses["app::check"]);
    let top = |m: &str| m.split("::").next().unwrap_or("").to_string();
    let mut violations = Vec::new();
    for (from, targets) in &uses {
        for to in targets {
            let bad = match (top(from).as_str(), top(to).as_str()) {
                ("core", "app" | "cli" | "git" | "registry" | "workspace" | "report") => true,
                ("app", "cli") => true,
                ("report" | "git" | "registry" | "workspace", "app" | "cli") => true,
                // A command file uses the shared `cli/mod.rs` only, never another command file.
                ("cli", "cli") => from != "cli" && to != "cli" && !is_within(to, from) && !is_within(from, to),
                _ => false,
            };
            if bad {
                violations.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(violations.is_empty(), "imports against the layering:\n{}", violations.join("\n"));
}

#[test]
fn no_module_import_cycles() {
    let found = unexpected_cycles(&sources());
    assert!(found.is_empty(), "import cycles between modules of src/: {found:?}");
}

/// The checks above would catch the cycles this layering removed.
#[test]
fn the_cycle_check_sees_reintroduced_cycles() {
    let file = |m: &str, text: &str| (m.to_string(), text.to_string());
    let files: BTreeMap<String, String> = [
        file("", "pub mod app;\npub mod cli;\npub mod core;"),
        file("cli", "mod check;\nmod check_registry;\npub struct Context;"),
        file("cli::check", "use super::{Context, check_registry};\nfn f() { check_registry::run(); }"),
        file("cli::check_registry", "use super::check::Args;\nuse crate::core::finding::Finding;"),
        file("core", "pub mod finding;\npub mod config;\npub mod lint;"),
        file("core::finding", "// crate::cli::check is only mentioned here\npub struct Finding;"),
        file("core::config", "use crate::core::lint::Rules;"),
        file("core::lint", "fn f(c: &crate::core::config::Config) {}"),
        file("app", "pub fn run() { let _ = \"crate::cli\"; }"),
    ]
    .into_iter()
    .collect();
    let found = unexpected_cycles(&files);
    assert_eq!(
        found,
        vec![
            vec!["cli::check".to_string(), "cli::check_registry".to_string()],
            vec!["core::config".to_string(), "core::lint".to_string()],
        ]
    );
    // A layer cycle: the app importing the command line.
    let mut layered = files.clone();
    layered.insert("app".into(), "use crate::cli::Context;".into());
    layered.insert("cli".into(), "use crate::app;".into());
    assert!(unexpected_cycles(&layered).contains(&vec!["app".to_string(), "cli".to_string()]));
}
