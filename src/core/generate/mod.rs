//! What adapter-stub templates are rendered from: per schema file, its named types with their
//! fields, the self-contained schema text, the subjects it is published under, and the names
//! of each type in the target language.
//!
//! The context is plain data (serde), documented in docs/generate.md for template authors.
//! Target-specific naming (identifiers, type expressions, default literals) lives in one
//! module per target; only Python is built in.
//!
//! Pure: takes a loaded set and its files, returns data.

use crate::core::config::Config;
use crate::core::json::{Node, Value as Json};
use crate::core::pathname;
use crate::core::publish::{self, FileInput};
use crate::core::schema::logical::LogicalType;
use crate::core::schema::{Primitive, Schema, SchemaId, SchemaKind, SchemaSet};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The targets with built-in templates.
pub const TARGETS: &[&str] = &["python", "javascript", "java"];

/// The package generated modules go in unless `--package` says otherwise: a namespace such as
/// `io.confluent` must not become a top-level `io` that hides Python's own.
pub const DEFAULT_PACKAGE: &str = "schemapipe_events";

/// Whether a dotted package name suits the target: Python identifiers, or for JavaScript
/// directory names of letters, digits, `_` and `-`.
pub fn valid_package(name: &str, target: &str) -> bool {
    if target == "java" {
        return java::valid_package(name);
    }
    !name.is_empty()
        && name.split('.').all(|p| {
            if target == "javascript" {
                return !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            }
            let mut chars = p.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
                && python::ident(p) == p
        })
}

#[derive(Serialize, Debug)]
pub struct Context {
    pub target: String,
    pub version: String,
    /// The package every generated module is in (`schemapipe_events`).
    pub package: String,
    pub schemas: Vec<SchemaFile>,
}

/// One schema file: its top-level type and every named type it defines.
#[derive(Serialize, Debug)]
pub struct SchemaFile {
    pub full_name: String,
    pub name: String,
    pub namespace: Option<String>,
    pub doc: Option<String>,
    /// The `.avsc` path relative to the schema root.
    pub file: String,
    /// The self-contained schema (named types from other files written out in it).
    pub schema_json: String,
    /// The registry subjects it is published under (empty when no topic maps to it).
    pub subjects: Vec<String>,
    /// Where the generated module goes, relative to the output directory.
    pub path: String,
    /// The module's name in the target language (`com.acme.payments.payment_captured`).
    pub module: String,
    /// The top-level type's name in the target language.
    pub class_name: String,
    /// From the module's directory to the package's (`./`, `../../`), for relative imports.
    pub to_root: String,
    pub types: Vec<TypeDef>,
    /// Named types from other files the module uses.
    pub imports: Vec<Import>,
}

#[derive(Serialize, Debug)]
pub struct Import {
    pub full_name: String,
    pub module: String,
    /// The module's file relative to the importing module's directory (`../common/Money.js`).
    pub relative: String,
    pub name: String,
    /// The name the module refers to it by (differs from `name` only on a clash).
    pub alias: String,
}

#[derive(Serialize, Debug)]
pub struct TypeDef {
    /// `record`, `error`, `enum` or `fixed`.
    pub kind: &'static str,
    pub full_name: String,
    pub name: String,
    pub doc: Option<String>,
    /// The class name in the target language.
    pub class_name: String,
    pub fields: Vec<FieldDef>,
    pub symbols: Vec<Symbol>,
    pub enum_default: Option<String>,
    pub size: Option<u32>,
}

#[derive(Serialize, Debug)]
pub struct Symbol {
    pub name: String,
    /// The member name in the target language.
    pub ident: String,
}

#[derive(Serialize, Debug)]
pub struct FieldDef {
    pub name: String,
    /// The attribute name in the target language (a keyword gets a trailing `_`).
    pub ident: String,
    pub doc: Option<String>,
    /// The field's type as a tree: `{"kind": "primitive", "name": "long", "logical":
    /// "timestamp-millis"}`, `{"kind": "named", "full_name": ...}`, `{"kind": "array", "items":
    /// ...}`, `{"kind": "map", "values": ...}`, `{"kind": "union", "branches": [...]}`.
    #[serde(rename = "type")]
    pub ty: serde_json::Value,
    /// The type as the target language writes it.
    pub type_expr: String,
    pub has_default: bool,
    /// The default as JSON, as written in the schema.
    pub default: Option<serde_json::Value>,
    /// The default as the target language writes it (a literal, or a factory for lists,
    /// dicts and records).
    pub default_expr: Option<String>,
}

/// A JSON value of the model as serde JSON.
fn to_json(n: &Node) -> serde_json::Value {
    match &n.value {
        Json::Null => serde_json::Value::Null,
        Json::Bool(b) => serde_json::Value::Bool(*b),
        Json::Number(x) => serde_json::from_str(&x.raw).unwrap_or(serde_json::Value::Null),
        Json::String(s) => serde_json::Value::String(s.to_string()),
        Json::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Json::Object(members) => {
            serde_json::Value::Object(members.iter().map(|m| (m.key.to_string(), to_json(&m.value))).collect())
        }
    }
}

fn logical_name(l: &LogicalType) -> &'static str {
    l.name()
}

/// The type tree of a node (named types by name only).
fn type_tree(set: &SchemaSet, id: SchemaId, depth: usize) -> serde_json::Value {
    let node = set.resolved(id);
    if let Some(n) = node.named() {
        let kind = match &node.kind {
            SchemaKind::Record(r) if r.is_error => "error",
            SchemaKind::Record(_) => "record",
            SchemaKind::Enum(_) => "enum",
            _ => "fixed",
        };
        return serde_json::json!({"kind": "named", "type": kind, "full_name": n.full_name, "name": n.name,
            "logical": node.logical.as_ref().map(logical_name)});
    }
    if depth > 64 {
        return serde_json::json!({"kind": "deep"});
    }
    match &node.kind {
        SchemaKind::Primitive(p) => {
            serde_json::json!({"kind": "primitive", "name": p.name(), "logical": node.logical.as_ref().map(logical_name)})
        }
        SchemaKind::Array(i) => serde_json::json!({"kind": "array", "items": type_tree(set, *i, depth + 1)}),
        SchemaKind::Map(v) => serde_json::json!({"kind": "map", "values": type_tree(set, *v, depth + 1)}),
        SchemaKind::Union(b) => serde_json::json!({"kind": "union",
            "branches": b.iter().map(|x| type_tree(set, *x, depth + 1)).collect::<Vec<_>>()}),
        _ => serde_json::json!({"kind": "unknown"}),
    }
}

pub mod python;

/// How a target writes the literals of a default value.
pub struct LiteralStyle {
    /// A value of a leaf type the target writes its own way (bytes, big longs).
    pub leaf: fn(&Schema, &serde_json::Value) -> Option<String>,
    /// An object key.
    pub key: fn(&str) -> String,
    /// Any other JSON value.
    pub plain: fn(&serde_json::Value) -> String,
}

/// A default (JSON as in the schema) written following the field's type: a union's default is
/// for its first branch; arrays, maps and records are walked, so leaves are typed at any depth.
pub fn typed_default(
    set: &SchemaSet,
    ty: SchemaId,
    v: &serde_json::Value,
    depth: usize,
    style: &LiteralStyle,
) -> String {
    let node = set.resolved(ty);
    if depth > 64 {
        return (style.plain)(v);
    }
    if let Some(leaf) = (style.leaf)(node, v) {
        return leaf;
    }
    let object = |m: &serde_json::Map<String, serde_json::Value>, ty_of: &dyn Fn(&str) -> Option<SchemaId>| {
        let entries: Vec<String> = m
            .iter()
            .map(|(k, x)| {
                let value = match ty_of(k) {
                    Some(t) => typed_default(set, t, x, depth + 1, style),
                    None => (style.plain)(x),
                };
                format!("{}: {value}", (style.key)(k))
            })
            .collect();
        format!("{{{}}}", entries.join(", "))
    };
    match (&node.kind, v) {
        (SchemaKind::Union(b), _) => match b.first() {
            Some(first) => typed_default(set, *first, v, depth + 1, style),
            None => (style.plain)(v),
        },
        (SchemaKind::Array(items), serde_json::Value::Array(xs)) => {
            let parts: Vec<String> = xs.iter().map(|x| typed_default(set, *items, x, depth + 1, style)).collect();
            format!("[{}]", parts.join(", "))
        }
        (SchemaKind::Map(values), serde_json::Value::Object(m)) => object(m, &|_| Some(*values)),
        (SchemaKind::Record(r), serde_json::Value::Object(m)) => {
            object(m, &|k| r.fields.iter().find(|f| f.name == k).map(|f| f.ty))
        }
        _ => (style.plain)(v),
    }
}

/// The naming rules of a target language.
#[derive(Clone, Copy)]
enum Lang {
    Python,
    JavaScript,
}

impl Lang {
    fn of(target: &str) -> Lang {
        match target {
            "javascript" => Lang::JavaScript,
            _ => Lang::Python,
        }
    }
    /// A class or module-level name.
    fn ident(self, name: &str) -> String {
        match self {
            Lang::Python => python::ident(name),
            Lang::JavaScript => javascript::ident(name),
        }
    }
    /// A record field's attribute (JavaScript properties may be any name).
    fn field(self, name: &str) -> String {
        match self {
            Lang::Python => python::ident(name),
            Lang::JavaScript => name.to_string(),
        }
    }
    fn member(self, symbol: &str) -> String {
        match self {
            Lang::Python => python::member(symbol),
            Lang::JavaScript => javascript::ident(symbol),
        }
    }
    /// A directory of a namespace part. Python's bytecode cache directory is not a package.
    fn dir(self, part: &str) -> String {
        match self {
            Lang::Python if part.eq_ignore_ascii_case("__pycache__") => format!("{part}_"),
            Lang::Python => python::ident(part),
            Lang::JavaScript => part.to_string(),
        }
    }
    /// Module names (file stems) the generator writes itself or the language gives a meaning,
    /// in every directory: a schema's module with one of these names (compared ignoring case)
    /// gets a trailing `_`. `__init__.py` is every package's marker; `__main__.py` would run
    /// on `python -m`.
    fn reserved_modules(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["__init__", "__main__"],
            Lang::JavaScript => &[],
        }
    }
    /// The module file of a top-level type, without extension.
    fn module_file(self, name: &str) -> String {
        match self {
            Lang::Python => python::ident(&python::snake(name)),
            Lang::JavaScript => name.to_string(),
        }
    }
    fn extension(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::JavaScript => "js",
        }
    }
    fn type_expr(self, set: &SchemaSet, id: SchemaId, names: &HashMap<String, String>) -> String {
        match self {
            Lang::Python => python::type_expr(set, id, names, 0),
            Lang::JavaScript => javascript::type_expr(set, id, names, 0),
        }
    }
    fn default_expr(self, set: &SchemaSet, id: SchemaId, default: &serde_json::Value) -> String {
        match self {
            Lang::Python => python::default_expr(set, id, default),
            Lang::JavaScript => typed_default(set, id, default, 0, &javascript::STYLE),
        }
    }
}

pub mod java;
pub mod javascript;

/// The name of a type in a module: its simple name, or its full name with `_` for dots when two
/// types the module knows share a simple name.
fn module_names(
    lang: Lang,
    local: &[(String, String)],
    imported: &[(String, String)],
    adapter: Option<String>,
) -> HashMap<String, String> {
    // The module's own types keep their simple names unless two of them share one; a type
    // from another file is renamed (aliased) when its simple name is taken here.
    let mut local_count: HashMap<&str, usize> = HashMap::new();
    for (_, simple) in local {
        *local_count.entry(simple.as_str()).or_default() += 1;
    }
    let mut import_count: HashMap<&str, usize> = HashMap::new();
    for (_, simple) in imported {
        *import_count.entry(simple.as_str()).or_default() += 1;
    }
    let mut taken: std::collections::HashSet<String> = adapter.into_iter().collect();
    let mut out = HashMap::new();
    let mut name_all = |list: &[(String, String)], clash: &dyn Fn(&str) -> bool| {
        for (full, simple) in list {
            let base = if clash(simple) { full.replace('.', "_") } else { simple.clone() };
            // Escaping (`class` -> `class_`) or a full name may meet another name: suffix until free.
            let mut name = lang.ident(&base);
            while taken.contains(&name) {
                name.push('_');
            }
            taken.insert(name.clone());
            out.insert(full.clone(), name);
        }
    };
    name_all(local, &|simple| local_count[simple] > 1);
    name_all(imported, &|simple| local_count.contains_key(simple) || import_count[simple] > 1);
    out
}

/// From a module's directory to the package's: `./` at the top, `../` per level below.
fn to_root(path: &str, package: &str) -> String {
    let below = path.matches('/').count() - package.matches('.').count() - 1;
    if below == 0 {
        "./".into()
    } else {
        "../".repeat(below)
    }
}

/// The path of `to` relative to the directory of `from` (both relative to one root).
fn relative_path(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let up = from_dir.len() - common;
    let rest = to_parts[common..].join("/");
    if up == 0 {
        format!("./{rest}")
    } else {
        format!("{}{rest}", "../".repeat(up))
    }
}

/// The context for `target` over the schema files of a valid set. Errors name what cannot be
/// generated (two schemas that would write the same module).
pub fn context(
    set: &SchemaSet,
    files: &[FileInput],
    cfg: &Config,
    target: &str,
    package: &str,
) -> Result<Context, String> {
    let lang = Lang::of(target);
    let subjects = publish::subjects(set, files, cfg);
    let texts = publish::self_contained(set, files);
    let file_of: HashMap<crate::core::source::FileId, usize> =
        files.iter().map(|f| (set.files[f.index].file, f.index)).collect();
    // The module of every file with a named top-level type.
    let mut parts_of: HashMap<usize, Vec<String>> = HashMap::new();
    for f in files {
        let Some(root) = set.files[f.index].root else { continue };
        let Some(named) = set.node(root).named() else { continue };
        let mut parts: Vec<String> = package.split('.').map(str::to_string).collect();
        parts.extend(named.namespace.iter().flat_map(|ns| ns.split('.')).map(|p| lang.dir(p)));
        parts.push(lang.module_file(&named.name));
        parts_of.insert(f.index, parts);
    }
    // A module named like a package beside it (`com.acme.Orders` and namespace
    // `com.acme.orders`) gets a trailing `_`: the package would hide it.
    let packages: std::collections::HashSet<String> =
        parts_of.values().flat_map(|p| (1..p.len()).map(move |i| p[..i].join("/"))).collect();
    let mut module_of: HashMap<usize, (String, String)> = HashMap::new();
    // Nor may a schema's module be a file the generator writes itself: the runtime module in
    // the package's directory, `__init__`/`__main__` in any (ignoring case).
    let runtime = format!("{}/schemapipe_runtime", package.replace('.', "/")).to_lowercase();
    let taken = |parts: &[String]| {
        let last = parts.last().map(|l| l.to_lowercase()).unwrap_or_default();
        (matches!(lang, Lang::Python) && packages.contains(&parts.join("/")))
            || parts.join("/").to_lowercase() == runtime
            || lang.reserved_modules().contains(&last.as_str())
    };
    for (index, mut parts) in parts_of {
        while taken(&parts) {
            if let Some(last) = parts.last_mut() {
                last.push('_');
            }
        }
        let mut segments = parts.clone();
        if let Some(last) = segments.last_mut() {
            last.push('.');
            last.push_str(lang.extension());
        }
        // Names of a valid set are safe file names, but a path must never come from a name
        // unchecked: a 300-character name is valid Avro and too long for a file name.
        let name = files.iter().find(|f| f.index == index).map(|f| f.path).unwrap_or("");
        let path = pathname::join(name, &segments).map_err(|e| format!("`{name}` cannot be generated: {e}"))?;
        module_of.insert(index, (parts.join("."), path));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for f in files {
        if let Some((_, path)) = module_of.get(&f.index) {
            if let Some(other) = seen.insert(path, f.index) {
                let other = files.iter().find(|x| x.index == other).map(|x| x.path).unwrap_or("");
                return Err(format!("`{}` and `{other}` would both generate `{path}`", f.path));
            }
        }
    }
    // Two paths that differ only in case are one file on case-insensitive file systems
    // (macOS, Windows): refused, naming both schemas, rather than renamed silently. Every
    // directory and module path is compared, so `com/Acme/X` and `com/acme/Y` meet too.
    let mut spelled: HashMap<String, (String, usize)> = HashMap::new();
    for f in files {
        let Some((_, path)) = module_of.get(&f.index) else { continue };
        let segments: Vec<&str> = path.split('/').collect();
        for i in 1..=segments.len() {
            let prefix = segments[..i].join("/");
            match spelled.entry(prefix.to_lowercase()) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((prefix, f.index));
                }
                std::collections::hash_map::Entry::Occupied(e) if e.get().0 != prefix => {
                    let (first, other) = e.get();
                    let other = files.iter().find(|x| x.index == *other).map(|x| x.path).unwrap_or("");
                    return Err(format!(
                        "`{other}` and `{}` would generate `{first}` and `{prefix}`, which differ only in case: one file on case-insensitive file systems (macOS, Windows); rename one of the types or namespaces",
                        f.path
                    ));
                }
                _ => {}
            }
        }
    }
    // Each file's definitions, in definition order (one pass, not one per file).
    let mut defs_of: HashMap<crate::core::source::FileId, Vec<SchemaId>> = HashMap::new();
    for d in &set.definitions {
        defs_of.entry(set.node(*d).file).or_default().push(*d);
    }
    let mut schemas = Vec::new();
    for f in files {
        let Some((module, path)) = module_of.get(&f.index).cloned() else { continue };
        let relative_of_root = path.clone();
        let file_id = set.files[f.index].file;
        let root = set.node(set.files[f.index].root.expect("a module has a root"));
        let named = root.named().expect("a module's root is named");
        let defs: Vec<SchemaId> = defs_of.get(&file_id).cloned().unwrap_or_default();
        // Named types from other files, used by this one.
        let mut imports: BTreeMap<String, (String, String)> = BTreeMap::new();
        let range = set.files[f.index].nodes.clone();
        for n in set.nodes[range.start as usize..range.end as usize].iter().filter(|n| n.file == file_id) {
            if let SchemaKind::Ref(r) = &n.kind {
                let Some(t) = r.target else { continue };
                let target = set.node(t);
                let (Some(tn), Some(owner)) = (target.named(), file_of.get(&target.file)) else { continue };
                if target.file == file_id {
                    continue;
                }
                if let Some((m, _)) = module_of.get(owner) {
                    imports.insert(tn.full_name.clone(), (m.clone(), tn.name.clone()));
                }
            }
        }
        let local: Vec<(String, String)> =
            defs.iter().filter_map(|d| set.node(*d).named().map(|n| (n.full_name.clone(), n.name.clone()))).collect();
        let imported: Vec<(String, String)> =
            imports.iter().map(|(full, (_, simple))| (full.clone(), simple.clone())).collect();
        let adapter = Some(format!("{}Adapter", lang.ident(&named.name)));
        let names = module_names(lang, &local, &imported, adapter);
        let types = defs
            .iter()
            .filter_map(|d| {
                let node = set.node(*d);
                let n = node.named()?;
                let class_name = names[&n.full_name].clone();
                let mut t = TypeDef {
                    kind: "record",
                    full_name: n.full_name.clone(),
                    name: n.name.clone(),
                    doc: n.doc.clone(),
                    class_name,
                    fields: Vec::new(),
                    symbols: Vec::new(),
                    enum_default: None,
                    size: None,
                };
                match &node.kind {
                    SchemaKind::Record(r) => {
                        t.kind = if r.is_error { "error" } else { "record" };
                        t.fields = r
                            .fields
                            .iter()
                            .map(|fd| {
                                let default = fd.default.as_ref().map(to_json);
                                FieldDef {
                                    name: fd.name.clone(),
                                    ident: lang.field(&fd.name),
                                    doc: fd.doc.clone(),
                                    ty: type_tree(set, fd.ty, 0),
                                    type_expr: lang.type_expr(set, fd.ty, &names),
                                    has_default: default.is_some(),
                                    default_expr: default.as_ref().map(|d| lang.default_expr(set, fd.ty, d)),
                                    default,
                                }
                            })
                            .collect();
                    }
                    SchemaKind::Enum(e) => {
                        t.kind = "enum";
                        t.symbols =
                            e.symbols.iter().map(|(s, _)| Symbol { name: s.clone(), ident: lang.member(s) }).collect();
                        t.enum_default = e.default.as_ref().map(|(d, _)| d.clone());
                    }
                    SchemaKind::Fixed(x) => {
                        t.kind = "fixed";
                        t.size = Some(x.size);
                    }
                    _ => return None,
                }
                Some(t)
            })
            .collect();
        schemas.push(SchemaFile {
            full_name: named.full_name.clone(),
            name: named.name.clone(),
            namespace: named.namespace.clone(),
            doc: named.doc.clone(),
            file: f.path.to_string(),
            schema_json: texts.get(&f.index).cloned().unwrap_or_else(|| Ok(String::new())).map_err(|e| {
                format!(
                    "`{}` ({}) cannot be generated: {e}: the generated module holds the schema as registered, with the named types of other files written out in it, and that text nests more than 2000 levels deep; make it shallower (fewer nested arrays, maps, unions and records inside one another, or the shared types it uses made shallower)",
                    f.path, named.full_name
                )
            })?,
            subjects: subjects.get(&named.full_name).cloned().unwrap_or_default(),
            path,
            class_name: names[&named.full_name].clone(),
            to_root: to_root(&relative_of_root, package),
            module,
            types,
            imports: imports
                .into_iter()
                .map(|(full, (module, name))| Import {
                    alias: names[&full].clone(),
                    relative: relative_path(
                        &relative_of_root,
                        &format!("{}.{}", module.replace('.', "/"), lang.extension()),
                    ),
                    full_name: full,
                    module,
                    name: lang.ident(&name),
                })
                .collect(),
        });
    }
    schemas.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Context {
        target: target.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        package: package.to_string(),
        schemas,
    })
}

#[cfg(test)]
mod tests {
    use super::python::*;
    use crate::core::config::Config;
    use crate::core::json::Limits;
    use crate::core::load::{load, Input};
    use crate::core::publish::FileInput;
    use crate::core::source::SourceMap;

    /// The generated module paths of schema files, or the refusal.
    fn paths(target: &str, files: &[(&str, String)]) -> Result<Vec<String>, String> {
        let inputs = files.iter().map(|(p, t)| Input::new(*p, t.as_bytes())).collect();
        let set = load(inputs, &Limits::default(), &mut SourceMap::new());
        assert!(!set.has_errors(), "{files:?}");
        let fi: Vec<FileInput> =
            files.iter().enumerate().map(|(index, (path, text))| FileInput { index, path, text }).collect();
        let ctx = super::context(&set, &fi, &Config::default(), target, "pkg")?;
        Ok(ctx.schemas.into_iter().map(|s| s.path).collect())
    }

    fn record(name: &str, namespace: Option<&str>) -> String {
        let ns = namespace.map(|n| format!(r#","namespace":"{n}""#)).unwrap_or_default();
        format!(r#"{{"type":"record","name":"{name}"{ns},"fields":[]}}"#)
    }

    #[test]
    fn modules_never_take_the_name_of_a_file_the_generator_writes() {
        let files = vec![
            ("a.avsc", record("__init__", None)),
            ("b.avsc", record("__main__", Some("com.acme"))),
            ("c.avsc", record("schemapipe_runtime", None)),
            ("d.avsc", record("__INIT__", Some("org"))),
            ("e.avsc", record("X", Some("__pycache__"))),
        ];
        let got = paths("python", &files).unwrap();
        assert_eq!(
            got,
            [
                "pkg/__init___.py",
                "pkg/__pycache___/x.py",
                "pkg/com/acme/__main___.py",
                "pkg/org/__init___.py",
                "pkg/schemapipe_runtime_.py"
            ]
        );
        let got = paths(
            "javascript",
            &[("a.avsc", record("Schemapipe_Runtime", None)), ("b.avsc", record("__init__", None))],
        )
        .unwrap();
        assert_eq!(got, ["pkg/Schemapipe_Runtime_.js", "pkg/__init__.js"]);
        // Elsewhere than the package's directory, the runtime's name is free.
        assert_eq!(
            paths("python", &[("a.avsc", record("schemapipe_runtime", Some("com")))]).unwrap(),
            ["pkg/com/schemapipe_runtime.py"]
        );
    }

    #[test]
    fn paths_that_differ_only_in_case_are_refused() {
        let e =
            paths("javascript", &[("a.avsc", record("Order", None)), ("b.avsc", record("order", None))]).unwrap_err();
        assert!(e.contains("`a.avsc` and `b.avsc`") && e.contains("differ only in case"), "{e}");
        let e = paths(
            "javascript",
            &[("a.avsc", record("X", Some("com.Acme"))), ("b.avsc", record("Y", Some("com.acme")))],
        )
        .unwrap_err();
        assert!(e.contains("`pkg/com/Acme`") && e.contains("`pkg/com/acme`"), "{e}");
        let e =
            paths("python", &[("a.avsc", record("X", Some("Com"))), ("b.avsc", record("Y", Some("com")))]).unwrap_err();
        assert!(e.contains("differ only in case"), "{e}");
        // Python lower-cases module names: two types that differ in case share a module.
        let e = paths("python", &[("a.avsc", record("Order", None)), ("b.avsc", record("ORDER", None))]).unwrap_err();
        assert!(e.contains("would both generate `pkg/order.py`"), "{e}");
    }

    #[test]
    fn a_name_too_long_for_a_file_is_refused() {
        let long = "N".repeat(300);
        let e = paths("javascript", &[("a.avsc", record(&long, None))]).unwrap_err();
        assert!(e.contains("`a.avsc` cannot be generated") && e.contains("255 bytes"), "{e}");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(super::relative_path("p/com/a/X.js", "p/com/b/Y.js"), "../b/Y.js");
        assert_eq!(super::relative_path("p/com/a/X.js", "p/com/a/Y.js"), "./Y.js");
        assert_eq!(super::relative_path("p/X.js", "p/com/Y.js"), "./com/Y.js");
        assert_eq!(super::to_root("p/com/a/X.js", "p"), "../../");
        assert_eq!(super::to_root("p/X.js", "p"), "./");
        assert_eq!(super::to_root("a/b/X.js", "a.b"), "./");
    }

    #[test]
    fn python_names() {
        assert_eq!(snake("PaymentCaptured"), "payment_captured");
        assert_eq!(snake("HTTPRequest"), "http_request");
        assert_eq!(snake("OrderV2Placed"), "order_v2_placed");
        assert_eq!(snake("money"), "money");
        assert_eq!(ident("from"), "from_");
        assert_eq!(ident("None"), "None_");
        assert_eq!(ident("type"), "type");
        assert_eq!(bytes_literal("\u{0}a\"\u{ff}"), "b\"\\x00a\\\"\\xff\"");
        assert_eq!(literal(&serde_json::json!({"a": [1, null, true, "x\n"]})), "{\"a\": [1, None, True, \"x\\n\"]}");
    }
}

pub mod manifest;
