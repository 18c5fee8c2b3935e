//! From file bytes to a resolved [`SchemaSet`]: decode, read JSON, build, resolve.

use crate::core::finding::Finding;
use crate::core::json::{self, JsonError, Limits};
use crate::core::schema::{self, BuildOptions, FileSchema, SchemaSet};
use crate::core::source::{FileId, SourceFile, SourceMap};

/// One schema file's name (as shown to users) and bytes.
#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Why the file could not be read, when it could not.
    pub error: Option<String>,
}

impl Input {
    pub fn new(name: impl Into<String>, bytes: impl AsRef<[u8]>) -> Self {
        Input { name: name.into(), bytes: bytes.as_ref().to_vec(), error: None }
    }
}

fn json_finding(file: FileId, e: JsonError) -> Finding {
    let mut f = Finding::error(e.code, e.message).at(file, e.span);
    f.help = e.help;
    for (span, msg) in e.labels {
        f = f.label(file, span, msg);
    }
    f
}

/// Reads every input into one set and resolves names across all of them. Problems of any
/// kind become findings in `set.findings`; this never fails.
pub fn load(inputs: Vec<Input>, limits: &Limits, sources: &mut SourceMap) -> SchemaSet {
    let mut set = SchemaSet::default();
    let opts = BuildOptions::default();
    for input in inputs {
        if let Some(why) = input.error {
            let file = sources.add(SourceFile::new(input.name, String::new()));
            set.findings.push(
                Finding::error("unreadable-file", format!("cannot read the file: {why}"))
                    .at(file, crate::core::source::Span::new(0, 0))
                    .help("check that the file exists and is readable"),
            );
            set.files.push(FileSchema { file, json: None, root: None });
            continue;
        }
        let (text, enc_err) = json::decode(&input.bytes, limits);
        drop(input.bytes);
        let file = sources.add(SourceFile::new(input.name, text));
        if let Some(e) = enc_err {
            set.findings.push(json_finding(file, e));
            set.files.push(FileSchema { file, json: None, root: None });
            continue;
        }
        match json::parse(&sources.get(file).text, limits) {
            Err(e) => {
                set.findings.push(json_finding(file, e));
                set.files.push(FileSchema { file, json: None, root: None });
            }
            Ok(parsed) => {
                for issue in parsed.issues {
                    set.findings.push(json_finding(file, issue));
                }
                for w in parsed.warnings {
                    let mut f = json_finding(file, w);
                    f.severity = crate::core::finding::Severity::Warning;
                    set.findings.push(f);
                }
                let root = schema::build_file(&mut set, file, &parsed.root, &opts);
                set.files.push(FileSchema { file, json: Some(parsed.root), root: Some(root) });
            }
        }
    }
    schema::resolve(&mut set);
    set
}
