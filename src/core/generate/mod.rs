//! The target-independent model of what `generate` writes, built by one typed walk of a
//! valid schema set: per schema file a [`Module`] (named after its top-level type, or after
//! the file when the top level is not a named type), the named types it defines ([`TypeDef`]:
//! records, errors, enums, fixed), their fields with a [`TypeRef`] tree and typed defaults
//! ([`Value`]), the value type of the whole schema, the self-contained schema text, the
//! subjects it is published under, and the types it uses from other files ([`Import`]).
//!
//! A target is a [`Target`]: its templates (under `templates/<target>/`) and a small table of
//! naming and type mapping (escaping identifiers, module file names, type expressions, default
//! literals). The walk asks the table for every name and expression it puts in the model, so
//! templates get names ready to print. Adding a target is one file implementing [`Target`] and
//! one line in [`REGISTRY`]; nothing of another target is copied.
//!
//! The model is plain data (serde), documented in docs/generate.md for template authors.
//! Pure: takes a loaded set and its files, returns data.

use crate::core::config::Config;
use crate::core::json::{Node, Value as Json};
use crate::core::pathname;
use crate::core::publish::{self, FileInput};
use crate::core::schema::logical::LogicalType;
use crate::core::schema::{Schema, SchemaId, SchemaKind, SchemaSet};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub mod defaults;
pub mod java;
pub mod javascript;
pub mod manifest;
pub mod python;
pub mod rust;
pub mod typescript;
pub mod write;

/// Every built-in target, in the order `--help` lists them.
pub const REGISTRY: &[&dyn Target] =
    &[&python::Python, &javascript::JavaScript, &typescript::TypeScript, &java::Java, &rust::Rust];

/// The target of a name.
pub fn target(name: &str) -> Option<&'static dyn Target> {
    REGISTRY.iter().copied().find(|t| t.name() == name)
}

/// The names of the built-in targets.
pub fn target_names() -> Vec<&'static str> {
    REGISTRY.iter().map(|t| t.name()).collect()
}

/// The package generated modules go in unless `--package` says otherwise: a namespace such as
/// `io.confluent` must not become a top-level `io` that hides Python's own.
pub const DEFAULT_PACKAGE: &str = "schemapipe_events";

/// A template of a target: its name (the file under `templates/<target>/` that overrides
/// it), its built-in text, and what it is rendered for.
pub struct Template {
    pub name: &'static str,
    pub builtin: &'static str,
    pub scope: Scope,
}

/// What a template is rendered for, and where its text goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    /// Once per schema file (`schema`), to the module's `path`.
    Module,
    /// Once per named type of every schema file (`schema` and `type`), to the type's `path`
    /// (see [`Target::type_path`]; types without a path are skipped).
    Type,
    /// Once per run (`schemas`), to `<package dir>/<template name without .j2>`.
    Run,
    /// Never on its own: a part other templates of the target include (`{% include %}`,
    /// `{% import %}`), overridable like the others.
    Include,
}

/// A template filter: a string in, a string out (`pystr`, `jsstr`, ...).
pub type Filter = (&'static str, fn(String) -> String);

/// The names a module knows the named types it uses by: full Avro name -> name in the
/// target language (its own types and those it imports, aliased on a clash).
pub type Names = HashMap<String, String>;

/// One target language: its templates and its naming and type-mapping table. Every method
/// but the first few has a default that suits languages where any Avro name is usable as is.
pub trait Target: Sync {
    /// The name on the command line (`python`).
    fn name(&self) -> &'static str;
    /// The extension of a module file, without the dot (`py`).
    fn extension(&self) -> &'static str;
    /// The built-in templates.
    fn templates(&self) -> &'static [Template];
    /// Template filters of the target (all targets' filters are available to every template).
    fn filters(&self) -> &'static [Filter] {
        &[]
    }
    /// Whether a dotted `--package` suits the target.
    fn valid_package(&self, package: &str) -> bool;
    /// A type, enum or module-level name made an identifier (reserved words escaped).
    fn ident(&self, name: &str) -> String;
    /// A record field's name in the target (properties that may be any name stay as is).
    fn field(&self, name: &str) -> String {
        self.ident(name)
    }
    /// An enum symbol's member name.
    fn member(&self, symbol: &str) -> String {
        self.ident(symbol)
    }
    /// The directory of one namespace part.
    fn dir(&self, part: &str) -> String {
        part.to_string()
    }
    /// The module file of a top-level type's name, without extension.
    fn module_file(&self, name: &str) -> String {
        name.to_string()
    }
    /// Module names (file stems, compared ignoring case) the target writes itself or gives a
    /// meaning in every directory: a schema's module of that name gets a trailing `_`.
    fn reserved_modules(&self) -> &'static [&'static str] {
        &[]
    }
    /// Whether a module named like a package directory beside it is hidden by it (Python).
    fn packages_hide_modules(&self) -> bool {
        false
    }
    /// Whether the target's table reads the model of the whole set ([`Context::set`], the
    /// `set` of [`Target::complete`]): one whose names depend on every file. Others get an
    /// empty one.
    fn reads_whole_set(&self) -> bool {
        false
    }
    /// The type of a value of `ty` as the target writes it; named types by `names`.
    fn type_expr(&self, ty: &TypeRef, names: &Names) -> String;
    /// A default value of a field of type `ty` as the target writes it (an expression).
    fn default_expr(&self, ty: &TypeRef, value: &Value, names: &Names) -> String;
    /// The file of a named type, for targets with a [`Scope::Type`] template (one file per
    /// class): relative to `--out`. `module_dir` is the directory of the module that defines it.
    fn type_path(&self, _package: &str, _module_dir: &str, _t: &TypeDef) -> Option<String> {
        None
    }
    /// Files written once per run beside the modules (`package.json`, `__init__.py`):
    /// path relative to `--out` -> text. `modules` are the paths of every rendered file.
    fn extra_files(&self, _package: &str, _modules: &[&str]) -> Vec<(String, String)> {
        Vec::new()
    }
    /// The deepest nesting of arrays, maps and unions the target generates, for a target whose
    /// code has a level for each ([`write::too_deep`]); a deeper schema file is refused before
    /// anything is written. `None`: no limit of the target's own.
    fn max_nesting(&self) -> Option<usize> {
        None
    }
    /// Why the target cannot express a module, if it cannot (checked for every module before
    /// anything is written; the message names the schema file and the place).
    fn refuse(&self, _module: &Module) -> Option<String> {
        None
    }
    /// Names and expressions that need the whole set rather than one type (Rust: types by
    /// their path in the crate, unions named as enums, boxed recursion), filled in after the
    /// walk: the target's table for what [`Target::type_expr`] cannot see. The whole set is
    /// `ctx.set`, which is empty unless [`Target::reads_whole_set`] says the target reads it.
    fn finish(&self, _ctx: &mut Context) -> Result<(), String> {
        Ok(())
    }
    /// Completes the model of the modules generated (those of the schema files chosen), for a
    /// target whose naming needs the whole set (Java names its classes across every file): it
    /// may rename, set the `path`s (a module left with an empty one gets no [`Scope::Module`]
    /// file), add the target's own expressions under `extra`, and add the class of a top level
    /// that is not named to `types`. Errors name the schema file.
    fn complete(&self, _set: &SetModel, _package: &str, _modules: &mut [Module]) -> Result<(), String> {
        Ok(())
    }
}

/// The longest path of a module (below `--out`, with the package's directories) made of its
/// namespace's directories; a longer one gets one directory for its whole namespace.
pub const MAX_MODULE_PATH: usize = 1000;

/// The longest file or directory name generated as is (bytes, with the extension); a longer
/// one is shortened to a readable prefix and a hash (see [`shorten`]).
pub const MAX_SEGMENT: usize = 120;

/// A file or directory name that fits [`MAX_SEGMENT`] bytes with `extension` (`"py"`, or
/// `""` for a directory): `stem` itself when it fits, else its first 100 bytes, `_` and the
/// first 8 hex digits of the SHA-256 of `avro_name` (the Avro spelling the name comes from:
/// the top-level type's full name for a module — the file's path under the schema root,
/// dots for slashes and without `.avsc`, when the top level is not named — or the
/// namespace part for a directory), so every target shortens one name alike.
pub fn shorten(stem: &str, avro_name: &str, extension: &str) -> String {
    let ext_len = if extension.is_empty() { 0 } else { extension.len() + 1 };
    if stem.len() + ext_len <= MAX_SEGMENT {
        return stem.to_string();
    }
    let mut cut = 100;
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{}", &stem[..cut], &manifest::sha256(avro_name.as_bytes())[..8])
}

/// The model a target's templates are rendered from.
#[derive(Serialize, Debug)]
pub struct Context {
    pub target: String,
    pub version: String,
    /// The package every generated module is in (`schemapipe_events`).
    pub package: String,
    pub schemas: Vec<Module>,
    /// The module name of every schema file, in the order of the files' paths: those of a
    /// run for some files only included (a crate's `lib.rs` declares them all).
    pub modules: Vec<String>,
    /// The subjects of every top-level schema by its publish key ([`publish::subjects`]),
    /// for a target's table.
    #[serde(skip)]
    pub subjects: BTreeMap<String, Vec<String>>,
    /// Every named type and every file's top level, for a target's table that names types
    /// across every file (see [`SetModel`]); empty unless [`Target::reads_whole_set`].
    #[serde(skip)]
    pub set: SetModel,
}

/// What the walk models of the whole set, for targets whose naming needs every file rather
/// than one module (Java names classes across the set, Rust types by their path in the
/// crate): they read this, never the schema set.
#[derive(Debug, Default, Clone)]
pub struct SetModel {
    /// Every named type (the definition that counts), by full name.
    pub named: BTreeMap<String, NamedType>,
    /// Every schema file that has a top level, by path under the schema root: its top-level
    /// type (a named type by name, also when the file only refers to one defined elsewhere).
    pub tops: BTreeMap<String, TypeRef>,
}

/// A named type as the walk models it.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// `record`, `error`, `enum` or `fixed`.
    pub kind: &'static str,
    pub full_name: String,
    pub name: String,
    pub namespace: Option<String>,
    /// The schema file that defines it (path under the schema root).
    pub file: String,
    /// A record's fields, in order.
    pub fields: Vec<NamedField>,
    /// An enum's symbols, in order.
    pub symbols: Vec<String>,
    /// The type itself (a fixed's size and logical type are there).
    pub ty: TypeRef,
}

/// A record field as the walk models it.
#[derive(Debug, Clone)]
pub struct NamedField {
    pub name: String,
    pub ty: TypeRef,
    /// The default typed by the field's type; none when there is none or it fits no branch.
    pub default_value: Option<Value>,
}

impl SetModel {
    /// The model of a valid set's files, types followed `max` levels deep.
    pub fn new(set: &SchemaSet, files: &[FileInput], max: usize) -> SetModel {
        let path_of: HashMap<crate::core::source::FileId, &str> =
            files.iter().map(|f| (set.files[f.index].file, f.path)).collect();
        // Every named type on its own, side by side, then in the order of the full names.
        let ids: Vec<(&String, &SchemaId)> = set.names.iter().collect();
        let one = |&(full, id): &(&String, &SchemaId)| -> Option<(String, NamedType)> {
            let node = set.node(*id);
            let n = node.named()?;
            let mut t = NamedType {
                kind: "record",
                full_name: full.clone(),
                name: n.name.clone(),
                namespace: n.namespace.clone(),
                file: path_of.get(&node.file).map(|p| p.to_string()).unwrap_or_default(),
                fields: Vec::new(),
                symbols: Vec::new(),
                ty: type_ref(set, *id, max),
            };
            match &node.kind {
                SchemaKind::Record(r) => {
                    t.kind = if r.is_error { "error" } else { "record" };
                    t.fields = r
                        .fields
                        .iter()
                        .map(|f| NamedField {
                            name: f.name.clone(),
                            ty: type_ref(set, f.ty, max),
                            default_value: f.default.as_ref().and_then(|d| typed_value(set, f.ty, &to_json(d), 0)),
                        })
                        .collect();
                }
                SchemaKind::Enum(e) => {
                    t.kind = "enum";
                    t.symbols = e.symbols.iter().map(|(s, _)| s.clone()).collect();
                }
                SchemaKind::Fixed(_) => t.kind = "fixed",
                _ => return None,
            }
            Some((full.clone(), t))
        };
        let named: BTreeMap<String, NamedType> = crate::core::par::map(&ids, one).into_iter().flatten().collect();
        let tops = files
            .iter()
            .filter_map(|f| Some((f.path.to_string(), type_ref(set, set.files[f.index].root?, max))))
            .collect();
        SetModel { named, tops }
    }
}

/// One schema file: the module generated for it.
#[derive(Serialize, Debug)]
pub struct Module {
    /// The top-level type's full name; for a top level that is not a named type, the file's
    /// path under the schema root without `.avsc`, dots for slashes (`com.acme.ids`).
    pub full_name: String,
    /// The top-level type's name, or the file's stem made an identifier.
    pub name: String,
    pub namespace: Option<String>,
    pub doc: Option<String>,
    /// Whether the top level is a named type (record, error, enum, fixed).
    pub named: bool,
    /// `record`, `error`, `enum`, `fixed`, `primitive`, `array`, `map` or `union`.
    pub kind: &'static str,
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
    /// The name of the value type in the target: the top-level type's class, or an alias of
    /// the value type for a top level that is not named.
    pub class_name: String,
    /// The adapter's name (`<class_name>Adapter`).
    pub adapter_name: String,
    /// The top-level type as a tree.
    pub value_type: TypeRef,
    /// The value type as the target writes it.
    pub value_type_expr: String,
    /// From the module's directory to the package's (`./`, `../../`), for relative imports.
    pub to_root: String,
    pub types: Vec<TypeDef>,
    /// Named types from other files the module uses.
    pub imports: Vec<Import>,
    /// Expressions of the target's own, by name (see [`Target::complete`]; empty for most).
    pub extra: Extra,
    /// Unions the target names as types of their own (Rust: an enum per union of several
    /// non-null branches); empty for targets that write unions inline.
    pub unions: Vec<UnionDef>,
    /// How the value is written ([`write::Write`]), for targets whose modules write Avro
    /// binary themselves (Java, Rust).
    pub write: Option<write::Write>,
}

/// A union the target names: its type's name and its branches.
#[derive(Serialize, Debug)]
pub struct UnionDef {
    pub class_name: String,
    pub branches: Vec<BranchDef>,
}

#[derive(Serialize, Debug)]
pub struct BranchDef {
    /// The branch's variant name.
    pub name: String,
    /// The branch's type as the target writes it; none for `null`.
    pub type_expr: Option<String>,
}

/// What a target's table adds to a module, type or field for its templates: precomputed
/// expressions and names by key (Java: a field's boxed type and the statements writing it).
pub type Extra = BTreeMap<String, serde_json::Value>;

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
    /// The logical type of a fixed (`decimal`, `duration`, `uuid`).
    pub logical: Option<&'static str>,
    pub precision: Option<u32>,
    pub scale: Option<u32>,
    /// Whether a field refers back to this type (directly or through others).
    pub recursive: bool,
    /// The type's own file, for targets that write one per type ([`Target::type_path`]).
    pub path: Option<String>,
    /// Expressions of the target's own, by name (see [`Target::complete`]).
    pub extra: Extra,
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
    #[serde(rename = "type")]
    pub ty: TypeRef,
    /// The type as the target language writes it.
    pub type_expr: String,
    pub has_default: bool,
    /// The default as JSON, as written in the schema.
    pub default: Option<serde_json::Value>,
    /// The default typed by the field's type (the union branch it belongs to found).
    pub default_value: Option<Value>,
    /// The default as the target language writes it.
    pub default_expr: Option<String>,
    /// Expressions of the target's own, by name (see [`Target::complete`]).
    pub extra: Extra,
    /// How the field's value is written ([`write::Write`]), for targets whose modules write
    /// Avro binary themselves (Java, Rust).
    pub write: Option<write::Write>,
}

/// A type as a tree; named types by name only.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TypeRef {
    /// `null`, `boolean`, `int`, `long`, `float`, `double`, `bytes`, `string`.
    Primitive {
        name: &'static str,
        logical: Option<&'static str>,
        precision: Option<u32>,
        scale: Option<u32>,
    },
    /// A record, error, enum or fixed, defined here or elsewhere.
    Named {
        #[serde(rename = "type")]
        ty: &'static str,
        full_name: String,
        name: String,
        logical: Option<&'static str>,
        precision: Option<u32>,
        scale: Option<u32>,
        /// A fixed's size.
        size: Option<u32>,
    },
    Array {
        items: Box<TypeRef>,
    },
    Map {
        values: Box<TypeRef>,
    },
    /// Branches in the schema's order; `tags` the branch names Avro resolves a union by
    /// (`null`, `int`, `array`, `map`, a named type's full name).
    Union {
        branches: Vec<TypeRef>,
        tags: Vec<String>,
        /// The union's identity in the set (each union is at one place of one schema): the
        /// key of a target that names unions as types of their own.
        #[serde(skip)]
        id: SchemaId,
    },
    /// Nested deeper than the model follows (64 levels, or as deep as a target that writes
    /// code for every level generates: [`Target::max_nesting`]): targets write their "any" type.
    Deep,
}

impl TypeRef {
    /// The name Avro resolves a union branch by.
    pub fn tag(&self) -> String {
        match self {
            TypeRef::Primitive { name, .. } => (*name).to_string(),
            TypeRef::Named { full_name, .. } => full_name.clone(),
            TypeRef::Array { .. } => "array".into(),
            TypeRef::Map { .. } => "map".into(),
            TypeRef::Union { .. } => "union".into(),
            TypeRef::Deep => "deep".into(),
        }
    }
    /// Whether the type is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, TypeRef::Primitive { name: "null", .. })
    }
    pub fn logical(&self) -> Option<&'static str> {
        match self {
            TypeRef::Primitive { logical, .. } | TypeRef::Named { logical, .. } => *logical,
            _ => None,
        }
    }
    /// A decimal's scale (0 when the type has none).
    pub fn scale(&self) -> u32 {
        match self {
            TypeRef::Primitive { scale, .. } | TypeRef::Named { scale, .. } => scale.unwrap_or(0),
            _ => 0,
        }
    }
    /// A union of `null` and one other branch (either order): the other branch.
    pub fn optional(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::Union { branches, .. } if branches.len() == 2 => {
                let null = |t: &TypeRef| matches!(t, TypeRef::Primitive { name: "null", .. });
                match (null(&branches[0]), null(&branches[1])) {
                    (true, false) => Some(&branches[1]),
                    (false, true) => Some(&branches[0]),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// A default value typed by its schema.
#[derive(Serialize, Debug, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Value {
    Null,
    Boolean {
        value: bool,
    },
    Int {
        value: i64,
    },
    Long {
        value: i64,
    },
    /// A float or double as written (`1.5`, `1e10`) or `NaN`, `Infinity`, `-Infinity`.
    Float {
        text: String,
    },
    Double {
        text: String,
    },
    /// Bytes (code points 0-255 of the JSON string).
    Bytes {
        value: Vec<u8>,
    },
    String {
        value: String,
    },
    Fixed {
        full_name: String,
        value: Vec<u8>,
    },
    Enum {
        full_name: String,
        symbol: String,
    },
    Array {
        items: Vec<Value>,
    },
    Map {
        entries: Vec<Entry>,
    },
    /// The fields the default gives (others take their own defaults), in the record's order.
    Record {
        full_name: String,
        fields: Vec<Entry>,
    },
    /// The value of one branch of a union: `index` and `tag` name the branch.
    Union {
        index: usize,
        tag: String,
        value: Box<Value>,
    },
    /// Nested deeper than the model follows: the JSON as written.
    Json {
        json: serde_json::Value,
    },
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
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

/// How deep the model follows types and defaults.
const MAX_DEPTH: usize = 64;

/// The deepest type nesting the targets that write typed code for every level (Java, Rust)
/// generate; a deeper schema is refused.
pub const MAX_GENERATED_DEPTH: usize = 200;

fn logical_parts(l: Option<LogicalType>) -> (Option<&'static str>, Option<u32>, Option<u32>) {
    match l {
        Some(LogicalType::Decimal { precision, scale }) => (Some("decimal"), Some(precision), Some(scale)),
        Some(l) => (Some(l.name()), None, None),
        None => (None, None, None),
    }
}

/// The type tree of a node (named types by name only), followed `max` levels deep.
pub fn type_ref(set: &SchemaSet, id: SchemaId, max: usize) -> TypeRef {
    type_ref_at(set, id, 0, max)
}

fn type_ref_at(set: &SchemaSet, id: SchemaId, depth: usize, max: usize) -> TypeRef {
    let node = set.resolved(id);
    let (logical, precision, scale) = logical_parts(node.logical);
    if let Some(n) = node.named() {
        let (ty, size) = match &node.kind {
            SchemaKind::Record(r) if r.is_error => ("error", None),
            SchemaKind::Record(_) => ("record", None),
            SchemaKind::Enum(_) => ("enum", None),
            SchemaKind::Fixed(f) => ("fixed", Some(f.size)),
            _ => ("record", None),
        };
        return TypeRef::Named {
            ty,
            full_name: n.full_name.clone(),
            name: n.name.clone(),
            logical,
            precision,
            scale,
            size,
        };
    }
    if depth > max {
        return TypeRef::Deep;
    }
    match &node.kind {
        SchemaKind::Primitive(p) => TypeRef::Primitive { name: p.name(), logical, precision, scale },
        SchemaKind::Array(i) => TypeRef::Array { items: Box::new(type_ref_at(set, *i, depth + 1, max)) },
        SchemaKind::Map(v) => TypeRef::Map { values: Box::new(type_ref_at(set, *v, depth + 1, max)) },
        SchemaKind::Union(b) => {
            let branches: Vec<TypeRef> = b.iter().map(|x| type_ref_at(set, *x, depth + 1, max)).collect();
            TypeRef::Union { tags: branches.iter().map(TypeRef::tag).collect(), branches, id: set.deref(id) }
        }
        _ => TypeRef::Deep,
    }
}

/// A default (JSON as in the schema) typed by the schema: a union's default belongs to the
/// first branch it is valid for (Avro 1.12 accepts any branch); `None` when it fits none.
pub fn typed_value(set: &SchemaSet, id: SchemaId, v: &serde_json::Value, depth: usize) -> Option<Value> {
    use serde_json::Value as J;
    let node: &Schema = set.resolved(id);
    // As deep as Java and Rust generate types (a default of a deeper part is kept as JSON).
    if depth > MAX_GENERATED_DEPTH {
        return Some(Value::Json { json: v.clone() });
    }
    let bytes = |s: &str| -> Option<Vec<u8>> { s.chars().map(|c| u8::try_from(c as u32).ok()).collect() };
    let float_text = |v: &J| match v {
        J::Number(n) => Some(n.to_string()),
        J::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => Some(s.clone()),
        _ => None,
    };
    let named = node.named().map(|n| n.full_name.clone()).unwrap_or_default();
    use crate::core::schema::Primitive as P;
    Some(match (&node.kind, v) {
        (SchemaKind::Primitive(P::Null), J::Null) => Value::Null,
        (SchemaKind::Primitive(P::Boolean), J::Bool(b)) => Value::Boolean { value: *b },
        (SchemaKind::Primitive(P::Int), J::Number(n)) => Value::Int { value: i32::try_from(n.as_i64()?).ok()?.into() },
        (SchemaKind::Primitive(P::Long), J::Number(n)) => Value::Long { value: n.as_i64()? },
        (SchemaKind::Primitive(P::Float), _) => Value::Float { text: float_text(v)? },
        (SchemaKind::Primitive(P::Double), _) => Value::Double { text: float_text(v)? },
        (SchemaKind::Primitive(P::Bytes), J::String(s)) => Value::Bytes { value: bytes(s)? },
        (SchemaKind::Primitive(P::String), J::String(s)) => Value::String { value: s.clone() },
        (SchemaKind::Fixed(_), J::String(s)) => Value::Fixed { full_name: named, value: bytes(s)? },
        (SchemaKind::Enum(e), J::String(s)) if e.symbols.iter().any(|(x, _)| x == s) => {
            Value::Enum { full_name: named, symbol: s.clone() }
        }
        (SchemaKind::Array(items), J::Array(xs)) => Value::Array {
            items: xs.iter().map(|x| typed_value(set, *items, x, depth + 1)).collect::<Option<Vec<_>>>()?,
        },
        (SchemaKind::Map(values), J::Object(m)) => Value::Map {
            entries: m
                .iter()
                .map(|(k, x)| Some(Entry { key: k.clone(), value: typed_value(set, *values, x, depth + 1)? }))
                .collect::<Option<Vec<_>>>()?,
        },
        (SchemaKind::Record(r), J::Object(m)) => {
            let mut fields = Vec::new();
            for f in &r.fields {
                if let Some(x) = m.get(&f.name) {
                    fields.push(Entry { key: f.name.clone(), value: typed_value(set, f.ty, x, depth + 1)? });
                } else if f.default.is_none() {
                    return None;
                }
            }
            Value::Record { full_name: named, fields }
        }
        (SchemaKind::Union(b), _) => b.iter().enumerate().find_map(|(index, x)| {
            let value = typed_value(set, *x, v, depth + 1)?;
            Some(Value::Union { index, tag: tag_of(set, *x), value: Box::new(value) })
        })?,
        _ => return None,
    })
}

/// The name Avro resolves a union branch by (see [`TypeRef::tag`]).
fn tag_of(set: &SchemaSet, id: SchemaId) -> String {
    let node = set.resolved(id);
    match (&node.kind, node.named()) {
        (_, Some(n)) => n.full_name.clone(),
        (SchemaKind::Primitive(p), _) => p.name().to_string(),
        (SchemaKind::Array(_), _) => "array".into(),
        (SchemaKind::Map(_), _) => "map".into(),
        _ => "union".into(),
    }
}

/// JSON text without a byte-order mark and with its `//` and `/* */` comments (which Java's
/// parser accepts) made spaces.
pub fn plain_json(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('/') {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut start, mut in_string) = (0, 0, false);
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && i + 1 < b.len() && (b[i + 1] == b'/' || b[i + 1] == b'*') => {
                out.push_str(&text[start..i]);
                let end = if b[i + 1] == b'/' {
                    text[i..].find('\n').map_or(b.len(), |n| i + n)
                } else {
                    text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2)
                };
                out.push(' ');
                i = end;
                start = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&text[start..]);
    out
}

/// `order-ids` -> `OrderIds`, `ids` -> `Ids`; characters that cannot be in an identifier
/// separate words; a leading digit gets a `_`.
pub fn pascal(stem: &str) -> String {
    let mut out = String::new();
    for word in stem.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A directory of a schema file's path as an identifier-like name (for modules of schemas
/// whose top level is not named): characters other than letters, digits and `_` become `_`.
fn ident_part(part: &str) -> String {
    let mut s: String = part.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// The name of a type in a module: its simple name, or its full name with `_` for dots when two
/// types the module knows share a simple name.
fn module_names(
    target: &dyn Target,
    local: &[(String, String)],
    imported: &[(String, String)],
    taken: impl IntoIterator<Item = String>,
) -> Names {
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
    let mut taken: HashSet<String> = taken.into_iter().collect();
    let mut out = HashMap::new();
    let mut name_all = |list: &[(String, String)], clash: &dyn Fn(&str) -> bool| {
        for (full, simple) in list {
            let base = if clash(simple) { full.replace('.', "_") } else { simple.clone() };
            // Escaping (`class` -> `class_`) or a full name may meet another name: suffix until free.
            let mut name = target.ident(&base);
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

/// Names made distinct in their order: one that escaping made equal to an earlier one (`from`
/// -> `from_` beside a field `from_`) gets more `_`, past every name of the list.
fn distinct<'a>(names: impl Iterator<Item = &'a mut String>) {
    let names: Vec<&mut String> = names.collect();
    let originals: HashSet<String> = names.iter().map(|n| n.to_string()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    for name in names {
        if taken.contains(name.as_str()) {
            while taken.contains(name.as_str()) || originals.contains(name.as_str()) {
                name.push('_');
            }
        }
        taken.insert(name.clone());
    }
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

/// The named types reachable from `id` (through fields, items, values, branches).
fn reaches(set: &SchemaSet, from: SchemaId, to: &str) -> bool {
    let mut seen: HashSet<SchemaId> = HashSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        let id = set.deref(id);
        if !seen.insert(id) {
            continue;
        }
        let node = set.node(id);
        if node.named().is_some_and(|n| n.full_name == to) {
            return true;
        }
        match &node.kind {
            SchemaKind::Record(r) => stack.extend(r.fields.iter().map(|f| f.ty)),
            SchemaKind::Array(i) | SchemaKind::Map(i) => stack.push(*i),
            SchemaKind::Union(b) => stack.extend(b.iter().copied()),
            _ => {}
        }
    }
    false
}

/// One module's path before it is made unique: its directory parts (each with the Avro
/// spelling it comes from) and its file stem.
struct Planned {
    index: usize,
    /// `(name in the target, Avro spelling)` of each directory below the package.
    dirs: Vec<(String, String)>,
    stem: String,
    /// The Avro spelling of the stem (the top-level type's full name, or the file path).
    owner: String,
}

/// The model for `target` over the schema files of a valid set. Errors name what cannot be
/// generated, with the schema file.
pub fn context(
    set: &SchemaSet,
    files: &[FileInput],
    cfg: &Config,
    target: &dyn Target,
    package: &str,
) -> Result<Context, String> {
    let subjects = publish::file_subjects(set, files, cfg);
    let subjects_by_name = publish::subjects_by_key(set, files, &subjects);
    // The schema text without what Java's parser accepts and JSON does not (comments, a
    // byte-order mark): the generated module's SCHEMA is plain JSON.
    let plain: Vec<String> = files.iter().map(|f| plain_json(f.text)).collect();
    let plain_files: Vec<FileInput> =
        files.iter().zip(&plain).map(|(f, text)| FileInput { index: f.index, path: f.path, text }).collect();
    let texts = publish::self_contained(set, &plain_files);
    let file_of: HashMap<crate::core::source::FileId, usize> =
        files.iter().map(|f| (set.files[f.index].file, f.index)).collect();
    let package_parts: Vec<String> = package.split('.').map(str::to_string).collect();
    // Types are followed as deep as the target generates them (one more level: the `null` of
    // a union at the deepest level).
    let depth = target.max_nesting().map_or(MAX_DEPTH, |m| m + 1);
    // Where every module goes: the namespace's directories and the top-level type's name, or
    // for a top level that is not named, the file's directories and its stem.
    let mut planned: Vec<Planned> = Vec::new();
    for f in files {
        let Some(root) = set.files[f.index].root else { continue };
        let node = set.node(root);
        if let Some(named) = set.resolved(root).named().filter(|_| node.named().is_some()) {
            let mut dirs = Vec::new();
            let mut spelled = String::new();
            for p in named.namespace.iter().flat_map(|ns| ns.split('.')) {
                spelled = if spelled.is_empty() { p.to_string() } else { format!("{spelled}.{p}") };
                dirs.push((target.dir(p), spelled.clone()));
            }
            planned.push(Planned {
                index: f.index,
                dirs,
                stem: target.module_file(&named.name),
                owner: named.full_name.clone(),
            });
        } else {
            let rel = f.path.strip_suffix(".avsc").unwrap_or(f.path);
            let mut parts: Vec<&str> = rel.split('/').collect();
            let stem = parts.pop().unwrap_or(rel);
            let mut dirs = Vec::new();
            let mut spelled = String::new();
            for p in parts {
                let p = ident_part(p);
                spelled = if spelled.is_empty() { p.clone() } else { format!("{spelled}.{p}") };
                dirs.push((target.dir(&p), spelled.clone()));
            }
            planned.push(Planned {
                index: f.index,
                dirs,
                stem: target.module_file(&pascal(stem)),
                owner: rel.replace('/', "."),
            });
        }
    }
    // Names too long for a file name are shortened.
    for p in &mut planned {
        for (dir, spelled) in &mut p.dirs {
            let last = spelled.rsplit('.').next().unwrap_or(spelled).to_string();
            *dir = shorten(dir, &last, "");
        }
        p.stem = shorten(&p.stem, &p.owner, target.extension());
        // A namespace of many long parts would make a path no file system takes: its
        // directories become one, a readable prefix of the namespace and a hash of it.
        let len = package.len() + p.dirs.iter().map(|d| d.0.len() + 1).sum::<usize>() + p.stem.len() + 4;
        if len > MAX_MODULE_PATH {
            let spelled = p.dirs.last().map(|d| d.1.clone()).unwrap_or_default();
            let readable = spelled.replace('.', "_");
            let mut cut = readable.len().min(60);
            while !readable.is_char_boundary(cut) {
                cut -= 1;
            }
            let dir = target.dir(&format!("{}_{}", &readable[..cut], &manifest::sha256(spelled.as_bytes())[..8]));
            p.dirs = vec![(dir, spelled)];
        }
    }
    // A module named like a package beside it (`com.acme.Orders` and namespace
    // `com.acme.orders`) gets a trailing `_` where the package would hide it; nor may a
    // module be a file the generator writes itself: the runtime module in the package's
    // directory, the target's reserved module names in any (ignoring case).
    let packages: HashSet<String> = planned
        .iter()
        .flat_map(|p| {
            (1..=p.dirs.len()).map(move |i| p.dirs[..i].iter().map(|d| d.0.as_str()).collect::<Vec<_>>().join("/"))
        })
        .collect();
    for p in &mut planned {
        loop {
            let dir = p.dirs.iter().map(|d| d.0.as_str()).collect::<Vec<_>>().join("/");
            let own = if dir.is_empty() { p.stem.clone() } else { format!("{dir}/{}", p.stem) };
            let lower = p.stem.to_lowercase();
            let taken = (target.packages_hide_modules() && packages.contains(&own))
                || (p.dirs.is_empty() && lower == "schemapipe_runtime")
                || target.reserved_modules().contains(&lower.as_str());
            if !taken {
                break;
            }
            p.stem.push('_');
        }
    }
    // Paths that differ only in case are one file on case-insensitive file systems (macOS,
    // Windows): every directory and module is claimed, ignoring case, by the Avro name it
    // comes from; another Avro name meeting a claimed one gets `_` and a hash of its own
    // Avro name. Claims are made in the order of the Avro names, so the result is the same
    // whatever the order of the files.
    planned.sort_by(|a, b| a.owner.cmp(&b.owner).then(a.index.cmp(&b.index)));
    let mut claims: HashMap<String, String> = HashMap::new();
    for p in &mut planned {
        let mut prefix = String::new();
        for (dir, spelled) in &mut p.dirs {
            let owner = format!("dir {spelled}");
            let mut key = format!("{prefix}/{}", dir.to_lowercase());
            if claims.get(&key).is_some_and(|o| *o != owner) {
                *dir = format!("{dir}_{}", &manifest::sha256(spelled.as_bytes())[..8]);
                key = format!("{prefix}/{}", dir.to_lowercase());
            }
            claims.entry(key.clone()).or_insert(owner);
            prefix = key;
        }
        let owner = format!("module {}", p.owner);
        let mut key = format!("{prefix}/{}.{}", p.stem.to_lowercase(), target.extension());
        if claims.get(&key).is_some_and(|o| *o != owner) {
            p.stem = format!("{}_{}", p.stem, &manifest::sha256(p.owner.as_bytes())[..8]);
            key = format!("{prefix}/{}.{}", p.stem.to_lowercase(), target.extension());
        }
        if let Some(other) = claims.get(&key).filter(|o| **o != owner) {
            let path = files.iter().find(|x| x.index == p.index).map(|x| x.path).unwrap_or("");
            return Err(format!("`{path}` cannot be generated: its module meets another's ({other})"));
        }
        claims.insert(key, owner);
    }
    let mut module_of: HashMap<usize, (String, String)> = HashMap::new();
    for p in &planned {
        let mut segments: Vec<String> = package_parts.clone();
        segments.extend(p.dirs.iter().map(|d| d.0.clone()));
        segments.push(p.stem.clone());
        let module = segments.join(".");
        if let Some(last) = segments.last_mut() {
            last.push('.');
            last.push_str(target.extension());
        }
        let name = files.iter().find(|f| f.index == p.index).map(|f| f.path).unwrap_or("");
        let path = pathname::join(name, &segments).map_err(|e| format!("`{name}` cannot be generated: {e}"))?;
        module_of.insert(p.index, (module, path));
    }
    // Each file's definitions, in definition order (one pass, not one per file).
    let mut defs_of: HashMap<crate::core::source::FileId, Vec<SchemaId>> = HashMap::new();
    for d in &set.definitions {
        defs_of.entry(set.node(*d).file).or_default().push(*d);
    }
    // Every file's module on its own, side by side.
    let one = |f: &FileInput| -> Result<Option<Module>, String> {
        let Some((module, path)) = module_of.get(&f.index).cloned() else { return Ok(None) };
        let file_id = set.files[f.index].file;
        let root_id = set.files[f.index].root.expect("a module has a root");
        let root = set.resolved(root_id);
        let named = set.node(root_id).named().and(root.named());
        let defs: Vec<SchemaId> = defs_of.get(&file_id).cloned().unwrap_or_default();
        // A target writing code for every level of a type refuses one nested deeper than it
        // generates: the top level and every field of the types the file defines.
        if let Some(max) = target.max_nesting() {
            let fields = defs.iter().flat_map(|d| match &set.node(*d).kind {
                SchemaKind::Record(r) => r.fields.iter().map(|fd| fd.ty).collect(),
                _ => Vec::new(),
            });
            for id in std::iter::once(root_id).chain(fields) {
                if let Some(pointer) = write::too_deep(set, id, max) {
                    return Err(write::too_deep_message(f.path, target.name(), pointer, max));
                }
            }
        }
        // Named types from other files, used by this one.
        let mut imports: BTreeMap<String, (String, String)> = BTreeMap::new();
        let range = set.files[f.index].nodes.clone();
        for n in set.nodes[range.start as usize..range.end as usize].iter().filter(|n| n.file == file_id) {
            if let SchemaKind::Ref(r) = &n.kind {
                let Some(t) = r.target else { continue };
                let target_node = set.node(t);
                let (Some(tn), Some(owner)) = (target_node.named(), file_of.get(&target_node.file)) else { continue };
                if target_node.file == file_id {
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
        let rel = f.path.strip_suffix(".avsc").unwrap_or(f.path);
        let (full_name, name, namespace, doc) = match named {
            Some(n) => (n.full_name.clone(), n.name.clone(), n.namespace.clone(), n.doc.clone()),
            None => (rel.replace('/', "."), pascal(rel.rsplit('/').next().unwrap_or(rel)), None, None),
        };
        // The value type of a top level that is not named is an alias, named after the file,
        // that no type of the module takes; the adapter's name is never a type's either.
        let mut class_name = target.ident(&name);
        let locals: HashSet<&str> = local.iter().map(|(_, s)| s.as_str()).collect();
        if named.is_none() {
            while locals.contains(class_name.as_str()) || imported.iter().any(|(_, s)| *s == class_name) {
                class_name.push('_');
            }
        }
        let adapter_base = format!("{}Adapter", target.ident(&name));
        let mut taken = vec![adapter_base.clone()];
        if named.is_none() {
            taken.push(class_name.clone());
        }
        let names = module_names(target, &local, &imported, taken);
        if let Some(n) = named {
            class_name = names[&n.full_name].clone();
        }
        let adapter_name = format!("{class_name}Adapter");
        let types = defs
            .iter()
            .filter_map(|d| {
                let node = set.node(*d);
                let n = node.named()?;
                let (logical, precision, scale) = logical_parts(node.logical);
                let mut t = TypeDef {
                    kind: "record",
                    full_name: n.full_name.clone(),
                    name: n.name.clone(),
                    doc: n.doc.clone(),
                    class_name: names[&n.full_name].clone(),
                    fields: Vec::new(),
                    symbols: Vec::new(),
                    enum_default: None,
                    size: None,
                    logical,
                    precision,
                    scale,
                    recursive: false,
                    path: None,
                    extra: Extra::new(),
                };
                match &node.kind {
                    SchemaKind::Record(r) => {
                        t.kind = if r.is_error { "error" } else { "record" };
                        t.recursive = r.fields.iter().any(|fd| reaches(set, fd.ty, &n.full_name));
                        t.fields = r
                            .fields
                            .iter()
                            .map(|fd| {
                                let default = fd.default.as_ref().map(to_json);
                                let ty = type_ref(set, fd.ty, depth);
                                let default_value = default.as_ref().and_then(|d| typed_value(set, fd.ty, d, 0));
                                FieldDef {
                                    name: fd.name.clone(),
                                    ident: target.field(&fd.name),
                                    doc: fd.doc.clone(),
                                    type_expr: target.type_expr(&ty, &names),
                                    has_default: default.is_some(),
                                    default_expr: default_value.as_ref().map(|d| target.default_expr(&ty, d, &names)),
                                    default_value,
                                    default,
                                    ty,
                                    extra: Extra::new(),
                                    write: None,
                                }
                            })
                            .collect();
                        distinct(t.fields.iter_mut().map(|f| &mut f.ident));
                    }
                    SchemaKind::Enum(e) => {
                        t.kind = "enum";
                        t.symbols = e
                            .symbols
                            .iter()
                            .map(|(s, _)| Symbol { name: s.clone(), ident: target.member(s) })
                            .collect();
                        distinct(t.symbols.iter_mut().map(|s| &mut s.ident));
                        t.enum_default = e.default.as_ref().map(|(d, _)| d.clone());
                    }
                    SchemaKind::Fixed(x) => {
                        t.kind = "fixed";
                        t.size = Some(x.size);
                    }
                    _ => return None,
                }
                t.path = target.type_path(package, path.rsplit_once('/').map_or("", |(d, _)| d), &t);
                Some(t)
            })
            .collect();
        let value_type = type_ref(set, root_id, depth);
        let kind = match &value_type {
            TypeRef::Named { ty, .. } => *ty,
            TypeRef::Primitive { .. } => "primitive",
            TypeRef::Array { .. } => "array",
            TypeRef::Map { .. } => "map",
            TypeRef::Union { .. } => "union",
            TypeRef::Deep => "primitive",
        };
        let module = Module {
            schema_json: texts.get(&f.index).cloned().unwrap_or_else(|| Ok(String::new())).map_err(|e| {
                format!(
                    "`{}` ({full_name}) cannot be generated: {e}: the generated module holds the schema as registered, with the named types of other files written out in it, and that text nests more than 2000 levels deep; make it shallower (fewer nested arrays, maps, unions and records inside one another, or the shared types it uses made shallower)",
                    f.path
                )
            })?,
            // A top level that refers to another file's type has that type's subjects.
            subjects: subjects
                .get(&f.index)
                .or_else(|| named.and_then(|_| subjects_by_name.get(&full_name)))
                .cloned()
                .unwrap_or_default(),
            to_root: to_root(&path, package),
            value_type_expr: target.type_expr(&value_type, &names),
            value_type,
            named: named.is_some(),
            kind,
            full_name,
            name,
            namespace,
            doc,
            file: f.path.to_string(),
            class_name,
            adapter_name,
            imports: imports
                .into_iter()
                .map(|(full, (module, name))| Import {
                    alias: names[&full].clone(),
                    relative: relative_path(&path, &format!("{}.{}", module.replace('.', "/"), target.extension())),
                    full_name: full,
                    module,
                    name: target.ident(&name),
                })
                .collect(),
            path,
            module,
            types,
            extra: Extra::new(),
            unions: Vec::new(),
            write: None,
        };
        if let Some(why) = target.refuse(&module) {
            return Err(format!("`{}` cannot be generated for {}: {why}", module.file, target.name()));
        }
        Ok(Some(module))
    };
    let mut schemas = Vec::new();
    for m in crate::core::par::map(files, one) {
        schemas.extend(m?);
    }
    let mut ctx = Context {
        target: target.name().to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        package: package.to_string(),
        schemas,
        modules: Vec::new(),
        subjects: subjects_by_name,
        set: if target.reads_whole_set() { SetModel::new(set, files, depth) } else { SetModel::default() },
    };
    target.finish(&mut ctx)?;
    ctx.schemas.sort_by(|a, b| a.path.cmp(&b.path));
    let mut by_file: Vec<&Module> = ctx.schemas.iter().collect();
    by_file.sort_by(|a, b| a.file.cmp(&b.file));
    ctx.modules = by_file.iter().map(|m| m.module.clone()).collect();
    Ok(ctx)
}

#[cfg(test)]
mod tests;
