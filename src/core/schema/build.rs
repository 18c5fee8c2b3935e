//! Pass 1: one file's JSON tree -> schema nodes, with every spec error in the file reported.

use super::logical::{self, Base, Outcome};
use super::names::{self, FullName};
use super::{Enum, Field, Fixed, NameRef, Named, Order, Primitive, Record, Schema, SchemaId, SchemaKind, SchemaSet};
use crate::core::finding::{did_you_mean, Finding};
use crate::core::json::{Node, Value};
use crate::core::source::{FileId, Span};
use std::collections::HashMap;

/// Keys Java reserves on a schema object; every other key is a custom property.
const SCHEMA_RESERVED: [&str; 10] =
    ["doc", "fields", "items", "name", "namespace", "size", "symbols", "values", "type", "aliases"];
/// Keys Java reserves on a field object.
const FIELD_RESERVED: [&str; 6] = ["default", "doc", "name", "order", "type", "aliases"];

/// Options of pass 1 (none yet; kept so callers need not change when one is added).
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {}

/// Adds the schema in `root` (the JSON tree of `file`) to `set`. Returns the top-level node.
pub fn build_file(set: &mut SchemaSet, file: FileId, root: &Node, opts: &BuildOptions) -> SchemaId {
    let _ = opts;
    let mut b = Builder { set, file };
    b.schema(root, None, String::new())
}

struct Builder<'s> {
    set: &'s mut SchemaSet,
    file: FileId,
}

/// `ptr` + `/` + `token`: the pointer of a child (cheaper than `format!`, and done for every node).
fn child(ptr: &str, token: &str) -> String {
    let mut p = String::with_capacity(ptr.len() + 1 + token.len());
    p.push_str(ptr);
    p.push('/');
    p.push_str(token);
    p
}

/// `ptr` + `/` + `index`.
fn item(ptr: &str, index: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    child(ptr, std::str::from_utf8(&digits[at..]).unwrap_or("0"))
}

/// Names seen so far in a record's fields or an enum's symbols: a list while short (no hashing),
/// a map once long (no quadratic search on hostile sizes).
#[derive(Default)]
struct Seen<'n> {
    list: Vec<(&'n str, Span)>,
    map: HashMap<&'n str, Span>,
}

impl<'n> Seen<'n> {
    const SHORT: usize = 32;
    fn get(&self, name: &str) -> Option<Span> {
        if self.map.is_empty() {
            self.list.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
        } else {
            self.map.get(name).copied()
        }
    }
    fn insert(&mut self, name: &'n str, span: Span) {
        if self.map.is_empty() && self.list.len() < Self::SHORT {
            self.list.push((name, span));
            return;
        }
        if self.map.is_empty() {
            self.map.extend(self.list.drain(..));
        }
        self.map.insert(name, span);
    }
}

fn is_reserved(key: &str, enum_: bool) -> bool {
    SCHEMA_RESERVED.contains(&key) || (enum_ && key == "default")
}

impl Builder<'_> {
    fn push(&mut self, kind: SchemaKind, span: Span, pointer: String) -> SchemaId {
        self.set.nodes.push(Schema { kind, file: self.file, span, pointer, logical: None, props: Vec::new() });
        SchemaId((self.set.nodes.len() - 1) as u32)
    }

    fn report(&mut self, f: Finding, span: Span, pointer: &str) {
        self.set.findings.push(f.at(self.file, span).path(pointer));
    }

    fn error(&mut self, code: &'static str, msg: String, span: Span, pointer: &str, help: &str) {
        let mut f = Finding::error(code, msg);
        if !help.is_empty() {
            f = f.help(help);
        }
        self.report(f, span, pointer);
    }

    fn schema(&mut self, node: &Node, ns: Option<&str>, ptr: String) -> SchemaId {
        match &node.value {
            Value::String(s) => self.type_name(s, node.span, ns, ptr),
            Value::Array(items) => self.union(items, node.span, ns, ptr),
            Value::Object(_) => self.object(node, ns, ptr),
            _ => {
                self.error(
                    "invalid-schema",
                    format!("a schema must be a type name, an object or an array (a union), not {}", node.kind_name()),
                    node.span,
                    &ptr,
                    "write a type such as \"string\" or {\"type\": \"record\", ...}",
                );
                self.push(SchemaKind::Invalid, node.span, ptr)
            }
        }
    }

    /// A type written as a string: a primitive, or a reference to a named type.
    fn type_name(&mut self, s: &str, span: Span, ns: Option<&str>, ptr: String) -> SchemaId {
        if let Some(p) = Primitive::from_name(s) {
            return self.push(SchemaKind::Primitive(p), span, ptr);
        }
        let full = FullName::new(s, ns);
        if let Err(e) = names::validate_name(&full.name) {
            let why = e.describe(&full.name);
            self.error(
                "undefined-name",
                format!("`{}` is not a valid type name: {why}", names::shorten(s)),
                span,
                &ptr,
                "name a primitive type or a named type defined in the schema set",
            );
            return self.push(SchemaKind::Invalid, span, ptr);
        }
        let mut candidates = vec![full.full()];
        if !s.contains('.') && ns.is_some() {
            candidates.push(s.to_string());
        }
        self.push(SchemaKind::Ref(Box::new(NameRef { written: s.to_string(), candidates, target: None })), span, ptr)
    }

    fn union(&mut self, items: &[Node], span: Span, ns: Option<&str>, ptr: String) -> SchemaId {
        let mut branches = Vec::with_capacity(items.len());
        for (i, branch) in items.iter().enumerate() {
            let p = item(&ptr, i);
            if matches!(branch.value, Value::Array(_)) {
                self.error(
                    "nested-union",
                    "a union may not directly contain another union".into(),
                    branch.span,
                    &p,
                    "merge the inner union's branches into the outer union",
                );
                branches.push(self.push(SchemaKind::Invalid, branch.span, p));
                continue;
            }
            branches.push(self.schema(branch, ns, p));
        }
        self.push(SchemaKind::Union(branches), span, ptr)
    }

    fn object(&mut self, node: &Node, ns: Option<&str>, ptr: String) -> SchemaId {
        let Some(type_node) = node.get("type") else {
            self.error(
                "missing-type",
                "schema object has no `type`".into(),
                node.span,
                &ptr,
                "add a \"type\" attribute such as \"record\", \"enum\", \"array\" or a primitive type name",
            );
            return self.push(SchemaKind::Invalid, node.span, ptr);
        };
        let Some(ty) = type_node.as_str() else {
            self.error(
                "invalid-type",
                format!("`type` of a schema object must be a string, not {}", type_node.kind_name()),
                type_node.span,
                &format!("{ptr}/type"),
                "only a field's `type` may hold a nested schema; write the nested schema directly here instead of wrapping it",
            );
            return self.push(SchemaKind::Invalid, node.span, ptr);
        };
        let (id, base, is_enum) = match ty {
            "record" | "error" => (self.record(node, ns, &ptr, ty == "error"), Base::Other("record"), false),
            "enum" => (self.enum_(node, ns, &ptr), Base::Other("enum"), true),
            "fixed" => {
                let id = self.fixed(node, ns, &ptr);
                let size = match &self.set.node(id).kind {
                    SchemaKind::Fixed(f) => f.size,
                    _ => 0,
                };
                (id, Base::Fixed(size), false)
            }
            "array" | "map" => {
                let key = if ty == "array" { "items" } else { "values" };
                let child = match node.get(key) {
                    Some(c) => Some(self.schema(c, ns, child(&ptr, key))),
                    None => {
                        self.error(
                            if ty == "array" { "missing-items" } else { "missing-values" },
                            format!("{ty} has no `{key}`"),
                            type_node.span,
                            &ptr,
                            &format!("add \"{key}\" with the {} type", if ty == "array" { "element" } else { "value" }),
                        );
                        None
                    }
                };
                let kind = match (ty, child) {
                    ("array", Some(c)) => SchemaKind::Array(c),
                    (_, Some(c)) => SchemaKind::Map(c),
                    _ => SchemaKind::Invalid,
                };
                (
                    self.push(kind, node.span, ptr.clone()),
                    Base::Other(if ty == "array" { "array" } else { "map" }),
                    false,
                )
            }
            _ => match Primitive::from_name(ty) {
                Some(p) => (self.push(SchemaKind::Primitive(p), node.span, ptr.clone()), Base::Primitive(p), false),
                // Java reads `{"type": "com.x.Name"}` as a use of a named type and drops every
                // other attribute of the object.
                None => return self.type_name(ty, type_node.span, ns, child(&ptr, "type")),
            },
        };
        // Custom properties and the logical type.
        let props: Vec<(String, Node)> = node
            .as_object()
            .unwrap_or_default()
            .iter()
            .filter(|m| !is_reserved(&m.key, is_enum))
            .map(|m| (m.key.to_string(), m.value.clone()))
            .collect();
        if !props.is_empty() {
            let outcome = logical::evaluate(base, &props);
            let lt_node = node.get("logicalType").map(|n| n.span).unwrap_or(type_node.span);
            let lt_ptr = format!("{ptr}/logicalType");
            match outcome {
                Outcome::Absent => {}
                Outcome::Valid(lt) => self.set.nodes[id.0 as usize].logical = Some(lt),
                Outcome::Invalid { at, name, reason, help } => {
                    let f = Finding::warning(
                        "invalid-logical-type",
                        format!("{reason}; readers will ignore logical type `{name}` and see the underlying type"),
                    )
                    .help(help);
                    match node.get(at) {
                        Some(n) if at != "logicalType" => self.report(f, n.span, &format!("{ptr}/{at}")),
                        _ => self.report(f, lt_node, &lt_ptr),
                    }
                }
                Outcome::Unknown { name, suggestion } => {
                    let f = Finding::warning(
                        "unknown-logical-type",
                        format!(
                            "unknown logical type `{}`; readers will ignore it and see the underlying type",
                            names::shorten(&name)
                        ),
                    )
                    .help(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("use one of: {}", logical::KNOWN.join(", ")),
                    });
                    self.report(f, lt_node, &lt_ptr);
                }
                Outcome::NotAString => {
                    let f = Finding::warning(
                        "invalid-logical-type",
                        "`logicalType` is not a string; readers will ignore it",
                    )
                    .help("write the logical type's name as a string, e.g. \"timestamp-millis\"");
                    self.report(f, lt_node, &lt_ptr);
                }
            }
            self.set.nodes[id.0 as usize].props = props;
        }
        id
    }

    /// Name, namespace, aliases and doc of a named type. `None` when there is no usable name.
    fn named(&mut self, node: &Node, ns: Option<&str>, ptr: &str, what: &str) -> Option<Named> {
        let doc = node.get("doc").and_then(Node::as_str).map(str::to_string);
        // Java ignores a `namespace` that is not a string.
        let space_attr = node.get("namespace").and_then(Node::as_str);
        let space = space_attr.or(ns);
        let name_node = match node.get("name") {
            Some(n) if n.as_str().is_some() => n,
            Some(n) => {
                self.error(
                    "missing-name",
                    format!("`name` of {what} must be a string, not {}", n.kind_name()),
                    n.span,
                    &format!("{ptr}/name"),
                    "give the type a name such as \"PaymentAuthorized\"",
                );
                return None;
            }
            None => {
                let at = node.get("type").map(|t| t.span).unwrap_or(node.span);
                self.error(
                    "missing-name",
                    format!("{what} has no `name`"),
                    at,
                    ptr,
                    "add a \"name\" attribute: named types must have a name",
                );
                return None;
            }
        };
        let raw = name_node.as_str().unwrap_or_default();
        let full = FullName::new(raw, space);
        let name_ptr = || child(ptr, "name");
        let mut ok = true;
        if let Err(e) = names::validate_name(&full.name) {
            self.error(
                "invalid-name",
                format!("invalid name: {}", e.describe(&full.name)),
                name_node.span,
                &name_ptr(),
                "use a name matching [A-Za-z_][A-Za-z0-9_]*",
            );
            ok = false;
        }
        if let Some(space) = &full.namespace {
            self.check_namespace(space, name_node, node, ptr);
        }
        let full_name = full.full();
        if ok && Primitive::from_name(&full_name).is_some() {
            self.error(
                "invalid-name",
                format!("{what} may not be named after the primitive type `{full_name}`"),
                name_node.span,
                &name_ptr(),
                "choose another name, or give the type a namespace",
            );
        }
        if ok && !full_name.split('.').all(names::is_ascii_name) {
            let f = Finding::warning(
                "non-ascii-name",
                format!("`{}` uses characters outside [A-Za-z0-9_]; Java accepts them, but the Avro specification and most other languages do not", names::shorten(&full_name)),
            )
            .help("use ASCII letters, digits and `_` only");
            self.report(f, name_node.span, &name_ptr());
        }
        let aliases = self.aliases(node, full.namespace.as_deref(), ptr, true);
        let doc_span = node.get("doc").filter(|d| d.as_str().is_some()).map(|d| d.span);
        let namespace_span = node.get("namespace").filter(|d| d.as_str().is_some()).map(|d| d.span);
        Some(Named {
            name: full.name,
            namespace: full.namespace,
            full_name,
            name_span: name_node.span,
            aliases,
            doc,
            doc_span,
            namespace_span,
        })
    }

    fn check_namespace(&mut self, space: &str, name_node: &Node, node: &Node, ptr: &str) {
        for part in space.split('.') {
            if let Err(e) = names::validate_name(part) {
                let (span, p) = match node.get("namespace") {
                    Some(n) if n.as_str() == Some(space) => (n.span, format!("{ptr}/namespace")),
                    _ => (name_node.span, format!("{ptr}/name")),
                };
                let why = match e {
                    names::NameError::Empty => "has an empty component".to_string(),
                    _ => format!("has an invalid component: {}", e.describe(part)),
                };
                self.error(
                    "invalid-namespace",
                    format!("namespace `{}` {why}", names::shorten(space)),
                    span,
                    &p,
                    "write the namespace as dot-separated names, e.g. \"com.acme.payments\"",
                );
                return;
            }
        }
    }

    /// `aliases`: an array of strings. Aliases of named types are names qualified with the
    /// type's namespace and validated; field aliases are kept as written.
    fn aliases(&mut self, node: &Node, space: Option<&str>, ptr: &str, qualify: bool) -> Vec<String> {
        let Some(a) = node.get("aliases") else {
            return Vec::new();
        };
        let aptr = format!("{ptr}/aliases");
        let Some(items) = a.as_array() else {
            self.error(
                "invalid-aliases",
                format!("`aliases` must be an array of names, not {}", a.kind_name()),
                a.span,
                &aptr,
                "write aliases as [\"OldName\"]",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(s) = item.as_str() else {
                self.error(
                    "invalid-aliases",
                    format!("an alias must be a string, not {}", item.kind_name()),
                    item.span,
                    &format!("{aptr}/{i}"),
                    "write each alias as a string",
                );
                continue;
            };
            if qualify {
                let full = FullName::new(s, space);
                if let Err(e) = names::validate_name(&full.name) {
                    self.error(
                        "invalid-name",
                        format!("invalid alias: {}", e.describe(&full.name)),
                        item.span,
                        &format!("{aptr}/{i}"),
                        "use a name matching [A-Za-z_][A-Za-z0-9_]*",
                    );
                    continue;
                }
                out.push(full.full());
            } else {
                out.push(s.to_string());
            }
        }
        out
    }

    fn record(&mut self, node: &Node, ns: Option<&str>, ptr: &str, is_error: bool) -> SchemaId {
        let what = if is_error { "error" } else { "record" };
        let named = self.named(node, ns, ptr, what);
        let id = self.push(SchemaKind::Invalid, node.span, ptr.to_string());
        let inner_ns: Option<String> = match &named {
            Some(n) => n.namespace.clone(),
            None => node.get("namespace").and_then(Node::as_str).or(ns).map(str::to_string),
        };
        if named.is_some() {
            self.set.definitions.push(id);
        }
        let mut fields = Vec::new();
        match node.get("fields") {
            Some(Node { value: Value::Array(items), .. }) => {
                let mut seen = Seen::default();
                let fields_ptr = child(ptr, "fields");
                fields.reserve_exact(items.len());
                for (i, f) in items.iter().enumerate() {
                    if let Some(field) = self.field(f, inner_ns.as_deref(), item(&fields_ptr, i), &mut seen) {
                        fields.push(field);
                    }
                }
            }
            Some(other) => self.error(
                "missing-fields",
                format!("`fields` of a {what} must be an array, not {}", other.kind_name()),
                other.span,
                &format!("{ptr}/fields"),
                "write the fields as an array of {\"name\": ..., \"type\": ...} objects",
            ),
            None => {
                let at = named.as_ref().map(|n| n.name_span).unwrap_or(node.span);
                self.error(
                    "missing-fields",
                    format!("{what} has no `fields`"),
                    at,
                    ptr,
                    "add \"fields\": [] with the record's fields",
                );
            }
        }
        if let Some(named) = named {
            self.set.nodes[id.0 as usize].kind = SchemaKind::Record(Box::new(Record { named, is_error, fields }));
        }
        id
    }

    fn field<'n>(&mut self, f: &'n Node, ns: Option<&str>, owned_ptr: String, seen: &mut Seen<'n>) -> Option<Field> {
        let ptr = owned_ptr.as_str();
        if f.as_object().is_none() {
            self.error(
                "invalid-field",
                format!("a field must be an object, not {}", f.kind_name()),
                f.span,
                ptr,
                "write the field as {\"name\": ..., \"type\": ...}",
            );
            return None;
        }
        let name_node = match f.get("name") {
            Some(n) if n.as_str().is_some() => Some(n),
            Some(n) => {
                self.error(
                    "missing-name",
                    format!("field `name` must be a string, not {}", n.kind_name()),
                    n.span,
                    &format!("{ptr}/name"),
                    "give the field a name",
                );
                None
            }
            None => {
                self.error(
                    "missing-name",
                    "field has no `name`".into(),
                    f.span,
                    ptr,
                    "add a \"name\" attribute to the field",
                );
                None
            }
        };
        let name_str: &'n str = name_node.and_then(Node::as_str).unwrap_or_default();
        let name = name_str.to_string();
        if let Some(n) = name_node {
            if let Err(e) = names::validate_name(&name) {
                self.error(
                    "invalid-name",
                    format!("invalid field name: {}", e.describe(&name)),
                    n.span,
                    &format!("{ptr}/name"),
                    "use a name matching [A-Za-z_][A-Za-z0-9_]*",
                );
            } else if let Some(first) = seen.get(name_str) {
                let msg = format!("field `{}` is defined more than once in the record", names::shorten(&name));
                let f = Finding::error("duplicate-field", msg)
                    .label(self.file, first, "first defined here")
                    .help("rename or remove one of the fields");
                self.report(f, n.span, &format!("{ptr}/name"));
            } else {
                seen.insert(name_str, n.span);
            }
        }
        let ty = match f.get("type") {
            Some(t) => Some(self.schema(t, ns, child(ptr, "type"))),
            None => {
                let at = name_node.map(|n| n.span).unwrap_or(f.span);
                self.error(
                    "missing-type",
                    format!("field `{}` has no `type`", names::shorten(&name)),
                    at,
                    ptr,
                    "add a \"type\" to the field",
                );
                None
            }
        };
        let mut order = Order::Ascending;
        if let Some(o) = f.get("order") {
            match o.as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("ascending") => {}
                Some("descending") => order = Order::Descending,
                Some("ignore") => order = Order::Ignore,
                _ => self.error(
                    "invalid-order",
                    format!("field `order` must be \"ascending\", \"descending\" or \"ignore\", not {}", show_json(o)),
                    o.span,
                    &format!("{ptr}/order"),
                    "use \"ascending\" (the default), \"descending\" or \"ignore\"",
                ),
            }
        }
        let aliases = self.aliases(f, None, ptr, false);
        let props: Vec<(String, Node)> = f
            .as_object()
            .unwrap_or_default()
            .iter()
            .filter(|m| !FIELD_RESERVED.contains(&&*m.key))
            .map(|m| (m.key.to_string(), m.value.clone()))
            .collect();
        let ty = ty?;
        name_node?;
        if let Some(lt) = f.get("logicalType") {
            if self.set.node(ty).logical.is_none() {
                let shown = lt.as_str().map(|s| format!("`{}`", names::shorten(s))).unwrap_or_else(|| "here".into());
                let w = Finding::warning(
                    "misplaced-logical-type",
                    format!("logical type {shown} is on the field, where readers ignore it; it belongs inside the field's type"),
                )
                .help("move it into the type: \"type\": {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}");
                self.report(w, lt.span, &format!("{ptr}/logicalType"));
            }
        }
        Some(Field {
            name,
            name_span: name_node.map(|n| n.span).unwrap_or(f.span),
            ty,
            doc: f.get("doc").and_then(Node::as_str).map(str::to_string),
            doc_span: f.get("doc").filter(|d| d.as_str().is_some()).map(|d| d.span),
            default: f.get("default").cloned(),
            order,
            aliases,
            props,
            span: f.span,
            pointer: owned_ptr,
        })
    }

    fn enum_(&mut self, node: &Node, ns: Option<&str>, ptr: &str) -> SchemaId {
        let named = self.named(node, ns, ptr, "enum");
        let id = self.push(SchemaKind::Invalid, node.span, ptr.to_string());
        if named.is_some() {
            self.set.definitions.push(id);
        }
        let mut symbols: Vec<(String, Span)> = Vec::new();
        let sptr = format!("{ptr}/symbols");
        match node.get("symbols") {
            Some(Node { value: Value::Array(items), .. }) => {
                let mut seen = Seen::default();
                for (i, s) in items.iter().enumerate() {
                    let p = || item(&sptr, i);
                    let Some(sym) = s.as_str() else {
                        self.error(
                            "invalid-symbol",
                            format!("an enum symbol must be a string, not {}", s.kind_name()),
                            s.span,
                            &p(),
                            "write each symbol as a string",
                        );
                        continue;
                    };
                    if let Err(e) = names::validate_name(sym) {
                        self.error(
                            "invalid-symbol",
                            format!("invalid enum symbol: {}", e.describe(sym)),
                            s.span,
                            &p(),
                            "use symbols matching [A-Za-z_][A-Za-z0-9_]*",
                        );
                        continue;
                    }
                    if let Some(first) = seen.get(sym) {
                        let f = Finding::error(
                            "duplicate-symbol",
                            format!("enum symbol `{}` appears more than once", names::shorten(sym)),
                        )
                        .label(self.file, first, "first listed here")
                        .help("remove the repeated symbol");
                        self.report(f, s.span, &p());
                        continue;
                    }
                    seen.insert(sym, s.span);
                    symbols.push((sym.to_string(), s.span));
                }
            }
            Some(other) => self.error(
                "missing-symbols",
                format!("`symbols` of an enum must be an array, not {}", other.kind_name()),
                other.span,
                &sptr,
                "write the symbols as an array of strings",
            ),
            None => {
                let at = named.as_ref().map(|n| n.name_span).unwrap_or(node.span);
                self.error("missing-symbols", "enum has no `symbols`".into(), at, ptr, "add \"symbols\": [\"...\"]");
            }
        }
        let mut default = None;
        if let Some(d) = node.get("default") {
            match d.as_str() {
                Some(s) if symbols.iter().any(|(x, _)| x == s) => default = Some((s.to_string(), d.span)),
                Some(s) => {
                    let hint = did_you_mean(s, symbols.iter().map(|(x, _)| x.as_str()))
                        .map(|c| format!("did you mean `{c}`?"))
                        .unwrap_or_else(|| "use one of the enum's symbols as its default".into());
                    self.error(
                        "invalid-enum-default",
                        format!("enum default `{}` is not one of its symbols", names::shorten(s)),
                        d.span,
                        &format!("{ptr}/default"),
                        &hint,
                    );
                }
                None => {
                    // Java ignores a default that is not a string.
                    let f = Finding::warning(
                        "invalid-enum-default",
                        format!("enum default must be a symbol name, not {}; readers ignore it", d.kind_name()),
                    )
                    .help("write the default as one of the symbols, e.g. \"UNKNOWN\"");
                    self.report(f, d.span, &format!("{ptr}/default"));
                }
            }
        }
        if let Some(named) = named {
            self.set.nodes[id.0 as usize].kind = SchemaKind::Enum(Box::new(Enum { named, symbols, default }));
        }
        id
    }

    fn fixed(&mut self, node: &Node, ns: Option<&str>, ptr: &str) -> SchemaId {
        let named = self.named(node, ns, ptr, "fixed");
        let id = self.push(SchemaKind::Invalid, node.span, ptr.to_string());
        if named.is_some() {
            self.set.definitions.push(id);
        }
        let size = match node.get("size") {
            Some(Node { value: Value::Number(n), span }) => match n.as_i32() {
                // Java refuses sizes it could never allocate.
                Some(s) if (0..=2_147_483_639).contains(&s) => Some(s as u32),
                _ => {
                    self.error(
                        "invalid-size",
                        format!("fixed size {} is not a non-negative int", n.raw),
                        *span,
                        &format!("{ptr}/size"),
                        "set \"size\" to the number of bytes",
                    );
                    None
                }
            },
            Some(other) => {
                self.error(
                    "invalid-size",
                    format!("fixed size must be an integer, not {}", other.kind_name()),
                    other.span,
                    &format!("{ptr}/size"),
                    "set \"size\" to the number of bytes",
                );
                None
            }
            None => {
                let at = named.as_ref().map(|n| n.name_span).unwrap_or(node.span);
                self.error(
                    "invalid-size",
                    "fixed has no `size`".into(),
                    at,
                    ptr,
                    "add \"size\" with the number of bytes",
                );
                None
            }
        };
        if let (Some(named), Some(size)) = (named, size) {
            self.set.nodes[id.0 as usize].kind = SchemaKind::Fixed(Box::new(Fixed { named, size }));
        }
        id
    }
}

/// A short rendering of a JSON value for messages.
pub(crate) fn show_json(n: &Node) -> String {
    match &n.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(x) => names::shorten(&x.raw),
        Value::String(s) => format!("\"{}\"", names::shorten(s)),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}
