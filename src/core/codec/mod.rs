//! The Avro codec, as Java's `org.apache.avro` reads and writes data: the binary encoding
//! ([`binary`]), the JSON encoding ([`json`]: unions as `{"type": value}` with the branch's
//! full name, bytes and fixed as ISO-8859-1 strings) and schema resolution from a writer's
//! schema to a reader's ([`resolve`]), with the comparison of what a value means under both
//! ([`meaning`]).
//!
//! A schema of the model is first compiled into a [`Codec`]: a small self-contained tree with
//! named types bound, which the encoders walk. Values ([`Value`]) are shaped by their schema:
//! record fields in schema order, enums by index, unions with their branch.
//!
//! Decoding is bounded: every length is checked against the remaining input before anything
//! is allocated, data nesting is limited, and errors carry the byte offset (binary) or the
//! span (JSON). Pure: no I/O.

pub mod binary;
pub mod json;
pub mod meaning;
pub mod resolve;
#[cfg(test)]
mod tests;

use crate::core::compat::{NodeRef, View};
use crate::core::json::Node;
use crate::core::schema::logical::LogicalType;
use crate::core::schema::{Primitive, SchemaKind};
use std::collections::HashMap;

/// Deepest nesting of data values (records in records, arrays in arrays…) read or written.
pub const MAX_DEPTH: usize = 160;

/// Index of a node in a [`Codec`].
pub type Id = usize;

#[derive(Clone, Debug)]
pub struct NamedInfo {
    pub full_name: String,
    pub name: String,
    /// Aliases as full names.
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct CField {
    pub name: String,
    pub aliases: Vec<String>,
    pub ty: Id,
    pub default: Option<Node>,
}

#[derive(Clone, Debug)]
pub enum Type {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record { named: NamedInfo, fields: Vec<CField> },
    Enum { named: NamedInfo, symbols: Vec<String>, default: Option<u32> },
    Fixed { named: NamedInfo, size: usize },
    Array(Id),
    Map(Id),
    Union(Vec<Id>),
}

#[derive(Clone, Debug)]
pub struct CNode {
    pub ty: Type,
    pub logical: Option<LogicalType>,
    /// JSON pointer of the schema node in its file, for errors.
    pub pointer: String,
}

/// A compiled schema.
#[derive(Clone, Debug)]
pub struct Codec {
    pub nodes: Vec<CNode>,
    pub root: Id,
    /// Smallest number of bytes a value of each node takes in the binary encoding.
    min_size: Vec<usize>,
}

/// A value shaped by its schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Boolean(bool),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Bytes(Vec<u8>),
    String(String),
    Fixed(Vec<u8>),
    /// Index of the symbol.
    Enum(u32),
    Array(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// Field values in schema order.
    Record(Vec<Value>),
    /// Branch index and value.
    Union(u32, Box<Value>),
}

impl Codec {
    /// Compiles the schema at `root` of a view; fails on a node that is invalid or a name
    /// that is not defined.
    pub fn compile(view: &dyn View, root: NodeRef) -> Result<Codec, String> {
        let mut c = Compiler { view, nodes: Vec::new(), named: HashMap::new() };
        let root = c.node(root, 0)?;
        let mut codec = Codec { nodes: c.nodes, root, min_size: Vec::new() };
        codec.min_size = codec.compute_min_sizes();
        Ok(codec)
    }

    /// Compiles the root schema of a single loaded set.
    pub fn compile_set(
        set: &crate::core::schema::SchemaSet,
        root: crate::core::schema::SchemaId,
    ) -> Result<Codec, String> {
        let view = crate::core::compat::SetView(set);
        Codec::compile(&view, NodeRef { unit: 0, id: root })
    }

    pub fn node(&self, id: Id) -> &CNode {
        &self.nodes[id]
    }

    pub fn min_size(&self, id: Id) -> usize {
        self.min_size[id]
    }

    fn compute_min_sizes(&self) -> Vec<usize> {
        // Iterate to a fixed point from 0 (a recursive record must go through a union or an
        // array to end, so the values stay finite); capped to keep sums small.
        let mut m = vec![0usize; self.nodes.len()];
        for _ in 0..64 {
            let mut changed = false;
            for (i, n) in self.nodes.iter().enumerate() {
                let v = match &n.ty {
                    Type::Null => 0,
                    Type::Boolean | Type::Int | Type::Long | Type::Bytes | Type::String | Type::Enum { .. } => 1,
                    Type::Array(_) | Type::Map(_) => 1,
                    Type::Float => 4,
                    Type::Double => 8,
                    Type::Fixed { size, .. } => *size,
                    Type::Union(bs) => 1 + bs.iter().map(|b| m[*b]).min().unwrap_or(0),
                    Type::Record { fields, .. } => fields.iter().map(|f| m[f.ty]).sum(),
                }
                .min(1 << 20);
                if v != m[i] {
                    m[i] = v;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        m
    }

    /// The name a union branch goes by in the JSON encoding.
    pub fn branch_name(&self, id: Id) -> &str {
        match &self.nodes[id].ty {
            Type::Null => "null",
            Type::Boolean => "boolean",
            Type::Int => "int",
            Type::Long => "long",
            Type::Float => "float",
            Type::Double => "double",
            Type::Bytes => "bytes",
            Type::String => "string",
            Type::Record { named, .. } | Type::Enum { named, .. } | Type::Fixed { named, .. } => &named.full_name,
            Type::Array(_) => "array",
            Type::Map(_) => "map",
            Type::Union(_) => "union",
        }
    }

    /// A short description of a node's type (`record com.acme.Order`, `long (timestamp-millis)`).
    pub fn describe(&self, id: Id) -> String {
        let n = &self.nodes[id];
        let base = match &n.ty {
            Type::Record { named, .. } => format!("record {}", named.full_name),
            Type::Enum { named, .. } => format!("enum {}", named.full_name),
            Type::Fixed { named, size } => format!("fixed {} ({size} bytes)", named.full_name),
            Type::Array(_) => "array".into(),
            Type::Map(_) => "map".into(),
            Type::Union(bs) => {
                format!(
                    "union [{}]",
                    bs.iter().map(|b| self.branch_name(*b).to_string()).collect::<Vec<_>>().join(", ")
                )
            }
            _ => self.branch_name(id).to_string(),
        };
        match n.logical {
            Some(l) => format!("{base} ({})", logical_label(l)),
            None => base,
        }
    }
}

/// `decimal(10,2)`, `timestamp-millis`.
pub fn logical_label(l: LogicalType) -> String {
    match l {
        LogicalType::Decimal { precision, scale } => format!("decimal({precision},{scale})"),
        other => other.name().to_string(),
    }
}

struct Compiler<'a> {
    view: &'a dyn View,
    nodes: Vec<CNode>,
    named: HashMap<NodeRef, Id>,
}

impl Compiler<'_> {
    fn push(&mut self, ty: Type, logical: Option<LogicalType>, pointer: String) -> Id {
        self.nodes.push(CNode { ty, logical, pointer });
        self.nodes.len() - 1
    }

    fn node(&mut self, r: NodeRef, depth: usize) -> Result<Id, String> {
        if depth > 2000 {
            return Err("schema nests too deeply".into());
        }
        let r = self.view.resolve(r);
        if let Some(id) = self.named.get(&r) {
            return Ok(*id);
        }
        let s = self.view.node(r);
        let pointer = s.pointer.clone();
        let logical = s.logical;
        let named_info = |n: &crate::core::schema::Named| NamedInfo {
            full_name: n.full_name.clone(),
            name: n.name.clone(),
            aliases: n.aliases.clone(),
        };
        let sub = |id| NodeRef { unit: r.unit, id };
        Ok(match &s.kind {
            SchemaKind::Primitive(p) => {
                let ty = match p {
                    Primitive::Null => Type::Null,
                    Primitive::Boolean => Type::Boolean,
                    Primitive::Int => Type::Int,
                    Primitive::Long => Type::Long,
                    Primitive::Float => Type::Float,
                    Primitive::Double => Type::Double,
                    Primitive::Bytes => Type::Bytes,
                    Primitive::String => Type::String,
                };
                self.push(ty, logical, pointer)
            }
            SchemaKind::Record(rec) => {
                let named = named_info(&rec.named);
                let id = self.push(Type::Record { named: named.clone(), fields: Vec::new() }, logical, pointer);
                self.named.insert(r, id);
                let mut fields = Vec::with_capacity(rec.fields.len());
                for f in &rec.fields {
                    let ty = self.node(sub(f.ty), depth + 1)?;
                    fields.push(CField {
                        name: f.name.clone(),
                        aliases: f.aliases.clone(),
                        ty,
                        default: f.default.clone(),
                    });
                }
                self.nodes[id].ty = Type::Record { named, fields };
                id
            }
            SchemaKind::Enum(e) => {
                let symbols: Vec<String> = e.symbols.iter().map(|(s, _)| s.clone()).collect();
                let default =
                    e.default.as_ref().and_then(|(d, _)| symbols.iter().position(|s| s == d)).map(|i| i as u32);
                let id = self.push(Type::Enum { named: named_info(&e.named), symbols, default }, logical, pointer);
                self.named.insert(r, id);
                id
            }
            SchemaKind::Fixed(f) => {
                let id =
                    self.push(Type::Fixed { named: named_info(&f.named), size: f.size as usize }, logical, pointer);
                self.named.insert(r, id);
                id
            }
            SchemaKind::Array(items) => {
                let it = self.node(sub(*items), depth + 1)?;
                self.push(Type::Array(it), logical, pointer)
            }
            SchemaKind::Map(values) => {
                let v = self.node(sub(*values), depth + 1)?;
                self.push(Type::Map(v), logical, pointer)
            }
            SchemaKind::Union(bs) => {
                let mut ids = Vec::with_capacity(bs.len());
                for b in bs {
                    ids.push(self.node(sub(*b), depth + 1)?);
                }
                self.push(Type::Union(ids), logical, pointer)
            }
            SchemaKind::Ref(nr) => return Err(format!("the type `{}` is not defined", nr.written)),
            SchemaKind::Invalid => return Err(format!("the schema is invalid at `{}`", s.pointer)),
        })
    }
}
