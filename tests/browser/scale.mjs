// Search on a big generated curriculum (aula-corpus), from file://, in headless Chromium:
// a word of the last module's last session is found in each language (K'iche' with each
// apostrophe, Spanish without accents, French through an elision), and what a query
// downloads is counted: every script it loads, read from disk.
// Usage: node scale.mjs <site> <last session's path in an edition, e.g. m034/s010/index.html> [--bench]
// check.sh adds the words to the corpus (see there); --bench prints the bytes and asserts nothing.
import { chromium } from "playwright-core";
import { pathToFileURL, fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";

const site = path.resolve(process.argv[2]);
const last = process.argv[3];
const bench = process.argv.includes("--bench");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const url = (p) => pathToFileURL(path.join(site, p)).href;
let failed = 0;
const check = (ok, message) => {
  if (!ok) { failed++; console.log(`FAILED - ${message}`); } else if (!bench) console.log(`ok - ${message}`);
};

/* Opens an edition's home page and runs queries one after the other on it; for each, the
   results' addresses and the bytes of the scripts it loaded. */
async function queries(edition, list) {
  const page = await (await browser.newContext()).newPage();
  let loaded = [];
  page.on("requestfinished", (r) => { if (r.url().startsWith("file:")) loaded.push(r.url()); });
  await page.goto(url(`${edition}/index.html`));
  const out = [];
  for (const q of list) {
    loaded = [];
    await page.fill("#search-q", "");
    await page.fill("#search-q", q);
    await page.waitForSelector("#search-results .search-count");
    await page.waitForTimeout(50);
    const status = await page.textContent("#search-results .search-count");
    const hrefs = await page.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href")));
    // What each result's excerpt highlights, by its address.
    const marks = await page.$$eval("#search-results li", (lis) =>
      lis.map((li) => [li.querySelector("a").getAttribute("href"), li.querySelector("mark")?.textContent]));
    const bytes = loaded.reduce((n, u) => n + fs.statSync(fileURLToPath(u)).size, 0);
    out.push({ q, hrefs, marks, bytes, files: loaded.length, status });
  }
  await page.context().close();
  return out;
}

const found = (r) => r.hrefs.some((h) => h.endsWith(last));
const quc = await queries("quc/urban", ["tzʼunubʼ", "tz'unub'", "tz’unub’"]);
for (const r of quc) check(found(r), `K'iche' "${r.q}" finds the last session (${r.hrefs.length} results)`);
const es = await queries("es/urban", ["nanduti", "ganancia", "precio", "precio venta", "prec", "p"]);
check(found(es[0]), `Spanish "nanduti" finds "ñandutí" in the last session`);
// The words of "pr" fill more than a chunk: "prec" loads the chunk of "pre" and matches
// as a prefix, and a shorter word loads nothing and asks for more letters.
const count = (r) => +r.status.replace(/\D/g, "");
check(es[4].hrefs.length === 20 && count(es[4]) === count(es[2]), `"prec" finds what "precio" finds (${es[4].status})`);
check(count(es[3]) > 0 && count(es[3]) <= count(es[2]), `"precio venta" finds sessions with both words (${es[3].status})`);
check(es[5].files === 0 && es[5].hrefs.length === 0 && es[5].status.includes("«p»"), `"p" asks for more letters and loads nothing (${es[5].status})`);
const fr = await queries("fr/urban", ["utilite", "l'utilite"]);
for (const r of fr) check(found(r), `French "${r.q}" finds "l’utilité" in the last session`);
const marked = (r) => r.marks.find(([h]) => h.endsWith(last))?.[1];
for (const r of fr) check(marked(r) === "l’utilité", `French "${r.q}" highlights "l’utilité" (${marked(r)})`);
const sessions = fs.readdirSync(path.join(site, "es/urban")).filter((m) => fs.statSync(path.join(site, "es/urban", m)).isDirectory() && m.startsWith("m"))
  .reduce((n, m) => n + fs.readdirSync(path.join(site, "es/urban", m)).filter((s) => s.startsWith("s")).length, 0);
const kb = (b) => (b / 1024).toFixed(1) + " KiB";
console.log(`${sessions} sessions per edition; search.js itself: ${kb(fs.statSync(path.join(site, "assets/search.js")).size)}`);
console.log(`  cold first query "${es[0].q}" (rare word): ${kb(es[0].bytes)} in ${es[0].files} scripts`);
console.log(`  then "${es[1].q}" (in every session): ${kb(es[1].bytes)} in ${es[1].files} scripts`);
console.log(`  then "${es[2].q}" (in every session): ${kb(es[2].bytes)} in ${es[2].files} scripts`);
console.log(`  then "${es[3].q}" (two words): ${kb(es[3].bytes)} in ${es[3].files} scripts`);
const cold = await queries("es/urban", ["precio venta"]);
console.log(`  cold first query "${cold[0].q}": ${kb(cold[0].bytes)} in ${cold[0].files} scripts`);
if (!bench) {
  const worst = Math.max(...[...es, ...quc, ...fr, ...cold].map((r) => r.bytes));
  check(worst <= 100 * 1024, `no query downloads more than 100 KiB (the most: ${kb(worst)})`);
}
await browser.close();
process.exit(failed ? 1 : 0);
