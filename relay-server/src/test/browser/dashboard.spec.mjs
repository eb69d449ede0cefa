// Drives the Sluice dashboard in a real chromium, as an operator would:
//   node dashboard.spec.mjs <dashboard url> <admin token>
// The server must run two relay members, "alpha" and "beta", in a pool "main". The script
// signs in (first with a wrong token, which must bring the form back), sees both members, suspends
// alpha and checks that the page and GET /api/v1/pools both say so, tests a connection, resumes
// alpha, retries the queue (the server must hold one message waiting for its second attempt) and
// checks the layout at 1280px and on a phone. Exit 0 when every step passed, 1 otherwise.
// Environment: CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (a directory for failure shots).
import { chromium } from "playwright-core";

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error("usage: node dashboard.spec.mjs <url> <token>");
  process.exit(2);
}
const STEP_MS = 15000;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const screenshots = process.env.SCREENSHOTS;

function step(name) {
  console.log("step: " + name);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function api(path) {
  const response = await fetch(new URL(path, url), {
    headers: { Authorization: "Bearer " + token },
  });
  check(response.ok, "GET " + path + " answered " + response.status);
  return response.json();
}

async function pools() {
  return api("/api/v1/pools");
}

async function memberFromApi(name) {
  for (const pool of (await pools()).pools) {
    for (const m of pool.members) if (m.name === name) return m;
  }
  throw new Error("GET /api/v1/pools has no member " + name);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(STEP_MS);
const problems = [];
page.on("pageerror", (e) => problems.push("uncaught: " + e.message));
page.on("console", (m) => {
  // A refused resource (the deliberate wrong token) is logged by chromium too; anything else,
  // a CSP violation above all, is a fault of the page.
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push("console: " + m.text());
});

let failed = false;
try {
  step("open the page: the token form shows");
  await page.goto(url);
  await page.getByLabel("Admin token").waitFor();

  step("a wrong token brings the form back with a message");
  await page.getByLabel("Admin token").fill("not-the-token");
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByTestId("login-error").filter({ hasText: "refused" }).waitFor();
  check(await page.getByLabel("Admin token").isVisible(), "the token form is not shown again after a 401");

  step("the right token shows both members");
  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Open" }).click();
  const alpha = page.locator('[data-pool="main"] tr[data-member="alpha"]');
  const beta = page.locator('[data-pool="main"] tr[data-member="beta"]');
  await alpha.waitFor();
  await beta.waitFor();
  await page.getByTestId("card-total").filter({ hasText: /^2$/ }).waitFor();
  check(
    (await page.evaluate(() => sessionStorage.getItem("sluice.admin.token"))) === token,
    "the token is not kept in sessionStorage"
  );
  check((await alpha.getByTestId("status").textContent()) !== "suspended", "alpha starts suspended");

  step("suspend alpha: the page shows it suspended");
  await alpha.getByRole("button", { name: "Suspend alpha" }).click();
  await alpha.getByTestId("status").filter({ hasText: /^suspended$/ }).waitFor();
  await alpha.getByRole("button", { name: "Resume alpha" }).waitFor();
  await alpha.getByTestId("override").waitFor();
  await page.getByTestId("action-result").filter({ hasText: "alpha suspended" }).waitFor();

  step("GET /api/v1/pools reports alpha suspended, beta untouched");
  const suspended = await memberFromApi("alpha");
  check(suspended.status === "suspended", "the API reports alpha as " + suspended.status);
  check(suspended.override && suspended.override.suspended === true, "the API shows no suspend override on alpha");
  check(!(await memberFromApi("beta")).override, "beta got an override too");

  step("test the connection of beta: the result is shown");
  await beta.getByRole("button", { name: "Test connection" }).click();
  await beta.getByTestId("test-result").filter({ hasText: /^(OK|Failed) in [\d,]+ ms: / }).waitFor();

  step("resume alpha: the page and the API show it back");
  await alpha.getByRole("button", { name: "Resume alpha" }).click();
  await alpha.getByRole("button", { name: "Suspend alpha" }).waitFor();
  await alpha.getByTestId("status").filter({ hasText: /^(?!suspended$)/ }).waitFor();
  const resumed = await memberFromApi("alpha");
  check(resumed.status !== "suspended", "the API still reports alpha suspended");
  check(!resumed.override || !resumed.override.suspended, "the API still shows a suspend override on alpha");

  step("the page updates without a reload when the API changes");
  const changed = await fetch(new URL("/api/v1/members/beta/suspend", url), {
    method: "POST",
    headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
    body: JSON.stringify({ reason: "browser test" }),
  });
  check(changed.ok, "POST /api/v1/members/beta/suspend answered " + changed.status);
  await beta.getByTestId("status").filter({ hasText: /^suspended$/ }).waitFor();
  await beta.getByRole("button", { name: "Resume beta" }).click();
  await beta.getByRole("button", { name: "Suspend beta" }).waitFor();

  step("retry all now: the deferred message is attempted again at once");
  const [waiting] = (await api("/api/v1/messages")).messages;
  check(waiting && waiting.state === "deferred" && waiting.attempts === 1, "no message waits for its second attempt: " + JSON.stringify(waiting));
  await page.getByTestId("queues").filter({ hasText: "1 waiting to retry" }).waitFor();
  await page.getByRole("button", { name: "Retry all now" }).click();
  await page.getByTestId("action-result").filter({ hasText: "Retry all now: 1 waiting message starts now; 0 already under way." }).waitFor();
  let retried;
  for (let tries = 0; tries < 150; tries++) {
    retried = (await api("/api/v1/messages")).messages.find((m) => m.id === waiting.id);
    if (retried && retried.attempts === 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  check(retried && retried.attempts === 2, "the message was not attempted again: " + JSON.stringify(retried));

  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    step(`layout at ${viewport.width}px: no sideways scrolling, members readable`);
    await page.setViewportSize(viewport);
    await alpha.getByRole("button", { name: "Suspend alpha" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the page is ${overflow}px wider than a ${viewport.width}px window`);
    check(await alpha.getByTestId("status").isVisible(), "alpha's status is not visible");
    if (screenshots) await page.screenshot({ path: `${screenshots}/dashboard-${viewport.width}.png`, fullPage: true });
  }

  check(problems.length === 0, "the page reported errors:\n  " + problems.join("\n  "));
  console.log("dashboard: every step passed");
} catch (e) {
  failed = true;
  console.error("FAILED: " + e.message);
  if (problems.length) console.error("page errors:\n  " + problems.join("\n  "));
  if (screenshots) await page.screenshot({ path: `${screenshots}/dashboard-failure.png`, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
