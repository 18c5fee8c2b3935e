//! `schemapipe decode SCHEMA [FILE]`

use super::{Context, Outcome, RegistryArgs};
use crate::app::decode::{decode_stream, DecodeOptions, Writer};
use crate::app::encode::{load_codec, ByteFormat};
use crate::workspace::UsageError;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Bytes {
    /// Raw Avro bytes, events back to back.
    Binary,
    /// One event per line, hex.
    Hex,
    /// One event per line, base64 (standard or URL-safe).
    Base64,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// SCHEMA [FILE]: the writer's schema (.avsc) and the input (default: stdin; `-` is
    /// stdin). With --registry-url the writer's schema comes from the registry and only
    /// [FILE] is given.
    #[arg(value_name = "SCHEMA [FILE]", num_args = 0..=2)]
    pub paths: Vec<PathBuf>,
    /// Each event starts with the Schema Registry wire-format header (magic byte 0, 4-byte id).
    #[arg(long)]
    pub wire_format: bool,
    /// Resolve every event to this reader schema (.avsc), as a consumer with it reads them.
    #[arg(long, value_name = "SCHEMA")]
    pub reader: Option<PathBuf>,
    /// How the bytes are read: binary (events back to back), hex or base64 (one per line).
    #[arg(long, value_enum, default_value_t = Bytes::Binary)]
    pub input: Bytes,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<Outcome, UsageError> {
    let env = ctx.env();
    let from_registry = args.registry.registry_url.is_some();
    let (mut writer, file) = if from_registry {
        if !args.wire_format {
            return Err(UsageError::new(
                "--registry-url looks the writer's schema up by the id in the wire format",
                "add --wire-format",
            ));
        }
        if args.paths.len() > 1 {
            return Err(UsageError::new(
                "with --registry-url the writer's schema comes from the registry: pass only [FILE]",
                "use --reader SCHEMA to read the events with a schema of your own",
            ));
        }
        let ws = env.workspace()?;
        let client = crate::app::remote::client(&ws, &args.registry.options())?;
        (Writer::Registry { client: Box::new(client), cache: Default::default() }, args.paths.first().cloned())
    } else {
        let Some(schema) = args.paths.first() else {
            return Err(UsageError::new(
                "no schema given",
                "pass the writer's schema: `schemapipe decode SCHEMA [FILE]`",
            ));
        };
        (Writer::Schema(std::rc::Rc::new(load_codec(&env, schema)?)), args.paths.get(1).cloned())
    };
    let reader = match &args.reader {
        Some(p) => Some(load_codec(&env, p)?),
        None => None,
    };
    let (mut input, input_name) = super::open_input(ctx, &file)?;
    let opts = DecodeOptions {
        input: match args.input {
            Bytes::Binary => ByteFormat::Binary,
            Bytes::Hex => ByteFormat::Hex,
            Bytes::Base64 => ByteFormat::Base64,
        },
        wire: args.wire_format,
        reader,
        input_name,
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    super::finish_stream(decode_stream(&mut writer, &mut input, &mut out, &opts))
}
