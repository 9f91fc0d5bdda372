// The web planner's browser test: it starts the planner, drives Debian's
// chromium headless with playwright-core, answers the pilot's maternity
// question, checks the map and the figures, compares two scenarios,
// switches to French, downloads the reports, pools staff, runs the phased
// programme (its progress, its table year by year, a cancel that keeps
// the best programme), and takes screenshots that it checks are not
// blank.
//
//   PLANNER_BIN=path/to/planner OUT=out/browser node test.mjs
//
// It prints one line per check and closes with "N passed, M failed".
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const bin = process.env.PLANNER_BIN;
const out = process.env.OUT || "out/browser";
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!bin) {
  console.error("PLANNER_BIN is required");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
}

// Start the planner on a free port and read the address it prints.
function startPlanner() {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ["-addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
    let buf = "";
    const timer = setTimeout(() => reject(new Error("the planner printed no address in 60 s")), 60000);
    p.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/serving (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve({ proc: p, url: m[1] }); }
    });
    p.on("exit", (code) => reject(new Error("the planner exited with " + code)));
  });
}

// notBlank loads a screenshot into a canvas in the browser and counts its
// distinct colours: a blank or single-colour page has very few.
async function distinctColours(browser, png) {
  const page = await browser.newPage();
  const n = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString("base64"));
  await page.close();
  return n;
}

async function shot(browser, page, name) {
  const png = await page.screenshot({ path: join(out, name), fullPage: true });
  const n = await distinctColours(browser, png);
  check(n > 50, `screenshot ${name} is not blank (${n} colours)`);
}

async function runScenario(page, changes, name) {
  await page.fill("#changes", String(changes));
  await page.fill("#name", name);
  const before = await page.locator("#jobs li").count();
  await page.click("#run");
  await page.waitForFunction((n) => document.querySelectorAll("#jobs li").length > n, before, { timeout: 120000 });
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(out, dl.suggestedFilename());
  await dl.saveAs(path);
  return readFileSync(path, "utf8");
}

const started = Date.now();
const { proc, url } = await startPlanner();
console.log("planner at " + url);
const browser = await chromium.launch({
  executablePath: browserPath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  // English: the maternity question with two changes.
  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  check((await page.locator("#region option").count()) >= 1, "regions listed");
  check(await page.locator("#service").inputValue() === "caesarean", "the caesarean service is the default");
  await runScenario(page, 2, "two changes");
  await page.waitForSelector("#answer:not([hidden])");
  const rows = await page.locator("#figures tr").count();
  check(rows >= 6, `key figures shown (${rows} rows)`);
  const areas = await page.locator("#map path").count();
  check(areas >= 194, `map draws the communes (${areas} shapes)`);
  check((await page.locator("#map circle").count()) > 0, "map marks the sites");
  check((await page.locator("#map line").count()) > 0, "map draws assignment lines");
  const status = await page.locator("#status").textContent();
  check(/optimal|time limit|feasible/.test(status), "status: " + status);
  check((await page.locator("#decisions li").count()) > 0, "decisions listed");
  check((await page.locator("#groups").textContent()).includes("most-deprived 20%"), "figures of the most-deprived 20%");
  await shot(browser, page, "planner-en.png");

  // The report, downloaded.
  const md = await download(page, "#export-md");
  check(md.includes("## Key figures") && md.includes("## Decisions and their reasons"), "English report downloaded");

  // A second scenario, then the comparison.
  await runScenario(page, 1, "one change");
  const boxes = page.locator("#jobs input[type=checkbox]");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.click("#compare");
  await page.waitForSelector("#comparison:not([hidden])");
  check((await page.locator("#cmp-figures tr").count()) >= 5, "comparison figures");
  check((await page.locator("#cmp-map path").count()) >= 194, "difference map drawn");
  await page.locator("#comparison").scrollIntoViewIfNeeded();
  await shot(browser, page, "planner-compare.png");

  // French.
  await page.click("#lang");
  await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  check((await page.locator("html").getAttribute("lang")) === "fr", "page in French");
  check((await page.locator("#run").textContent()).trim() === "Lancer", "French labels");
  await runScenario(page, 2, "deux changements");
  await page.waitForSelector("#answer:not([hidden])");
  check((await page.locator("#answer").textContent()).includes("Chiffres clés"), "French answer");
  check((await page.locator("#groups").textContent()).includes("20 % les plus défavorisés"), "French group names");
  await shot(browser, page, "planner-fr.png");
  const mdfr = await download(page, "#export-md");
  check(mdfr.includes("## Chiffres clés") && mdfr.includes("## Décisions et leurs raisons"), "French report downloaded");
  const html = await download(page, "#export-html");
  check(html.includes('<html lang="fr">') && html.includes("<table>"), "French HTML report downloaded");

  // Staff pooling, with its progress.
  await page.selectOption("#question", "pool");
  await page.fill("#name", "mutualisation");
  const before = await page.locator("#jobs li").count();
  await page.click("#run");
  await page.waitForFunction((n) => document.querySelectorAll("#jobs li").length > n, before, { timeout: 120000 });
  check((await page.locator("#decisions li").count()) > 0, "pooling moves listed");
  check((await page.locator("#progress-line").textContent()).includes("écart"), "progress shown in French");
  await shot(browser, page, "planner-fr-pool.png");

  // The phased programme: its progress, then the programme year by year.
  await page.selectOption("#question", "programme");
  check(await page.locator("#time_limit").inputValue() === "120", "the programme's time limit starts at 120 s");
  await page.fill("#horizon", "5");
  await page.fill("#name", "programme sur 5 ans");
  let n = await page.locator("#jobs li").count();
  const t0 = Date.now();
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#progress-line").textContent.includes("écart"), null, { timeout: 120000 });
  check(true, "programme progress shown: " + (await page.locator("#progress-line").textContent()));
  await page.waitForFunction((k) => document.querySelectorAll("#jobs li").length > k, n, { timeout: 180000 });
  console.log(`programme (5 years) answered in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const years = (await page.locator("#programme tr").count()) - 1;
  check(years === 5, `programme table: ${years} years`);
  check((await page.locator("#programme").textContent()).includes("investissement dépensé / budget"), "programme table in French");
  check((await page.locator("#decisions li").count()) > 0, "programme decisions listed");
  check((await page.locator("#map circle").count()) > 0, "programme sites on the map");
  await page.locator("#programme-box").scrollIntoViewIfNeeded();
  await shot(browser, page, "planner-fr-programme.png");
  const pcsv = await download(page, "#export-csv");
  check(pcsv.trim().split("\n").length === 6 && pcsv.startsWith("year,capital_mad"), "programme CSV downloaded (a row a year)");
  const pmd = await download(page, "#export-md");
  check(pmd.includes("## Année par année"), "French programme report downloaded");

  // Cancel keeps the best programme found.
  await page.check("#decision_costs");
  await page.fill("#name", "programme annulé");
  n = await page.locator("#jobs li").count();
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#progress-line").textContent.includes("écart"), null, { timeout: 120000 });
  await page.click("#cancel");
  await page.waitForFunction((k) => document.querySelectorAll("#jobs li").length > k, n, { timeout: 60000 });
  const cstatus = await page.locator("#status").textContent();
  check(cstatus.includes("annulé"), "cancelled programme kept: " + cstatus);
  check((await page.locator("#programme tr").count()) === 6, "the cancelled programme's table shown");
  check(errors.length === 0, "no error in the page's console" + (errors.length ? ": " + errors.join("; ") : ""));
} catch (e) {
  check(false, "browser test: " + e.message);
} finally {
  await browser.close();
  proc.kill();
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`browser test: ${secs} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
