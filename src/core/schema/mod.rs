//! The Avro model with spans, and its validation against the specification as the Java
//! reference parser (`org.apache.avro.Schema.Parser` 1.12, which Confluent runs) applies it.
//!
//! Building happens in two passes so that file order never matters:
//! 1. [`build`]: each file's JSON tree becomes schema nodes in one arena; named types are
//!    collected, references by name are kept as [`SchemaKind::Ref`] with their candidate full
//!    names (namespace-qualified first, then the null namespace, as Java looks them up).
//! 2. [`resolve`]: the names of every file form one table; references are bound, redefinitions
//!    and unknown names reported, then checks that need the resolved types run (union branch
//!    uniqueness, default values).
//!
//! Pure: callers pass in text; nothing here reads files.

mod build;
mod describe;
pub use describe::describe_type;
pub mod equality;
pub mod logical;
pub mod names;
mod resolve;
#[cfg(test)]
mod tests;

pub use build::{build_file, BuildOptions};
pub use resolve::resolve;

use crate::core::finding::Finding;
use crate::core::json::Node;
use crate::core::source::{FileId, Span};
use std::collections::HashMap;

/// Index of a schema node in a [`SchemaSet`]'s arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Primitive {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
}

impl Primitive {
    pub const ALL: [Primitive; 8] = [
        Primitive::Null,
        Primitive::Boolean,
        Primitive::Int,
        Primitive::Long,
        Primitive::Float,
        Primitive::Double,
        Primitive::Bytes,
        Primitive::String,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Primitive::Null => "null",
            Primitive::Boolean => "boolean",
            Primitive::Int => "int",
            Primitive::Long => "long",
            Primitive::Float => "float",
            Primitive::Double => "double",
            Primitive::Bytes => "bytes",
            Primitive::String => "string",
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }
}

/// Sort order of a record field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Ascending,
    Descending,
    Ignore,
}

/// What every named type (record, error, enum, fixed) has.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    /// The unqualified name.
    pub name: String,
    /// The effective namespace (`None` = the null namespace).
    pub namespace: Option<String>,
    pub full_name: String,
    /// Span of the `name` value.
    pub name_span: Span,
    /// Aliases, as full names.
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    /// Span of the `doc` value, when there is one.
    pub doc_span: Option<Span>,
    /// Span of the `namespace` value, when the type declares one.
    pub namespace_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub name_span: Span,
    pub ty: SchemaId,
    pub doc: Option<String>,
    /// Span of the `doc` value, when there is one.
    pub doc_span: Option<Span>,
    /// The `default` value as written (a JSON string default of a float/double field stays a
    /// string, as written).
    pub default: Option<Node>,
    pub order: Order,
    pub aliases: Vec<String>,
    /// Custom properties, in source order.
    pub props: Vec<(String, Node)>,
    /// Span of the whole field object.
    pub span: Span,
    /// JSON pointer of the field object.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub named: Named,
    pub is_error: bool,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub named: Named,
    pub symbols: Vec<(String, Span)>,
    pub default: Option<(String, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fixed {
    pub named: Named,
    pub size: u32,
}

/// A use of a named type by name.
#[derive(Clone, Debug, PartialEq)]
pub struct NameRef {
    /// The name as written.
    pub written: String,
    /// Full names to try, in Java's lookup order.
    pub candidates: Vec<String>,
    /// The definition it resolved to.
    pub target: Option<SchemaId>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SchemaKind {
    Primitive(Primitive),
    Record(Box<Record>),
    Enum(Box<Enum>),
    Fixed(Box<Fixed>),
    Array(SchemaId),
    Map(SchemaId),
    Union(Vec<SchemaId>),
    Ref(Box<NameRef>),
    /// A node that failed validation; analyses skip it.
    Invalid,
}

/// One node of the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub kind: SchemaKind,
    pub file: FileId,
    /// Span of the JSON value that defines this node.
    pub span: Span,
    /// JSON pointer of that value in its file.
    pub pointer: String,
    /// The valid logical type, if any (an invalid one is ignored, as Java does).
    pub logical: Option<logical::LogicalType>,
    /// Custom properties (including `logicalType` and its attributes), in source order.
    pub props: Vec<(String, Node)>,
}

impl Schema {
    pub fn named(&self) -> Option<&Named> {
        match &self.kind {
            SchemaKind::Record(r) => Some(&r.named),
            SchemaKind::Enum(e) => Some(&e.named),
            SchemaKind::Fixed(f) => Some(&f.named),
            _ => None,
        }
    }
    pub fn prop(&self, key: &str) -> Option<&Node> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// One schema file of the set.
#[derive(Clone, Debug)]
pub struct FileSchema {
    pub file: FileId,
    /// The top-level schema, when the file was well-formed JSON.
    pub root: Option<SchemaId>,
    /// The file's nodes: a contiguous range of the arena.
    pub nodes: std::ops::Range<u32>,
}

/// Every schema of a run, with named types resolved across files.
#[derive(Clone, Debug, Default)]
pub struct SchemaSet {
    pub nodes: Vec<Schema>,
    pub files: Vec<FileSchema>,
    /// Full name -> the definition that counts (the first one, when redefined).
    pub names: HashMap<String, SchemaId>,
    /// Every definition, in build order, for redefinition reports.
    pub definitions: Vec<SchemaId>,
    /// Definitions that repeat, in another file, a type defined before them, equal to it as
    /// Java compares schemas (accepted, as Java does): `(copy, first definition)`.
    pub redefinitions: Vec<(SchemaId, SchemaId)>,
    pub findings: Vec<Finding>,
}

impl SchemaSet {
    pub fn node(&self, id: SchemaId) -> &Schema {
        &self.nodes[id.0 as usize]
    }

    /// Follows name references to the definition.
    pub fn deref(&self, mut id: SchemaId) -> SchemaId {
        // References point at definitions, never at other references, but guard anyway.
        for _ in 0..4 {
            match &self.node(id).kind {
                SchemaKind::Ref(r) => match r.target {
                    Some(t) => id = t,
                    None => return id,
                },
                _ => return id,
            }
        }
        id
    }

    /// The node a reference resolves to, or the node itself.
    pub fn resolved(&self, id: SchemaId) -> &Schema {
        self.node(self.deref(id))
    }

    /// The full name a node stands for when it is a named type or a reference to one.
    pub fn full_name_of(&self, id: SchemaId) -> Option<&str> {
        match &self.node(id).kind {
            SchemaKind::Ref(r) => match r.target {
                Some(t) => self.node(t).named().map(|n| n.full_name.as_str()),
                None => r.candidates.first().map(String::as_str),
            },
            _ => self.node(id).named().map(|n| n.full_name.as_str()),
        }
    }

    /// The named type defined with this full name.
    pub fn lookup(&self, full_name: &str) -> Option<SchemaId> {
        self.names.get(full_name).copied()
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == crate::core::finding::Severity::Error)
    }
}
