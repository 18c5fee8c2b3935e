//! `schema-without-owner`: A schema has no owning team.

use crate::core::finding::{did_you_mean, Severity};
use crate::core::lint::{Category, FileCtx, Hit, Preset, Rule};
use crate::core::metadata;

pub static RULE: Rule = Rule {
    code: "schema-without-owner",
    category: Category::Docs,
    severity: Severity::Error,
    preset: Preset::Recommended,
    summary: "A schema has no owning team, or names a team that is not declared.",
    what: "Once a repository records metadata (a `metadata:` section in schemapipe.yaml, or `owner`, `domain`, `tags` or `classification` properties in the schema file), reports every top-level schema without an `owner` — from `metadata.schemas` in schemapipe.yaml or an `owner` property on the schema — and an `owner` property naming a team that `metadata.teams` does not declare.",
    why: "Someone has to answer for an event: approve its changes, know its consumers, be called when it breaks. A schema nobody owns is changed by whoever needs it changed, and the catalog cannot say whom to ask.",
    bad: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "domain": "identity",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    good: r#"{
  "type": "record",
  "name": "UserSignedUp",
  "namespace": "com.acme.users",
  "doc": "A user created an account.",
  "domain": "identity",
  "owner": "identity-team",
  "fields": [
    {"name": "user_id", "type": "string", "default": "", "doc": "Account id, as issued at sign-up."}
  ]
}"#,
    bad_path: None,
    check,
};

fn check(ctx: &FileCtx, out: &mut Vec<Hit>) {
    let root = ctx.set.node(ctx.root);
    let Some(named) = root.named() else { return };
    let md = &ctx.options.metadata;
    if !md.declared && !metadata::file_has_metadata(root, ctx.fields()) {
        return;
    }
    let own = root.prop("owner");
    if let Some(owner) = own.and_then(|n| n.as_str()) {
        if !md.team_known(owner) {
            let help = match did_you_mean(owner, md.teams.keys().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "declare the team under `metadata.teams` in schemapipe.yaml".into(),
            };
            out.push(Hit {
                labels: Vec::new(),
                span: own.map(|n| n.span).unwrap_or(named.name_span),
                pointer: format!("{}/owner", root.pointer),
                message: format!("`{}` is owned by `{owner}`, which is not a declared team", named.full_name),
                help,
            });
        }
        return;
    }
    if metadata::resolve(md, &named.full_name, root).owner.is_none() {
        out.push(Hit {
            labels: Vec::new(),
            span: named.name_span,
            pointer: format!("{}/name", root.pointer),
            message: format!("schema `{}` has no owner", named.full_name),
            help: format!(
                "name its team under `metadata.schemas` in schemapipe.yaml (`{}: {{owner: <team>}}`, or a pattern such as `{}.**`), or add an \"owner\" property",
                named.full_name,
                named.namespace.as_deref().unwrap_or("com.acme")
            ),
        });
    }
}
