// Drives headless Chromium over the DevTools protocol (Node's built-in WebSocket; no
// dependency): opens each page, waits for it to load, evaluates an expression in it, keeps a
// screenshot, and reports console errors, uncaught exceptions and every request that was not
// for a file:// URL. Usage: node drive.mjs PLAN.json  (prints the results as JSON on stdout).
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const args = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
  `--user-data-dir=${plan.userDataDir}`, "--remote-debugging-port=0", "about:blank",
];
const child = spawn(plan.chromium, args, { env: { ...process.env, ...plan.env }, stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => { stderr += d; if (stderr.length > 200000) stderr = stderr.slice(-100000); });
const fail = (msg) => { process.stderr.write(msg + "\n--- chromium stderr ---\n" + stderr.slice(-4000) + "\n"); try { child.kill("SIGKILL"); } catch {} process.exit(2); };
const deadline = Date.now() + (plan.timeoutMs || 60000);
setTimeout(() => fail("timed out"), plan.timeoutMs || 60000).unref();

const portFile = join(plan.userDataDir, "DevToolsActivePort");
while (!existsSync(portFile) || readFileSync(portFile, "utf8").split("\n").length < 2) {
  if (child.exitCode !== null) fail(`chromium exited with ${child.exitCode}`);
  if (Date.now() > deadline) fail("chromium did not open its DevTools port");
  await sleep(50);
}
const [port, path] = readFileSync(portFile, "utf8").split("\n");
const ws = new WebSocket(`ws://127.0.0.1:${port.trim()}${path.trim()}`);
await new Promise((res, rej) => { ws.onopen = res; ws.onerror = () => rej(new Error("websocket")); }).catch(() => fail("cannot connect to DevTools"));
let next = 0;
const pending = new Map();
const listeners = [];
ws.onmessage = (ev) => {
  const m = JSON.parse(ev.data);
  if (m.id !== undefined && pending.has(m.id)) {
    const { res, rej } = pending.get(m.id);
    pending.delete(m.id);
    m.error ? rej(new Error(JSON.stringify(m.error))) : res(m.result);
  } else {
    for (const l of listeners) l(m);
  }
};
const send = (method, params = {}, sessionId) => new Promise((res, rej) => {
  const id = ++next;
  pending.set(id, { res, rej });
  ws.send(JSON.stringify({ id, method, params, sessionId }));
});

const results = [];
for (const page of plan.pages) {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const r = { url: page.url, consoleErrors: [], exceptions: [], requests: [], value: null };
  let loaded = false;
  listeners.length = 0;
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    if (m.method === "Runtime.consoleAPICalled" && (m.params.type === "error" || m.params.type === "assert")) {
      r.consoleErrors.push(m.params.args.map((a) => a.value ?? a.description ?? "").join(" "));
    } else if (m.method === "Runtime.exceptionThrown") {
      r.exceptions.push(m.params.exceptionDetails.exception?.description || m.params.exceptionDetails.text);
    } else if (m.method === "Log.entryAdded" && m.params.entry.level === "error") {
      r.consoleErrors.push(`${m.params.entry.source}: ${m.params.entry.text} ${m.params.entry.url || ""}`);
    } else if (m.method === "Network.requestWillBeSent") {
      const u = m.params.request.url;
      if (!u.startsWith("file://") && !u.startsWith("data:") && u !== "about:blank") r.requests.push(u);
    } else if (m.method === "Page.loadEventFired") {
      loaded = true;
    }
  });
  await send("Page.enable", {}, sessionId);
  await send("Runtime.enable", {}, sessionId);
  await send("Log.enable", {}, sessionId);
  await send("Network.enable", {}, sessionId);
  await send("Emulation.setDeviceMetricsOverride", { width: page.width || 1280, height: page.height || 900, deviceScaleFactor: 1, mobile: !!page.mobile }, sessionId);
  const started = Date.now();
  await send("Page.navigate", { url: page.url }, sessionId);
  while (!loaded) {
    if (Date.now() > deadline) fail(`page did not load: ${page.url}`);
    await sleep(20);
  }
  r.loadMs = Date.now() - started;
  if (page.actions) {
    const ev = await send("Runtime.evaluate", { expression: page.actions, awaitPromise: true, returnByValue: true }, sessionId);
    if (ev.exceptionDetails) r.exceptions.push("actions: " + (ev.exceptionDetails.exception?.description || ev.exceptionDetails.text));
  }
  const ev = await send("Runtime.evaluate", { expression: page.evaluate || "null", awaitPromise: true, returnByValue: true }, sessionId);
  if (ev.exceptionDetails) r.exceptions.push("evaluate: " + (ev.exceptionDetails.exception?.description || ev.exceptionDetails.text));
  r.value = ev.result?.value ?? null;
  if (page.screenshot) {
    const shot = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: false }, sessionId);
    writeFileSync(page.screenshot, Buffer.from(shot.data, "base64"));
  }
  await send("Target.closeTarget", { targetId });
  results.push(r);
}
try { await send("Browser.close"); } catch {}
ws.close();
setTimeout(() => { try { child.kill("SIGKILL"); } catch {} }, 2000).unref();
process.stdout.write(JSON.stringify(results) + "\n");
process.exit(0);
