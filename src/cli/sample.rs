//! `schemapipe sample SCHEMA`

use super::{Context, Outcome};
use crate::app::encode::load_codec;
use crate::app::sample::sample_stream;
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema (.avsc).
    pub schema: PathBuf,
    /// How many events.
    #[arg(long, short = 'n', default_value_t = 1)]
    pub count: u64,
    /// The seed: the same seed gives the same events.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let codec = load_codec(&ctx.env(), &args.schema)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    super::finish_stream(sample_stream(&codec, args.count, args.seed, &mut out).map(|_| 0))
}
