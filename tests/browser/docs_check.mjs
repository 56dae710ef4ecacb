// /docs (Swagger UI) and /redoc (ReDoc) in headless Chromium, driven by
// playwright-core, with every request to another origin refused and
// recorded (the pages must work offline; their Content-Security-Policy
// keeps the browser from even asking): counts the operations each page
// renders, and runs "Try it out" on GET /health in Swagger UI.
//
//   node docs_check.mjs NPM_DIR CHROMIUM HOST_URL
//
// Prints one JSON line: {"swagger_operations", "try_it_status",
// "redoc_operations", "external_requests": [...], "errors": [...]}.
import { createRequire } from "node:module";
import { join } from "node:path";

const [npmDir, chromiumPath, hostUrl] = process.argv.slice(2);
const require = createRequire(join(npmDir, "package.json"));
const { chromium } = require("playwright-core");

const origin = new URL(hostUrl).origin;
const seen = { swagger_operations: 0, try_it_status: null, redoc_operations: 0, external_requests: [], errors: [] };

const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
try {
  const context = await browser.newContext();
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    seen.external_requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => seen.errors.push(String(error)));

  await page.goto(hostUrl + "/docs");
  await page.waitForSelector(".opblock", { timeout: 120000 });
  seen.swagger_operations = await page.locator(".opblock").count();
  const health = page.locator("#operations-health-get_health");
  await health.locator(".opblock-summary").first().click();
  await health.locator("button.try-out__btn").click();
  await health.locator("button.execute").click();
  const status = health.locator(".live-responses-table tr.response .response-col_status").first();
  await status.waitFor({ timeout: 120000 });
  seen.try_it_status = (await status.innerText()).trim();

  await page.goto(hostUrl + "/redoc");
  await page.waitForSelector('[data-section-id^="operation/"]', { timeout: 120000 });
  seen.redoc_operations = await page.locator('[data-section-id^="operation/"]').count();
} catch (error) {
  seen.errors.push(String(error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
