//! `schemapipe encode SCHEMA [FILE]`

use super::{finish_stream, open_input, Context, Outcome};
use crate::app::encode::{encode_stream, load_codec, ByteFormat, EncodeOptions};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Bytes {
    /// Raw Avro bytes, events back to back.
    Binary,
    /// One event per line, lowercase hex.
    Hex,
    /// One event per line, standard base64.
    Base64,
}

impl Bytes {
    pub fn format(self) -> ByteFormat {
        match self {
            Bytes::Binary => ByteFormat::Binary,
            Bytes::Hex => ByteFormat::Hex,
            Bytes::Base64 => ByteFormat::Base64,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The writer's schema (.avsc); names it uses are resolved under the schema root.
    pub schema: PathBuf,
    /// Events in the Avro JSON encoding, one per line (default: stdin; `-` is stdin).
    pub file: Option<PathBuf>,
    /// Frame each event in the Schema Registry wire format: magic byte 0, then --schema-id as
    /// 4 big-endian bytes.
    #[arg(long, requires = "schema_id")]
    pub wire_format: bool,
    /// The registry's id of SCHEMA, written in the wire-format header.
    #[arg(long, value_name = "N", requires = "wire_format")]
    pub schema_id: Option<u32>,
    /// How the bytes are written: binary (events back to back), hex or base64 (one per line).
    #[arg(long, value_enum, default_value_t = Bytes::Binary)]
    pub output: Bytes,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let codec = load_codec(&ctx.env(), &args.schema)?;
    let (mut input, input_name) = open_input(ctx, &args.file)?;
    let opts = EncodeOptions {
        wire_id: if args.wire_format { args.schema_id } else { None },
        output: args.output.format(),
        input_name,
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    finish_stream(encode_stream(&codec, &mut input, &mut out, &opts))
}
