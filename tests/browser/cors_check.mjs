// CORS in a real browser: headless Chromium, driven over the DevTools
// protocol (Node's own WebSocket, no packages), loads a page from one
// loopback origin and calls agenthost on another with fetch() and a header
// that forces a preflight.
//
//   node --experimental-websocket cors_check.mjs CHROMIUM HOST_URL ALLOWED_PORT REFUSED_PORT
//
// Prints one JSON line: {"allowed": {...}, "refused": {...}}; each is what
// the page's fetch saw ({"ok", "status", "requestId"} or {"error"}).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chromiumPath, hostUrl, allowedPort, refusedPort] = process.argv.slice(2);

// The page calls the host with a JSON body and an X-Request-ID header (both
// need a preflight) and reports what it could read.
const page = `<!doctype html><script>
async function call() {
  try {
    const response = await fetch(${JSON.stringify(hostUrl)} + "/runs", {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Request-ID": "browser-check-1"},
      body: JSON.stringify({agent_name: "echo", task: "from a browser"}),
    });
    return {ok: response.ok, status: response.status, requestId: response.headers.get("X-Request-ID")};
  } catch (error) {
    return {error: String(error)};
  }
}
</script>`;

function serve(port) {
  const server = createServer((request, response) => {
    response.writeHead(200, {"Content-Type": "text/html"});
    response.end(page);
  });
  return new Promise((resolve) => server.listen(Number(port), "127.0.0.1", () => resolve(server)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function devtoolsUrl(profile) {
  const file = join(profile, "DevToolsActivePort");
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const [port] = readFileSync(file, "utf8").split("\n");
      if (port) {
        const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
        const pageTarget = targets.find((target) => target.type === "page");
        if (pageTarget) return pageTarget.webSocketDebuggerUrl;
      }
    }
    await sleep(50);
  }
  throw new Error("Chromium did not start");
}

function connect(url) {
  const socket = new WebSocket(url);
  let next = 0;
  const pending = new Map();
  const events = [];
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.id && pending.has(data.id)) {
      pending.get(data.id)(data);
      pending.delete(data.id);
    } else if (data.method) {
      events.push(data);
    }
  };
  const opened = new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      socket.send(JSON.stringify({id, method, params}));
    });
  return {opened, send, events, close: () => socket.close()};
}

async function visit(cdp, origin) {
  cdp.events.length = 0;
  await cdp.send("Page.navigate", {url: origin + "/"});
  for (let i = 0; i < 200 && !cdp.events.some((e) => e.method === "Page.loadEventFired"); i++) await sleep(25);
  const result = await cdp.send("Runtime.evaluate", {expression: "call()", awaitPromise: true, returnByValue: true});
  return result.result?.result?.value ?? {error: JSON.stringify(result)};
}

const profile = mkdtempSync(join(tmpdir(), "agenthost-chromium-"));
const servers = [await serve(allowedPort), await serve(refusedPort)];
const browser = spawn(chromiumPath, [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
  `--user-data-dir=${profile}`, "about:blank",
], {stdio: "ignore"});
let exitCode = 0;
try {
  const cdp = connect(await devtoolsUrl(profile));
  await cdp.opened;
  await cdp.send("Page.enable");
  const allowed = await visit(cdp, `http://127.0.0.1:${allowedPort}`);
  const refused = await visit(cdp, `http://127.0.0.1:${refusedPort}`);
  console.log(JSON.stringify({allowed, refused}));
  cdp.close();
} catch (error) {
  console.error(String(error));
  exitCode = 2;
} finally {
  browser.kill("SIGKILL");
  for (const server of servers) server.close();
  await sleep(100);
  rmSync(profile, {recursive: true, force: true});
}
process.exit(exitCode);
