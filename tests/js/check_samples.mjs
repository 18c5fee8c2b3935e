// Encodes the samples of tests/python/js_samples.py (stdin) with the generated modules under
// OUT_DIR (argv[2]) and compares the bytes with the avro package's. Prints
// {"values": N, "failures": [...]}.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const out = process.argv[2];
const samples = JSON.parse(readFileSync(0, "utf8"));
const untag = (v) => {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === "object") {
    if ("$bytes" in v) return Uint8Array.from(v.$bytes.match(/../g) ?? [], (h) => parseInt(h, 16));
    if ("$bigint" in v) return BigInt(v.$bigint);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, untag(x)]));
  }
  return v;
};
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const modules = {};
const failures = [];
for (const [i, s] of samples.entries()) {
  modules[s.module] ??= await import(pathToFileURL(join(out, s.module)).href);
  try {
    const ours = hex(modules[s.module].SCHEMA.encode(untag(s.value)));
    if (ours !== s.hex) failures.push(`${s.module} sample ${i}: bytes differ\n ours   ${ours}\n theirs ${s.hex}`);
  } catch (e) {
    failures.push(`${s.module} sample ${i}: ${e}`);
  }
}
console.log(JSON.stringify({ values: samples.length, modules: Object.keys(modules).length, failures }));
