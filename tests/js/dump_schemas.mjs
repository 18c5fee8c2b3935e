// Prints {module: schema JSON} for every module generated under OUT_DIR... (argv[2..]), read
// from the modules themselves: `.js` files other than the runtime, relative to OUT_DIR when
// there is one directory, absolute paths when there are several.
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dirs = process.argv.slice(2);
const result = {};
for (const out of dirs) {
  const files = [];
  (function walk(dir) {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".js") && name !== "schemapipe_runtime.js") files.push(p);
    }
  })(out);
  for (const f of files.sort()) {
    const m = await import(pathToFileURL(f).href);
    result[dirs.length === 1 ? relative(out, f) : resolve(f)] = m.SCHEMA.text;
  }
}
console.log(JSON.stringify(result));
