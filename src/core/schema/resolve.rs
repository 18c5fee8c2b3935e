//! Pass 2: the names of every file form one table; references are bound and the checks that
//! need resolved types run.

use super::build::show_json;
use super::describe::{branch_name, describe_type};
use super::names;
use super::{Primitive, SchemaId, SchemaKind, SchemaSet};
use crate::core::finding::{did_you_mean, Finding};
use crate::core::json::{Node, Value};
use crate::core::source::Span;
use std::collections::HashMap;

/// Binds names across the whole set and runs the checks that need them.
pub fn resolve(set: &mut SchemaSet) {
    let repeats = bind_names(set);
    bind_refs(set);
    check_redefinitions(set, repeats);
    check_unions_and_defaults(set);
}

/// Nodes per piece of work for the checks that look at one node at a time.
const NODES_PER_RUN: usize = 1024;

/// The union and default checks, on every core: each node is checked alone. The findings come
/// in the order a single pass would give (every union finding, then every default finding).
fn check_unions_and_defaults(set: &mut SchemaSet) {
    let len = set.nodes.len();
    let runs: Vec<std::ops::Range<usize>> =
        (0..len).step_by(NODES_PER_RUN).map(|s| s..(s + NODES_PER_RUN).min(len)).collect();
    let shared: &SchemaSet = set;
    let found =
        crate::core::par::map(&runs, |r| (union_findings(shared, r.clone()), default_findings(shared, r.clone())));
    let (unions, defaults): (Vec<Vec<Finding>>, Vec<Vec<Finding>>) = found.into_iter().unzip();
    set.findings.extend(unions.into_iter().flatten());
    set.findings.extend(defaults.into_iter().flatten());
}

/// Registers the first definition of every name; returns the later ones, each with the first.
fn bind_names(set: &mut SchemaSet) -> Vec<(SchemaId, SchemaId)> {
    set.names.clear();
    set.names.reserve(set.definitions.len());
    let mut repeats = Vec::new();
    for &id in &set.definitions {
        let Some(named) = set.node(id).named() else { continue };
        match set.names.get(&named.full_name) {
            None => {
                set.names.insert(named.full_name.clone(), id);
            }
            Some(&first) => repeats.push((id, first)),
        }
    }
    repeats
}

/// A name defined again in another file is accepted when the definitions are equal as Java's
/// `Schema.equals` sees them (`ParseContext.put` in Avro 1.12 does the same; the lint rule
/// `duplicate-definition` reports the copy). Any other redefinition is an error: a different
/// one anywhere, and any one within a single file (the specification forbids it, and Java
/// 1.12.0 rejects a repeated record even when identical).
fn check_redefinitions(set: &mut SchemaSet, repeats: Vec<(SchemaId, SchemaId)>) {
    let mut findings = Vec::new();
    let mut equality = super::equality::Equality::default();
    let mut copies = Vec::new();
    for (id, first_id) in repeats {
        let node = set.node(id);
        let first = set.node(first_id);
        let Some(named) = node.named() else { continue };
        let same_file = first.file == node.file;
        let equal = equality.compare(set, first_id, id).is_ok();
        if equal && !same_file {
            copies.push((id, first_id));
            continue;
        }
        let message = if same_file && equal {
            format!(
                "type `{}` is defined more than once in this file (identically: the specification forbids it, and the Java parser of Avro 1.12.0 and older rejects a repeated record)",
                names::shorten(&named.full_name)
            )
        } else {
            format!("type `{}` is defined more than once", names::shorten(&named.full_name))
        };
        let f = Finding::error("redefined-name", message)
            .at(node.file, named.name_span)
            .path(format!("{}/name", node.pointer))
            .label(first.file, first.named().map(|n| n.name_span).unwrap_or(first.span), "first defined here")
            .help("define the type once and refer to it by its full name everywhere else");
        findings.push(f);
    }
    set.redefinitions = copies;
    set.findings.extend(findings);
}

fn bind_refs(set: &mut SchemaSet) {
    let mut findings = Vec::new();
    for i in 0..set.nodes.len() {
        let SchemaKind::Ref(r) = &set.nodes[i].kind else {
            continue;
        };
        let node = &set.nodes[i];
        let mut later_in_file = None;
        let target = r.candidates.iter().enumerate().find_map(|(k, c)| {
            let t = *set.names.get(c)?;
            // Java falls back to the null namespace only for names already defined when the
            // reference is read; a forward reference stays qualified with the current namespace.
            let tn = &set.nodes[t.0 as usize];
            if k > 0 && tn.file == node.file && tn.span.start > node.span.start {
                later_in_file = Some(c.clone());
                return None;
            }
            Some(t)
        });
        match target {
            Some(t) => {
                if let SchemaKind::Ref(r) = &mut set.nodes[i].kind {
                    r.target = Some(t);
                }
            }
            None => {
                let node = &set.nodes[i];
                let written = &r.written;
                let full = &r.candidates[0];
                let simple = full.rsplit('.').next().unwrap_or(full);
                // A type with the same simple name elsewhere: the namespace was probably left out.
                let same_simple: Vec<&str> =
                    set.names.keys().filter(|k| k.rsplit('.').next() == Some(simple)).map(String::as_str).collect();
                let help = if let Some(later) = later_in_file {
                    format!("`{later}` (null namespace) is defined later in this file, and a forward reference is only looked up in the current namespace: define `{later}` before its first use")
                } else if same_simple.len() == 1 {
                    format!(
                        "did you mean `{}`? a type from another namespace must be written with its full name",
                        same_simple[0]
                    )
                } else if let Some(s) = did_you_mean(full, set.names.keys().map(String::as_str)) {
                    format!("did you mean `{s}`?")
                } else if let Some(s) = did_you_mean(written, Primitive::ALL.iter().map(|p| p.name())) {
                    format!("did you mean `{s}`?")
                } else {
                    "define the type in a .avsc file under the schema root, or fix the name".to_string()
                };
                let shown = if full != written {
                    format!("`{}` (looked up as `{}`)", names::shorten(written), names::shorten(full))
                } else {
                    format!("`{}`", names::shorten(written))
                };
                findings.push(
                    Finding::error("undefined-name", format!("unknown type {shown}"))
                        .at(node.file, node.span)
                        .path(node.pointer.clone())
                        .help(help),
                );
            }
        }
    }
    set.findings.extend(findings);
}

fn union_findings(set: &SchemaSet, nodes: std::ops::Range<usize>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for node in &set.nodes[nodes] {
        let SchemaKind::Union(branches) = &node.kind else {
            continue;
        };
        // Unions are short: a list is cheaper than a map, up to a point.
        let mut seen: Vec<(&str, Span)> = Vec::new();
        let mut seen_many: HashMap<&str, Span> = HashMap::new();
        let many = branches.len() > 16;
        for &b in branches {
            let Some(key) = branch_name(set, b) else {
                continue;
            };
            let bn = set.node(b);
            let first =
                if many { seen_many.get(key).copied() } else { seen.iter().find(|(k, _)| *k == key).map(|x| x.1) };
            if let Some(first) = first {
                findings.push(
                    Finding::error(
                        "duplicate-union-branch",
                        format!("union contains `{}` more than once", names::shorten(key)),
                    )
                    .at(bn.file, bn.span)
                    .path(bn.pointer.clone())
                    .label(bn.file, first, "first listed here")
                    .help(match key {
                        "array" | "map" => {
                            format!("a union may hold only one {key}: merge the two into one")
                        }
                        _ => "remove the repeated branch".to_string(),
                    }),
                );
            } else if many {
                seen_many.insert(key, bn.span);
            } else {
                seen.push((key, bn.span));
            }
        }
    }
    findings
}

fn default_findings(set: &SchemaSet, nodes: std::ops::Range<usize>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for node in &set.nodes[nodes] {
        let SchemaKind::Record(r) = &node.kind else {
            continue;
        };
        for field in &r.fields {
            let Some(default) = &field.default else {
                continue;
            };
            let ty = set.resolved(field.ty);
            let dptr = || format!("{}/default", field.pointer);
            // Java turns a string default of a float/double field into a number first.
            if let (SchemaKind::Primitive(Primitive::Float | Primitive::Double), Some(s)) = (&ty.kind, default.as_str())
            {
                if !java_parses_double(s) {
                    findings.push(
                        Finding::error("invalid-default", format!("default of field `{}` is the string \"{}\", which is not a number", names::shorten(&field.name), names::shorten(s)))
                            .at(node.file, default.span)
                            .path(dptr())
                            .help("write the default as a JSON number; only \"NaN\", \"Infinity\" and \"-Infinity\" need to be strings"),
                    );
                }
                continue;
            }
            if let SchemaKind::Union(branches) = &ty.kind {
                if let (Some(&first), true) = (branches.first(), branches.len() > 1) {
                    if check_default(set, first, default, 0).is_err()
                        && check_default(set, field.ty, default, 0).is_ok()
                    {
                        findings.push(
                            Finding::warning(
                                "union-default-not-first-branch",
                                format!(
                                    "default of field `{}` matches a later branch of its union, not the first ({}); Avro 1.12 accepts this, but readers built on Avro 1.11 or older and other implementations reject the schema",
                                    names::shorten(&field.name),
                                    describe_type(set, first)
                                ),
                            )
                            .at(node.file, default.span)
                            .path(dptr())
                            .help("put the branch the default belongs to first in the union"),
                        );
                    }
                }
            }
            if let Err(e) = check_default(set, field.ty, default, 0) {
                let at = e.node.map(|n| n.span).unwrap_or(default.span);
                let mut f = Finding::error(
                    "invalid-default",
                    format!(
                        "default of field `{}` is not a valid {}: {}",
                        names::shorten(&field.name),
                        describe_type(set, field.ty),
                        e.reason
                    ),
                )
                .at(node.file, at)
                .path(dptr())
                .help(e.help);
                if at != default.span {
                    f = f.label(node.file, default.span, "in this default");
                }
                findings.push(f);
            }
        }
    }
    findings
}

/// Why a default does not fit its type, and where inside the default.
struct DefaultError<'a> {
    reason: String,
    help: String,
    node: Option<&'a Node>,
}

fn bad<'a>(node: &'a Node, reason: String, help: &str) -> Result<(), DefaultError<'a>> {
    Err(DefaultError { reason, help: help.to_string(), node: Some(node) })
}

/// Java's `Schema.isValidDefault` (1.12). The depth bound stops the endless recursion a
/// recursive record whose default omits a field with the same default would cause.
fn check_default<'a>(set: &'a SchemaSet, ty: SchemaId, v: &'a Node, depth: usize) -> Result<(), DefaultError<'a>> {
    if depth > 200 {
        return bad(v, "the default nests too deeply".into(), "simplify the default value");
    }
    let node = set.resolved(ty);
    match &node.kind {
        // Unknown or invalid types were reported already.
        SchemaKind::Ref(_) | SchemaKind::Invalid => Ok(()),
        SchemaKind::Primitive(p) => match (p, &v.value) {
            (Primitive::Null, Value::Null) => Ok(()),
            (Primitive::Boolean, Value::Bool(_)) => Ok(()),
            (Primitive::Int, Value::Number(n)) if n.as_i32().is_some() => Ok(()),
            (Primitive::Long, Value::Number(n)) if n.as_i64().is_some() => Ok(()),
            (Primitive::Float | Primitive::Double, Value::Number(_)) => Ok(()),
            (Primitive::String | Primitive::Bytes, Value::String(_)) => Ok(()),
            (Primitive::Int | Primitive::Long, Value::Number(n)) => bad(
                v,
                if n.is_integer {
                    format!("{} is out of range", names::shorten(&n.raw))
                } else {
                    format!("{} is not an integer", names::shorten(&n.raw))
                },
                &format!("write an integer within the {} range", p.name()),
            ),
            (Primitive::Null, _) => {
                bad(v, format!("expected null, found {}", show_json(v)), "write the default as null")
            }
            _ => bad(
                v,
                format!("expected {}, found {}", expected_json(*p), show_json(v)),
                &format!("write the default as {}", expected_json(*p)),
            ),
        },
        SchemaKind::Enum(_) | SchemaKind::Fixed(_) => match &v.value {
            Value::String(_) => Ok(()),
            _ => bad(v, format!("expected a string, found {}", show_json(v)), "write the default as a JSON string"),
        },
        SchemaKind::Array(items) => match &v.value {
            Value::Array(elems) => {
                for e in elems {
                    check_default(set, *items, e, depth + 1)?;
                }
                Ok(())
            }
            _ => bad(
                v,
                format!("expected an array, found {}", show_json(v)),
                "write the default as a JSON array, e.g. []",
            ),
        },
        SchemaKind::Map(values) => match &v.value {
            Value::Object(members) => {
                for m in members {
                    check_default(set, *values, &m.value, depth + 1)?;
                }
                Ok(())
            }
            _ => bad(
                v,
                format!("expected an object, found {}", show_json(v)),
                "write the default as a JSON object, e.g. {}",
            ),
        },
        SchemaKind::Union(branches) => {
            // Avro 1.12 (spec and Java): the default may match any branch.
            let mut first_err = None;
            for &b in branches {
                match check_default(set, b, v, depth + 1) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
            match first_err {
                None => bad(
                    v,
                    "an empty union has no valid default".into(),
                    "remove the default or give the union a branch",
                ),
                Some(e) if branches.len() == 1 => Err(e),
                Some(_) => bad(
                    v,
                    format!("{} matches no branch of the union", show_json(v)),
                    &format!("write a default that is a valid {}", describe_type(set, branches[0])),
                ),
            }
        }
        SchemaKind::Record(r) => {
            let Value::Object(_) = &v.value else {
                return bad(
                    v,
                    format!("expected an object, found {}", show_json(v)),
                    "write the default as a JSON object with the record's fields",
                );
            };
            for f in &r.fields {
                match v.get(&f.name).or(f.default.as_ref()) {
                    Some(fv) => check_default(set, f.ty, fv, depth + 1)?,
                    None => {
                        return bad(
                            v,
                            format!(
                                "it has no value for field `{}`, which has no default of its own",
                                names::shorten(&f.name)
                            ),
                            &format!("add \"{}\" to the default object", f.name),
                        )
                    }
                }
            }
            Ok(())
        }
    }
}

fn expected_json(p: Primitive) -> &'static str {
    match p {
        Primitive::Null => "null",
        Primitive::Boolean => "true or false",
        Primitive::Int | Primitive::Long => "an integer",
        Primitive::Float | Primitive::Double => "a number",
        Primitive::String => "a string",
        Primitive::Bytes => "a string of \\u0000-\\u00FF characters",
    }
}

/// Java's `Double.valueOf`: optional surrounding whitespace, an optional sign, `NaN`,
/// `Infinity`, a decimal with an optional exponent and an optional `f`/`d` suffix, or a hex float.
pub fn java_parses_double(s: &str) -> bool {
    let t = s.trim_matches(|c: char| c <= ' ');
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    if t == "NaN" || t == "Infinity" {
        return true;
    }
    let t = t.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(t);
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        let Some((mant, exp)) = hex.split_once(['p', 'P']) else {
            return false;
        };
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        let (a, b) = mant.split_once('.').unwrap_or((mant, ""));
        return !(a.is_empty() && b.is_empty())
            && a.chars().chain(b.chars()).all(|c| c.is_ascii_hexdigit())
            && !exp.is_empty()
            && exp.chars().all(|c| c.is_ascii_digit());
    }
    let (mant, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (t, None),
    };
    let (a, b) = mant.split_once('.').unwrap_or((mant, ""));
    let mant_ok = !(a.is_empty() && b.is_empty()) && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mant_ok && exp_ok
}
