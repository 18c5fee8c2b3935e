"""The reference bytes of test datums, written by the PyPI `avro` package.

Reads a JSON-lines file of cases, `{"id": ..., "schema": <schema JSON>, "datums": [...]}`, and
prints `<id> <n> <hex>` per datum (or `<id> ERROR <message>`). Datums are raw Avro values
(logical types as their underlying values; the schema's logical types are removed, which does not
change the binary encoding): JSON null, booleans, numbers and strings as themselves; bytes and
fixed as {"b": hex}; records as {"r": {field: value}}; maps as {"m": [[key, value], ...]}; a union's
value as {"u": branch index, "v": value}; enums as the symbol. The union's branch is the one
named (the avro package's own choice of branch is not what is tested), everything else is
written by avro's DatumWriter.
"""

import io
import json
import re
import sys

import avro.io
import avro.schema


class Branch:
    def __init__(self, index, value):
        self.index = index
        self.value = value


class Writer(avro.io.DatumWriter):
    def write_union(self, writers_schema, datum, encoder):
        encoder.write_long(datum.index)
        return self.write_data(writers_schema.schemas[datum.index], datum.value, encoder)


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def name(n):
    """A name the avro package accepts (it is stricter than Java; names do not change the bytes)."""
    return ".".join(p if NAME.match(p) and p not in PRIMITIVES else "u" + p.encode().hex() for p in n.split("."))


def full(n):
    """The schema is in Parsing Canonical Form: names are full names. One without a namespace
    gets one, so that no enclosing namespace applies to it."""
    return n if "." in n else "zz_no_namespace." + n


def strip(schema):
    """The schema without logical types (their encoding is the underlying type's), field orders,
    aliases, defaults and docs, and with names the avro package accepts."""
    if isinstance(schema, list):
        return [strip(s) for s in schema]
    if isinstance(schema, str):
        return schema if schema in PRIMITIVES else name(full(schema))
    if isinstance(schema, dict):
        out = {}
        for k, v in schema.items():
            if k == "type" and v in ("record", "error", "enum", "fixed", "array", "map"):
                out[k] = v
            elif k in ("type", "items", "values"):
                out[k] = strip(v)
            elif k == "name":
                out[k] = name(full(v))
            elif k == "symbols":
                out[k] = [name(x) for x in v]
            elif k == "size":
                out[k] = v
            elif k == "fields":
                out[k] = [{"name": name(f["name"]), "type": strip(f["type"])} for f in v]
        return out
    return schema


def value(d):
    if isinstance(d, list):
        return [value(x) for x in d]
    if isinstance(d, dict):
        if "b" in d:
            return bytes.fromhex(d["b"])
        if "r" in d:
            return {name(k): value(v) for k, v in d["r"].items()}
        if "e" in d:
            return name(d["e"])
        if "m" in d:
            return {k: value(v) for k, v in d["m"]}
        if "u" in d:
            return Branch(d["u"], value(d["v"]))
    return d


def main():
    out = []
    writer_cache = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            case = json.loads(line)
            try:
                key = json.dumps(case["schema"])
                schema = writer_cache.get(key)
                if schema is None:
                    schema = avro.schema.parse(json.dumps(strip(case["schema"])))
                    writer_cache[key] = schema
                writer = Writer(schema)
                for n, d in enumerate(case["datums"]):
                    buf = io.BytesIO()
                    writer.write_data(schema, value(d), avro.io.BinaryEncoder(buf))
                    raw = buf.getvalue()
                    # And avro reads it back.
                    avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(raw)))
                    out.append(f"{case['id']} {n} {raw.hex()}")
            except Exception as e:  # reported per case
                msg = " ".join(f"{type(e).__name__}: {e}".split())[:300]
                out.append(f"{case['id']} ERROR {msg}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
