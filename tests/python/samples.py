"""Sample values for a schema, for the generated-code checks: every union branch a value
cannot be mistaken for another of, logical types as Python values (or, with `raw`, as their
underlying Avro values), nested and recursive types kept small."""

import datetime
import io
import json
import decimal
import math
import random
import uuid

import avro.io
import avro.schema

PRIMS = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
GROUPS = {"int": "number", "long": "number", "float": "number", "double": "number", "string": "text",
          "enum": "text", "bytes": "binary", "fixed": "binary", "map": "dict", "record": "dict", "error": "dict"}


_LOGICAL_BASES = {
    "decimal": ("bytes", "fixed"), "big-decimal": ("bytes",), "uuid": ("string", "fixed"), "date": ("int",),
    "time-millis": ("int",), "time-micros": ("long",), "timestamp-millis": ("long",),
    "timestamp-micros": ("long",), "timestamp-nanos": ("long",), "local-timestamp-millis": ("long",),
    "local-timestamp-micros": ("long",), "local-timestamp-nanos": ("long",), "duration": ("fixed",),
}


def _valid_logical(node):
    """The node's logical type when it is valid, else None: Java ignores an invalid one (a
    decimal without a precision, a date on a string) and so do the runtimes."""
    if not isinstance(node, dict):
        return None
    lt = node.get("logicalType")
    if not isinstance(lt, str) or node.get("type") not in _LOGICAL_BASES.get(lt, ()):
        return None
    if node["type"] == "fixed" and lt in ("uuid", "duration"):
        return lt if node.get("size") == (16 if lt == "uuid" else 12) else None
    if lt == "decimal":
        precision, scale = node.get("precision"), node.get("scale", 0)
        is_int = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
        if not (is_int(precision) and is_int(scale) and precision > 0 and 0 <= scale <= precision):
            return None
        if node["type"] == "fixed" and precision > len(str(2 ** (8 * node["size"] - 1) - 1)) - 1:
            return None
    return lt


class NoValue(Exception):
    """The type has no value (an empty union, a record with a field of one)."""


class Gen:
    """Sample values for a schema (the same JSON the generated module embeds)."""

    def __init__(self, root, rng, raw=False):
        """A union's value is {"$branch": its Avro name, "$optional": whether the union is null
        and one other type, "$explicit": whether another branch could take it, "value": ...}:
        see `untag`, `for_python` and `TaggedWriter`."""
        self.names = {}
        self.rng = rng
        self.raw = raw
        self.branch_seed = 0
        self.collect(root, "")

    def full(self, name, ns):
        return name if "." in name or not ns else f"{ns}.{name}"

    def collect(self, node, ns):
        if isinstance(node, list):
            for b in node:
                self.collect(b, ns)
        elif isinstance(node, dict):
            t = node.get("type")
            if t in ("record", "error", "enum", "fixed"):
                full = self.full(node["name"], (node["namespace"] if isinstance(node.get("namespace"), str) else ns))
                self.names[full] = (node, full.rpartition(".")[0])
                for f in node.get("fields", []):
                    self.collect(f["type"], full.rpartition(".")[0])
            elif t == "array":
                self.collect(node["items"], ns)
            elif t == "map":
                self.collect(node["values"], ns)
            elif isinstance(t, (dict, list)):
                self.collect(t, ns)

    def kind(self, node, ns):
        if isinstance(node, str) and node not in PRIMS:
            node, ns = self.names.get(self.full(node, ns)) or self.names[node]
        if isinstance(node, str):
            return node
        t = node["type"]
        return self.kind(t, ns) if isinstance(t, (dict, list)) else t

    def tag(self, node, ns):
        """The name Avro resolves a union branch by."""
        if isinstance(node, str) and node not in PRIMS:
            node, ns = self.names.get(self.full(node, ns)) or self.names[node]
        if isinstance(node, str):
            return node
        t = node["type"]
        if isinstance(t, (dict, list)):
            return self.tag(t, ns)
        if t in ("record", "error", "enum", "fixed"):
            return self.full(node["name"], (node["namespace"] if isinstance(node.get("namespace"), str) else ns))
        if t not in PRIMS and t not in ("array", "map"):
            return self.tag(t, ns)
        return t

    def value(self, node, ns, depth=0, branch=None):
        if depth > 40:
            # A record that needs itself (a required field of its own type) has no finite value.
            raise NoValue("the type has no finite value")
        if isinstance(node, str) and node not in PRIMS:
            node, ns = self.names.get(self.full(node, ns)) or self.names[node]
        if isinstance(node, list):
            # Any branch: one no other branch could take (a "clear" one) is given as a plain
            # value, for the runtime under test to pick; another is named ("$explicit").
            kinds = [self.kind(b, ns) for b in node]
            groups = [GROUPS.get(k, k) for k in kinds]
            clear = [i for i, g in enumerate(groups) if groups.count(g) == 1]
            optional = len(node) == 2 and kinds.count("null") == 1
            if depth > 4 and "null" in kinds:
                order = [kinds.index("null")]
            else:
                order = list(range(len(node)))
                if branch is not None and depth < 2 and order:
                    start = branch % len(order)
                    order = order[start:] + order[:start]
                else:
                    self.rng.shuffle(order)
            for i in order:
                try:
                    value = self.value(node[i], ns, depth + 1)
                except NoValue:
                    continue
                return {"$branch": self.tag(node[i], ns), "$optional": optional, "$explicit": i not in clear,
                        "value": value}
            raise NoValue("no branch of the union has a value" if node else "an empty union has no value")
        t = node if isinstance(node, str) else node["type"]
        logical = _valid_logical(node)
        if isinstance(t, (dict, list)) or (isinstance(t, str) and t not in PRIMS and t not in (
                "record", "error", "enum", "fixed", "array", "map")):
            return self.value(t, ns, depth)
        if self.raw:
            logical = None
        if logical == "decimal":
            scale = node.get("scale", 0)
            digits = self.rng.randint(0, node["precision"])
            unscaled = self.rng.randint(-(10 ** digits) + 1, 10 ** digits - 1) if digits else 0
            if t == "fixed":
                limit = 1 << (8 * node["size"] - 1)
                unscaled = max(-limit, min(limit - 1, unscaled))
            return decimal.Decimal(unscaled).scaleb(-scale)
        if logical in ("timestamp-millis", "timestamp-micros"):
            # Before 1970 too, where a fraction of a second rounds down (to the earlier instant).
            micros = self.rng.choice([-1000, -1, self.rng.randint(-60_000_000_000_000_000, 4_000_000_000_000_000)])
            if logical == "timestamp-millis":
                micros -= micros % 1000
            return datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=micros)
        if logical == "date" and t == "int":
            return datetime.date(1970, 1, 1) + datetime.timedelta(days=self.rng.choice([-719_162, 2_932_896, self.rng.randint(-30_000, 30_000)]))
        if logical == "time-millis" and t == "int":
            return datetime.time(self.rng.randint(0, 23), self.rng.randint(0, 59), self.rng.randint(0, 59), self.rng.randint(0, 999) * 1000)
        if logical == "time-micros" and t == "long":
            return datetime.time(self.rng.randint(0, 23), self.rng.randint(0, 59), self.rng.randint(0, 59), self.rng.randint(0, 999_999))
        if logical == "uuid" and t == "string":
            return str(uuid.UUID(int=self.rng.getrandbits(128)))
        if t == "null":
            return None
        if t == "boolean":
            return self.rng.random() < 0.5
        if t == "int":
            return self.rng.choice([0, -1, 1, 63, -64, 64, 2**31 - 1, -(2**31), self.rng.randint(-(2**31), 2**31 - 1)])
        if t == "long":
            return self.rng.choice([0, -1, 2**31, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63), self.rng.randint(-(2**63), 2**63 - 1)])
        if t in ("float", "double"):
            extreme = [3.4028234663852886e38, 1e-45] if t == "float" else [1.7976931348623157e308, 5e-324, 0.1]
            return self.rng.choice([0.0, -0.0, -1.5, 3.25, 1e10, math.inf, -math.inf, math.nan] + extreme)
        if t == "bytes":
            return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(0, 20)))
        if t == "string":
            return self.rng.choice(["", "a", "héllo ✓", "x" * 200, "🎉 日本\u0000\"\\", "\U0010ffff" * 3])
        if t == "fixed":
            return bytes(self.rng.getrandbits(8) for _ in range(node["size"]))
        if t == "enum":
            if not node["symbols"]:
                raise NoValue("an enum without symbols has no value")
            return self.rng.choice(node["symbols"])
        if t == "array":
            try:
                return [self.value(node["items"], ns, depth + 1) for _ in range(self.rng.randint(0, 3 if depth < 4 else 0))]
            except NoValue:
                return []
        if t == "map":
            try:
                keys = ["", "k", "ключ🎉", "__proto__", "constructor"]
                return {keys[i]: self.value(node["values"], ns, depth + 1) for i in range(self.rng.randint(0, 3 if depth < 4 else 0))}
            except NoValue:
                return {}
        if t in ("record", "error"):
            full = self.full(node["name"], (node["namespace"] if isinstance(node.get("namespace"), str) else ns))
            inner = full.rpartition(".")[0]
            out = Record()
            out.full = full
            for i, f in enumerate(node["fields"]):
                out[f["name"]] = self.value(f["type"], inner, depth + 1, branch=(self.branch_seed + i) if isinstance(f["type"], list) else None)
            return out
        raise ValueError(f"no sample for {node!r}")





class Record(dict):
    """A record's value: a dict of its fields, and the record's full name (`full`)."""

    full = ""


def untag(v):
    """A sample without union tags."""
    if isinstance(v, dict):
        if "$branch" in v:
            return untag(v["value"])
        return {k: untag(x) for k, x in v.items()}
    if isinstance(v, list):
        return [untag(x) for x in v]
    return v


def for_python(v):
    """A sample as the generated Python runtime takes it: a named branch as (name, value)."""
    if isinstance(v, dict):
        if "$branch" in v:
            inner = for_python(v["value"])
            return (v["$branch"], inner) if v["$explicit"] else inner
        return {k: for_python(x) for k, x in v.items()}
    if isinstance(v, list):
        return [for_python(x) for x in v]
    return v


class TaggedWriter(avro.io.DatumWriter):
    """avro's writer, with each union value written as the branch its tag names (avro itself
    writes the *last* branch that validates; Java and fastavro the first, or the type's own),
    on a schema made for it by `for_reference` (`renamed`: original full name -> its name)."""

    def __init__(self, schema, renamed):
        super().__init__(schema)
        self.renamed = renamed

    def write(self, datum, encoder):
        self.write_data(self.writers_schema, datum, encoder)

    def write_union(self, writers_schema, datum, encoder):
        # Each branch by the name the tag gives: a named type's original full name, another
        # type's own (a record may be named `array`, and a union hold an array beside it).
        original = {v: k for k, v in self.renamed.items()}
        names = [original[s.fullname] if isinstance(s, avro.schema.NamedSchema) else s.type
                 for s in writers_schema.schemas]
        index = names.index(datum["$branch"])
        encoder.write_long(index)
        self.write_data(writers_schema.schemas[index], datum["value"], encoder)

    def write_record(self, writers_schema, datum, encoder):
        for field in writers_schema.fields:
            self.write_data(field.type, datum.get(field.get_prop("original") or field.name), encoder)



NAMED = ("record", "error", "enum", "fixed")


def for_reference(root):
    """The schema as the PyPI avro package can parse it, with the same binary encoding: every
    named type renamed N0, N1, ... (avro refuses names Java accepts, such as `café`, and reads
    a reference `"string"` as a record of that name where Java reads the primitive), defined
    where first used (Java takes forward references), without defaults, aliases or
    namespaces that are not strings; fields keep their own names as `original`, enum symbols
    are S0, S1, ... Returns (the schema, original full name -> new name, new enum name -> its
    original symbols)."""

    def ns_of(node, ns):
        n = node.get("namespace")
        return n if isinstance(n, str) else ns

    def full(name, ns):
        return name if "." in name or not ns else f"{ns}.{name}"

    defs = {}
    stack = [(root, "")]
    while stack:
        node, ns = stack.pop()
        if isinstance(node, list):
            stack.extend((b, ns) for b in node)
        elif isinstance(node, dict):
            t = node.get("type")
            if t in NAMED:
                f = full(node["name"], ns_of(node, ns))
                defs.setdefault(f, node)
                for field in node.get("fields", []):
                    stack.append((field["type"], f.rpartition(".")[0]))
            elif t == "array":
                stack.append((node["items"], ns))
            elif t == "map":
                stack.append((node["values"], ns))
            elif isinstance(t, (dict, list)) or (isinstance(t, str) and t not in PRIMS):
                stack.append((t, ns))
    renamed = {f: f"N{i}" for i, f in enumerate(defs)}
    emitted = set()
    symbols = {}

    def define(node, f):
        emitted.add(f)
        out = {k: v for k, v in node.items() if k not in ("namespace", "aliases", "default", "doc")}
        out["name"] = renamed[f]
        inner = f.rpartition(".")[0]
        if "fields" in node:
            out["fields"] = [{"name": f"f{i}", "original": fd["name"], "type": conv(fd["type"], inner)}
                             for i, fd in enumerate(node["fields"])]
        if "symbols" in node:
            out["symbols"] = [f"S{i}" for i in range(len(node["symbols"]))]
            symbols[renamed[f]] = node["symbols"]
        return out

    def conv(node, ns):
        if isinstance(node, str):
            if node in PRIMS:
                return node
            f = full(node, ns) if full(node, ns) in defs else node
            return renamed[f] if f in emitted else define(defs[f], f)
        if isinstance(node, list):
            return [conv(b, ns) for b in node]
        t = node["type"]
        if t in NAMED:
            f = full(node["name"], ns_of(node, ns))
            return renamed[f] if f in emitted else define(node, f)
        if t == "array":
            return dict(node, items=conv(node["items"], ns))
        if t == "map":
            return dict(node, values=conv(node["values"], ns))
        if isinstance(t, (dict, list)) or t not in PRIMS:
            return conv(t, ns)
        return node

    return conv(root, ""), renamed, symbols


class Encoder(avro.io.BinaryEncoder):
    """avro's encoder, but a decimal in bytes takes the fewest bytes of its two's complement, as
    Java's `BigInteger.toByteArray` gives them and the generated runtimes write them (avro's
    Python writes -128 in two bytes, ff80; both read back as the same number)."""

    def write_decimal_bytes(self, datum, scale):
        unscaled = int(datum.scaleb(scale))
        size = ((~unscaled if unscaled < 0 else unscaled).bit_length() + 8) // 8
        self.write_bytes(unscaled.to_bytes(size, "big", signed=True))


class Reference:
    """The PyPI avro package on a schema (see `for_reference`): its bytes for a tagged sample,
    and its reading of bytes."""

    def __init__(self, root):
        self.root, self.renamed, self.symbols = for_reference(root)
        self.parsed = avro.schema.parse(json.dumps(self.root))

    def bytes(self, value):
        buf = io.BytesIO()
        writer = TaggedWriter(self.parsed, self.renamed)
        writer.write_enum = lambda schema, datum, encoder: encoder.write_int(  # noqa: E731
            self.symbols[schema.name].index(datum))
        writer.write(value, Encoder(buf))
        return buf.getvalue()

    def read(self, data):
        return avro.io.DatumReader(self.parsed).read(avro.io.BinaryDecoder(io.BytesIO(data)))
