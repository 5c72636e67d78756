// Real-browser tests of a built site, in headless Chromium (Debian's /usr/bin/chromium),
// driven by playwright-core. Usage: node run.mjs <public folder>
// Prints one line per test and a closing "N passed, M failed" line; exits 1 on failure.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const site = path.resolve(process.argv[2] || "public");
const url = (p) => pathToFileURL(path.join(site, p)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const assert = (ok, message) => { if (!ok) throw new Error(message); };

test("search from file:// finds a K'iche' word typed with another apostrophe", async (page) => {
  await page.goto(url("quc/altiplano/emprendimiento/mi-negocio/index.html"));
  // The text writes ch’ich’ (U+2019); the reader types ʼ (U+02BC).
  await page.fill("#search-q", "chʼichʼ");
  await page.waitForSelector("#search-results li a");
  const titles = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
  assert(titles.length === 1 && titles[0] === "K’o pwaq pa uwi’ ri mexa", `results: ${titles}`);
  const mark = await page.textContent("#search-results mark");
  assert(mark.startsWith("ch’ich"), `highlight: ${mark}`);
  // The result leads to the session, from file://.
  await page.click("#search-results li a");
  await page.waitForLoadState();
  assert(page.url().endsWith("quc/altiplano/ahorro-credito/ahorro/index.html"), page.url());
  assert((await page.textContent("h1")) === "K’o pwaq pa uwi’ ri mexa", "landed on the session");
});

test("search folds accents and case in Spanish and French, keyboard only", async (page) => {
  await page.goto(url("fr/urban/index.html"));
  await page.focus("#search-q");
  await page.keyboard.type("ENTREES");
  await page.waitForSelector("#search-results li a");
  const first = await page.textContent("#search-results li a");
  assert(first === "L'argent de l'activité et l'argent de la maison", `first: ${first}`);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert(focused === first, `keyboard reaches the result: ${focused}`);
  await page.goto(url("es/urban/index.html"));
  await page.fill("#search-q", "credito");
  await page.waitForSelector("#search-results li a");
  const es = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
  assert(es.includes("El crédito, sin miedo y sin riesgo"), `es: ${es}`);
});

test("without JavaScript the search box leads to the list of every session", async (_page, context) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(url("es/rural/emprendimiento/mi-negocio/index.html"));
  await page.fill("#search-q", "ahorro");
  await page.press("#search-q", "Enter");
  await page.waitForLoadState();
  assert(page.url().includes("es/rural/search/index.html?q=ahorro"), page.url());
  const links = await page.$$eval("main li a", (as) => as.length);
  assert(links === 10, `every rural session listed: ${links}`);
  await page.context().close();
});

let passed = 0, failed = 0;
for (const t of tests) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await t.fn(page, context);
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAILED - ${t.name}: ${e.message}`);
  }
  await context.close();
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
