"""Reads the bytes tests/js/check_adapter.mjs wrote (stdin: {case: hex}) with the PyPI `avro`
package and checks what they hold.
Usage: check_js_adapter.py SINK_SCHEMA CLASH_SCHEMA QUIRKS_SCHEMA < cases.
Prints "ok" or fails with an assertion."""

import datetime
import decimal
import io
import json
import sys
import warnings

import avro.io
import avro.schema

warnings.simplefilter("ignore")
decimal.getcontext().prec = 100
UTC = datetime.timezone.utc
sink = avro.schema.parse(open(sys.argv[1]).read())
clash = avro.schema.parse(open(sys.argv[2]).read())
quirks = avro.schema.parse(open(sys.argv[3]).read())
cases = json.load(sys.stdin)


def read(schema, hexed):
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(hexed))))


e = read(sink, cases["adapter"])
assert e["from"] == "orders-db" and e["class"] is None and e["flag"] is False and e["big"] == -1, e
assert e["blob"] == b"\x00\xff" and e["tags"] == ["a", "b"] and e["amounts"] == {} and e["precise"] == 0.5, e
assert e["amount"] == {"value": decimal.Decimal("-12.345"), "exact": decimal.Decimal("99.99"), "kind": "CREDIT"}, e["amount"]
assert e["payload"] == {"reason": "late", "kind": "CREDIT"}, e["payload"]
assert e["next"]["from"] == "inner" and e["next"]["status"] == "OK" and e["next"]["next"] is None
assert e["day"] == datetime.date(2024, 2, 29), e["day"]
assert e["at"] == datetime.datetime(2024, 2, 29, 12, 30, 15, 123000, tzinfo=UTC), e["at"]
assert e["local_at"] == 1709209815123, e["local_at"]
assert e["clock"] == datetime.time(23, 59, 58, 999000) and e["fine_clock"] == datetime.time(0, 0, 1, 5)
assert e["hash"] == b"abcd" and e["status"] == "FAILED" and e["id"] == "00000000-0000-0000-0000-000000003039"
expected = {
    "int": 5, "big": 2**40, "bigint": 2**60, "double": 2.5, "text": "text", "array": [1, 2], "null": None,
    "amount": {"value": decimal.Decimal("1.500"), "exact": decimal.Decimal("99.99"), "kind": "CREDIT"},
    "named": {"reason": "r", "kind": "DEBIT"},
}
for name, want in expected.items():
    got = read(sink, cases[f"payload_{name}"])["payload"]
    assert got == want and type(got) is type(want), (name, got)
c = read(clash, cases["clash"])
assert c["huge"] == decimal.Decimal("123456789012345678901234567890123456.78"), c["huge"]
assert c["symbols"] == "_x_" and c["schema"] == {"b": b"\x02", "n": []} and c["later"] == [b"\xff\x00"], c
c = read(clash, cases["clash_defaults"])
assert c["schema"] == {"b": b"\x01", "n": []} and c["huge"] == decimal.Decimal("1.00") and c["datetime"] == 1, c
q = read(quirks, cases["quirks"])
assert (q["constructor"], q["__proto__"], q["toString"], q["big"]) == ("c", 1, "t", 9007199254740993), q
assert q["nested"] == {"l": 9223372036854775807, "arr": [9007199254740995]} and q["odd"] == "__proto__", q
assert q["maybe"] is None and q["s1"] == {} and q["s2"] == {}, q
q = read(quirks, cases["quirks_plain"])
assert q["maybe"] == decimal.Decimal("12.50") and q["constructor"] == "c" and q["big"] == 9007199254740993, q
print("ok")
