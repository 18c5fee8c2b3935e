//! Sample: random valid events of a schema in the JSON encoding, one per line, the same for
//! the same seed.

use crate::core::codec::{json, Codec};
use crate::core::sample::{sample, Rng};
use std::io::Write;

/// Writes `count` events; an error is a schema whose values cannot end (it contains itself
/// with nothing optional on the way).
pub fn sample_stream(
    codec: &Codec,
    count: u64,
    seed: u64,
    out: &mut dyn Write,
) -> Result<(), super::encode::StreamError> {
    let mut rng = Rng::new(seed);
    let mut line = String::with_capacity(512);
    for _ in 0..count {
        let v = sample(codec, codec.root, &mut rng)
            .map_err(|e| super::encode::StreamError::Usage(crate::workspace::UsageError::new(e.message, e.help)))?;
        line.clear();
        json::to_json(codec, codec.root, &v, &mut line);
        line.push('\n');
        out.write_all(line.as_bytes()).map_err(super::encode::StreamError::Output)?;
    }
    out.flush().map_err(super::encode::StreamError::Output)
}
