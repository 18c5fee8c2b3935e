//! From file bytes to a resolved [`SchemaSet`]: decode, read JSON, build, resolve.
//!
//! Each file is read and built on its own (on several threads when there are many) into a
//! small arena of its own, which then joins the set: its node ids move by the set's size.
//! Names are bound across files afterwards, in [`schema::resolve`], so order never matters.

use crate::core::finding::{Finding, Severity};
use crate::core::json::{self, JsonError, Limits};
use crate::core::schema::{self, BuildOptions, FileSchema, Schema, SchemaId, SchemaKind, SchemaSet};
use crate::core::source::{FileId, SourceFile, SourceMap, Span};

/// One schema file's name (as shown to users) and bytes.
#[derive(Clone, Debug, Default)]
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

/// Files a reader refuses on purpose (see `workspace::Refusal`): the code and what to do.
const REFUSED: [(&str, &str); 3] = [
    ("symlink-outside-root", "a schema file must be inside the schema root: put the file itself there, not a link"),
    ("symlink-loop", "fix or remove the symbolic link"),
    ("not-a-regular-file", "schema files are regular files: remove or rename it"),
];

fn json_finding(file: FileId, e: JsonError) -> Finding {
    let mut f = Finding::error(e.code, e.message).at(file, e.span);
    f.help = e.help;
    for (span, msg) in e.labels {
        f = f.label(file, span, msg);
    }
    f
}

/// One file, read and built alone: its nodes (ids local to it), definitions and findings.
struct Part {
    source: SourceFile,
    nodes: Vec<Schema>,
    definitions: Vec<SchemaId>,
    findings: Vec<Finding>,
    root: Option<SchemaId>,
}

fn read_one(input: Input, file: FileId, limits: &Limits, opts: &BuildOptions) -> Part {
    let mut local = SchemaSet::default();
    let mut root = None;
    let text = if let Some(why) = input.error {
        // A reader that refused a file on purpose says so as `code: reason`.
        let refused = REFUSED.iter().find_map(|(code, help)| {
            why.strip_prefix(code).and_then(|r| r.strip_prefix(": ")).map(|r| (*code, r.to_string(), *help))
        });
        let (code, message, help) = refused.unwrap_or((
            "unreadable-file",
            format!("cannot read the file: {why}"),
            "check that the file exists and is readable",
        ));
        local.findings.push(Finding::error(code, message).at(file, Span::new(0, 0)).help(help));
        String::new()
    } else {
        let (text, enc_err) = json::decode_owned(input.bytes, limits);
        match enc_err {
            Some(e) => local.findings.push(json_finding(file, e)),
            None => match json::parse(&text, limits) {
                Err(e) => local.findings.push(json_finding(file, e)),
                Ok(parsed) => {
                    for issue in parsed.issues {
                        local.findings.push(json_finding(file, issue));
                    }
                    for w in parsed.warnings {
                        let mut f = json_finding(file, w);
                        f.severity = Severity::Warning;
                        local.findings.push(f);
                    }
                    root = Some(schema::build_file(&mut local, file, &parsed.root, opts));
                }
            },
        }
        text
    };
    Part {
        source: SourceFile::new(input.name, text),
        nodes: local.nodes,
        definitions: local.definitions,
        findings: local.findings,
        root,
    }
}

fn shift(id: &mut SchemaId, by: u32) {
    id.0 += by;
}

/// Adds a part to the set, moving its node ids past the nodes already there.
fn join(set: &mut SchemaSet, sources: &mut SourceMap, part: Part) {
    let file = sources.add(part.source);
    let by = set.nodes.len() as u32;
    let count = part.nodes.len() as u32;
    for mut node in part.nodes {
        match &mut node.kind {
            SchemaKind::Array(id) | SchemaKind::Map(id) => shift(id, by),
            SchemaKind::Union(ids) => ids.iter_mut().for_each(|id| shift(id, by)),
            SchemaKind::Record(r) => r.fields.iter_mut().for_each(|f| shift(&mut f.ty, by)),
            SchemaKind::Ref(r) => {
                if let Some(t) = &mut r.target {
                    shift(t, by);
                }
            }
            SchemaKind::Primitive(_) | SchemaKind::Enum(_) | SchemaKind::Fixed(_) | SchemaKind::Invalid => {}
        }
        set.nodes.push(node);
    }
    set.definitions.extend(part.definitions.into_iter().map(|d| SchemaId(d.0 + by)));
    set.findings.extend(part.findings);
    set.files.push(FileSchema { file, root: part.root.map(|r| SchemaId(r.0 + by)), nodes: by..by + count });
}

/// Reads and builds every input, on every core when there are many (each file is
/// independent, and this is nearly all the cost of loading): workers take runs of files in
/// turn, so an uneven mix of sizes still keeps every core busy, and the parts come back in
/// input order, whatever the thread that built them.
fn read_all(inputs: Vec<Input>, first: u32, limits: &Limits, opts: &BuildOptions) -> Vec<Part> {
    let mut slots: Vec<(u32, Input)> =
        inputs.into_iter().enumerate().map(|(i, input)| (first + i as u32, input)).collect();
    // Each input is moved out of its slot once.
    crate::core::par::map_mut(&mut slots, |(file, input)| read_one(std::mem::take(input), FileId(*file), limits, opts))
}

/// Reads every input into one set and resolves names across all of them. Problems of any
/// kind become findings in `set.findings`; this never fails.
pub fn load(inputs: Vec<Input>, limits: &Limits, sources: &mut SourceMap) -> SchemaSet {
    load_with(inputs, limits, sources, &BuildOptions::default())
}

/// [`load`] with build options.
pub fn load_with(inputs: Vec<Input>, limits: &Limits, sources: &mut SourceMap, opts: &BuildOptions) -> SchemaSet {
    let mut set = SchemaSet::default();
    let first = sources.len() as u32;
    let parts = read_all(inputs, first, limits, opts);
    // One allocation each for the arena and the lists: growing them part by part would copy
    // the whole arena several times over.
    set.nodes.reserve_exact(parts.iter().map(|p| p.nodes.len()).sum());
    set.definitions.reserve_exact(parts.iter().map(|p| p.definitions.len()).sum());
    set.findings.reserve(parts.iter().map(|p| p.findings.len()).sum());
    set.files.reserve_exact(parts.len());
    for part in parts {
        join(&mut set, sources, part);
    }
    schema::resolve(&mut set);
    set
}
