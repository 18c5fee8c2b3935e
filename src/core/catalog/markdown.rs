//! The catalog as Markdown: `README.md` listing the domains, and one page per domain (for
//! Confluence, a wiki or a docs site). Deterministic.

use super::{Catalog, SchemaEntry};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Table cell text: no line break, no unescaped pipe.
fn cell(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

fn or_dash(s: Option<&str>) -> String {
    s.map(cell).unwrap_or_else(|| "—".into())
}

/// The file name of a domain's page.
pub fn page_name(domain: Option<&str>) -> String {
    let d = domain.unwrap_or("unassigned");
    let safe: String = d
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("{safe}.md")
}

fn schema_section(o: &mut String, s: &SchemaEntry) {
    let _ = writeln!(o, "## {}\n", s.name);
    if let Some(d) = &s.doc {
        let _ = writeln!(o, "{}\n", d.trim());
    }
    let services = |v: &[super::ServiceRef]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter().map(|x| format!("{} ({})", cell(&x.name), cell(&x.kind))).collect::<Vec<_>>().join(", ")
        }
    };
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter().map(|x| format!("`{}`", cell(x))).collect::<Vec<_>>().join(", ")
        }
    };
    let owner = match (&s.owner, &s.owner_contact) {
        (Some(o), Some(c)) => format!("{} ({})", cell(o), cell(c)),
        (Some(o), None) => cell(o),
        _ => "**none**".into(),
    };
    o.push_str("| | |\n| --- | --- |\n");
    for (k, v) in [
        ("Owner", owner),
        ("Kind", s.kind.clone()),
        ("File", format!("`{}`", cell(&s.file))),
        ("Tags", list(&s.tags)),
        ("Topics", list(&s.topics)),
        ("Subjects", list(&s.subjects)),
        ("Producers", services(&s.producers)),
        ("Consumers", services(&s.consumers)),
        ("Compatibility", s.level.clone()),
        ("Uses", list(&s.uses)),
        ("Used by", list(&s.used_by)),
        (
            "Versions",
            format!("{} (last change {})", s.versions.len(), s.last_change.as_deref().unwrap_or("uncommitted")),
        ),
    ] {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    o.push('\n');
    if !s.fields.is_empty() {
        o.push_str("| Field | Type | Default | Classification | Doc |\n| --- | --- | --- | --- | --- |\n");
        for f in &s.fields {
            let _ = writeln!(
                o,
                "| `{}` | `{}` | {} | {} | {} |",
                cell(&f.path),
                cell(&f.ty),
                f.default.as_deref().map(|d| format!("`{}`", cell(d))).unwrap_or_default(),
                or_dash(f.classification.as_deref()),
                f.doc.as_deref().map(cell).unwrap_or_default()
            );
        }
        o.push('\n');
    }
    if !s.symbols.is_empty() {
        let _ = writeln!(o, "Symbols: {}\n", list(&s.symbols));
    }
    for e in &s.samples {
        let title = match &e.name {
            Some(n) => format!("{} (line {})", cell(n), e.line),
            None => format!("line {}", e.line),
        };
        // A fence longer than any run of backticks in the event.
        let mut fence = String::from("```");
        while e.event.contains(fence.as_str()) {
            fence.push('`');
        }
        let _ = writeln!(o, "Sample event {title}:\n\n{fence}json\n{}\n{fence}\n", e.event);
    }
    if let Some(v) = s.versions.last() {
        if let Some(c) = &v.commit {
            let _ = writeln!(
                o,
                "Latest version: v{} in `{}` by {} on {} — {}\n",
                v.number,
                c.short,
                cell(&c.author),
                &c.date[..c.date.len().min(10)],
                cell(&c.message)
            );
        }
    }
}

/// Every page: path relative to the output directory, and contents.
pub fn render(c: &Catalog) -> Vec<(String, String)> {
    let mut by_domain: BTreeMap<String, Vec<&SchemaEntry>> = BTreeMap::new();
    for s in &c.schemas {
        by_domain.entry(page_name(s.domain.as_deref())).or_default().push(s);
    }
    let mut out = Vec::new();
    let mut index = format!(
        "# Schema catalog\n\n{} schemas, built from {}.\n\n| Domain | Schemas | Owners |\n| --- | --- | --- |\n",
        c.schemas.len(),
        cell(&c.source)
    );
    for (page, schemas) in &by_domain {
        let domain = schemas[0].domain.as_deref().unwrap_or("unassigned");
        let mut owners: Vec<&str> = schemas.iter().filter_map(|s| s.owner.as_deref()).collect();
        owners.sort_unstable();
        owners.dedup();
        let _ = writeln!(
            index,
            "| [{}]({page}) | {} | {} |",
            cell(domain),
            schemas.len(),
            if owners.is_empty() { "—".into() } else { owners.join(", ") }
        );
        let mut o = format!("# Domain: {}\n\n[All domains](README.md)\n\n", cell(domain));
        for s in schemas {
            let _ = writeln!(
                o,
                "- [{}](#{}) — {}",
                s.name,
                s.name.to_lowercase().replace('.', ""),
                or_dash(s.owner.as_deref())
            );
        }
        o.push('\n');
        for s in schemas {
            schema_section(&mut o, s);
        }
        out.push((page.clone(), o));
    }
    if !c.shared_types.is_empty() {
        index.push_str("\n## Shared types: what a change reaches\n\n| Type | Schemas | Topics | Consumers |\n| --- | --- | --- | --- |\n");
        for i in &c.shared_types {
            let _ = writeln!(
                index,
                "| `{}` | {} | {} | {} |",
                i.name,
                i.schemas.len(),
                if i.topics.is_empty() { "—".into() } else { i.topics.join(", ") },
                if i.consumers.is_empty() {
                    "—".into()
                } else {
                    i.consumers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
                }
            );
        }
    }
    if !c.teams.is_empty() {
        index.push_str("\n## Teams\n\n| Team | Contact | Schemas |\n| --- | --- | --- |\n");
        for t in &c.teams {
            let _ = writeln!(index, "| {} | {} | {} |", cell(&t.name), or_dash(t.contact.as_deref()), t.schemas.len());
        }
    }
    out.insert(0, ("README.md".to_string(), index));
    out
}
