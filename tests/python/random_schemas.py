"""Random valid Avro schemas for the generate property test: `random_schemas.py SEED COUNT DIR`
writes DIR/s<i>.avsc, each a schema on its own (named types in a namespace of its own, so the
files form one valid set). Names come from pools of words that are reserved in some target
language, names that differ only in case, and names too long for a file; every type and
logical type appears, unions of every kind of branch, recursion, defaults, errors, docs that could end a comment or a
string in some target. (Not primitive type
names as type names: the PyPI avro package resolves `"string"` to a record of that name in the
namespace, where Java and schemapipe read the primitive.)
"""

import json
import pathlib
import random
import sys

TYPE_NAMES = ["Order", "order", "ORDER", "class", "Object", "String", "Record", "Date", "Map", "Schema",
              "SCHEMA", "Value", "str", "Float", "Array", "None", "Promise", "self", "__init__", "Adapter",
              "X" * 130, "OrderAdapter", "never", "Symbol", "default"]
FIELD_NAMES = ["from", "class", "None", "default", "constructor", "__proto__", "type", "value", "branch",
               "string", "int", "Array", "self", "await", "enum", "x", "X", "SCHEMA", "_x", "prototype",
               "hasOwnProperty", "toString", "months", "from_", "None_"]
SYMBOLS = ["None", "class", "_x", "mro", "RED", "red", "A", "constructor", "__proto__", "value", "mro_", "symbol_x"]
DOCS = ['"""', "*/ end", "a\nb\r\nc", "back\\slash", "\u2028sep\u2029", "${x} `y`", "\"quoted\"", "é ✓", ""]
PRIMS = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]


class Gen:
    def __init__(self, rng, namespace):
        self.rng = rng
        self.ns = namespace
        self.defined = []  # full names of named types, for references
        self.used = set()

    def name(self):
        for _ in range(100):
            n = self.rng.choice(TYPE_NAMES)
            if n not in self.used:
                self.used.add(n)
                return n
        n = f"T{len(self.used)}"
        self.used.add(n)
        return n

    def logical(self):
        r = self.rng
        kind = r.choice(["decimal-bytes", "decimal-fixed", "uuid", "date", "time-millis", "time-micros",
                         "timestamp-millis", "timestamp-micros", "timestamp-nanos", "local-timestamp-millis",
                         "local-timestamp-micros", "local-timestamp-nanos", "duration", "uuid-fixed"])
        if kind == "decimal-bytes":
            p = r.randint(1, 30)
            return {"type": "bytes", "logicalType": "decimal", "precision": p, "scale": r.randint(0, p)}
        if kind == "decimal-fixed":
            size = r.randint(1, 12)
            p = r.randint(1, len(str(2 ** (8 * size - 1) - 1)) - 1)
            return {"type": "fixed", "name": self.name(), "size": size, "logicalType": "decimal", "precision": p,
                    "scale": r.randint(0, p)}
        if kind == "duration":
            return {"type": "fixed", "name": self.name(), "size": 12, "logicalType": "duration"}
        if kind == "uuid-fixed":
            return {"type": "fixed", "name": self.name(), "size": 16, "logicalType": "uuid"}
        base = {"uuid": "string", "date": "int", "time-millis": "int"}.get(kind, "long")
        return {"type": base, "logicalType": kind}

    def named_full(self, node):
        return f"{self.ns}.{node['name']}"

    def type(self, depth, in_union=False):
        r = self.rng
        choices = ["prim"] * 4 + ["logical"] * 2 + ["enum", "fixed"]
        if depth < 3:
            choices += ["array", "map", "record"] + ([] if in_union else ["union"] * 2)
        if self.defined:
            choices.append("ref")
        c = r.choice(choices)
        if c == "prim":
            return r.choice(PRIMS)
        if c == "logical":
            t = self.logical()
            if "name" in t:
                self.defined.append(self.named_full(t))
            return t
        if c == "enum":
            symbols = r.sample(SYMBOLS, r.randint(1, 4))
            t = {"type": "enum", "name": self.name(), "symbols": symbols, "doc": r.choice(DOCS)}
            self.defined.append(self.named_full(t))
            return t
        if c == "fixed":
            t = {"type": "fixed", "name": self.name(), "size": r.randint(0, 8)}
            self.defined.append(self.named_full(t))
            return t
        if c == "array":
            return {"type": "array", "items": self.type(depth + 1)}
        if c == "map":
            return {"type": "map", "values": self.type(depth + 1)}
        if c == "record":
            return self.record(depth + 1)
        if c == "ref":
            return r.choice(self.defined)
        return self.union(depth + 1)

    def union(self, depth):
        r = self.rng
        branches, keys = [], set()
        for _ in range(r.randint(0, 5)):
            defined = len(self.defined)
            t = self.type(depth, in_union=True)
            key = t if isinstance(t, str) else (
                self.named_full(t) if "name" in t else t["type"])
            if key in keys:
                del self.defined[defined:]  # a branch left out defines nothing
                continue
            keys.add(key)
            branches.append(t)
        if r.random() < 0.5 and "null" not in keys:
            branches.insert(0, "null")
        return branches

    def record(self, depth):
        r = self.rng
        rec = {"type": "error" if r.random() < 0.1 else "record", "name": self.name(), "fields": []}
        if r.random() < 0.5:
            rec["doc"] = r.choice(DOCS)
        full = self.named_full(rec)
        names = r.sample(FIELD_NAMES, r.randint(0, 5))
        for n in names:
            if r.random() < 0.15:
                t = ["null", full]
                rec["fields"].append({"name": n, "type": t, "default": None})
                continue
            t = self.type(depth)
            field = {"name": n, "type": t}
            if r.random() < 0.3:
                field["doc"] = r.choice(DOCS)
            default = self.default(t)
            if default is not None and r.random() < 0.4:
                field["default"] = default[0]
            rec["fields"].append(field)
        # Referred to by later types only once complete: a required field of its own type
        # would leave no finite value (recursion goes through `["null", <itself>]` above).
        self.defined.append(full)
        return rec

    def default(self, t):
        """A valid default for simple types, as a 1-tuple (None when none is made)."""
        if isinstance(t, list):
            return (None,) if t and t[0] == "null" else None
        kind = t if isinstance(t, str) else t.get("type")
        if isinstance(t, dict) and "logicalType" in t:
            return None
        return {"boolean": (True,), "int": (-7,), "long": (9007199254740993,), "float": (1.5,),
                "double": (-0.25,), "string": ("x\u00e9",), "bytes": ("\u0000\u00ff",)}.get(kind)

    def top(self):
        r = self.rng
        kind = r.choice(["record"] * 5 + ["array", "map", "union", "prim", "enum", "fixed", "union-of-records"])
        if kind == "record":
            return self.record(0)
        if kind == "union-of-records":
            return [self.record(1) for _ in range(r.randint(1, 3))]
        if kind == "union":
            return self.union(1)
        if kind == "prim":
            return r.choice(PRIMS)
        if kind == "array":
            return {"type": "array", "items": self.type(1)}
        if kind == "map":
            return {"type": "map", "values": self.type(1)}
        return self.type(3)


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rng = random.Random(seed * 100003 + i)
        g = Gen(rng, f"r{seed}.s{i}")
        schema = g.top()
        # The namespace goes on named top levels; other top levels carry it on their named types.
        text = json.dumps(schema)
        if isinstance(schema, dict) and "name" in schema:
            schema = dict(schema, namespace=g.ns)
            text = json.dumps(schema)
        else:
            text = json.dumps(qualify(schema, g.ns))
        (out / f"s{i}.avsc").write_text(text)


def qualify(node, ns):
    """Named types of a top level that is not named get the namespace explicitly."""
    if isinstance(node, list):
        return [qualify(b, ns) for b in node]
    if isinstance(node, dict):
        node = {k: qualify(v, ns) for k, v in node.items()}
        if node.get("type") in ("record", "error", "enum", "fixed") and "namespace" not in node:
            node["namespace"] = ns
        return node
    return node


if __name__ == "__main__":
    main()
