//! The catalog as a static, self-contained site: `index.html` (every schema, filters, search),
//! one page per schema, one impact page per shared type, and the assets (one stylesheet, one
//! script, the prebuilt search index). Nothing is fetched from the network; every link is
//! relative, so the site works from `file://`, an HTML report in Jenkins or any static host.
//! The output is deterministic: the same repository gives the same bytes.

use super::{Catalog, FieldRow, SchemaEntry, ServiceRef, VersionEntry};
use std::fmt::Write;

const CSS: &str = include_str!("../../../templates/catalog/catalog.css");
const JS: &str = include_str!("../../../templates/catalog/catalog.js");

/// Every file of the site: path relative to the output directory, and contents.
pub fn render(c: &Catalog) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(c.schemas.len() + c.shared_types.len() + 4);
    out.push(("assets/catalog.css".to_string(), CSS.to_string()));
    out.push(("assets/catalog.js".to_string(), JS.to_string()));
    out.push(("assets/search-index.js".to_string(), search_index(c)));
    out.push(("index.html".to_string(), index(c)));
    for s in &c.schemas {
        out.push((format!("schemas/{}.html", s.name), schema_page(c, s)));
    }
    for i in &c.shared_types {
        out.push((format!("types/{}.html", i.name), impact_page(c, i)));
    }
    out
}

/// Text escaped for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    if !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'') || b < 0x20 || b == 0x7f) {
        return s.to_string();
    }
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// A JSON string literal safe inside a `<script>` file.
fn js_str(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_else(|_| "\"\"".into())
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn head(title: &str, depth: usize) -> String {
    let up = "../".repeat(depth);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"schemapipe catalog\">\n<title>{}</title>\n<link rel=\"stylesheet\" href=\"{up}assets/catalog.css\">\n</head>\n<body>\n",
        esc(title)
    )
}

fn first_sentence(doc: &str, max: usize) -> String {
    let d = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = d.find(". ").map(|i| i + 1).unwrap_or(d.len());
    let mut s: String = d[..cut].chars().take(max).collect();
    if s.len() < cut {
        s.push('…');
    }
    s
}

fn short(s: Option<&str>) -> &str {
    s.unwrap_or("—")
}

fn search_index(c: &Catalog) -> String {
    // One entry per row of the index page, in the same order: name, field paths, owner /
    // domain / tags / classifications, docs (lower-case, cut). Compact: the index page loads
    // it at once.
    let mut o = String::from("window.CATALOG_INDEX={\"v\":1,\"s\":[\n");
    for (i, s) in c.schemas.iter().enumerate() {
        let fields: Vec<&str> =
            s.fields.iter().map(|f| f.path.as_str()).chain(s.symbols.iter().map(String::as_str)).collect();
        let mut labels: Vec<&str> = Vec::new();
        labels.extend(s.owner.as_deref());
        labels.extend(s.domain.as_deref());
        labels.extend(s.tags.iter().map(String::as_str));
        labels.extend(s.topics.iter().map(String::as_str));
        for f in &s.fields {
            labels.extend(f.classification.as_deref());
            labels.extend(f.tags.iter().map(String::as_str));
        }
        labels.sort_unstable();
        labels.dedup();
        let mut docs = String::new();
        for d in s.doc.iter().chain(s.description.iter()).chain(s.fields.iter().filter_map(|f| f.doc.as_ref())) {
            if docs.len() > 600 {
                break;
            }
            docs.push_str(&d.to_lowercase());
            docs.push(' ');
        }
        let docs: String = docs.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(600).collect();
        let _ = writeln!(
            o,
            "[{},{},{},{}]{}",
            js_str(&s.name),
            js_str(&fields.join(" ")),
            js_str(&labels.join(" ")),
            js_str(&docs),
            if i + 1 < c.schemas.len() { "," } else { "" }
        );
    }
    o.push_str("]};\n");
    o
}

fn options(id: &str, label: &str, all: &str, values: &[String]) -> String {
    let mut o =
        format!("<label class=\"filter\"><span>{label}</span><select id=\"{id}\"><option value=\"\">{all}</option>");
    for v in values {
        let _ = write!(o, "<option value=\"{0}\">{0}</option>", esc(v));
    }
    o.push_str("</select></label>");
    o
}

fn index(c: &Catalog) -> String {
    let mut o = head("Schema catalog", 0);
    let collect = |f: &dyn Fn(&SchemaEntry) -> Vec<String>| {
        let mut v: Vec<String> = c.schemas.iter().flat_map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let domains = collect(&|s| s.domain.iter().cloned().collect());
    let owners = collect(&|s| s.owner.iter().cloned().collect());
    let tags = collect(&|s| s.tags.clone());
    let _ = write!(
        o,
        "<header class=\"top\"><h1>Schema catalog</h1><p class=\"meta\">{} schemas · {} topics · {} teams · built from {}</p></header>\n<main>\n",
        c.schemas.len(),
        c.topics.len(),
        c.teams.len(),
        esc(&c.source)
    );
    o.push_str("<section class=\"controls\" aria-label=\"Search and filters\">\n<input id=\"q\" type=\"search\" placeholder=\"Search names, fields, docs, tags…\" aria-label=\"Search names, fields, docs and tags\" autocomplete=\"off\" spellcheck=\"false\">\n");
    o.push_str(&options("f-domain", "Domain", "All domains", &domains));
    o.push_str(&options("f-owner", "Owner", "All owners", &owners));
    o.push_str(&options("f-tag", "Tag", "All tags", &tags));
    let _ = writeln!(
        o,
        "\n<p id=\"count\" class=\"count\" aria-live=\"polite\">{} schemas</p>\n</section>",
        c.schemas.len()
    );
    o.push_str("<table id=\"schemas\" class=\"list\">\n<thead><tr><th>Schema</th><th>Owner</th><th>Domain</th><th>Topics</th><th class=\"n\">Versions</th><th>Last change</th><th class=\"m\">Matches</th></tr></thead>\n<tbody>\n");
    for s in &c.schemas {
        let doc = s.doc.as_deref().map(|d| first_sentence(d, 90)).unwrap_or_default();
        let _ = writeln!(
            o,
            "<tr data-domain=\"{}\" data-owner=\"{}\" data-tags=\"{}\"><td><a href=\"schemas/{}.html\">{}</a><div class=\"doc\">{}</div></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"m\"></td></tr>",
            esc(s.domain.as_deref().unwrap_or("")),
            esc(s.owner.as_deref().unwrap_or("")),
            esc(&s.tags.join(" ")),
            esc(&s.name),
            esc(&s.name),
            esc(&doc),
            esc(short(s.owner.as_deref())),
            esc(short(s.domain.as_deref())),
            esc(&s.topics.join(", ")),
            s.versions.len(),
            esc(s.last_change.as_deref().map(|d| &d[..d.len().min(10)]).unwrap_or("uncommitted")),
        );
    }
    o.push_str("</tbody>\n</table>\n<p id=\"none\" class=\"none\" hidden>No schema matches.</p>\n");
    if !c.shared_types.is_empty() {
        o.push_str("<section id=\"shared\"><h2>Shared types: what a change reaches</h2>\n<table class=\"list\"><thead><tr><th>Type</th><th>Owner</th><th class=\"n\">Schemas</th><th class=\"n\">Topics</th><th class=\"n\">Consumers</th></tr></thead><tbody>\n");
        for i in &c.shared_types {
            let _ = writeln!(
                o,
                "<tr><td><a href=\"types/{0}.html\">{0}</a></td><td>{1}</td><td class=\"n\">{2}</td><td class=\"n\">{3}</td><td class=\"n\">{4}</td></tr>",
                esc(&i.name),
                esc(short(i.owner.as_deref())),
                i.schemas.len(),
                i.topics.len(),
                i.consumers.len()
            );
        }
        o.push_str("</tbody></table></section>\n");
    }
    if !c.teams.is_empty() {
        o.push_str("<section id=\"teams\"><h2>Teams</h2><table class=\"list\"><thead><tr><th>Team</th><th>Contact</th><th>About</th><th class=\"n\">Schemas</th></tr></thead><tbody>\n");
        for t in &c.teams {
            let _ = writeln!(
                o,
                "<tr><td><a href=\"#owner={0}\" class=\"owner-link\">{0}</a></td><td>{1}</td><td>{2}</td><td class=\"n\">{3}</td></tr>",
                esc(&t.name),
                esc(short(t.contact.as_deref())),
                esc(t.description.as_deref().unwrap_or("")),
                t.schemas.len()
            );
        }
        o.push_str("</tbody></table></section>\n");
    }
    if !c.services.is_empty() {
        o.push_str("<section id=\"services\"><h2>Services and sinks</h2><table class=\"list\"><thead><tr><th>Service</th><th>Kind</th><th>Team</th><th>Produces</th><th>Consumes</th></tr></thead><tbody>\n");
        for s in &c.services {
            let links = |v: &[String]| {
                v.iter()
                    .map(|n| {
                        format!("<a href=\"schemas/{0}.html\">{1}</a>", esc(n), esc(n.rsplit('.').next().unwrap_or(n)))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                o,
                "<tr id=\"service-{0}\"><td>{0}<div class=\"doc\">{1}</div></td><td>{2}</td><td>{3}</td><td>{4}</td><td>{5}</td></tr>",
                esc(&s.name),
                esc(s.description.as_deref().unwrap_or("")),
                esc(&s.kind),
                esc(short(s.team.as_deref())),
                links(&s.produces),
                links(&s.consumes)
            );
        }
        o.push_str("</tbody></table></section>\n");
    }
    o.push_str("</main>\n<footer>Generated by schemapipe catalog. Search state lives in the address: <code>index.html#q=email</code>.</footer>\n<script src=\"assets/search-index.js\"></script>\n<script src=\"assets/catalog.js\"></script>\n</body>\n</html>\n");
    o
}

fn services_html(v: &[ServiceRef]) -> String {
    if v.is_empty() {
        return "—".into();
    }
    v.iter()
        .map(|s| {
            format!(
                "<a href=\"../index.html#service-{0}\">{0}</a> <span class=\"kind\">{1}{2}</span>",
                esc(&s.name),
                esc(&s.kind),
                s.team.as_deref().map(|t| format!(", {}", esc(t))).unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn list_html(v: &[String], link: bool) -> String {
    if v.is_empty() {
        return "—".into();
    }
    v.iter()
        .map(
            |n| if link { format!("<a href=\"{0}.html\">{0}</a>", esc(n)) } else { format!("<code>{}</code>", esc(n)) },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// Producers → topics → consumers, as an inline SVG (no script, no external file).
pub fn lineage_svg(s: &SchemaEntry) -> String {
    let middle: Vec<(String, &str)> = if s.topics.is_empty() {
        vec![(s.name.rsplit('.').next().unwrap_or(&s.name).to_string(), "schema")]
    } else {
        s.topics.iter().map(|t| (t.clone(), "topic")).collect()
    };
    let left: Vec<(String, &str)> = s.producers.iter().map(|p| (p.name.clone(), "producer")).collect();
    let right: Vec<(String, &str)> = s.consumers.iter().map(|p| (p.name.clone(), "consumer")).collect();
    let rows = left.len().max(middle.len()).max(right.len()).max(1);
    let (bw, bh, gap, colx) = (220.0, 30.0, 44.0, [10.0, 300.0, 590.0]);
    let height = 34.0 + rows as f64 * gap;
    let ys = |n: usize| -> Vec<f64> {
        let top = 28.0 + (rows - n) as f64 * gap / 2.0;
        (0..n).map(|i| top + i as f64 * gap).collect()
    };
    let mut o = format!(
        "<svg class=\"lineage\" role=\"img\" aria-label=\"Lineage of {}: producers, topics, consumers\" viewBox=\"0 0 820 {height}\" width=\"820\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#5b6472\"/></marker></defs>\n",
        esc(&s.name)
    );
    for (x, title) in colx.iter().zip(["Producers", if s.topics.is_empty() { "Schema" } else { "Topics" }, "Consumers"])
    {
        let _ = writeln!(o, "<text x=\"{}\" y=\"16\" class=\"col\">{title}</text>", x + 4.0);
    }
    let (ly, my, ry) = (ys(left.len()), ys(middle.len()), ys(right.len()));
    for (a, _) in ly.iter().enumerate() {
        for (b, _) in my.iter().enumerate() {
            let (x1, y1, x2, y2) = (colx[0] + bw, ly[a] + bh / 2.0, colx[1], my[b] + bh / 2.0);
            let _ = writeln!(
                o,
                "<path class=\"edge\" d=\"M{x1} {y1} C{} {y1}, {} {y2}, {x2} {y2}\" marker-end=\"url(#arrow)\"/>",
                x1 + 35.0,
                x2 - 35.0
            );
        }
    }
    for (a, _) in my.iter().enumerate() {
        for (b, _) in ry.iter().enumerate() {
            let (x1, y1, x2, y2) = (colx[1] + bw, my[a] + bh / 2.0, colx[2], ry[b] + bh / 2.0);
            let _ = writeln!(
                o,
                "<path class=\"edge\" d=\"M{x1} {y1} C{} {y1}, {} {y2}, {x2} {y2}\" marker-end=\"url(#arrow)\"/>",
                x1 + 35.0,
                x2 - 35.0
            );
        }
    }
    for (col, items, ys) in [(0, &left, &ly), (1, &middle, &my), (2, &right, &ry)] {
        for ((label, class), y) in items.iter().zip(ys.iter()) {
            let shown: String = if label.chars().count() > 28 {
                label.chars().take(27).chain(['…']).collect()
            } else {
                label.clone()
            };
            let _ = writeln!(
                o,
                "<g class=\"node {class}\"><title>{0}</title><rect x=\"{1}\" y=\"{y}\" width=\"{bw}\" height=\"{bh}\" rx=\"6\"/><text x=\"{2}\" y=\"{3}\">{4}</text></g>",
                esc(label),
                colx[col],
                colx[col] + 10.0,
                y + 20.0,
                esc(&shown)
            );
        }
    }
    if left.is_empty() {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" class=\"empty\">no producer recorded</text>",
            colx[0] + 4.0,
            28.0 + bh / 2.0 + (rows - 1) as f64 * gap / 2.0
        );
    }
    if right.is_empty() {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" class=\"empty\">no consumer recorded</text>",
            colx[2] + 4.0,
            28.0 + bh / 2.0 + (rows - 1) as f64 * gap / 2.0
        );
    }
    o.push_str("</svg>");
    o
}

fn field_row(f: &FieldRow) -> String {
    let ty = match &f.type_ref {
        Some(t) => format!("<a href=\"{0}.html\">{1}</a>", esc(t), esc(&f.ty)),
        None => format!("<code>{}</code>", esc(&f.ty)),
    };
    let class = match f.classification.as_deref() {
        Some(c) => format!("<span class=\"cls cls-{0}\">{0}</span>", esc(c)),
        None => String::new(),
    };
    let tags = f.tags.iter().map(|t| format!("<span class=\"tag\">{}</span>", esc(t))).collect::<String>();
    format!(
        "<tr class=\"d{}\" data-field=\"{}\"><td class=\"fname\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>\n",
        f.depth.min(6),
        esc(&f.path),
        esc(&f.path),
        ty,
        esc(f.logical_type.as_deref().unwrap_or("")),
        f.default.as_deref().map(|d| format!("<code>{}</code>", esc(d))).unwrap_or_default(),
        class,
        tags,
        esc(f.doc.as_deref().unwrap_or("")),
        esc(&f.aliases.join(", ")),
    )
}

fn version_item(v: &VersionEntry, level: &str) -> String {
    let mut o = format!(
        "<li class=\"version\" id=\"v{}\">\n<div class=\"vhead\"><span class=\"vnum\">v{}</span> ",
        v.number, v.number
    );
    match &v.commit {
        Some(c) => {
            let _ = write!(
                o,
                "<code class=\"commit\" title=\"{}\">{}</code> <time datetime=\"{}\">{}</time> <span class=\"author\">{}</span> <span class=\"msg\">{}</span>",
                esc(&c.id),
                esc(&c.short),
                esc(&c.date),
                esc(&c.date[..c.date.len().min(10)]),
                esc(&c.author),
                esc(&c.message)
            );
        }
        None => o.push_str("<span class=\"msg\">uncommitted changes in the working tree</span>"),
    }
    o.push_str("</div>\n");
    match &v.compatibility {
        None => o.push_str("<p class=\"verdict first\">first version</p>\n"),
        Some(c) => {
            let dirs = format!(
                "backward {} · forward {}",
                if c.backward { "✓" } else { "✗" },
                if c.forward { "✓" } else { "✗" }
            );
            let _ = writeln!(
                o,
                "<p class=\"verdict {}\">{} at {} <span class=\"dirs\">({})</span></p>",
                if c.allowed { "ok" } else { "bad" },
                if c.allowed { "compatible" } else { "incompatible" },
                esc(if c.level.is_empty() { level } else { &c.level }),
                dirs
            );
        }
    }
    if !v.via.is_empty() {
        let _ = writeln!(o, "<p class=\"via\">changed through {}</p>", list_html(&v.via, true));
    }
    if !v.changes.is_empty() {
        o.push_str("<ul class=\"changes\">\n");
        for ch in &v.changes {
            let breaks = if ch.breaks.is_empty() {
                String::new()
            } else {
                format!(" <span class=\"breaks\">breaks {}</span>", esc(&ch.breaks.join(", ")))
            };
            let _ = writeln!(
                o,
                "<li><span class=\"ck\">{}</span> <code>{}</code> {}{}</li>",
                esc(&ch.kind),
                esc(if ch.path.is_empty() { "/" } else { &ch.path }),
                esc(&ch.message),
                breaks
            );
        }
        o.push_str("</ul>\n");
    }
    let _ = writeln!(
        o,
        "<details><summary>Canonical form of v{} (<code>{}</code>)</summary><pre class=\"json\">{}</pre></details>\n</li>",
        v.number,
        esc(&v.file),
        esc(&v.canonical_form)
    );
    o
}

fn schema_page(c: &Catalog, s: &SchemaEntry) -> String {
    let mut o = head(&format!("{} · schema catalog", s.name), 1);
    let _ = write!(
        o,
        "<header class=\"top\"><p class=\"crumbs\"><a href=\"../index.html\">Schema catalog</a> / {}</p><h1>{} <span class=\"badge\">{}</span></h1>",
        esc(s.domain.as_deref().unwrap_or("no domain")),
        esc(&s.name),
        esc(&s.kind)
    );
    if let Some(d) = &s.doc {
        let _ = write!(o, "<p class=\"lead\">{}</p>", esc(d));
    }
    if let Some(d) = &s.description {
        let _ = write!(o, "<p class=\"lead\">{}</p>", esc(d));
    }
    o.push_str("</header>\n<main>\n<section id=\"about\"><dl class=\"facts\">\n");
    let owner = match (&s.owner, &s.owner_contact) {
        (Some(o), Some(c)) => format!("<a href=\"../index.html#owner={0}\">{0}</a> · {1}", esc(o), esc(c)),
        (Some(o), None) => format!("<a href=\"../index.html#owner={0}\">{0}</a>", esc(o)),
        _ => "<span class=\"missing\">no owner</span>".into(),
    };
    let tags = if s.tags.is_empty() {
        "—".to_string()
    } else {
        s.tags
            .iter()
            .map(|t| format!("<a class=\"tag\" href=\"../index.html#tag={0}\">{0}</a>", esc(t)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (k, v) in [
        ("Owner", owner),
        ("Domain", esc(short(s.domain.as_deref()))),
        ("Tags", tags),
        ("Compatibility", esc(&s.level)),
        ("Subjects", list_html(&s.subjects, false)),
        ("Topics", list_html(&s.topics, false)),
        ("File", format!("<code>{}</code>", esc(&s.file))),
        (
            "Versions",
            format!("{} · last change {}", s.versions.len(), esc(s.last_change.as_deref().unwrap_or("uncommitted"))),
        ),
    ] {
        let _ = writeln!(o, "<dt>{k}</dt><dd>{v}</dd>");
    }
    o.push_str("</dl></section>\n");
    let _ = writeln!(
        o,
        "<section id=\"lineage\"><h2>Lineage</h2><div class=\"svgwrap\">{}</div>\n<dl class=\"facts\"><dt>Producers</dt><dd>{}</dd><dt>Consumers</dt><dd>{}</dd></dl></section>",
        lineage_svg(s),
        services_html(&s.producers),
        services_html(&s.consumers)
    );
    if !s.fields.is_empty() {
        let _ = writeln!(o, "<section id=\"fields\"><h2>Fields <span class=\"count\">{}</span></h2><div class=\"tablewrap\"><table class=\"fields\"><thead><tr><th>Field</th><th>Type</th><th>Logical type</th><th>Default</th><th>Classification</th><th>Doc</th><th>Aliases</th></tr></thead><tbody>", s.fields.len());
        for f in &s.fields {
            o.push_str(&field_row(f));
        }
        o.push_str("</tbody></table></div></section>\n");
    }
    if !s.symbols.is_empty() {
        let _ =
            writeln!(o, "<section id=\"symbols\"><h2>Symbols</h2><p>{}</p></section>", list_html(&s.symbols, false));
    }
    if !s.samples.is_empty() {
        let _ = writeln!(
            o,
            "<section id=\"samples\"><h2>Sample events <span class=\"count\">{}</span></h2>",
            s.samples.len()
        );
        for e in &s.samples {
            let title = match &e.name {
                Some(n) => format!("{} <span class=\"meta\">(line {})</span>", esc(n), e.line),
                None => format!("line {}", e.line),
            };
            let _ = writeln!(o, "<h3 class=\"sample\">{title}</h3><pre class=\"json\">{}</pre>", esc(&e.event));
        }
        o.push_str("</section>\n");
    }
    let _ = writeln!(
        o,
        "<section id=\"types\"><h2>Named types</h2><dl class=\"facts\"><dt>Uses</dt><dd>{}</dd><dt>Used by</dt><dd>{}</dd></dl>{}</section>",
        list_html(&s.uses, true),
        list_html(&s.used_by, true),
        if s.used_by.is_empty() {
            String::new()
        } else {
            format!("<p><a href=\"../types/{}.html\">What a change to this type reaches</a></p>", esc(&s.name))
        }
    );
    let _ = writeln!(
        o,
        "<section id=\"timeline\"><h2>Version timeline <span class=\"count\">{}</span></h2>",
        s.versions.len()
    );
    if s.versions.is_empty() {
        o.push_str("<p class=\"none\">No version in git history yet.</p>\n");
    } else {
        o.push_str("<ol class=\"timeline\" reversed>\n");
        for v in s.versions.iter().rev() {
            o.push_str(&version_item(v, &s.level));
        }
        o.push_str("</ol>\n");
    }
    o.push_str("</section>\n");
    let _ = writeln!(
        o,
        "<section id=\"canonical\"><h2>Parsing Canonical Form</h2><pre class=\"json\">{}</pre></section>",
        esc(&s.canonical_form)
    );
    let _ = c;
    o.push_str("</main>\n<footer><a href=\"../index.html\">All schemas</a> · generated by schemapipe catalog</footer>\n</body>\n</html>\n");
    o
}

fn impact_page(c: &Catalog, i: &super::Impact) -> String {
    let mut o = head(&format!("Impact of {} · schema catalog", i.name), 1);
    let _ = writeln!(
        o,
        "<header class=\"top\"><p class=\"crumbs\"><a href=\"../index.html\">Schema catalog</a> / shared type</p><h1>What a change to {} reaches</h1><p class=\"lead\">Owned by {}. A change to <a href=\"../schemas/{}.html\">{}</a> is a new version of every schema below, published under their subjects, read by their consumers.</p></header>\n<main>",
        esc(&i.name),
        esc(short(i.owner.as_deref())),
        esc(&i.name),
        esc(&i.name)
    );
    let _ = writeln!(o, "<section id=\"impact-schemas\"><h2>Schemas <span class=\"count\">{}</span></h2><table class=\"list\"><thead><tr><th>Schema</th><th>Owner</th><th>Topics</th></tr></thead><tbody>", i.schemas.len());
    for n in &i.schemas {
        let e = c.schema(n);
        let _ = writeln!(
            o,
            "<tr><td><a href=\"../schemas/{0}.html\">{0}</a></td><td>{1}</td><td>{2}</td></tr>",
            esc(n),
            esc(short(e.and_then(|e| e.owner.as_deref()))),
            esc(&e.map(|e| e.topics.join(", ")).unwrap_or_default())
        );
    }
    o.push_str("</tbody></table></section>\n");
    let _ = writeln!(
        o,
        "<section id=\"impact-subjects\"><h2>Subjects <span class=\"count\">{}</span></h2><p>{}</p></section>",
        i.subjects.len(),
        list_html(&i.subjects, false)
    );
    let _ = writeln!(
        o,
        "<section id=\"impact-topics\"><h2>Topics <span class=\"count\">{}</span></h2><p>{}</p></section>",
        i.topics.len(),
        list_html(&i.topics, false)
    );
    let _ = writeln!(o, "<section id=\"impact-consumers\"><h2>Consuming services <span class=\"count\">{}</span></h2><table class=\"list\"><thead><tr><th>Service</th><th>Kind</th><th>Team</th><th>Contact</th></tr></thead><tbody>", i.consumers.len());
    for s in &i.consumers {
        let contact =
            s.team.as_ref().and_then(|t| c.teams.iter().find(|x| &x.name == t)).and_then(|t| t.contact.clone());
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.name),
            esc(&s.kind),
            esc(short(s.team.as_deref())),
            esc(short(contact.as_deref()))
        );
    }
    o.push_str("</tbody></table></section>\n</main>\n<footer><a href=\"../index.html\">All schemas</a> · generated by schemapipe catalog</footer>\n</body>\n</html>\n");
    o
}
