// Uses the classes and the adapter generated for tests/fixtures/generate as a producing team
// would, checks the errors, and prints the bytes it wrote ({case: hex}) for
// tests/python/check_js_adapter.py to read with the PyPI `avro` package.
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const out = process.argv[2];
const load = (p) => import(pathToFileURL(join(out, "schemapipe_events", p)).href);
const { Sink, SinkAdapter, Refund, Status, SCHEMA, SUBJECTS } = await load("com/acme/kitchen/Sink.js");
const { Amount, Kind } = await load("com/acme/shared/Amount.js");
const clash = await load("io/confluent/Clash.js");
const { EncodeError, branch } = await load("schemapipe_runtime.js");
const quirks = await load("com/acme/quirks/Quirks.js");

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const amount = (value) => new Amount({ value, exact: 99.99 });
const sink = (over = {}) =>
  new Sink({
    from: "orders-db", small: 7, ratio: 0.25, hash: Uint8Array.of(97, 98, 99, 100),
    day: new Date(Date.UTC(2024, 1, 29)), at: new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 123)),
    local_at: new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 123)), clock: 86398999, fine_clock: 1000005n,
    id: "00000000-0000-0000-0000-000000003039", amount: amount("-12.345"), status: Status.FAILED, ...over,
  });

class OrdersAdapter extends SinkAdapter {
  adapt(row) {
    return sink({ from: row.origin, payload: new Refund({ reason: row.why, kind: Kind.CREDIT }), next: sink({ from: "inner", status: Status.OK }) });
  }
}

assert.deepEqual([...SUBJECTS], ["kitchen.sink-value"]);
assert.equal(OrdersAdapter.subject, "kitchen.sink-value");
const cases = {};
const data = new OrdersAdapter(42).toBytes({ origin: "orders-db", why: "late" });
assert.deepEqual([...data.slice(0, 5)], [0, 0, 0, 0, 42]);
cases.adapter = hex(data.slice(5));
for (const [name, value] of Object.entries({
  int: 5, big: 2 ** 40, bigint: 2n ** 60n, double: 2.5, text: "text", array: [1, 2], null: null,
  amount: amount("1.5"), named: branch("com.acme.kitchen.Refund", { reason: "r", kind: "DEBIT" }),
})) {
  cases[`payload_${name}`] = hex(SCHEMA.encode(sink({ payload: value })));
}
cases.clash = hex(clash.SCHEMA.encode(new clash.Clash({ huge: "123456789012345678901234567890123456.78", symbols: clash.Odd._x_, schema: new clash.Schema({ b: Uint8Array.of(2) }) })));
cases.clash_defaults = hex(clash.SCHEMA.encode({ huge: 1n }));

// Fields named like what every JavaScript object has, longs past 2^53 in defaults.
const q = new quirks.Quirks({});
assert.ok(q instanceof quirks.Quirks);
assert.equal(q.constructor, "c");
assert.deepEqual(Object.keys(quirks.OddSymbols), ["__proto__", "constructor", "A"]);
cases.quirks = hex(quirks.SCHEMA.encode(q));
cases.quirks_plain = hex(quirks.SCHEMA.encode({ maybe: 12.5 }));

for (const [over, why] of [
  [{ small: 2 ** 31 }, "$.small"], [{ status: "MAYBE" }, "$.status"], [{ hash: Uint8Array.of(1, 2, 3) }, "$.hash"],
  [{ amount: amount("0.0001") }, "decimal places"], [{ amount: amount("1234567890.5") }, "digits"],
  [{ payload: Symbol("x") }, "$.payload"], [{ day: new Date(Date.UTC(2024, 1, 29, 1)) }, "midnight"],
  [{ ratio: "1" }, "$.ratio"], [{ small: 1.5 }, "$.small"],
]) {
  assert.throws(() => SCHEMA.encode(sink(over)), (e) => e instanceof EncodeError && e.message.includes(why), why);
}
assert.throws(() => new SinkAdapter(1).adapt({}), /subclass of SinkAdapter/);
console.log(JSON.stringify(cases));
