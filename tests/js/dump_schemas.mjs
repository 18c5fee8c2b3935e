// Prints {module: schema JSON} for every module `schemapipe generate javascript` wrote under
// OUT_DIR (argv[2]), read from the modules themselves.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const out = process.argv[2];
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".js") && name !== "schemapipe_runtime.js") files.push(p);
  }
})(out);
const result = {};
for (const f of files.sort()) {
  const m = await import(pathToFileURL(f).href);
  result[relative(out, f)] = m.SCHEMA.text;
}
console.log(JSON.stringify(result));
