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

/// What reading one file produced, before it joins the set.
enum Read {
    Unreadable(String),
    Bad(JsonError),
    Json(json::Parsed),
}

fn read_one(input: Input, limits: &Limits) -> (SourceFile, Read) {
    if let Some(why) = input.error {
        return (SourceFile::new(input.name, String::new()), Read::Unreadable(why));
    }
    let (text, enc_err) = json::decode(&input.bytes, limits);
    drop(input.bytes);
    let read = match enc_err {
        Some(e) => Read::Bad(e),
        None => match json::parse(&text, limits) {
            Ok(p) => Read::Json(p),
            Err(e) => Read::Bad(e),
        },
    };
    (SourceFile::new(input.name, text), read)
}

/// Decodes and reads the JSON of every input, on several threads when there are many: each
/// file is independent, and this is most of the cost of loading.
fn read_all(inputs: Vec<Input>, limits: &Limits) -> Vec<(SourceFile, Read)> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    if threads < 2 || inputs.len() < 32 {
        return inputs.into_iter().map(|i| read_one(i, limits)).collect();
    }
    let per = inputs.len().div_ceil(threads);
    let mut chunks: Vec<Vec<Input>> = Vec::new();
    let mut it = inputs.into_iter();
    loop {
        let chunk: Vec<Input> = it.by_ref().take(per).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(|i| read_one(i, limits)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("reading a file never panics")).collect()
    })
}

/// Reads every input into one set and resolves names across all of them. Problems of any
/// kind become findings in `set.findings`; this never fails.
pub fn load(inputs: Vec<Input>, limits: &Limits, sources: &mut SourceMap) -> SchemaSet {
    let mut set = SchemaSet::default();
    let opts = BuildOptions::default();
    // In batches, so the JSON trees of one batch are freed (and their memory reused) before
    // the next is read: the whole repository's trees never exist at once.
    let mut inputs = inputs.into_iter().peekable();
    while inputs.peek().is_some() {
        let batch: Vec<Input> = inputs.by_ref().take(256).collect();
        build_batch(read_all(batch, limits), &mut set, sources, &opts);
    }
    schema::resolve(&mut set);
    set
}

fn build_batch(reads: Vec<(SourceFile, Read)>, set: &mut SchemaSet, sources: &mut SourceMap, opts: &BuildOptions) {
    for (source, read) in reads {
        let file = sources.add(source);
        match read {
            Read::Unreadable(why) => {
                set.findings.push(
                    Finding::error("unreadable-file", format!("cannot read the file: {why}"))
                        .at(file, crate::core::source::Span::new(0, 0))
                        .help("check that the file exists and is readable"),
                );
                set.files.push(FileSchema { file, root: None });
            }
            Read::Bad(e) => {
                set.findings.push(json_finding(file, e));
                set.files.push(FileSchema { file, root: None });
            }
            Read::Json(parsed) => {
                for issue in parsed.issues {
                    set.findings.push(json_finding(file, issue));
                }
                for w in parsed.warnings {
                    let mut f = json_finding(file, w);
                    f.severity = crate::core::finding::Severity::Warning;
                    set.findings.push(f);
                }
                let root = schema::build_file(set, file, &parsed.root, opts);
                set.files.push(FileSchema { file, root: Some(root) });
            }
        }
    }
}
