//! Keeps the core pure: nothing under `src/core/` may do I/O or know about the edges.

use std::path::Path;

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
    "crate::cli",
    "crate::workspace",
    "crate::report",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_does_no_io_and_knows_no_edges() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
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
