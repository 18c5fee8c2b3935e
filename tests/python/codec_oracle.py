"""Reference Avro encodings from PyPI `avro` for tests/codec_differential.rs.

Reads JSON lines on stdin, answers one JSON line each on stdout:
  {"op": "encode", "schema": S, "datum": D}  -> {"hex": H} | {"error": E}
      D is in the Avro JSON encoding (unions as {"branch": value}, bytes as ISO-8859-1 text);
      the union branch written is the one the JSON names (as Java's JsonDecoder reads it).
  {"op": "resolve", "writer": W, "reader": R, "hex": H, "ours": D}
      -> {"same": true} | {"same": false, "theirs": T} | {"error": E}
      reads H with W resolved to R, compares with D (our reader value, JSON encoding).
Logical types are removed from the schemas: they do not change the encoding, and `avro`
would otherwise want Python objects (Decimal, datetime) instead of the underlying values.
"""
import io
import json
import math
import struct
import sys

import avro.io
import avro.schema


def strip(s):
    if isinstance(s, dict):
        return {k: strip(v) for k, v in s.items() if k != "logicalType"}
    if isinstance(s, list):
        return [strip(x) for x in s]
    return s


def parse(text):
    return avro.schema.parse(json.dumps(strip(json.loads(text))))


def branch_name(b):
    if b.type in ("record", "error", "enum", "fixed"):
        return b.fullname
    return b.type


class Union:
    def __init__(self, index, value):
        self.index, self.value = index, value


def conv(s, v, keep_unions):
    t = s.type
    if t == "union":
        if v is None:
            i = next(i for i, b in enumerate(s.schemas) if b.type == "null")
            return Union(i, None) if keep_unions else None
        (k, x), = v.items()
        i = next(i for i, b in enumerate(s.schemas) if branch_name(b) == k)
        x = conv(s.schemas[i], x, keep_unions)
        return Union(i, x) if keep_unions else x
    if t in ("bytes", "fixed"):
        return v.encode("latin-1")
    if t == "float":
        v = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v) if isinstance(v, str) else v
        return struct.unpack("<f", struct.pack("<f", float(v)))[0]
    if t == "double":
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v) if isinstance(v, str) else float(v)
    if t in ("record", "error"):
        return {f.name: conv(f.type, v[f.name], keep_unions) for f in s.fields}
    if t == "array":
        return [conv(s.items, x, keep_unions) for x in v]
    if t == "map":
        return {k: conv(s.values, x, keep_unions) for k, x in v.items()}
    return v


class Writer(avro.io.DatumWriter):
    def write_union(self, writers_schema, datum, encoder):
        encoder.write_long(datum.index)
        self.write_data(writers_schema.schemas[datum.index], datum.value, encoder)


def plain(v):
    if isinstance(v, bytes):
        return v.decode("latin-1")
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def f32(x):
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


def same(a, b):
    number = (int, float)
    if isinstance(a, number) and isinstance(b, number) and not isinstance(a, bool) and not isinstance(b, bool):
        # avro does not turn a promoted int into a float inside a union; the number is the same.
        # ...nor a long into a double; compare as the reader's double.
        return float(a) == float(b) or f32(a) == f32(b) or (a != a and b != b)
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) == type(b) and a == b


def answer(req):
    if req["op"] == "encode":
        try:
            s = parse(req["schema"])
        except Exception as e:  # noqa: BLE001 - avro's parser is stricter than Java's in places
            return {"unparsed": f"{type(e).__name__}: {e}"}
        out = io.BytesIO()
        Writer(s).write_data(s, conv(s, req["datum"], True), avro.io.BinaryEncoder(out))
        return {"hex": out.getvalue().hex()}
    try:
        w, r = parse(req["writer"]), parse(req["reader"])
    except Exception as e:  # noqa: BLE001
        return {"unparsed": f"{type(e).__name__}: {e}"}
    theirs = avro.io.DatumReader(w, r).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(req["hex"]))))
    ours = conv(r, req["ours"], False)
    if same(ours, theirs):
        return {"same": True}
    return {"same": False, "theirs": plain(theirs)}


for line in sys.stdin:
    try:
        res = answer(json.loads(line))
    except Exception as e:  # noqa: BLE001 - every failure is an answer
        res = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(res) + "\n")
