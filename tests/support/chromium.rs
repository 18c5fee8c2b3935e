//! Headless Chromium for the browser tests of the catalog, provisioned under the target dir —
//! never installed system-wide, never assumed present.
//!
//! Debian's `chromium` package (pinned below) and those of its dependencies that the machine
//! lacks are fetched with `apt-get download` as a normal user (apt's cache, and when needed its
//! package lists, kept under `target/chromium/`) and unpacked with `dpkg-deb -x`; the browser
//! runs from there with `LD_LIBRARY_PATH` pointing at the unpacked libraries. The install is
//! built in a `partial-<pid>` folder renamed into place when complete. `SCHEMAPIPE_CHROMIUM`
//! names a Chromium binary to use instead.
//!
//! When Chromium cannot be provisioned the tests fail, saying what is missing and the command
//! that installs it; nothing is skipped.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The pinned Debian package version (bookworm-security). `SCHEMAPIPE_CHROMIUM_VERSION`
/// overrides it when the mirror has moved on.
pub const VERSION: &str = "148.0.7778.167-1~deb12u1";

pub struct Chromium {
    pub binary: PathBuf,
    /// Extra environment for the binary (`LD_LIBRARY_PATH`).
    pub env: Vec<(String, String)>,
}

fn version() -> String {
    std::env::var("SCHEMAPIPE_CHROMIUM_VERSION").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| VERSION.to_string())
}

/// Chromium, provisioned on first use; panics (failing the test) saying what is missing.
pub fn get() -> &'static Chromium {
    static C: OnceLock<Result<Chromium, String>> = OnceLock::new();
    match C.get_or_init(provision) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

fn run(cmd: &mut Command, what: &str) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn failure(why: &str) -> String {
    format!(
        "headless Chromium for the catalog's browser tests could not be provisioned under target/chromium: {why}\n\
         It is fetched with `apt-get download` (Debian's `chromium` {} and the libraries this machine lacks) and unpacked with `dpkg-deb -x`; \
         this needs apt-get, dpkg-deb and the Debian mirror. To refresh apt's package lists run `sudo apt-get update`; \
         on a machine without apt, install Chromium and point the tests at it: `SCHEMAPIPE_CHROMIUM=/path/to/chromium cargo test --locked --test catalog_browser`.",
        version()
    )
}

/// Every directory of the unpacked tree that holds shared libraries (`pulseaudio/` and the
/// like included), for `LD_LIBRARY_PATH`.
fn env_for(root: &Path) -> Vec<(String, String)> {
    fn walk(d: &Path, out: &mut Vec<String>, depth: usize) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        let mut has_lib = false;
        let mut subs: Vec<PathBuf> = Vec::new();
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() && !p.is_symlink() {
                subs.push(p);
            } else if name.contains(".so") {
                has_lib = true;
            }
        }
        if has_lib {
            out.push(d.display().to_string());
        }
        if depth < 4 {
            subs.sort();
            for s in subs {
                walk(&s, out, depth + 1);
            }
        }
    }
    let mut paths = Vec::new();
    for top in ["usr/lib", "lib"] {
        walk(&root.join(top), &mut paths, 0);
    }
    if let Ok(old) = std::env::var("LD_LIBRARY_PATH") {
        if !old.is_empty() {
            paths.push(old);
        }
    }
    vec![("LD_LIBRARY_PATH".into(), paths.join(":"))]
}

fn works(c: &Chromium) -> Result<String, String> {
    let mut cmd = Command::new(&c.binary);
    cmd.arg("--version");
    for (k, v) in &c.env {
        cmd.env(k, v);
    }
    run(&mut cmd, &format!("`{} --version`", c.binary.display()))
}

fn apt(dir: &Path, lists: Option<&Path>) -> Command {
    let mut c = Command::new("apt-get");
    c.args(["-q", "-o", "Debug::NoLocking=1", "-o", "APT::Sandbox::User=", "-o"])
        .arg(format!("Dir::Cache={}", dir.join("apt-cache").display()));
    if let Some(l) = lists {
        c.arg("-o").arg(format!("Dir::State::Lists={}", l.display()));
    }
    c.env("LC_ALL", "C");
    c
}

/// The packages (`name=version`) apt would install for Chromium on this machine.
fn missing_packages(dir: &Path, lists: Option<&Path>) -> Result<Vec<String>, String> {
    let v = version();
    let out = run(
        apt(dir, lists)
            .args(["-s", "install", "--no-install-recommends"])
            .arg(format!("chromium={v}"))
            .arg(format!("chromium-common={v}")),
        "apt-get -s install chromium",
    )?;
    let pkgs: Vec<String> = out
        .lines()
        .filter_map(|l| l.strip_prefix("Inst "))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let name = parts.next()?;
            // `Inst name [old] (version repo [arch])`
            let version = l.split_once('(')?.1.split_whitespace().next()?;
            Some(format!("{name}={version}"))
        })
        .collect();
    if pkgs.is_empty() {
        return Err(format!("apt-get planned no package for chromium={v}:\n{out}"));
    }
    Ok(pkgs)
}

fn provision() -> Result<Chromium, String> {
    if let Some(b) = std::env::var_os("SCHEMAPIPE_CHROMIUM").filter(|b| !b.is_empty()) {
        let c = Chromium { binary: PathBuf::from(b), env: Vec::new() };
        works(&c).map_err(|e| failure(&format!("SCHEMAPIPE_CHROMIUM does not run: {e}")))?;
        return Ok(c);
    }
    let base = super::oracles::target_dir().join("chromium");
    let ready = base.join(version().replace(['~', ':'], "_"));
    let binary = |root: &Path| root.join("root/usr/lib/chromium/chromium");
    if binary(&ready).is_file() {
        let c = Chromium { binary: binary(&ready), env: env_for(&ready.join("root")) };
        if works(&c).is_ok() {
            return Ok(c);
        }
    }
    for tool in ["apt-get", "dpkg-deb"] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(failure(&format!("`{tool}` is not on PATH")));
        }
    }
    // Leftovers of interrupted installs (only this test binary installs here).
    if let Ok(rd) = std::fs::read_dir(&base) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with("partial-") {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let partial = base.join(format!("partial-{}", std::process::id()));
    for d in ["debs", "root", "apt-cache/archives/partial", "lists/partial"] {
        std::fs::create_dir_all(partial.join(d))
            .map_err(|e| failure(&format!("cannot create {}: {e}", partial.display())))?;
    }
    // The machine's package lists first; without them (a fresh container), apt's own lists
    // under target/.
    let lists_dir = partial.join("lists");
    let (pkgs, lists) = match missing_packages(&partial, None) {
        Ok(p) => (p, None),
        Err(_) => {
            run(apt(&partial, Some(&lists_dir)).arg("update"), "apt-get update (lists under target/chromium)")
                .map_err(|e| failure(&e))?;
            (missing_packages(&partial, Some(&lists_dir)).map_err(|e| failure(&e))?, Some(lists_dir.as_path()))
        }
    };
    run(apt(&partial, lists).arg("download").args(&pkgs).current_dir(partial.join("debs")), "apt-get download")
        .map_err(|e| failure(&e))?;
    let mut debs: Vec<PathBuf> = std::fs::read_dir(partial.join("debs"))
        .map_err(|e| failure(&e.to_string()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    debs.sort();
    for d in &debs {
        run(
            Command::new("dpkg-deb").arg("-x").arg(d).arg(partial.join("root")),
            &format!("dpkg-deb -x {}", d.display()),
        )
        .map_err(|e| failure(&e))?;
    }
    let _ = std::fs::remove_dir_all(partial.join("debs"));
    let _ = std::fs::remove_dir_all(partial.join("apt-cache"));
    let c = Chromium { binary: binary(&partial), env: env_for(&partial.join("root")) };
    works(&c).map_err(|e| failure(&format!("the unpacked browser does not start: {e}")))?;
    let _ = std::fs::remove_dir_all(&ready);
    std::fs::rename(&partial, &ready).map_err(|e| failure(&format!("cannot move the install into place: {e}")))?;
    let c = Chromium { binary: binary(&ready), env: env_for(&ready.join("root")) };
    works(&c).map_err(|e| failure(&e))?;
    Ok(c)
}
