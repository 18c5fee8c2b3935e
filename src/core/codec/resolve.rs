//! Schema resolution: a value written with one schema, read with another, as Java's
//! `ResolvingDecoder` (`Resolver` / `ResolvingGrammarGenerator`) does it.
//!
//! - Promotions: int → long, float, double; long → float, double; float → double; string ↔ bytes.
//! - Records: reader fields are matched to writer fields by name or by a reader field alias;
//!   writer fields the reader lacks are skipped; reader fields the writer lacks take their
//!   default (none: an error). Record names are not compared outside unions (as in Java).
//! - Enums: names must match (or a reader alias); a writer symbol the reader lacks reads as
//!   the reader's default symbol, else it is an error when such a value is read.
//! - Fixed: names and sizes must match.
//! - Unions: a writer union resolves each branch it uses; a reader union picks, for a writer
//!   type, the first branch of the same type (a named type by full name, then a record of the
//!   same shape, preferring the same short name), else the first branch reachable by promotion.
//!
//! Like Java, a mismatch is an error only when a value takes that path.

use super::{json, Codec, Id, Type, Value, MAX_DEPTH};

/// Why a value cannot be read with the reader's schema.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolveError {
    /// Where in the value (`.customer.email`).
    pub path: String,
    pub message: String,
}

fn names_match(w: &super::NamedInfo, r: &super::NamedInfo) -> bool {
    w.full_name == r.full_name || w.name == r.name || r.aliases.iter().any(|a| a == &w.full_name)
}

fn field_of(w: &[super::CField], r: &super::CField) -> Option<usize> {
    w.iter().position(|f| f.name == r.name).or_else(|| w.iter().position(|f| r.aliases.iter().any(|a| a == &f.name)))
}

/// Can a writer record be read by a reader record without a field-level error (Java's
/// `hasMatchError` of the record's resolution: a missing field without default, or a field
/// whose types cannot meet at the top)?
fn record_matches(wc: &Codec, w: Id, rc: &Codec, r: Id) -> bool {
    let (Type::Record { fields: wf, .. }, Type::Record { fields: rf, .. }) = (&wc.node(w).ty, &rc.node(r).ty) else {
        return false;
    };
    rf.iter().all(|f| match field_of(wf, f) {
        None => f.default.is_some(),
        Some(i) => shallow_compatible(wc, wf[i].ty, rc, f.ty),
    })
}

/// Whether the types can meet at the top (no Java `ErrorAction` right there).
fn shallow_compatible(wc: &Codec, w: Id, rc: &Codec, r: Id) -> bool {
    match (&wc.node(w).ty, &rc.node(r).ty) {
        (Type::Union(_), _) => true,
        (_, Type::Union(_)) => best_branch(wc, w, rc, r).is_some(),
        (Type::Enum { named: a, .. }, Type::Enum { named: b, .. }) => names_match(a, b),
        (Type::Fixed { named: a, size: x }, Type::Fixed { named: b, size: y }) => names_match(a, b) && x == y,
        (a, b) => same_kind(a, b) || promotes(a, b),
    }
}

fn same_kind(a: &Type, b: &Type) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn promotes(w: &Type, r: &Type) -> bool {
    matches!(
        (w, r),
        (Type::Int, Type::Long | Type::Float | Type::Double)
            | (Type::Long, Type::Float | Type::Double)
            | (Type::Float, Type::Double)
            | (Type::String, Type::Bytes)
            | (Type::Bytes, Type::String)
    )
}

/// Java's `Resolver.bestBranch`: the reader branch a (non-union) writer type is read as.
pub fn best_branch(wc: &Codec, w: Id, rc: &Codec, r: Id) -> Option<usize> {
    let Type::Union(bs) = &rc.node(r).ty else { return None };
    let wt = &wc.node(w).ty;
    let mut structure: Option<usize> = None;
    for (j, b) in bs.iter().enumerate() {
        let bt = &rc.node(*b).ty;
        if !same_kind(wt, bt) {
            continue;
        }
        match (wt, bt) {
            (Type::Record { named: wn, .. }, Type::Record { named: bn, .. }) => {
                if wn.full_name == bn.full_name {
                    return Some(j);
                }
                if record_matches(wc, w, rc, *b) && (structure.is_none() || wn.name == bn.name) {
                    structure = Some(j);
                }
            }
            (Type::Enum { named: wn, .. }, Type::Enum { named: bn, .. })
            | (Type::Fixed { named: wn, .. }, Type::Fixed { named: bn, .. }) => {
                if wn.full_name == bn.full_name {
                    return Some(j);
                }
            }
            _ => return Some(j),
        }
    }
    if structure.is_some() {
        return structure;
    }
    bs.iter().position(|b| promotes(wt, &rc.node(*b).ty))
}

/// Reads `v`, a value of the writer's node `w`, as a value of the reader's node `r`.
pub fn resolve(wc: &Codec, w: Id, rc: &Codec, r: Id, v: &Value) -> Result<Value, ResolveError> {
    let mut path = String::new();
    resolve_at(wc, w, rc, r, v, &mut path, 0)
}

fn fail(path: &str, message: String) -> ResolveError {
    ResolveError { path: if path.is_empty() { ".".into() } else { path.to_string() }, message }
}

fn resolve_at(
    wc: &Codec,
    w: Id,
    rc: &Codec,
    r: Id,
    v: &Value,
    path: &mut String,
    depth: usize,
) -> Result<Value, ResolveError> {
    if depth > MAX_DEPTH {
        return Err(fail(path, format!("value nests deeper than {MAX_DEPTH} levels")));
    }
    let wt = &wc.node(w).ty;
    let rt = &rc.node(r).ty;
    if let (Type::Union(wb), Value::Union(i, x)) = (wt, v) {
        return resolve_at(wc, wb[*i as usize], rc, r, x, path, depth + 1);
    }
    if let Type::Union(rb) = rt {
        let Some(j) = best_branch(wc, w, rc, r) else {
            return Err(fail(
                path,
                format!("the writer's {} matches no branch of the reader's {}", wc.describe(w), rc.describe(r)),
            ));
        };
        let x = resolve_at(wc, w, rc, rb[j], v, path, depth + 1)?;
        return Ok(Value::Union(j as u32, Box::new(x)));
    }
    let mismatch =
        || fail(path, format!("the writer's {} cannot be read as the reader's {}", wc.describe(w), rc.describe(r)));
    Ok(match (wt, rt, v) {
        (Type::Null, Type::Null, _) => Value::Null,
        (Type::Boolean, Type::Boolean, x)
        | (Type::Int, Type::Int, x)
        | (Type::Long, Type::Long, x)
        | (Type::Float, Type::Float, x)
        | (Type::Double, Type::Double, x)
        | (Type::String, Type::String, x)
        | (Type::Bytes, Type::Bytes, x) => x.clone(),
        (Type::Int, Type::Long, Value::Int(i)) => Value::Long(*i as i64),
        (Type::Int, Type::Float, Value::Int(i)) => Value::Float(*i as f32),
        (Type::Int, Type::Double, Value::Int(i)) => Value::Double(*i as f64),
        (Type::Long, Type::Float, Value::Long(i)) => Value::Float(*i as f32),
        (Type::Long, Type::Double, Value::Long(i)) => Value::Double(*i as f64),
        (Type::Float, Type::Double, Value::Float(x)) => Value::Double(*x as f64),
        (Type::String, Type::Bytes, Value::String(s)) => Value::Bytes(s.as_bytes().to_vec()),
        // Java reads the bytes as UTF-8 text, bad sequences becoming U+FFFD.
        (Type::Bytes, Type::String, Value::Bytes(b)) => Value::String(String::from_utf8_lossy(b).into_owned()),
        (Type::Fixed { named: a, size: x }, Type::Fixed { named: b, size: y }, v) => {
            if !names_match(a, b) {
                return Err(fail(
                    path,
                    format!(
                        "the writer's fixed {} and the reader's fixed {} have different names",
                        a.full_name, b.full_name
                    ),
                ));
            }
            if x != y {
                return Err(fail(
                    path,
                    format!("the writer's fixed {} has {x} bytes and the reader's has {y}", a.full_name),
                ));
            }
            v.clone()
        }
        (Type::Enum { named: a, symbols: ws, .. }, Type::Enum { named: b, symbols: rs, default }, Value::Enum(i)) => {
            if !names_match(a, b) {
                return Err(fail(
                    path,
                    format!(
                        "the writer's enum {} and the reader's enum {} have different names",
                        a.full_name, b.full_name
                    ),
                ));
            }
            let sym = &ws[*i as usize];
            match rs.iter().position(|s| s == sym) {
                Some(j) => Value::Enum(j as u32),
                None => match default {
                    Some(d) => Value::Enum(*d),
                    None => {
                        return Err(fail(
                            path,
                            format!(
                                "symbol `{sym}` is not in the reader's enum {} and the enum has no default",
                                b.full_name
                            ),
                        ))
                    }
                },
            }
        }
        (Type::Array(wi), Type::Array(ri), Value::Array(xs)) => {
            let mut out = Vec::with_capacity(xs.len());
            for (k, x) in xs.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{k}]"));
                out.push(resolve_at(wc, *wi, rc, *ri, x, path, depth + 1)?);
                path.truncate(len);
            }
            Value::Array(out)
        }
        (Type::Map(wi), Type::Map(ri), Value::Map(xs)) => {
            let mut out = Vec::with_capacity(xs.len());
            for (k, x) in xs {
                let len = path.len();
                path.push_str(&format!("[\"{k}\"]"));
                out.push((k.clone(), resolve_at(wc, *wi, rc, *ri, x, path, depth + 1)?));
                path.truncate(len);
            }
            Value::Map(out)
        }
        (Type::Record { fields: wf, .. }, Type::Record { fields: rf, named: rn }, Value::Record(xs)) => {
            let mut out = Vec::with_capacity(rf.len());
            for f in rf {
                let len = path.len();
                path.push('.');
                path.push_str(&f.name);
                match field_of(wf, f) {
                    Some(i) => out.push(resolve_at(wc, wf[i].ty, rc, f.ty, &xs[i], path, depth + 1)?),
                    None => match &f.default {
                        Some(d) => match json::from_default(rc, f.ty, d) {
                            Ok(v) => out.push(v),
                            Err(e) => return Err(fail(path, format!("the default of field `{}` does not fit its type: {}", f.name, e.message))),
                        },
                        None => {
                            return Err(fail(
                                path,
                                format!("the reader's record {} has a field `{}` the writer does not have, and it has no default", rn.full_name, f.name),
                            ))
                        }
                    },
                }
                path.truncate(len);
            }
            Value::Record(out)
        }
        _ => return Err(mismatch()),
    })
}
