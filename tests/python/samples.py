"""Sample values for a schema, for the generated-code checks: every union branch a value
cannot be mistaken for another of, logical types as Python values (or, with `raw`, as their
underlying Avro values), nested and recursive types kept small."""

import datetime
import decimal
import random
import uuid

PRIMS = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
GROUPS = {"int": "number", "long": "number", "float": "number", "double": "number", "string": "text",
          "enum": "text", "bytes": "binary", "fixed": "binary", "map": "dict", "record": "dict", "error": "dict"}


class Gen:
    """Sample values for a schema (the same JSON the generated module embeds)."""

    def __init__(self, root, rng, raw=False):
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
                full = self.full(node["name"], node.get("namespace", ns))
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

    def value(self, node, ns, depth=0, branch=None):
        if isinstance(node, str) and node not in PRIMS:
            node, ns = self.names.get(self.full(node, ns)) or self.names[node]
        if isinstance(node, list):
            if depth > 4 and "null" in node:
                return None
            # Only branches a value cannot be mistaken for another branch of: the avro package
            # writes the *last* branch that accepts a value (an int goes to `double` rather than
            # `long`), schemapipe's runtime the first, and both are valid Avro.
            kinds = [self.kind(b, ns) for b in node]
            groups = [GROUPS.get(k, k) for k in kinds]
            clear = [b for b, g in zip(node, groups) if groups.count(g) == 1]
            choices = clear or ["null"]
            pick = choices[branch % len(choices)] if branch is not None and depth < 2 else self.rng.choice(choices)
            return self.value(pick, ns, depth + 1)
        t = node if isinstance(node, str) else node["type"]
        logical = None if isinstance(node, str) else node.get("logicalType")
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
            micros = self.rng.randint(0, 4_000_000_000_000_000)
            if logical == "timestamp-millis":
                micros -= micros % 1000
            return datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=micros)
        if logical == "date" and t == "int":
            return datetime.date(1970, 1, 1) + datetime.timedelta(days=self.rng.randint(-30_000, 30_000))
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
            return self.rng.choice([0, -1, 2**31, 2**63 - 1, -(2**63), self.rng.randint(-(2**63), 2**63 - 1)])
        if t in ("float", "double"):
            return self.rng.choice([0.0, -1.5, 3.25, 1e10])
        if t == "bytes":
            return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(0, 20)))
        if t == "string":
            return self.rng.choice(["", "a", "héllo ✓", "x" * 200])
        if t == "fixed":
            return bytes(self.rng.getrandbits(8) for _ in range(node["size"]))
        if t == "enum":
            return self.rng.choice(node["symbols"])
        if t == "array":
            return [self.value(node["items"], ns, depth + 1) for _ in range(self.rng.randint(0, 3 if depth < 4 else 0))]
        if t == "map":
            return {f"k{i}": self.value(node["values"], ns, depth + 1) for i in range(self.rng.randint(0, 3 if depth < 4 else 0))}
        if t in ("record", "error"):
            inner = self.full(node["name"], node.get("namespace", ns)).rpartition(".")[0]
            out = {}
            for i, f in enumerate(node["fields"]):
                out[f["name"]] = self.value(f["type"], inner, depth + 1, branch=(self.branch_seed + i) if isinstance(f["type"], list) else None)
            return out
        raise ValueError(f"no sample for {node!r}")


