//! `schemapipe rules [CODE]`: the rule registry and each rule's documentation.

use super::{exit, Context, Outcome};
use crate::core::finding::did_you_mean;
use crate::core::lint::{rules, Rule};
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
            let Some(rule) = rules::find(code) else {
                let help = match did_you_mean(code, rules::ALL.iter().map(|r| r.code)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "run `schemapipe rules` to list every rule".into(),
                };
                return Err(UsageError::new(format!("no rule `{code}`"), help));
            };
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
                    "rules": rules::ALL.iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
                });
                format!("{}\n", serde_json::to_string_pretty(&doc).expect("serializes"))
            }
            _ => table(),
        },
    };
    Ok(Outcome { stdout, code: exit::CLEAN })
}

/// One line per rule: code, category, default severity, preset, summary.
pub fn table() -> String {
    let w = rules::ALL.iter().map(|r| r.code.len()).max().unwrap_or(4);
    let mut out = format!("{:<w$}  {:<9}  {:<8}  {:<11}  {}\n", "CODE", "CATEGORY", "SEVERITY", "PRESET", "SUMMARY");
    for r in rules::ALL {
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
