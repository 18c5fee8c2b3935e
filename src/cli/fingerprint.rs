//! `schemapipe fingerprint FILE`

use super::{exit, Context, Outcome};
use crate::app::fingerprint::{fingerprint, FingerprintOptions};
use crate::core::finding::Finding;
use crate::report::{self, Format, Summary};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .avsc file. Named types it uses from other files under the schema root are resolved
    /// and inlined, as the canonical form requires.
    pub file: PathBuf,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let r = fingerprint(&ctx.env(), &FingerprintOptions { file: args.file })?;
    let f = &r.findings;
    let shown: Vec<&Finding> = report::sorted(&f.findings);
    let summary = Summary::of(1, shown.iter().copied());
    let Some(p) = &r.printed else {
        let stdout = ctx.findings_output("fingerprint", serde_json::json!({}), f, &shown, summary);
        return Ok(Outcome { stdout, code: exit::FINDINGS });
    };
    let fp = &p.fingerprints;
    let stdout = match ctx.format {
        Format::Json => report::json::render(
            "fingerprint",
            serde_json::json!({"file": p.file, "name": p.name, "canonical_form": p.canonical_form, "fingerprints": fp}),
            &f.sources,
            &shown,
            summary,
        ),
        Format::Junit | Format::Sarif | Format::Github | Format::Markdown => {
            report::render_ci(ctx.format, "fingerprint", &f.sources, &f.files, &shown).unwrap_or_default()
        }
        Format::Human => {
            let mut s = String::new();
            if !ctx.quiet {
                let r = ctx.renderer(&f.sources);
                for f in &shown {
                    s.push_str(&r.render(f));
                    s.push('\n');
                }
            }
            s.push_str(&format!("file:      {}\n", p.file));
            if let Some(n) = &p.name {
                s.push_str(&format!("name:      {n}\n"));
            }
            s.push_str(&format!("canonical: {}\n", p.canonical_form));
            s.push_str(&format!(
                "rabin:     {} (CRC-64-AVRO, little-endian bytes; as Java long: {})\n",
                fp.rabin_hex, fp.rabin_i64
            ));
            s.push_str(&format!("md5:       {}\n", fp.md5));
            s.push_str(&format!("sha256:    {}\n", fp.sha256));
            s
        }
    };
    Ok(Outcome { stdout, code: exit::CLEAN })
}
