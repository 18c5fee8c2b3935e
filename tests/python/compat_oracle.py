#!/usr/bin/env python3
"""Reference oracle: Avro reader/writer compatibility via the PyPI `avro` package.

stdin:  JSON array of {"id": ..., "reader": <schema>, "writer": <schema>}
stdout: JSON array of {"id": ..., "compatible": bool|null,
                       "incompatibilities": [kebab-case types], "error": null|"message"}

`avro.compatibility` is a port of Java's SchemaCompatibility, but it is NOT
identical (reader aliases are not namespace-qualified, multiple field-alias
matches do not raise). Treat its output as a cross-check, not as ground truth.
Run by the pinned avro in target/oracles/venv (tests/support/oracles.rs; by hand:
`python3 scripts/provision-oracles.py`, then target/oracles/venv/bin/python this file).
"""
import json
import sys


def _load_checker():
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
    from avro.schema import parse
    return ReaderWriterCompatibilityChecker, SchemaCompatibilityType, parse


def check_one(item, checker_cls, compat_type, parse):
    out = {"id": item.get("id") if isinstance(item, dict) else None,
           "compatible": None, "incompatibilities": [], "error": None}
    try:
        reader = parse(json.dumps(item["reader"]))
        writer = parse(json.dumps(item["writer"]))
    except Exception as e:  # parse errors are reported, never fatal
        out["error"] = f"parse: {type(e).__name__}: {e}"
        return out
    try:
        result = checker_cls().get_compatibility(reader, writer)
        out["compatible"] = result.compatibility is compat_type.compatible
        out["incompatibilities"] = sorted({i.name.replace("_", "-") for i in result.incompatibilities})
    except Exception as e:
        out["error"] = f"check: {type(e).__name__}: {e}"
    return out


def main():
    try:
        checker_cls, compat_type, parse = _load_checker()
    except Exception as e:
        json.dump([{"id": None, "compatible": None, "incompatibilities": [],
                    "error": f"cannot import avro: {e}"}], sys.stdout)
        sys.stdout.write("\n")
        return 0
    try:
        items = json.load(sys.stdin)
        if not isinstance(items, list):
            raise ValueError("input must be a JSON array")
    except Exception as e:
        json.dump([{"id": None, "compatible": None, "incompatibilities": [],
                    "error": f"input: {e}"}], sys.stdout)
        sys.stdout.write("\n")
        return 0
    results = []
    for item in items:
        try:
            results.append(check_one(item, checker_cls, compat_type, parse))
        except Exception as e:
            results.append({"id": item.get("id") if isinstance(item, dict) else None,
                            "compatible": None, "incompatibilities": [], "error": f"{type(e).__name__}: {e}"})
    json.dump(results, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
