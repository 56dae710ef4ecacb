// The web console (GET /console) in headless Chromium, driven by
// playwright-core, against a real host, with every request to another
// origin refused and recorded. Two modes:
//
//   node console_check.mjs NPM_DIR CHROMIUM HOST_URL OUT_DIR open
//     auth off: lists the agents, invokes `sentiment` from the form built
//     from its schema and reads the result, watches a run's events arrive
//     over the live stream, approves a waiting run from the approvals page
//     and sees it finish, reads the failed plugin's reason, pages through
//     runs, draws a workflow's graph; screenshots go to OUT_DIR.
//   node console_check.mjs NPM_DIR CHROMIUM HOST_URL OUT_DIR auth KEY
//     auth on: the console asks for a key, keeps it in sessionStorage,
//     sends it only as a header (never in a URL), and streams with it.
//
// Prints one JSON line of what it saw; the Catch2 test (tests/integration/
// console_test.cpp) judges it. Each check is recorded, never asserted here,
// so one failure does not hide the others.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";

const [npmDir, chromiumPath, hostUrl, outDir, mode, key] = process.argv.slice(2);
const require = createRequire(join(npmDir, "package.json"));
const { chromium } = require("playwright-core");

const origin = new URL(hostUrl).origin;
const seen = { mode, external_requests: [], errors: [], csp_violations: [], screenshots: [] };
const timeout = 15000;

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (key) headers.Authorization = "Bearer " + key;
  const response = await fetch(hostUrl + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function waitForStatus(runId, wanted) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const run = await api("GET", "/runs/" + runId);
    if (wanted.includes(run.status)) return run.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return "timeout";
}

async function shot(page, name) {
  const path = join(outDir, `console-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  seen.screenshots.push(path);
}

async function step(name, body) {
  try {
    await body();
  } catch (error) {
    seen.errors.push(`${name}: ${String(error).split("\n")[0]}`);
  }
}

async function openMode(page) {
  await step("agents", async () => {
    await page.goto(hostUrl + "/console");
    await page.waitForSelector("tr[data-agent]", { timeout });
    seen.agents_listed = await page.locator("tr[data-agent]").evaluateAll((rows) => rows.map((r) => r.dataset.agent));
    seen.agents_expected = (await api("GET", "/agents")).agents;
    await shot(page, "agents");
  });

  await step("invoke sentiment", async () => {
    await page.goto(hostUrl + "/console#/agents/sentiment");
    await page.waitForSelector("form.invoke", { timeout });
    // The form is built from the manifest: context.text is a field with its description.
    seen.invoke_fields = await page.locator(".schema-form textarea, .schema-form input, .schema-form select")
      .evaluateAll((inputs) => inputs.map((i) => i.name));
    await page.fill("#task", "review the release");
    await page.fill("#field-text", "The release went great and everyone is happy with the fast, reliable deploy!");
    await page.click("form.invoke button[type=submit]");
    await page.waitForSelector("form.invoke .result pre", { timeout });
    seen.invoke_result = JSON.parse(await page.locator("form.invoke .result pre").first().innerText());
    seen.invoke_events = await page.locator("form.invoke li.event").count();
    seen.invoke_run_id = await page.locator("form.invoke a.run-link").innerText();
    await shot(page, "invoke");
  });

  await step("live events", async () => {
    // 80 progress events 50 ms apart (4 s): the page must show them as they come.
    const accepted = await api("POST", "/runs", {
      agent_name: "echo",
      task: "chatter for the console",
      context: { action: "chatter", count: 80, ms: 50 },
    });
    const streams = [];
    const onRequest = (request) => {
      if (request.url().includes(`/runs/${accepted.run_id}/stream`)) streams.push(request.url());
    };
    page.on("request", onRequest);
    const polls = [];
    const onPoll = (request) => {
      if (request.url().includes(`/runs/${accepted.run_id}/events`)) polls.push(request.url());
    };
    page.on("request", onPoll);
    await page.goto(hostUrl + "/console#/runs/" + accepted.run_id);
    await page.waitForSelector("li.event", { timeout });
    // Events seen while the run was still going, then all of them.
    seen.live_first_count = await page.locator("li.event").count();
    seen.live_status_then = (await api("GET", "/runs/" + accepted.run_id)).status;
    await page.waitForFunction(() => document.querySelectorAll("li.event").length >= 80, null, { timeout });
    await page.waitForSelector("h2:has-text('Events (ended)')", { timeout });
    await page.waitForSelector(".run-facts .status-succeeded", { timeout });
    seen.live_final_count = await page.locator("li.event").count();
    seen.live_log_count = (await api("GET", `/runs/${accepted.run_id}/events?limit=1000`)).events.length;
    seen.live_stream_requests = streams.length;
    seen.live_poll_requests = polls.length;
    page.off("request", onRequest);
    page.off("request", onPoll);
    await shot(page, "run");
  });

  await step("approval", async () => {
    const accepted = await api("POST", "/runs", {
      agent_name: "echo",
      task: "deploy from the console",
      context: { action: "ask_approval" },
    });
    seen.approval_status_before = await waitForStatus(accepted.run_id, ["pending_approval", "failed", "succeeded"]);
    await page.goto(hostUrl + "/console#/approvals");
    const card = page.locator(`.approval[data-run="${accepted.run_id}"]`);
    await card.waitFor({ timeout });
    seen.approval_shows = await card.innerText();
    await shot(page, "approvals");
    await card.locator("textarea[name=comment]").fill("ok from the console test");
    await card.locator("button.approve").click();
    seen.approval_status_after = await waitForStatus(accepted.run_id, ["succeeded", "failed", "cancelled"]);
    // Gone from the list once decided (the list refreshes itself).
    await card.waitFor({ state: "detached", timeout });
    await page.goto(hostUrl + "/console#/runs/" + accepted.run_id);
    await page.waitForSelector(".run-facts .status-succeeded", { timeout });
    seen.approval_page_status = "succeeded";
    const audit = await api("GET", `/runs/${accepted.run_id}/audit`);
    seen.approval_audit = JSON.stringify(audit.entries);
  });

  await step("rejection", async () => {
    const accepted = await api("POST", "/runs", {
      agent_name: "echo",
      task: "deploy something risky",
      context: { action: "ask_approval" },
    });
    await waitForStatus(accepted.run_id, ["pending_approval"]);
    // From the run's own page this time.
    await page.goto(hostUrl + "/console#/runs/" + accepted.run_id);
    const panel = page.locator(`.approval[data-run="${accepted.run_id}"]`);
    await panel.waitFor({ timeout });
    await panel.locator("textarea[name=comment]").fill("not today");
    await panel.locator("button.reject").click();
    seen.rejected_status = await waitForStatus(accepted.run_id, ["succeeded", "failed", "cancelled"]);
    await page.waitForSelector(`.run-facts .status-${seen.rejected_status}`, { timeout });
    seen.rejected_audit = JSON.stringify((await api("GET", `/runs/${accepted.run_id}/audit`)).entries);
  });

  await step("routing", async () => {
    // No agent named: the supervisors choose, and the run page shows how.
    const run = await api("POST", "/runs/wait", { task: "analyze the sentiment of this happy review text" });
    await page.goto(hostUrl + "/console#/runs/" + run.run_id);
    await page.waitForSelector(".routing tr[data-agent]", { timeout });
    seen.routing_path = await page.locator(".routing p.path").innerText();
    seen.routing_expected_path = run.supervisor_path.join(" → ");
    seen.routing_candidates = await page.locator(".routing tr[data-agent]").evaluateAll((rows) => rows.map((r) => r.dataset.agent));
    seen.routing_chosen = run.agent;
  });

  await step("artifacts", async () => {
    // kubernetes_agent returns its manifests as artifacts.
    const run = await api("POST", "/runs/wait", { agent_name: "kubernetes_agent", task: "Deploy my-api" });
    seen.artifact_count_api = run.result?.artifacts?.length ?? 0;
    await page.goto(hostUrl + "/console#/runs/" + run.run_id);
    await page.waitForSelector("details.artifact", { timeout });
    seen.artifact_count_page = await page.locator("details.artifact").count();
    const first = run.result.artifacts[0];
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout }),
      page.locator("details.artifact button").first().click(),
    ]);
    seen.artifact_download_name = download.suggestedFilename();
    seen.artifact_expected_name = first.path.split("/").pop();
    seen.artifact_download_matches = (await readFile(await download.path(), "utf8")) === first.content;
    await shot(page, "artifacts");
  });

  await step("webhooks", async () => {
    // A receiver that fails the first delivery and takes the rest.
    let received = 0;
    const receiver = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        received++;
        response.writeHead(received === 1 ? 500 : 200).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${receiver.address().port}/hook`;
      const accepted = await api("POST", "/runs", { agent_name: "echo", task: "notify", webhook_url: url });
      await waitForStatus(accepted.run_id, ["succeeded"]);
      const deadline = Date.now() + timeout;
      while (received < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await page.goto(hostUrl + "/console#/webhooks");
      await page.click(`a[href="#/webhooks/${accepted.run_id}"]`, { timeout });
      await page.waitForSelector(".delivery tbody tr", { timeout });
      seen.webhook_attempt_codes = await page.locator(".delivery tbody tr td:nth-child(3)").allInnerTexts();
      await shot(page, "webhooks");
      const before = received;
      await page.click("button.retry");
      while (received === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      seen.webhook_retry_arrived = received > before;
      // The page shows the new delivery once the host records it.
      await page.waitForFunction((count) => document.querySelectorAll(".delivery tbody tr").length > count,
        seen.webhook_attempt_codes.length, { timeout });
      seen.webhook_rows_after_retry = await page.locator(".delivery tbody tr").count();
    } finally {
      receiver.close();
    }
  });

  await step("plugins", async () => {
    await page.goto(hostUrl + "/console#/plugins");
    const row = page.locator('tr[data-plugin="abi_major"]');
    await row.waitFor({ timeout });
    seen.failed_plugin_state = await row.getAttribute("data-state");
    seen.failed_plugin_reason = await row.locator("td.reason").innerText();
    await shot(page, "plugins");
    const echo = page.locator('tr[data-plugin="echo"]');
    await echo.locator("button").click();
    // The answer, good or bad (not the "reloading…" shown meanwhile).
    await echo.locator("td.reason .ok, td.reason .error").waitFor({ timeout });
    seen.reload_outcome = await echo.locator("td.reason").innerText();
  });

  await step("runs pages", async () => {
    // Enough runs for two pages of 25, then the filter and the cursor.
    for (let i = 0; i < 26; i++) await api("POST", "/runs", { agent_name: "echo", task: "filler " + i });
    await page.goto(hostUrl + "/console#/runs?agent=echo");
    await page.waitForSelector("tr[data-run]", { timeout });
    const first = await page.locator("tr[data-run]").evaluateAll((rows) => rows.map((r) => r.dataset.run));
    await shot(page, "runs");
    await page.click("a.next");
    await page.waitForFunction((firstIds) => {
      const rows = [...document.querySelectorAll("tr[data-run]")].map((r) => r.dataset.run);
      return rows.length > 0 && !rows.some((id) => firstIds.includes(id));
    }, first, { timeout });
    const second = await page.locator("tr[data-run]").evaluateAll((rows) => rows.map((r) => r.dataset.run));
    seen.runs_first_page = first.length;
    seen.runs_second_page = second.length;
    seen.runs_pages_overlap = second.filter((id) => first.includes(id)).length;
  });

  await step("workflow", async () => {
    const accepted = await api("POST", "/workflows", {
      task: "ship it",
      steps: [
        { id: "build", agent_name: "echo" },
        { id: "test", agent_name: "echo", depends_on: ["build"] },
        { id: "lint", agent_name: "echo", depends_on: ["build"] },
        { id: "release", agent_name: "echo", depends_on: ["test", "lint"], require_approval: true },
      ],
    });
    await page.goto(hostUrl + "/console#/workflows/" + accepted.workflow_id);
    await page.waitForSelector('a.step[data-step="release"][data-status="pending_approval"]', { timeout });
    seen.workflow_steps = await page.locator("a.step").evaluateAll((steps) =>
      Object.fromEntries(steps.map((s) => [s.dataset.step, s.dataset.status])));
    seen.workflow_edges = await page.locator("line.edge").count();
    await shot(page, "workflow");
    // The step waiting for approval is the one run the status filter finds.
    await page.goto(hostUrl + "/console#/runs?status=pending_approval");
    await page.waitForSelector("tr[data-run]", { timeout });
    seen.runs_filtered_statuses = await page.locator("tr[data-run] .status").allInnerTexts();
  });

  await step("health", async () => {
    await page.goto(hostUrl + "/console#/health");
    await page.waitForSelector("tr[data-component]", { timeout });
    seen.health_components = await page.locator("tr[data-component]").evaluateAll((rows) => rows.map((r) => r.dataset.component));
    await shot(page, "health");
  });
}

async function authMode(page, context) {
  const urls = [];
  const authorized = [];
  page.on("request", (request) => {
    urls.push(request.url());
    if (request.headers().authorization === "Bearer " + key) authorized.push(new URL(request.url()).pathname);
  });
  await step("key prompt", async () => {
    await page.goto(hostUrl + "/console");
    await page.waitForSelector(".key-prompt", { timeout });
    seen.prompted = true;
    await shot(page, "key-prompt");
    // A wrong key first: the host refuses it and the console asks again.
    await page.fill("#api-key", "not-the-key-0123456789abcdefghijklmnopq");
    await page.click(".key-prompt button[type=submit]");
    await page.waitForSelector(".key-prompt .error", { timeout });
    seen.wrong_key_message = await page.locator(".key-prompt .error").innerText();
    await page.fill("#api-key", key);
    await page.click(".key-prompt button[type=submit]");
    await page.waitForSelector("tr[data-agent]", { timeout });
    seen.agents_after_key = await page.locator("tr[data-agent]").count();
    seen.session_key = await page.evaluate(() => sessionStorage.getItem("agenthost.apiKey"));
    seen.local_storage_keys = await page.evaluate(() => Object.keys(localStorage));
    seen.cookies = (await context.cookies()).length;
  });
  await step("stream with the key", async () => {
    const accepted = await api("POST", "/runs", { agent_name: "echo", task: "chatter", context: { action: "chatter", count: 5 } });
    await page.goto(hostUrl + "/console#/runs/" + accepted.run_id);
    await page.waitForSelector("h2:has-text('Events (ended)')", { timeout });
    seen.auth_stream_events = await page.locator("li.event").count();
  });
  await step("reload keeps the key", async () => {
    await page.reload();
    await page.waitForSelector("li.event", { timeout });
    seen.prompted_after_reload = (await page.locator(".key-prompt").count()) > 0;
  });
  seen.urls_with_key = urls.filter((url) => url.includes(key)).length;
  seen.page_url = page.url();
  seen.authorized_paths = [...new Set(authorized)].sort();
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    seen.external_requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.errors.push("page: " + String(error)));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) seen.csp_violations.push(message.text());
  });
  if (mode === "auth") await authMode(page, context);
  else await openMode(page);
} catch (error) {
  seen.errors.push(String(error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
