#!/usr/bin/env python3
"""Builds hostile-but-legal schema repositories: shapes where an analysis that is quadratic in
its input shows at once. Each shape is a git repository with a `schemapipe.yaml` (level
BACKWARD_TRANSITIVE), one commit on `main` holding version 1, and version 2 in the working tree
(a compatible change), plus `old.avsc`/`new.avsc` copies of the file that changed, for `compat`.

    scripts/gen-hostile.py SHAPE N OUT_DIR [COMMITS]

With COMMITS (default 0), that many more commits follow version 1 on `main`, each adding a
field with a default to one file (spread over the shape), so `check` walks a history.

Shapes (N is the size):
  union    one record whose field is a union of N inline records; v2 adds a field to the last
  enum     an enum of N symbols; v2 adds one symbol at the end
  fields   one record with N fields; v2 adds one more (with a default)
  chain    N files, file i refers to file i+1 by name; v2 adds a field to the last
  ring     N files, file i refers to file i+1 mod N (an optional field: legal); v2 changes one
  fanin    one shared type used by N files; v2 adds a field to the shared type
  star     one hub file with N fields, each of a record from its own file; v2 adds a field to the
           last of them
  unionref one record whose field is a union of N records, each in its own file; v2 adds a
           field to the last
  deep     records nested N deep inline in one file; v2 adds a field to the innermost (past
           `limits.max_nesting_depth` the file is refused, which must be quick too)

Nothing is installed; only the Python standard library and git are used.
"""
import json
import os
import shutil
import subprocess
import sys

NS = "com.hostile"


def rec(name, fields, ns=NS):
    return {"type": "record", "name": name, "namespace": ns, "doc": f"The {name} record.", "fields": fields}


def field(name, ty, default=None, has_default=False):
    f = {"name": name, "type": ty, "doc": f"The {name} field."}
    if has_default:
        f["default"] = default
    return f


def opt(name, ty):
    return field(name, ["null", ty], None, True)


def write(root, rel, schema):
    path = os.path.join(root, "schemas", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if isinstance(schema, Raw):
            f.write(schema)
        else:
            json.dump(schema, f, indent=1)
        f.write("\n")
    return path


def union_shape(n, v2):
    branches = []
    for i in range(n):
        fields = [field("id", "long", 0, True)]
        if v2 and i == n - 1:
            fields.append(field("extra", "string", "", True))
        branches.append(rec(f"Branch{i}", fields))
    return {"Holder.avsc": rec("Holder", [field("value", branches)])}


def enum_shape(n, v2):
    symbols = [f"S{i}" for i in range(n)] + (["EXTRA"] if v2 else [])
    e = {"type": "enum", "name": "Big", "namespace": NS, "doc": "Many symbols.", "symbols": symbols, "default": "S0"}
    return {"Big.avsc": e}


def fields_shape(n, v2):
    fields = [field(f"f{i}", "int", 0, True) for i in range(n)]
    if v2:
        fields.append(field("extra", "string", "", True))
    return {"Wide.avsc": rec("Wide", fields)}


def chain_shape(n, v2):
    out = {}
    for i in range(n):
        fields = [field("id", "long", 0, True)]
        if i + 1 < n:
            fields.append(opt("next", f"{NS}.Link{i + 1}"))
        elif v2:
            fields.append(field("extra", "string", "", True))
        out[f"Link{i}.avsc"] = rec(f"Link{i}", fields)
    return out


def ring_shape(n, v2):
    out = {}
    for i in range(n):
        fields = [field("id", "long", 0, True), opt("next", f"{NS}.Node{(i + 1) % n}")]
        if v2 and i == 0:
            fields.append(field("extra", "string", "", True))
        out[f"Node{i}.avsc"] = rec(f"Node{i}", fields)
    return out


def fanin_shape(n, v2):
    shared = [field("id", "long", 0, True)]
    if v2:
        shared.append(field("extra", "string", "", True))
    out = {"Shared.avsc": rec("Shared", shared)}
    for i in range(n):
        out[f"User{i}.avsc"] = rec(f"User{i}", [field("shared", f"{NS}.Shared")])
    return out


def star_shape(n, v2):
    out = {}
    for i in range(n):
        fields = [field("id", "long", 0, True)]
        if v2 and i == n - 1:
            fields.append(field("extra", "string", "", True))
        out[f"Leaf{i}.avsc"] = rec(f"Leaf{i}", fields)
    out["Hub.avsc"] = rec("Hub", [field(f"leaf{i}", f"{NS}.Leaf{i}") for i in range(n)])
    return out


def unionref_shape(n, v2):
    out = {}
    for i in range(n):
        fields = [field("id", "long", 0, True)]
        if v2 and i == n - 1:
            fields.append(field("extra", "string", "", True))
        out[f"Branch{i}.avsc"] = rec(f"Branch{i}", fields)
    out["Holder.avsc"] = rec("Holder", [field("value", [f"{NS}.Branch{i}" for i in range(n)])])
    return out


class Raw(str):
    """JSON text written as is (too deep for the json module's recursion)."""


def deep_shape(n, v2):
    inner = '{"name": "id", "type": "long", "default": 0}'
    if v2:
        inner += ', {"name": "extra", "type": "string", "default": ""}'
    head = ['{"type": "record", "name": "Level0", "namespace": "%s", "fields": [{"name": "child", "type": ' % NS]
    head += ['{"type": "record", "name": "Level%d", "fields": [{"name": "child", "type": ' % i for i in range(1, n)]
    innermost = '{"type": "record", "name": "Level%d", "fields": [%s]}' % (n, inner)
    return {"Deep.avsc": Raw("".join(head) + innermost + "}]}" * n)}


SHAPES = {
    "union": union_shape,
    "enum": enum_shape,
    "fields": fields_shape,
    "chain": chain_shape,
    "ring": ring_shape,
    "fanin": fanin_shape,
    "star": star_shape,
    "unionref": unionref_shape,
    "deep": deep_shape,
}


def with_history(schema, extra):
    """A record with `extra` more fields (with defaults), one per commit of the history."""
    if extra == 0 or not isinstance(schema, dict) or schema.get("type") != "record":
        return schema
    fields = schema["fields"] + [field(f"h{k}", "int", 0, True) for k in range(extra)]
    return dict(schema, fields=fields)


def add_history(root, v1, commits):
    """Commits `commits` compatible changes after version 1, each to one record file; returns
    how many fields each file gained."""
    records = [rel for rel, s in v1.items() if isinstance(s, dict) and s.get("type") == "record"]
    gained = {}
    for c in range(commits):
        rel = records[(c * 7919) % len(records)]
        gained[rel] = gained.get(rel, 0) + 1
        write(root, rel, with_history(v1[rel], gained[rel]))
        git(root, "commit", "-q", "-am", f"history {c + 1}")
    return gained


def git(root, *args):
    subprocess.run(["git", "-C", root, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in SHAPES:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(SHAPES)}}} N OUT_DIR [COMMITS]")
    shape, n, root = SHAPES[sys.argv[1]], int(sys.argv[2]), sys.argv[3]
    commits = int(sys.argv[4]) if len(sys.argv) == 5 else 0
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "schemapipe.yaml"), "w") as f:
        f.write("version: 1\nschemas:\n  root: schemas\ncompatibility:\n  level: BACKWARD_TRANSITIVE\ngit:\n  base_branch: main\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "bench@example.com")
    git(root, "config", "user.name", "bench")
    v1 = shape(n, False)
    for rel, s in v1.items():
        write(root, rel, s)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    history = add_history(root, v1, commits)
    v2 = shape(n, True)
    changed = [rel for rel in v2 if v1.get(rel) != v2[rel]]
    for rel in changed:
        write(root, rel, with_history(v2[rel], history.get(rel, 0)))
    first = changed[0]
    for name, version in (("old.avsc", v1), ("new.avsc", v2)):
        with open(os.path.join(root, name), "w") as f:
            s = version[first]
            f.write(s if isinstance(s, Raw) else json.dumps(s))
    print(f"{root}: {len(v2)} files, {len(changed)} changed in the working tree ({first})")


if __name__ == "__main__":
    main()
