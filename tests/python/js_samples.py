"""Sample values for the JavaScript check: reads {module: schema JSON} on stdin, prints
[{module, value, hex}] where `hex` is the PyPI `avro` package's encoding of `value`.

Values are raw Avro values, union values tagged with their branch (samples.untag): logical types
as their underlying type (the JavaScript runtime passes those through), then, with `logical`,
for a schema with logical types, as JavaScript values (dates and timestamps in whole
milliseconds as {"$date": ms}, decimals as strings). Records carry their full name
("$record"); bytes are {"$bytes": hex}, integers past 2^53 {"$bigint": digits}, NaN and
infinities {"$number": "nan" | "inf" | "-inf"}.

Usage: js_samples.py SAMPLES [logical] < schemas.json
"""

import datetime
import decimal
import io
import json
import math
import random
import sys
import warnings

import avro.io
import avro.schema

from samples import Gen, NoValue, Record, Reference

warnings.simplefilter("ignore")
samples = int(sys.argv[1]) if len(sys.argv) > 1 else 10
# With `logical`: the values of a schema with logical types given as JavaScript values too.
with_logical = sys.argv[2:3] == ["logical"]
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
        return {k: tag(x) for k, x in v.items()} | ({"$record": v.full} if isinstance(v, Record) else {})
    if isinstance(v, list):
        return [tag(x) for x in v]
    return v


class JsGen(Gen):
    """Samples with logical values where JavaScript takes them: times (and timestamps finer
    than a millisecond) are given raw, as the avro package also writes them."""

    def value(self, node, ns, depth=0, branch=None):
        v = super().value(node, ns, depth, branch)
        if isinstance(node, list) and isinstance(v["value"], (datetime.date, decimal.Decimal)):
            # A Date or a string another branch takes too (a string, a timestamp for a date)
            # goes to the first: the branch is named unless the union is with null alone.
            v["$explicit"] = v["$explicit"] or not v["$optional"]
            return v
        logical = node.get("logicalType") if isinstance(node, dict) else None
        if isinstance(v, datetime.time):
            micros = (v.hour * 3600 + v.minute * 60 + v.second) * 1_000_000 + v.microsecond
            return micros // 1000 if logical == "time-millis" else micros
        if isinstance(v, datetime.datetime) and logical == "timestamp-micros":
            micros = (v - EPOCH) // datetime.timedelta(microseconds=1)
            return v if micros % 1000 == 0 else micros
        return v


def js_value(v):
    """A sample as JavaScript values: timestamps and dates as {"$date": milliseconds},
    decimals as strings; the rest as `tag` gives them."""
    if isinstance(v, datetime.datetime):
        return {"$date": (v - EPOCH) // datetime.timedelta(milliseconds=1)}
    if isinstance(v, datetime.date):
        return {"$date": (v - datetime.date(1970, 1, 1)).days * 86_400_000}
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, dict):
        return {k: js_value(x) for k, x in v.items()} | ({"$record": v.full} if isinstance(v, Record) else {})
    if isinstance(v, list):
        return [js_value(x) for x in v]
    return tag(v)


NONE = object()


def draw(gen, schema):
    """`samples` values of the schema (each union at the top starting at another branch); NONE
    when it has none."""
    for n in range(samples):
        gen.branch_seed = n
        try:
            yield gen.value(schema, "", 0)
        except NoValue:
            yield NONE
            return


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
# The avro package computes decimals in the current context; the generated runtime is exact.
decimal.getcontext().prec = 100

out = []
for module, text in sorted(json.load(sys.stdin).items()):
    schema = json.loads(text)
    raw = strip_logical(schema)
    try:
        reference = Reference(raw)
        # With logical types too, when there are any (the avro package converts them).
        logical = Reference(schema) if with_logical and raw != schema else None
    except Exception as e:  # noqa: BLE001 - reported by check_samples.mjs
        out.append({"module": module, "error": f"the avro package cannot parse the schema: {e!r}"})
        continue
    for value in draw(Gen(raw, rng, raw=True), raw):
        if value is NONE:
            # The schema has no value (an empty union): the runtime must refuse one.
            out.append({"module": module, "value": None, "hex": None})
            break
        out.append({"module": module, "value": tag(value), "hex": reference.bytes(value).hex()})
    # The same schema given JavaScript's values for its logical types.
    for value in draw(JsGen(schema, rng), schema) if logical else []:
        if value is NONE:
            break
        out.append({"module": module, "value": js_value(value), "hex": logical.bytes(value).hex()})
print(json.dumps(out))
