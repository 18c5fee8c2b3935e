"""Uses the classes and the adapter generated for tests/fixtures/generate the way a producing
team would, and reads what they write with the PyPI `avro` package.

Usage: check_adapter.py OUT_DIR. Prints "ok" or fails with an assertion.
"""

import datetime
import decimal
import io
import json
import sys
import uuid
import warnings

import avro.io
import avro.schema

warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])

from schemapipe_events.com.acme.kitchen.sink import SCHEMA, SUBJECTS, Refund, Sink, SinkAdapter, Status  # noqa: E402
from schemapipe_events.com.acme.shared.amount import Amount, Kind  # noqa: E402
from schemapipe_events.io.confluent import clash  # noqa: E402
from schemapipe_events.schemapipe_runtime import EncodeError  # noqa: E402

UTC = datetime.timezone.utc
clean = json.loads(json.dumps(SCHEMA.root), object_hook=lambda d: {k: v for k, v in d.items() if k != "_full"})
parsed = avro.schema.parse(json.dumps(clean))


def read(payload: bytes):
    return avro.io.DatumReader(parsed).read(avro.io.BinaryDecoder(io.BytesIO(payload)))


def amount(value: str) -> Amount:
    return Amount(value=decimal.Decimal(value), exact=decimal.Decimal("99.99"))


def sink(**overrides) -> Sink:
    fields = dict(
        from_="orders-db", small=7, ratio=0.25, hash=b"abcd", day=datetime.date(2024, 2, 29),
        at=datetime.datetime(2024, 2, 29, 12, 30, 15, 123456, tzinfo=UTC),
        local_at=datetime.datetime(2024, 2, 29, 12, 30, 15, 123000),
        clock=datetime.time(23, 59, 58, 999000), fine_clock=datetime.time(0, 0, 1, 5),
        id=str(uuid.UUID(int=12345)), amount=amount("-12.345"), status=Status.FAILED,
    )
    fields.update(overrides)
    return Sink(**fields)


class OrdersAdapter(SinkAdapter):
    def adapt(self, row):
        return sink(from_=row["origin"], payload=Refund(reason=row["why"], kind=Kind.CREDIT),
                    next=sink(from_="inner", status=Status.OK))


assert SUBJECTS == ["kitchen.sink-value"], SUBJECTS
assert OrdersAdapter.subject == "kitchen.sink-value"
adapter = OrdersAdapter(42)
data = adapter({"origin": "orders-db", "why": "late"})
assert data[:5] == b"\x00\x00\x00\x00\x2a", data[:5]
event = read(data[5:])
assert event["from"] == "orders-db"
assert event["class"] is None and event["flag"] is False and event["big"] == -1 and event["precise"] == 0.5
assert event["blob"] == b"\x00\xff" and event["tags"] == ["a", "b"] and event["amounts"] == {}
assert event["amount"]["value"] == decimal.Decimal("-12.345"), event["amount"]
assert event["amount"]["exact"] == decimal.Decimal("99.99")
assert event["amount"]["kind"] == "CREDIT", "a field default is written when the value is left out"
assert event["payload"] == {"reason": "late", "kind": "CREDIT"}, event["payload"]
assert event["next"]["from"] == "inner" and event["next"]["status"] == "OK" and event["next"]["next"] is None
assert event["day"] == datetime.date(2024, 2, 29)
assert event["at"] == datetime.datetime(2024, 2, 29, 12, 30, 15, 123456, tzinfo=UTC), event["at"]
assert event["clock"] == datetime.time(23, 59, 58, 999000)
assert event["fine_clock"] == datetime.time(0, 0, 1, 5)
assert event["status"] == "FAILED"
assert event["id"] == str(uuid.UUID(int=12345))
expected_local = (datetime.datetime(2024, 2, 29, 12, 30, 15, 123000) - datetime.datetime(1970, 1, 1))
assert event["local_at"] == expected_local // datetime.timedelta(milliseconds=1), event["local_at"]

# Union branches: the first branch that takes the value, a dataclass its own record.
for value, expected in [
    (5, 5), (2**40, 2**40), (2.5, 2.5), ("text", "text"), ([1, 2], [1, 2]), (None, None),
    (amount("1.5"), {"value": decimal.Decimal("1.500"), "exact": decimal.Decimal("99.99"), "kind": "CREDIT"}),
    (("com.acme.kitchen.Refund", {"reason": "r", "kind": "DEBIT"}), {"reason": "r", "kind": "DEBIT"}),
]:
    got = read(SCHEMA.encode(sink(payload=value)))["payload"]
    assert got == expected and type(got) is type(expected), (value, got)

# A generated enum member goes to its own enum, even after a string branch.
status_union = __import__("schemapipe_events.schemapipe_runtime", fromlist=["Schema"]).Schema(
    json.dumps(["null", "string", {"type": "enum", "name": "Status", "namespace": "com.acme.other", "symbols": ["OK", "FAILED"]}]))
assert status_union.encode(Status.FAILED) == b"\x04\x02" and status_union.encode("FAILED") == b"\x02\x0cFAILED"

# Values that do not fit say where and why.
for bad, where in [
    (dict(small=2**31), "$.small"),
    (dict(at=datetime.datetime(2024, 1, 1)), "timezone-aware"),
    (dict(status="MAYBE"), "$.status"),
    (dict(hash=b"abc"), "$.hash"),
    (dict(amount=amount("0.0001")), "decimal places"),
    (dict(amount=amount("1234567890.5")), "digits"),
    (dict(payload={1, 2}), "$.payload"),
]:
    try:
        SCHEMA.encode(sink(**bad))
    except EncodeError as e:
        assert where in str(e), (bad, str(e))
    else:
        raise AssertionError(f"{bad} was encoded")

try:
    SinkAdapter(1).adapt({})
except NotImplementedError as e:
    assert "subclass of SinkAdapter" in str(e)
else:
    raise AssertionError("the stub's adapt must ask to be implemented")
# Names that clash with Python and with the module's own: a namespace `io`, fields named
# `datetime` and `typing`, a record named `Schema`, Enum-reserved symbols, nested bytes defaults,
# a 38-digit decimal (the avro package needs a wider context to read it back exactly).
decimal.getcontext().prec = 100
assert clash.Odd.symbol_x_.value == "_x_" and clash.Odd.mro_.value == "mro" and len(clash.Odd) == 6
huge = decimal.Decimal("123456789012345678901234567890123456.78")
c = clash.Clash(huge=huge, symbols=clash.Odd.symbol_x_, schema=clash.Schema(b=b"\x02"))
c_clean = json.loads(json.dumps(clash.SCHEMA.root), object_hook=lambda d: {k: v for k, v in d.items() if k != "_full"})
c_parsed = avro.schema.parse(json.dumps(c_clean))
got = avro.io.DatumReader(c_parsed).read(avro.io.BinaryDecoder(io.BytesIO(clash.SCHEMA.encode(c))))
assert got["huge"] == huge, got["huge"]
assert (got["datetime"], got["typing"], got["dataclasses"], got["_dataclasses"]) == (1, "t", 2, 3), got
assert got["later"] == [b"\xff\x00"] and got["_AVRO_NAME"] == "x" and got["symbols"] == "_x_", got
assert got["schema"] == {"b": b"\x02", "n": []} and got["typing_module"] == {"x": 0}, got
# Left out of a dict, a record default with nested bytes is written from the schema's JSON.
got = avro.io.DatumReader(c_parsed).read(avro.io.BinaryDecoder(io.BytesIO(clash.SCHEMA.encode({"huge": huge}))))
assert got["schema"] == {"b": b"\x01", "n": []} and got["later"] == [b"\xff\x00"], got
for bad, why in [(decimal.Decimal("NaN"), "finite"), (decimal.Decimal("Infinity"), "finite")]:
    try:
        clash.SCHEMA.encode({"huge": bad})
    except EncodeError as e:
        assert why in str(e), str(e)
    else:
        raise AssertionError(f"{bad} was encoded")
try:
    SCHEMA.encode(sink(ratio=1e39))
except EncodeError as e:
    assert "$.ratio" in str(e), str(e)
else:
    raise AssertionError("1e39 was encoded as a float")
print("ok")
