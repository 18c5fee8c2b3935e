//! `schemapipe completions` and `schemapipe man`: generated from the parser's own definitions,
//! so every command and flag is there; the bash script is valid bash and the page valid roff.

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("schemapipe").unwrap().env_clear().args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

const COMMANDS: &[&str] =
    &["validate", "check", "diff", "compat", "lint", "fmt", "generate", "publish", "pull", "rules", "fingerprint"];

#[test]
fn completions_name_every_command_and_flag_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        for c in COMMANDS {
            assert!(script.contains(c), "{shell}: `{c}` missing");
        }
        assert!(script.contains("against") && script.contains("staged"), "{shell}: check's flags missing");
    }
    // The bash script parses, and completing `schemapipe che` offers `check`.
    let (_, script) = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schemapipe.bash");
    std::fs::write(&path, &script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(schemapipe che); COMP_CWORD=1; _schemapipe schemapipe che schemapipe; echo \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = std::process::Command::new("bash").arg("-c").arg(probe).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "check");
    // An unknown shell is a usage error.
    assert_eq!(run(&["completions", "tcsh"]).0, 2);
}

#[test]
fn the_man_page_documents_every_command_and_its_options() {
    let (code, page) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH schemapipe 1"), "{page}");
    for c in COMMANDS {
        assert!(page.contains(&format!(".SH \"SCHEMAPIPE {}\"", c.to_uppercase())), "section for `{c}` missing");
    }
    assert!(page.contains(r"\-\-against"), "check's --against missing");
    // Every request line is one roff knows (a stray `.` at a line start would be eaten).
    for line in page.lines().filter(|l| l.starts_with('.')) {
        let req: String = line[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(
            ["TH", "SH", "SS", "TP", "IP", "RS", "RE", "PP", "br", "ie", "el", "B", "I", "LP", "P", "nf", "fi"]
                .contains(&req.as_str()),
            "unexpected roff request: {line}"
        );
    }
}
