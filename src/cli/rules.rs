//! `schemapipe rules [CODE]`: the rule registry and each rule's documentation.

use super::{exit, Context, Outcome};
use crate::app::rules;
use crate::core::lint::Rule;
use crate::report::Format;
use crate::workspace::UsageError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule's code: print its documentation.
    pub code: Option<String>,
}

fn rule_json(r: &Rule) -> serde_json::Value {
    serde_json::json!({
        "code": r.code,
        "category": r.category,
        "default_severity": r.severity,
        "preset": r.preset,
        "summary": r.summary,
        "docs": r.docs(),
        "example_bad": r.bad,
        "example_good": r.good,
    })
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let stdout = match &args.code {
        Some(code) => {
            let rule = rules::find(code)?;
            match ctx.format {
                Format::Json => {
                    let mut doc = serde_json::json!({"version": 1, "command": "rules"});
                    doc["rule"] = rule_json(rule);
                    format!("{}\n", serde_json::to_string_pretty(&doc).expect("serializes"))
                }
                _ => rule.docs(),
            }
        }
        None => match ctx.format {
            Format::Json => {
                let doc = serde_json::json!({
                    "version": 1,
                    "command": "rules",
                    "rules": rules::all().iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
                });
                format!("{}\n", serde_json::to_string_pretty(&doc).expect("serializes"))
            }
            _ => table(rules::all()),
        },
    };
    Ok(Outcome { stdout, code: exit::CLEAN })
}

/// One line per rule: code, category, default severity, preset, summary.
fn table(all: &[&Rule]) -> String {
    let w = all.iter().map(|r| r.code.len()).max().unwrap_or(4);
    let mut out = format!("{:<w$}  {:<9}  {:<8}  {:<11}  {}\n", "CODE", "CATEGORY", "SEVERITY", "PRESET", "SUMMARY");
    for r in all {
        out.push_str(&format!(
            "{:<w$}  {:<9}  {:<8}  {:<11}  {}\n",
            r.code,
            r.category.as_str(),
            r.severity.as_str(),
            r.preset.as_str(),
            r.summary
        ));
    }
    out
}
