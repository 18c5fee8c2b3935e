// Encodes the samples of tests/python/js_samples.py (stdin) with the generated modules under
// OUT_DIR (argv[2]; module paths may also be absolute) and compares the bytes with the avro
// package's. MODE (argv[3]) is `js` (the default: union values as they are; the runtime picks
// the branch) or `ts` (the TypeScript runtime's unions: `T | null`, or `{ branch, value }`).
// Prints {"values": N, "modules": N, "failures": [...]}.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";

const out = process.argv[2];
const mode = process.argv[3] ?? "js";
const samples = JSON.parse(readFileSync(0, "utf8"));
// The runtime beside a module (for `branch`), found by going up from its directory.
const runtimes = {};
async function runtimeOf(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const r = join(dir, "schemapipe_runtime.js");
    if (existsSync(r)) return (runtimes[r] ??= await import(pathToFileURL(r).href));
    if (dirname(dir) === dir) throw new Error(`no runtime above ${file}`);
  }
}
let runtime;
// The classes the module under test exports, and whether this sample uses them.
let classes = [];
let instances = false;
const untag = (v) => {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === "object") {
    if ("$bytes" in v) return Uint8Array.from(v.$bytes.match(/../g) ?? [], (h) => parseInt(h, 16));
    if ("$bigint" in v) return BigInt(v.$bigint);
    if ("$date" in v) return new Date(v.$date);
    if ("$number" in v) return { nan: NaN, inf: Infinity, "-inf": -Infinity }[v.$number];
    if ("$branch" in v) {
      const value = untag(v.value);
      if (mode === "ts") return v.$optional ? value : { branch: v.$branch, value };
      return v.$explicit ? runtime.branch(v.$branch, value) : value;
    }
    const fields = Object.fromEntries(Object.entries(v).filter(([k]) => k !== "$record").map(([k, x]) => [k, untag(x)]));
    // Every other sample gives its records as instances of the generated classes (JavaScript).
    const cls = "$record" in v && instances ? classes.find((c) => c.AVRO_NAME === v.$record) : undefined;
    return cls ? new cls(fields) : fields;
  }
  return v;
};
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const modules = {};
const failures = [];
for (const [i, s] of samples.entries()) {
  const file = isAbsolute(s.module) ? s.module : join(out, s.module);
  if (s.error !== undefined) {
    failures.push(`${s.module}: ${s.error}`);
    continue;
  }
  try {
    modules[s.module] ??= await import(pathToFileURL(file).href);
    runtime = await runtimeOf(file);
    classes = Object.values(modules[s.module]).filter((c) => typeof c === "function" && typeof c.AVRO_NAME === "string");
    instances = i % 2 === 1;
    if (s.hex === null) {
      // A schema without values: anything is refused.
      let refused = false;
      try {
        modules[s.module].SCHEMA.encode(null);
      } catch (e) {
        refused = e.name === "EncodeError";
      }
      if (!refused) failures.push(`${s.module}: a schema without values encoded null`);
      continue;
    }
    const ours = hex(modules[s.module].SCHEMA.encode(untag(s.value)));
    if (ours !== s.hex) failures.push(`${s.module} sample ${i}: bytes differ\n ours   ${ours}\n theirs ${s.hex}`);
  } catch (e) {
    failures.push(`${s.module} sample ${i}: ${e}`);
  }
}
console.log(JSON.stringify({ values: samples.length, modules: Object.keys(modules).length, failures }));
