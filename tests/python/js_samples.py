"""Sample values for the JavaScript check: reads {module: schema JSON} on stdin, prints
[{module, value, hex}] where `hex` is the PyPI `avro` package's encoding of `value`.

Values are raw Avro values, union values tagged with their branch (samples.untag) (logical types as their underlying type: the JavaScript runtime
passes those through); bytes are {"$bytes": hex} and integers past 2^53 {"$bigint": digits}, NaN and
infinities {"$number": "nan" | "inf" | "-inf"}.

Usage: js_samples.py SAMPLES < schemas.json
"""

import io
import json
import math
import random
import sys
import warnings

import avro.io
import avro.schema

from samples import Gen, NoValue, Reference

warnings.simplefilter("ignore")
samples = int(sys.argv[1]) if len(sys.argv) > 1 else 10
rng = random.Random(11)


def strip_logical(node):
    if isinstance(node, list):
        return [strip_logical(b) for b in node]
    if isinstance(node, dict):
        return {k: strip_logical(v) for k, v in node.items() if k not in ("logicalType", "_full")}
    return node


def tag(v):
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": v.hex()}
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int) and abs(v) > 2**53 - 1:
        return {"$bigint": str(v)}
    if isinstance(v, float) and not math.isfinite(v):
        return {"$number": str(v)}
    if isinstance(v, dict):
        return {k: tag(x) for k, x in v.items()}
    if isinstance(v, list):
        return [tag(x) for x in v]
    return v


out = []
for module, text in sorted(json.load(sys.stdin).items()):
    raw = strip_logical(json.loads(text))
    try:
        reference = Reference(raw)
    except Exception as e:  # noqa: BLE001 - reported by check_samples.mjs
        out.append({"module": module, "error": f"the avro package cannot parse the schema: {e!r}"})
        continue
    gen = Gen(raw, rng, raw=True)
    for n in range(samples):
        gen.branch_seed = n
        try:
            value = gen.value(raw, "", 0)
        except NoValue:
            # The schema has no value (an empty union): the runtime must refuse one.
            out.append({"module": module, "value": None, "hex": None})
            break
        out.append({"module": module, "value": tag(value), "hex": reference.bytes(value).hex()})
print(json.dumps(out))
